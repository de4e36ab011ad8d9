// SPDX-License-Identifier: GPL-2.0 OR MIT
/* How much new work the loop may take on (overload.h). */
#include <string.h>

#include "base/log.h"
#include "base/overload.h"

/* Steps of the admitted share, per mille: down fast enough to reach the
 * ~20 % a 5x overload leaves in under a second, up slowly enough that
 * the backlog a step lets in drains before the next. */
#define ADMIT_DECREASE_NUM 3
#define ADMIT_DECREASE_DEN 4
#define ADMIT_INCREASE 50
/* Busy ticks in a row before the admitted share drops: one slow piece
 * of work (a reload, a TLS key generated) is no overload. */
#define OVERLOAD_BUSY_TICKS 2
/* Some calls keep going through however bad it gets: the measure of
 * whether things got better is the loop's time with them. */
#define ADMIT_MIN 10

static void episode_change(struct overload *o, bool was_shedding, uint64_t now)
{
	if (!was_shedding && overload_shedding(o)) {
		o->episodes++;
		o->episode_start_ms = now;
		o->episode_shed = 0;
		log_limited(&o->log, LOG_LVL_WARN,
			    "overload: event loop %u%% busy (high mark %u%%), tick %u ms late, fullest send queue %u%%: refusing part of the new calls (503, Retry-After %u)",
			    o->busy_pct, o->params->busy_high, o->lag_ms,
			    o->queue_pct, o->params->retry_after);
	} else if (was_shedding && !overload_shedding(o)) {
		log_limited(&o->log, LOG_LVL_WARN,
			    "overload over after %llu ms: %llu new calls refused; event loop %u%% busy",
			    (unsigned long long)(now - o->episode_start_ms),
			    o->episode_shed, o->busy_pct);
		o->episode_start_ms = 0;
	}
}

static void adjust(struct overload *o, uint64_t now_ms)
{
	const struct overload_params *p = o->params;
	bool was_shedding = overload_shedding(o);
	bool queued = p->queue_high && o->queue_pct >= p->queue_high;
	/* A late tick counts only when the loop's own work made it late: one
	 * that slept through it was not scheduled (a loaded host, SIGSTOP),
	 * and refusing calls would not make it any faster. */
	bool late = o->lag_ms >= OVERLOAD_TICK_MS && o->busy_pct >= p->busy_low;
	bool busy = o->busy_pct >= p->busy_high || late || queued;

	o->busy_ticks = busy ? o->busy_ticks + 1 : 0;
	if (!p->busy_high) {
		o->admit = OVERLOAD_ADMIT_ALL;
	} else if (o->busy_ticks >= OVERLOAD_BUSY_TICKS) {
		o->admit = o->admit * ADMIT_DECREASE_NUM / ADMIT_DECREASE_DEN;
		if (o->admit < ADMIT_MIN)
			o->admit = ADMIT_MIN;
	} else if (o->busy_pct < p->busy_low &&
		   (!p->queue_high || o->queue_pct < p->queue_high / 2)) {
		o->admit += ADMIT_INCREASE;
		if (o->admit > OVERLOAD_ADMIT_ALL)
			o->admit = OVERLOAD_ADMIT_ALL;
	}
	episode_change(o, was_shedding, now_ms);
}

static void on_tick(void *arg)
{
	struct overload *o = arg;
	uint64_t now_ns = ev_now_ns(), now_ms = now_ns / 1000000;
	uint64_t wall = now_ns - o->last_ns;
	uint64_t idle = ev_stats_resting_ns(o->loop) - o->last_idle_ns;

	o->busy_pct = wall && idle < wall ? (unsigned int)(100 - idle * 100 / wall) : 0;
	o->lag_ms = now_ms > o->tick_due_ms ? (unsigned int)(now_ms - o->tick_due_ms) : 0;
	o->last_ns = now_ns;
	o->last_idle_ns = ev_stats_resting_ns(o->loop);
	o->queue_pct = o->queue_probe ? o->queue_probe(o->probe_arg) : 0;
	adjust(o, now_ms);
	o->tick_due_ms = now_ms + OVERLOAD_TICK_MS;
	ev_timer_arm(&o->tick, OVERLOAD_TICK_MS);
}

void overload_start(struct overload *o, const struct overload_params *params,
		    const struct ev_stats *loop, overload_queue_probe probe,
		    void *probe_arg)
{
	memset(o, 0, sizeof(*o));
	o->params = params;
	o->loop = loop;
	o->queue_probe = probe;
	o->probe_arg = probe_arg;
	o->admit = OVERLOAD_ADMIT_ALL;
	o->last_ns = ev_now_ns();
	o->last_idle_ns = ev_stats_resting_ns(loop);
	o->tick_due_ms = o->last_ns / 1000000 + OVERLOAD_TICK_MS;
	ev_timer_init(&o->tick, on_tick, o);
	ev_timer_arm(&o->tick, OVERLOAD_TICK_MS);
}

void overload_stop(struct overload *o)
{
	ev_timer_cancel(&o->tick);
}

bool overload_admit(struct overload *o)
{
	o->credit += o->admit;
	if (o->credit >= OVERLOAD_ADMIT_ALL) {
		o->credit -= OVERLOAD_ADMIT_ALL;
		return true;
	}
	o->shed++;
	o->episode_shed++;
	return false;
}
