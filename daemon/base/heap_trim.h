/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Memory back to the system after a burst. glibc keeps what is freed for
 * later allocations: after a burst of call attempts srtprelayd's RSS stayed
 * at the burst's peak (7.6 MB idle, ~500 MB after 20 s of 6,000 INVITEs a
 * second, the same 45 s later), although the calls, their transactions and
 * their messages were gone. The same, smaller, after calls are set up:
 * each INVITE's transaction lives 32 s past its 2xx, and what they held
 * stays resident once they end. Every HEAP_TRIM_CHECK_MS the loop reads
 * the allocator's figures (mallinfo2()) and the process's resident size
 * and, when more than HEAP_TRIM_MIN bytes and more than a quarter of what
 * is in use lie free, and the resident size exceeds what is in use by
 * HEAP_TRIM_MIN, returns the free pages with malloc_trim(0): it releases
 * whole free pages inside the heap too, not only its top. The free bytes
 * stay on malloc's lists (mallinfo2() still counts them), so the resident
 * size is what says a trim is due again. A check costs a walk over
 * malloc's bins and a read of /proc/self/statm; a trim, a walk over the
 * free blocks with one madvise() per range of free pages.
 */
#ifndef SRTPRELAYD_HEAP_TRIM_H
#define SRTPRELAYD_HEAP_TRIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/evloop.h"

#define HEAP_TRIM_CHECK_MS 5000
#define HEAP_TRIM_MIN (8u << 20)

struct heap_trim {
	struct ev_timer timer;
	uint64_t trims;			/* malloc_trim() calls that released some */
};

/* The allocator's figures (mallinfo2) and the process's resident size. */
struct heap_figures {
	size_t in_use;			/* heap and mmap()ed blocks */
	size_t free;			/* on malloc's lists: resident or trimmed */
	size_t resident;		/* the process's RSS, 0 if unknown */
};

void heap_figures(struct heap_figures *f);
/* The check the loop runs: true when memory was given back. */
bool heap_trim_check(struct heap_trim *h);
/* Arms the periodic check on the loop. */
void heap_trim_start(struct heap_trim *h);
void heap_trim_stop(struct heap_trim *h);

#endif
