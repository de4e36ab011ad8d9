// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Growing text buffer: always NUL-terminated, remembers allocation failure. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "base/secret_mem.h"

void sb_init(struct sbuf *b)
{
	memset(b, 0, sizeof(*b));
}

/* SIP messages and SDP bodies carry keys: wiped before they are freed. */
void sb_free(struct sbuf *b)
{
	secret_free(b->p, b->cap);
	sb_init(b);
}

void sb_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

static bool sb_grow(struct sbuf *b, size_t extra)
{
	size_t cap;
	char *p;

	if (b->failed)
		return false;
	if (b->len + extra + 1 <= b->cap)
		return true;
	cap = (b->len + extra + 1) * 2 + 256;
	p = secret_realloc(b->p, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (!sb_grow(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void sb_puts(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sb_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}
