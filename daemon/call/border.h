/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The SIP edge's policy on what a peer may cost srtprelayd (issue 15):
 * every request passes a per-address rate limit with a temporary ban
 * list (base/rate_limit.h) before it is parsed, and requests from outside
 * every IP group a common one (unknown_sources_rate); a new request from
 * outside every IP group gets one stateless 403, or nothing (sip_limits
 * unknown_sources), never a transaction, a 100 or a retransmission; a new
 * request past max_transactions gets a stateless 503. When the event loop
 * is overloaded (base/overload.h) part of the new INVITEs from the IP
 * groups get a stateless 503 with Retry-After, read without the full
 * parse (sip/sip_peek.h). What it refused is counted for srtprelayctl
 * status.
 */
#ifndef SRTPRELAYD_BORDER_H
#define SRTPRELAYD_BORDER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/evloop.h"
#include "base/log_limit.h"
#include "base/overload.h"
#include "base/rate_limit.h"
#include "base/token_bucket.h"
#include "config/config.h"
#include "sip/sip_types.h"

struct sip_txns;
struct transport;

/* One per srtprelayd (struct srtprelayd); the SIP layer's callbacks get
 * it as their argument. */
struct border {
	const struct config *cfg;
	struct transport *transport;	/* where its stateless answers go */
	struct sip_txns *txns;		/* what screened requests go on to */
	struct rate_limiter rates;
	/* Requests from outside every IP group, all together. */
	struct token_bucket unknown;
	unsigned long long unknown_rejected, unknown_dropped, unknown_over_rate;
	unsigned long long over_transactions;
	struct log_limit unknown_log, busy_log;
	struct overload overload;	/* new calls refused when the loop is busy */
	char shed_tag[17];		/* To tag of those 503s: their ACKs are dropped */
	unsigned long long shed_acks;	/* ACKs of them dropped unparsed */
};

struct border_stats {
	unsigned long long unknown_rejected, unknown_dropped, unknown_over_rate;
	unsigned long long over_transactions;
	unsigned long long banned_dropped, bans, sources_evicted;
	unsigned int sources_tracked, banned_now;
};

/* 0, or -errno; registers the screen of new requests with @txns and
 * judges overload by @loop (the event loop's counters) and by @tp's send
 * queues. */
int border_setup(struct border *b, const struct config *cfg,
		 const struct ev_stats *loop, struct transport *tp,
		 struct sip_txns *txns);
void border_stop(struct border *b);
/* The transports' receive callback (@arg: the struct border): rate
 * limit, then sip_txn_receive(). */
void border_receive(void *arg, const struct sip_peer *from, const char *buf,
		    size_t len);
/* May a new connection from @addr be accepted (not banned, and not from
 * outside every IP group when unknown_sources is "drop")? @arg: the
 * struct border. */
bool border_accepts_connection(void *arg, const struct sockaddr_storage *addr);

void border_stats(struct border *b, struct border_stats *out);
/* Every banned address at the moment, for status. */
void border_bans(struct border *b, rate_ban_cb cb, void *arg);

#endif
