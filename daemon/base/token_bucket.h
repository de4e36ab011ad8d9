/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A token bucket, in thousandths of a token so that slow rates refill
 * smoothly: refilled at @rate tokens a second, holding at most @burst,
 * one token per event. Zeroed, a bucket is full at its first use.
 */
#ifndef SRTPRELAYD_TOKEN_BUCKET_H
#define SRTPRELAYD_TOKEN_BUCKET_H

#include <stdbool.h>
#include <stdint.h>

struct token_bucket {
	uint64_t millitokens;
	uint64_t last_ms;
};

/* Takes a token at @now_ms if there is one. */
static inline bool token_bucket_take(struct token_bucket *b, unsigned int rate,
				     unsigned int burst, uint64_t now_ms)
{
	uint64_t full = 1000ULL * burst;

	b->millitokens += (now_ms - b->last_ms) * rate;
	if (b->millitokens > full || !b->last_ms)
		b->millitokens = full;
	b->last_ms = now_ms;
	if (b->millitokens < 1000)
		return false;
	b->millitokens -= 1000;
	return true;
}

#endif
