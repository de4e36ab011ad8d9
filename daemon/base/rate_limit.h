/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Requests per source address, and a temporary ban list, as Kamailio's
 * pike module keeps them: a token bucket per address refilled at the
 * rate and holding the burst; an address that empties its bucket is
 * banned for a while, and everything it sends meanwhile is dropped
 * without an answer (counted). Addresses are remembered in a bounded
 * table: the one not heard from longest makes room for a new one.
 */
#ifndef SRTPRELAYD_RATE_LIMIT_H
#define SRTPRELAYD_RATE_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/ip_table.h"
#include "base/log_limit.h"

struct source_rate;

struct rate_limiter {
	struct ip_table table;		/* of struct source_rate */
	struct source_rate *newest, *oldest;	/* by last request */
	unsigned long long bans;	/* since start */
	unsigned long long dropped;	/* requests from banned sources */
	unsigned long long evicted;	/* sources forgotten for room */
	struct log_limit ban_log;
};

struct rate_params {
	unsigned int rate;		/* requests per second, 0: no limit */
	unsigned int burst;		/* requests at once */
	unsigned int ban_s;		/* seconds */
	unsigned int max_sources;	/* addresses remembered */
};

/* 0, or -errno if no hash key could be drawn. */
int rate_limiter_init(struct rate_limiter *rl);
void rate_limiter_free(struct rate_limiter *rl);
/*
 * One request from @src at @now_ms (a parameter, for tests): true if it
 * may pass, false if @src is banned (now or since earlier).
 */
bool rate_limit_pass(struct rate_limiter *rl, const struct sockaddr_storage *src,
		     const struct rate_params *p, uint64_t now_ms);
/* Is @src banned at @now_ms? (For new connections: no bucket taken.) */
bool rate_limit_banned(const struct rate_limiter *rl,
		       const struct sockaddr_storage *src, uint64_t now_ms);

typedef void (*rate_ban_cb)(const struct ip_key *ip, uint64_t left_ms,
			    unsigned long long dropped, void *arg);
/* Every address banned at @now_ms, newest activity first; the count. */
unsigned int rate_limiter_bans(const struct rate_limiter *rl, uint64_t now_ms,
			       rate_ban_cb cb, void *arg);

#endif
