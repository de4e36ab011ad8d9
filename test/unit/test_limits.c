// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The pieces against floods and idle connections, compiled in: SipHash-2-4
 * against the reference vectors of its paper, keys that differ, the
 * connection caps (in all, per address, released), and the log limiter's
 * count of suppressed lines.
 */
#include <arpa/inet.h>
#include <string.h>

#include "../../daemon/base/hash.c"
#include "../../daemon/base/ip_table.c"
#include "../../daemon/base/log.c"
#include "../../daemon/base/log_limit.c"
#include "../../daemon/base/addr.c"
#include "../../daemon/sip/conn_limits.c"
#include "testing.h"

static void siphash_reference_vector(void)
{
	/* Appendix A of the SipHash paper: key 00..0f, message 00..0e. */
	struct hash_key key = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };
	unsigned char msg[15];
	unsigned int i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)i;
	CHECK(hash_bytes(&key, msg, sizeof(msg)) == 0xa129ca6149be45e5ULL,
	      "got %016llx", (unsigned long long)hash_bytes(&key, msg, sizeof(msg)));
	CHECK(hash_bytes(&key, "", 0) == 0x726fdb47dd0e0e31ULL, "empty message");
}

static void keys_differ(void)
{
	struct hash_key a, b;

	CHECK(!hash_key_init(&a) && !hash_key_init(&b), "getrandom");
	CHECK(memcmp(&a, &b, sizeof(a)), "two keys drawn alike");
	CHECK(hash_string(&a, "z9hG4bK1") != hash_string(&b, "z9hG4bK1"),
	      "one branch hashes alike under two keys");
}

static void addr4(struct sockaddr_storage *ss, const char *ip, unsigned short port)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	inet_pton(AF_INET, ip, &s4->sin_addr);
}

static void caps_per_address_and_total(void)
{
	struct conn_limits l;
	struct sockaddr_storage a, a2, b;

	CHECK(!conn_limits_init(&l), "init");
	addr4(&a, "192.0.2.1", 1000);
	addr4(&a2, "192.0.2.1", 1001);	/* same address, other port */
	addr4(&b, "192.0.2.2", 1000);
	CHECK(conn_limits_take(&l, 3, 2, &a), "first from a");
	CHECK(conn_limits_take(&l, 3, 2, &a2), "second from a");
	CHECK(!conn_limits_take(&l, 3, 2, &a), "third from a refused");
	CHECK(l.refused_per_ip == 1, "counted per address");
	CHECK(conn_limits_take(&l, 3, 2, &b), "first from b");
	CHECK(!conn_limits_take(&l, 3, 2, &b), "over the total refused");
	CHECK(l.refused_total == 1, "counted in all");
	conn_limits_release(&l, &a);
	CHECK(conn_limits_take(&l, 3, 2, &a2), "room again after a release");
	conn_limits_release(&l, &a);
	conn_limits_release(&l, &a);
	conn_limits_release(&l, &b);
	CHECK(l.total == 0 && l.per_ip.count == 0, "every record freed (%u, %u)",
	      l.total, l.per_ip.count);
	conn_limits_free(&l);
}

static void log_limiter_counts_what_it_suppressed(void)
{
	struct log_limit lim = { 0 };
	int i;

	log_setup(LOG_LVL_ERR, false);	/* lines go nowhere we read */
	for (i = 0; i < LOG_LIMIT_LINES + 25; i++)
		log_limited(&lim, LOG_LVL_ERR, "line %d", i);
	CHECK(lim.lines == LOG_LIMIT_LINES, "printed %u", lim.lines);
	CHECK(lim.suppressed == 25, "suppressed %llu", lim.suppressed);
	lim.window_start_ms -= LOG_LIMIT_WINDOW_MS;	/* the next window */
	log_limited(&lim, LOG_LVL_ERR, "after");
	CHECK(lim.lines == 1 && lim.suppressed == 0, "a new window starts");
}

int main(void)
{
	RUN(siphash_reference_vector, "SipHash-2-4 gives the paper's values");
	RUN(keys_differ, "two tables draw two keys and hash apart");
	RUN(caps_per_address_and_total, "connections capped per address and in all");
	RUN(log_limiter_counts_what_it_suppressed, "rate-limited log lines are counted");
	return testing_summary();
}
