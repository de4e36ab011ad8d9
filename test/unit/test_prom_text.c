// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The Prometheus exposition writer (daemon/base/prom_text.c, compiled in):
 * HELP and TYPE lines, samples with and without labels, and label values
 * and HELP text escaped as the format asks, so that a name taken from the
 * configuration cannot end a line or a label early.
 */
#include <string.h>

#include "../../daemon/base/prom_text.c"
#include "../../daemon/base/sbuf.c"
#include "../../daemon/base/secret_mem.c"
#include "testing.h"

static struct sbuf b;

static void family_and_samples(void)
{
	struct prom_label l[] = { { "code", "488" }, { "reason", "offer" } };

	sb_init(&b);
	prom_family(&b, "srtprelay_call_failures_total", PROM_COUNTER, "Failed calls.");
	prom_u64(&b, "srtprelay_call_failures_total", l, 2, 18446744073709551615ULL);
	prom_single(&b, "srtprelay_calls_active", PROM_GAUGE, "Calls up.", 3);
	CHECK(!strcmp(b.p,
		      "# HELP srtprelay_call_failures_total Failed calls.\n"
		      "# TYPE srtprelay_call_failures_total counter\n"
		      "srtprelay_call_failures_total{code=\"488\",reason=\"offer\"} 18446744073709551615\n"
		      "# HELP srtprelay_calls_active Calls up.\n"
		      "# TYPE srtprelay_calls_active gauge\n"
		      "srtprelay_calls_active 3\n"), "got:\n%s", b.p);
	sb_free(&b);
}

static void label_values_escaped(void)
{
	struct prom_label l = { "ip_group", "a\"b\\c\nd" };

	sb_init(&b);
	prom_u64(&b, "x", &l, 1, 1);
	CHECK(!strcmp(b.p, "x{ip_group=\"a\\\"b\\\\c\\nd\"} 1\n"), "got: %s", b.p);
	sb_free(&b);
}

static void help_escaped_quotes_kept(void)
{
	sb_init(&b);
	prom_family(&b, "x", PROM_GAUGE, "a \"b\" c\\d\ne");
	CHECK(!strcmp(b.p, "# HELP x a \"b\" c\\\\d\\ne\n# TYPE x gauge\n"), "got: %s", b.p);
	sb_free(&b);
}

static void doubles_negative_and_exact(void)
{
	struct prom_label l = { "context", "default" };

	sb_init(&b);
	prom_double(&b, "e", &l, 1, -86400.5);
	prom_double(&b, "e", NULL, 0, 315359999);
	CHECK(!strcmp(b.p, "e{context=\"default\"} -86400.5\ne 315359999\n"), "got: %s", b.p);
	sb_free(&b);
}

int main(void)
{
	RUN(family_and_samples, "HELP, TYPE and samples as the text format 0.0.4 has them");
	RUN(label_values_escaped, "label values: backslash, quote and newline escaped");
	RUN(help_escaped_quotes_kept, "HELP: backslash and newline escaped, quotes as they are");
	RUN(doubles_negative_and_exact, "gauges: negative and whole values printed exactly");
	return testing_summary();
}
