/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Prometheus' text exposition format (version 0.0.4), written into an
 * sbuf: a family's HELP and TYPE lines once, then its samples, each with
 * its labels. Label values are escaped as the format asks (backslash,
 * double quote, newline), so a name taken from the configuration cannot
 * break the page.
 */
#ifndef SRTPRELAYD_PROM_TEXT_H
#define SRTPRELAYD_PROM_TEXT_H

#include <stdint.h>

#include "base/sbuf.h"

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

enum prom_type { PROM_COUNTER, PROM_GAUGE };

struct prom_label {
	const char *name;	/* [a-zA-Z_][a-zA-Z0-9_]*, ours, not escaped */
	const char *value;	/* any text */
};

/* "# HELP name help" and "# TYPE name counter|gauge". */
void prom_family(struct sbuf *b, const char *name, enum prom_type type,
		 const char *help);
/* "name{l="v",...} value": @n labels (0: none). */
void prom_u64(struct sbuf *b, const char *name, const struct prom_label *l,
	      unsigned int n, uint64_t value);
void prom_double(struct sbuf *b, const char *name, const struct prom_label *l,
		 unsigned int n, double value);
/* A family with one sample and no labels. */
void prom_single(struct sbuf *b, const char *name, enum prom_type type,
		 const char *help, uint64_t value);

#endif
