// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Call admission control. A refused INVITE gets 503 at once (RFC 3261
 * 21.5.4): a proxy in front fails over to another SBC (RFC 3263 4.3) and a
 * trunk backs off for Retry-After, where an SBC pushed past what it can do
 * would answer late or not at all and fail every call in flight with it.
 *
 * max_calls counts calls from INVITE to their end; max_call_rate is a token
 * bucket refilled at that many calls per second that holds one second's
 * worth, so a burst up to the rate passes and a steady excess is refused.
 * A call between two groups counts in both.
 */
#include <stdio.h>

#include "call/admission.h"

struct rate_bucket {
	unsigned long long millitokens;	/* 1000 per call */
	unsigned long long last_ms;
	unsigned int rate;		/* the rate the bucket was filled at */
};

struct limits_state {
	unsigned int calls;
	struct rate_bucket bucket;
	unsigned long long admitted, refused;
};

static struct limits_state total, groups[CFG_MAX_OBJ];

static void refill(struct rate_bucket *b, unsigned int rate,
		   unsigned long long now_ms)
{
	unsigned long long full = 1000ULL * rate;

	if (b->rate != rate) {		/* new, or changed by a reload */
		b->rate = rate;
		b->millitokens = full;
		b->last_ms = now_ms;
		return;
	}
	b->millitokens += (now_ms - b->last_ms) * rate;
	if (b->millitokens > full)
		b->millitokens = full;
	b->last_ms = now_ms;
}

/* 0 when @state admits one more call under @max_calls and @rate. */
static int check(struct limits_state *state, const char *who,
		 unsigned int max_calls, unsigned int rate,
		 unsigned long long now_ms, char *why, size_t why_len,
		 unsigned int *retry_after)
{
	if (max_calls && state->calls >= max_calls) {
		snprintf(why, why_len, "%s is at its limit of %u calls", who,
			 max_calls);
		*retry_after = 0;
		return -1;
	}
	if (!rate)
		return 0;
	refill(&state->bucket, rate, now_ms);
	if (state->bucket.millitokens < 1000) {
		snprintf(why, why_len, "%s is over its rate of %u calls per second",
			 who, rate);
		*retry_after = 1;
		return -1;
	}
	return 0;
}

static void take(struct limits_state *state, unsigned int rate)
{
	state->calls++;
	state->admitted++;
	if (rate)
		state->bucket.millitokens -= 1000;
}

int admission_take(const struct config *cfg, int from, int to,
		   unsigned long long now, char *why, size_t why_len,
		   unsigned int *retry_after)
{
	const struct cfg_ip_group *gf = &cfg->groups[from], *gt = &cfg->groups[to];
	char who[CFG_NAME_MAX + 16];

	if (check(&total, "srtprelayd", cfg->max_calls, cfg->max_call_rate,
		  now, why, why_len, retry_after)) {
		total.refused++;
		return 503;
	}
	snprintf(who, sizeof(who), "IP group %s", gf->name);
	if (check(&groups[from], who, gf->max_calls, gf->max_call_rate, now,
		  why, why_len, retry_after)) {
		groups[from].refused++;
		total.refused++;
		return 503;
	}
	snprintf(who, sizeof(who), "IP group %s", gt->name);
	if (to != from &&
	    check(&groups[to], who, gt->max_calls, gt->max_call_rate, now,
		  why, why_len, retry_after)) {
		groups[to].refused++;
		total.refused++;
		return 503;
	}
	take(&total, cfg->max_call_rate);
	take(&groups[from], gf->max_call_rate);
	if (to != from)
		take(&groups[to], gt->max_call_rate);
	return 0;
}

void admission_count(int from, int to)
{
	take(&total, 0);
	take(&groups[from], 0);
	if (to != from)
		take(&groups[to], 0);
}

void admission_release(int from, int to)
{
	if (total.calls)
		total.calls--;
	if (groups[from].calls)
		groups[from].calls--;
	if (to != from && groups[to].calls)
		groups[to].calls--;
}

unsigned int admission_calls(int group)
{
	return group < 0 ? total.calls : groups[group].calls;
}

unsigned long long admission_refused(int group)
{
	return group < 0 ? total.refused : groups[group].refused;
}

unsigned long long admission_admitted(int group)
{
	return group < 0 ? total.admitted : groups[group].admitted;
}
