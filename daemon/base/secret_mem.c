// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Freeing what held keys: see secret_mem.h. */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "base/secret_mem.h"

void secret_free(void *p, size_t len)
{
	if (!p)
		return;
	explicit_bzero(p, len);
	free(p);
}

void secret_free_heap(void *p)
{
	if (p)
		secret_free(p, malloc_usable_size(p));
}

void *secret_realloc(void *p, size_t size)
{
	size_t old = p ? malloc_usable_size(p) : 0;
	void *q;

	if (!size) {
		secret_free(p, old);
		return NULL;
	}
	q = malloc(size);
	if (!q)
		return NULL;
	if (p) {
		memcpy(q, p, old < size ? old : size);
		secret_free(p, old);
	}
	return q;
}
