// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The pieces against floods and idle connections, compiled in: SipHash-2-4
 * against the reference vectors of its paper, keys that differ, the
 * connection caps (in all, per address, released), the reserve descriptor
 * at EMFILE, the per-address rate limit (burst, ban, its end, the bounded
 * table), and the log limiter's count of suppressed lines.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>

#include "../../daemon/base/hash.c"
#include "../../daemon/base/ip_table.c"
#include "../../daemon/base/log.c"
#include "../../daemon/base/log_limit.c"
#include "../../daemon/base/rate_limit.c"
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

/* Out of descriptors, accept4() fails with EMFILE and leaves the
 * connection pending, so a level-triggered listener is readable again at
 * once; shedding gives the reserve back, accepts it and closes it. */
static void emfile_sheds_the_pending_connection(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = 2 };
	socklen_t al = sizeof(a);
	struct rlimit saved, low;
	struct conn_limits l;
	int lfd, cfd, probe;
	char byte;

	log_setup(LOG_LVL_ERR, false);
	CHECK(!conn_limits_init(&l), "init");
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(lfd >= 0 && cfd >= 0, "sockets");
	CHECK(!bind(lfd, (struct sockaddr *)&a, sizeof(a)) && !listen(lfd, 8) &&
	      !getsockname(lfd, (struct sockaddr *)&a, &al), "listening");
	CHECK(!connect(cfd, (struct sockaddr *)&a, sizeof(a)), "connected");
	setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* The next free descriptor becomes the limit: none left. */
	probe = dup(0);
	close(probe);
	getrlimit(RLIMIT_NOFILE, &saved);
	low = saved;
	low.rlim_cur = (rlim_t)probe;
	CHECK(!setrlimit(RLIMIT_NOFILE, &low), "limit lowered to %d", probe);
	CHECK(accept4(lfd, NULL, NULL, SOCK_CLOEXEC) < 0 && errno == EMFILE,
	      "accept4 fails with EMFILE");
	CHECK(conn_limits_shed(&l, lfd), "shed");
	CHECK(l.refused_no_fd == 1, "counted");
	CHECK(l.reserve_fd >= 0, "the reserve is held again");
	setrlimit(RLIMIT_NOFILE, &saved);
	CHECK(recv(cfd, &byte, 1, 0) == 0, "the pending connection was closed");
	close(cfd);
	close(lfd);
	conn_limits_free(&l);
}

static void burst_then_ban_then_free_again(void)
{
	struct rate_params p = { .rate = 10, .burst = 20, .ban_s = 60,
				 .max_sources = 100 };
	struct sockaddr_storage a, b;
	struct rate_limiter rl;
	int i, passed = 0;

	log_setup(LOG_LVL_ERR, false);
	CHECK(!rate_limiter_init(&rl), "init");
	addr4(&a, "198.51.100.1", 5060);
	addr4(&b, "198.51.100.2", 5060);
	for (i = 0; i < 25; i++)
		passed += rate_limit_pass(&rl, &a, &p, 1000);
	CHECK(passed == 20, "the burst passes, then nothing (%d)", passed);
	CHECK(rl.bans == 1 && rl.dropped == 5, "one ban, 5 dropped (%llu, %llu)",
	      rl.bans, rl.dropped);
	CHECK(rate_limit_banned(&rl, &a, 1000), "a is banned");
	CHECK(rate_limit_pass(&rl, &b, &p, 1000), "b is not");
	/* A ban holds even when the bucket would have refilled. */
	CHECK(!rate_limit_pass(&rl, &a, &p, 30000), "still banned after 29 s");
	CHECK(rate_limiter_bans(&rl, 30000, NULL, NULL) == 1, "one ban listed");
	CHECK(rate_limit_pass(&rl, &a, &p, 61001), "free after 60 s");
	CHECK(rate_limiter_bans(&rl, 61001, NULL, NULL) == 0, "none listed");
	/* At the rate, never banned: 10/s for 10 s. */
	for (i = 0, passed = 0; i < 100; i++)
		passed += rate_limit_pass(&rl, &b, &p, 2000 + (uint64_t)i * 100);
	CHECK(passed == 100, "at the rate all pass (%d)", passed);
	p.rate = 0;
	for (i = 0, passed = 0; i < 1000; i++)
		passed += rate_limit_pass(&rl, &a, &p, 70000);
	CHECK(passed == 1000, "rate 0: no limit (%d)", passed);
	rate_limiter_free(&rl);
}

static void spoofed_sources_stay_bounded(void)
{
	struct rate_params p = { .rate = 10, .burst = 20, .ban_s = 60,
				 .max_sources = 50 };
	struct sockaddr_storage a;
	struct rate_limiter rl;
	char ip[32];
	int i;

	CHECK(!rate_limiter_init(&rl), "init");
	for (i = 0; i < 500; i++) {
		snprintf(ip, sizeof(ip), "10.0.%d.%d", i / 250, i % 250 + 1);
		addr4(&a, ip, 5060);
		rate_limit_pass(&rl, &a, &p, 1000);
	}
	CHECK(rl.table.count == 50, "50 remembered (%u)", rl.table.count);
	CHECK(rl.evicted == 450, "450 forgotten (%llu)", rl.evicted);
	rate_limiter_free(&rl);
	CHECK(rl.table.count == 0, "all freed");
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
	RUN(emfile_sheds_the_pending_connection, "at EMFILE the pending connection is accepted and closed");
	RUN(burst_then_ban_then_free_again, "a source over its rate is banned, then free");
	RUN(spoofed_sources_stay_bounded, "the rate limiter's table stays bounded");
	RUN(log_limiter_counts_what_it_suppressed, "rate-limited log lines are counted");
	return testing_summary();
}
