// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Free heap memory given back after a burst: see heap_trim.h. */
#include <malloc.h>
#include <stdio.h>
#include <unistd.h>

#include "base/heap_trim.h"
#include "base/log.h"

static size_t resident_bytes(void)
{
	unsigned long size, resident;
	FILE *f = fopen("/proc/self/statm", "re");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "%lu %lu", &size, &resident);
	fclose(f);
	return n == 2 ? resident * (size_t)sysconf(_SC_PAGESIZE) : 0;
}

void heap_figures(struct heap_figures *f)
{
	struct mallinfo2 mi = mallinfo2();

	f->in_use = mi.uordblks + mi.hblkhd;
	f->free = mi.fordblks;
	f->resident = resident_bytes();
}

bool heap_trim_check(struct heap_trim *h)
{
	struct heap_figures f;

	heap_figures(&f);
	if (f.free <= HEAP_TRIM_MIN || f.free <= f.in_use / 4 ||
	    f.resident <= f.in_use + HEAP_TRIM_MIN || !malloc_trim(0))
		return false;
	h->trims++;
	log_info("heap: free memory given back (RSS %zu KB, %zu KB in use, %zu KB free)",
		 f.resident >> 10, f.in_use >> 10, f.free >> 10);
	return true;
}

static void check(void *arg)
{
	struct heap_trim *h = arg;

	heap_trim_check(h);
	ev_timer_arm(&h->timer, HEAP_TRIM_CHECK_MS);
}

void heap_trim_start(struct heap_trim *h)
{
	ev_timer_init(&h->timer, check, h);
	ev_timer_arm(&h->timer, HEAP_TRIM_CHECK_MS);
}

void heap_trim_stop(struct heap_trim *h)
{
	ev_timer_cancel(&h->timer);
}
