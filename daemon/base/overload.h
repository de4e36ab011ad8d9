/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Overload control: how much new work the event loop may take on. Past
 * its capacity a single-threaded server answers everything late, and a
 * peer that waits for an answer times out on all of it; refusing part of
 * the new work at once keeps the rest on time (the SIP edge refuses new
 * calls with 503 and Retry-After, RFC 3261 21.5.4).
 *
 * Every OVERLOAD_TICK_MS the loop's busy share of the wall clock
 * (ev_stats), how late the tick itself ran and how full the fullest send
 * queue is (a probe the caller gives: a peer that reads slower than we
 * send is overloaded downstream) are read. From the second tick in a row
 * above busy_high (or late by a tick while above busy_low, or a queue
 * above queue_high) the share of new work admitted drops by a quarter a
 * tick; below busy_low
 * (and the queue below half its mark) it grows by a twentieth; in between
 * it holds. So the admitted share settles where the loop is between the
 * two marks, and stops shedding only after it climbed back step by step:
 * no flapping between all and nothing.
 */
#ifndef SRTPRELAYD_OVERLOAD_H
#define SRTPRELAYD_OVERLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "base/evloop.h"
#include "base/log_limit.h"

#define OVERLOAD_TICK_MS 100
#define OVERLOAD_ADMIT_ALL 1000		/* per mille */

/* The operator's marks (sip_limits in the configuration). */
struct overload_params {
	unsigned int busy_high;		/* % busy: admit less above; 0: never shed */
	unsigned int busy_low;		/* % busy: admit more below */
	unsigned int queue_high;	/* % of a send queue: admit less above; 0: not read */
	unsigned int retry_after;	/* seconds, in each refusal */
};

#define OVERLOAD_PARAMS_DEFAULTS { .busy_high = 90, .busy_low = 75, \
				   .queue_high = 25, .retry_after = 2 }

/* How full the fullest send queue is, in %. */
typedef unsigned int (*overload_queue_probe)(void *arg);

struct overload {
	const struct overload_params *params;	/* read every tick: reloads apply */
	const struct ev_stats *loop;
	overload_queue_probe queue_probe;	/* NULL: no queue to read */
	void *probe_arg;
	struct ev_timer tick;
	uint64_t tick_due_ms, last_ns;
	uint64_t last_idle_ns;		/* ev_stats_resting_ns() at the last tick */
	unsigned int busy_pct;		/* over the last tick */
	unsigned int lag_ms;		/* how late the last tick ran */
	unsigned int queue_pct;		/* the fullest send queue at the last tick */
	unsigned int busy_ticks;	/* in a row busy, late or queued */
	unsigned int admit;		/* per mille of new work admitted */
	unsigned int credit;		/* per mille owed towards the next admission */
	uint64_t episode_start_ms;	/* 0: not shedding */
	unsigned long long shed, episodes;
	unsigned long long episode_shed;	/* refused since shedding started */
	struct log_limit log;
};

/* Starts the ticks; @params and @loop must outlive @o; @probe (may be
 * NULL) is called with @probe_arg every tick. */
void overload_start(struct overload *o, const struct overload_params *params,
		    const struct ev_stats *loop, overload_queue_probe probe,
		    void *probe_arg);
void overload_stop(struct overload *o);

static inline bool overload_shedding(const struct overload *o)
{
	return o->admit < OVERLOAD_ADMIT_ALL;
}

/* One piece of new work while shedding: true to take it, false to refuse
 * it (counted). Spreads the admitted share evenly, not at random. */
bool overload_admit(struct overload *o);

#endif
