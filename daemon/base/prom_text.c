// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The exposition writer of prom_text.h. */
#include <inttypes.h>

#include "base/prom_text.h"

/* HELP text escapes backslash and newline; label values also '"'. */
static void escaped(struct sbuf *b, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			sb_puts(b, "\\\\");
		else if (*s == '\n')
			sb_puts(b, "\\n");
		else if (*s == '"' && quote)
			sb_puts(b, "\\\"");
		else
			sb_add(b, s, 1);
	}
}

void prom_family(struct sbuf *b, const char *name, enum prom_type type,
		 const char *help)
{
	sb_printf(b, "# HELP %s ", name);
	escaped(b, help, false);
	sb_printf(b, "\n# TYPE %s %s\n", name,
		  type == PROM_COUNTER ? "counter" : "gauge");
}

static void labels(struct sbuf *b, const char *name, const struct prom_label *l,
		   unsigned int n)
{
	unsigned int i;

	sb_puts(b, name);
	if (!n)
		return;
	sb_puts(b, "{");
	for (i = 0; i < n; i++) {
		sb_printf(b, "%s%s=\"", i ? "," : "", l[i].name);
		escaped(b, l[i].value, true);
		sb_puts(b, "\"");
	}
	sb_puts(b, "}");
}

void prom_u64(struct sbuf *b, const char *name, const struct prom_label *l,
	      unsigned int n, uint64_t value)
{
	labels(b, name, l, n);
	sb_printf(b, " %" PRIu64 "\n", value);
}

void prom_double(struct sbuf *b, const char *name, const struct prom_label *l,
		 unsigned int n, double value)
{
	labels(b, name, l, n);
	sb_printf(b, " %.17g\n", value);
}

void prom_single(struct sbuf *b, const char *name, enum prom_type type,
		 const char *help, uint64_t value)
{
	prom_family(b, name, type, help);
	prom_u64(b, name, NULL, 0, value);
}
