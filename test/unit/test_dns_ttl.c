// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * base/resolver.c's reading of a DNS answer's TTL (RFC 1035 4.1), which
 * c-ares's SRV and NAPTR parsers do not give: the smallest TTL of the
 * answer section, names compressed or not, and -1 for every message that
 * ends early or holds a label that is neither a length nor a pointer.
 */
#include <string.h>

#include "../../daemon/base/resolver.c"
#include "../../daemon/base/evloop.c"
#include "../../daemon/base/log.c"
#include "testing.h"

/* Header (id 1, response, QD 1, AN @an), question "a.test IN SRV". */
static size_t head(unsigned char *m, unsigned int an)
{
	static const unsigned char h[] = {
		0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
		1, 'a', 4, 't', 'e', 's', 't', 0, 0, 33, 0, 1 };

	memcpy(m, h, sizeof(h));
	m[7] = (unsigned char)an;
	return sizeof(h);
}

/* An answer record for the question's name (pointer to offset 12). */
static size_t rr(unsigned char *m, uint32_t ttl, bool compressed)
{
	size_t n = 0;

	if (compressed) {
		m[n++] = 0xc0;
		m[n++] = 12;
	} else {
		memcpy(m, "\1a\4test", 7);
		n = 7;
		m[n++] = 0;
	}
	m[n++] = 0; m[n++] = 33; m[n++] = 0; m[n++] = 1;
	m[n++] = (unsigned char)(ttl >> 24); m[n++] = (unsigned char)(ttl >> 16);
	m[n++] = (unsigned char)(ttl >> 8); m[n++] = (unsigned char)ttl;
	m[n++] = 0; m[n++] = 2;		/* rdlength */
	m[n++] = 0xaa; m[n++] = 0xbb;
	return n;
}

static void smallest_of_the_answers(void)
{
	unsigned char m[256];
	size_t n = head(m, 3);

	n += rr(m + n, 300, true);
	n += rr(m + n, 5, false);
	n += rr(m + n, 60, true);
	CHECK(dns_answer_min_ttl(m, n) == 5, "%ld", dns_answer_min_ttl(m, n));
}

static void no_answer_is_zero(void)
{
	unsigned char m[64];

	CHECK(dns_answer_min_ttl(m, head(m, 0)) == 0, "no record, no TTL");
}

static void huge_ttl_is_zero(void)
{
	unsigned char m[128];
	size_t n = head(m, 1);

	n += rr(m + n, 0x80000000u, true);
	CHECK(dns_answer_min_ttl(m, n) == 0, "RFC 2181 8");
}

static void every_truncation_refused(void)
{
	unsigned char m[256];
	size_t n = head(m, 2), cut;

	n += rr(m + n, 30, true);
	n += rr(m + n, 40, false);
	for (cut = 0; cut < n; cut++)
		CHECK(dns_answer_min_ttl(m, cut) == -1, "cut at %zu of %zu", cut, n);
	CHECK(dns_answer_min_ttl(m, n) == 30, "whole");
}

static void bad_label_refused(void)
{
	unsigned char m[128];
	size_t n = head(m, 1);

	n += rr(m + n, 30, false);
	m[head(m, 1)] = 0x40;		/* an extended label type (RFC 6891) */
	CHECK(dns_answer_min_ttl(m, n) == -1, "0x40 label");
}

int main(void)
{
	RUN(smallest_of_the_answers, "the smallest TTL of the answer section");
	RUN(no_answer_is_zero, "an answer without records has TTL 0");
	RUN(huge_ttl_is_zero, "a TTL with the top bit set counts as 0");
	RUN(every_truncation_refused, "a message cut anywhere is refused");
	RUN(bad_label_refused, "a label type other than length or pointer is refused");
	return testing_summary();
}
