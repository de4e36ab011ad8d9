// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * base/heap_trim.c against glibc's malloc (built without AddressSanitizer,
 * whose allocator is not glibc's: daemon/daemon.mk): memory freed after a
 * burst stays resident until the check gives it back, and a second check
 * finds nothing to do.
 */
#include <stdlib.h>
#include <string.h>

#include "../../daemon/base/log.c"
#include "../../daemon/base/evloop.c"
#include "../../daemon/base/heap_trim.c"
#include "testing.h"

#define MB (1u << 20)

/* A burst of @n blocks of @size, then all but every 64th freed: the
 * heap left resident and mostly free, as after a call burst. */
static void fragment(char **blocks, int n, size_t size)
{
	for (int i = 0; i < n; i++) {
		blocks[i] = malloc(size);
		if (blocks[i])
			memset(blocks[i], 0x5a, size);
	}
	for (int i = 0; i < n; i++)
		if (i % 64) {
			free(blocks[i]);
			blocks[i] = NULL;
		}
}

/* A burst's calls: 4,000 blocks of 20 KB, all freed but one in 64 (the
 * calls still up pin the heap, as after a real burst). */
static void burst_memory_given_back(void)
{
	enum { N = 4000, SIZE = 20000 };
	static char *blocks[N];
	struct heap_trim h = { .trims = 0 };
	struct heap_figures f;
	size_t before;

	fragment(blocks, N, SIZE);
	heap_figures(&f);
	before = f.resident;
	printf("    after the burst: RSS %zu KB, in use %zu KB, free %zu KB\n",
	       f.resident >> 10, f.in_use >> 10, f.free >> 10);
	CHECK(f.resident > f.in_use + 40 * MB, "freed memory still resident");
	CHECK(heap_trim_check(&h) && h.trims == 1, "the check gives it back");
	heap_figures(&f);
	printf("    after the check: RSS %zu KB, in use %zu KB, free %zu KB\n",
	       f.resident >> 10, f.in_use >> 10, f.free >> 10);
	CHECK(before - f.resident > 40 * MB, "RSS down by %zu KB",
	      (before - f.resident) >> 10);
	CHECK(!heap_trim_check(&h) && h.trims == 1,
	      "a second check: nothing resident to give back, no trim");
	for (int i = 0; i < N; i++)
		free(blocks[i]);
}

/* Less than HEAP_TRIM_MIN free, or a large block (mmap()ed, given back
 * by free() itself): nothing for the check to do. */
static void small_or_busy_heap_left_alone(void)
{
	enum { N = 300, SIZE = 20000 };
	static char *blocks[N];
	struct heap_trim h = { .trims = 0 };
	char *p = malloc(8 * MB);

	if (p)
		memset(p, 1, 8 * MB);
	CHECK(!heap_trim_check(&h) && !h.trims, "8 MB in use: no trim");
	free(p);
	fragment(blocks, N, SIZE);
	CHECK(!heap_trim_check(&h) && !h.trims, "8 MB freed, and 6 MB in 20 KB blocks: no trim");
	for (int i = 0; i < N; i++)
		free(blocks[i]);
}

int main(void)
{
	RUN(small_or_busy_heap_left_alone, "a heap in use or little free is left alone");
	RUN(burst_memory_given_back, "memory freed after a burst goes back to the system, once");
	return testing_summary();
}
