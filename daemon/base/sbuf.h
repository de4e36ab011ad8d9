/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* A growing text buffer for building SIP messages and SDP bodies. */
#ifndef SRTPRELAYD_SBUF_H
#define SRTPRELAYD_SBUF_H

#include <stdbool.h>
#include <stddef.h>

struct sbuf {
	char *p;
	size_t len, cap;
	bool failed;		/* out of memory: contents are incomplete */
};

void sb_init(struct sbuf *b);
void sb_free(struct sbuf *b);
void sb_reset(struct sbuf *b);
void sb_add(struct sbuf *b, const char *s, size_t n);
void sb_puts(struct sbuf *b, const char *s);
void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
