// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Per-SSRC state of the SRTP core: which SSRCs a context knows, their
 * rollover counters (RFC 3711 Appendix A) and their replay windows. Shared
 * by every suite's packet transform in srtp.c, in the module and in
 * userspace.
 */
#include "srtp_state.h"

static struct srtp_ssrc_state *srtp_find_ssrc(struct srtp_ctx *ctx, u32 ssrc)
{
	unsigned int i;

	for (i = 0; i < SRTPRELAY_MAX_SSRC_PER_STREAM; i++)
		if (ctx->ssrc[i].in_use && ctx->ssrc[i].ssrc == ssrc)
			return &ctx->ssrc[i];
	return NULL;
}

/* A free slot, or else the least recently used one. */
static struct srtp_ssrc_state *srtp_ssrc_victim(struct srtp_ctx *ctx)
{
	struct srtp_ssrc_state *victim = &ctx->ssrc[0];
	unsigned int i;

	for (i = 0; i < SRTPRELAY_MAX_SSRC_PER_STREAM; i++) {
		if (!ctx->ssrc[i].in_use)
			return &ctx->ssrc[i];
		if (ctx->ssrc[i].last_used < victim->last_used)
			victim = &ctx->ssrc[i];
	}
	return victim;
}

static void srtp_ssrc_fresh(const struct srtp_ctx *ctx,
			    struct srtp_ssrc_state *state, u32 ssrc)
{
	memset(state, 0, sizeof(*state));
	state->ssrc = ssrc;
	state->roc = ctx->params.roc;
}

/**
 * srtp_ssrc_get() - the receive state of an SSRC
 * @ctx: the receiving context
 * @ssrc: the packet's SSRC
 * @fresh: scratch state, the caller's
 *
 * A new SSRC gets a scratch state in @fresh that only srtp_ssrc_commit()
 * installs, once the packet authenticated, so forged packets with random
 * SSRCs cannot evict the state of a real sender.
 *
 * Return: the SSRC's state, or @fresh.
 */
struct srtp_ssrc_state *srtp_ssrc_get(struct srtp_ctx *ctx, u32 ssrc,
				      struct srtp_ssrc_state *fresh)
{
	struct srtp_ssrc_state *state = srtp_find_ssrc(ctx, ssrc);

	if (state)
		return state;
	srtp_ssrc_fresh(ctx, fresh, ssrc);
	return fresh;
}

/**
 * srtp_ssrc_get_tx() - the send state of an SSRC
 * @ctx: the sending context
 * @ssrc: the packet's SSRC
 * @fresh: scratch state, the caller's
 *
 * As srtp_ssrc_get(), for sending. A keyed sending context never recycles
 * a slot: the state of an SSRC pushed out and met again would start its
 * ROC, sent window and SRTCP index over and encrypt under keystream it
 * already used. Its input need not authenticate (a plain leg), so a new
 * SSRC that finds no free slot is refused instead; slots free up only
 * with a new key.
 *
 * Return: the SSRC's state, @fresh, or NULL when the packet is refused.
 */
struct srtp_ssrc_state *srtp_ssrc_get_tx(struct srtp_ctx *ctx, u32 ssrc,
					 struct srtp_ssrc_state *fresh)
{
	struct srtp_ssrc_state *state = srtp_find_ssrc(ctx, ssrc);

	if (state)
		return state;
	if (ctx->params.suite != SRTPRELAY_SUITE_NONE &&
	    srtp_ssrc_victim(ctx)->in_use)
		return NULL;
	srtp_ssrc_fresh(ctx, fresh, ssrc);
	return fresh;
}

/**
 * srtp_ssrc_commit() - keep the state of a packet that was accepted
 * @ctx: the context
 * @state: what srtp_ssrc_get() or srtp_ssrc_get_tx() returned
 * @fresh: the scratch state passed to it
 * @info: marked new_ssrc when @fresh took a slot
 *
 * Return: the state in its slot.
 */
struct srtp_ssrc_state *
srtp_ssrc_commit(struct srtp_ctx *ctx, struct srtp_ssrc_state *state,
		 const struct srtp_ssrc_state *fresh,
		 struct srtp_packet_info *info)
{
	if (state == fresh) {
		state = srtp_ssrc_victim(ctx);
		*state = *fresh;
		state->in_use = true;
		info->new_ssrc = true;
	}
	state->last_used = ++ctx->lru_clock;
	return state;
}

/**
 * srtp_estimate_index() - the packet index of a sequence number
 * @state: the SSRC's state
 * @ctx: its context (start ROC and SEQ)
 * @seq: the packet's sequence number
 *
 * RFC 3711 Appendix A: the rollover counter guess for @seq relative to the
 * highest sequence number s_l seen.
 *
 * Return: the 48-bit packet index, or -1 when the guess would be ROC - 1
 * with ROC already 0 (a packet from before the stream began: too old).
 */
s64 srtp_estimate_index(const struct srtp_ssrc_state *state,
			const struct srtp_ctx *ctx, u16 seq)
{
	u32 roc = state->roc;
	u16 s_l;

	if (!state->rtp_seen) {
		if (!ctx->params.has_seq)
			return (s64)roc << 16 | seq;
		s_l = ctx->params.seq;
	} else {
		s_l = state->seq;
	}

	if (s_l < 32768) {
		if (seq > s_l && seq - s_l > 32768) {
			if (!roc)
				return -1;
			roc--;
		}
	} else if (seq < s_l - 32768) {
		roc++;
	}
	return (s64)roc << 16 | seq;
}

/**
 * srtp_advance() - move s_l and the ROC to the packet just accepted
 * @state: the SSRC's state
 * @info: the packet's index; roc_changed is set when the ROC moved
 *
 * Only the newest packet moves them.
 */
void srtp_advance(struct srtp_ssrc_state *state,
		  struct srtp_packet_info *info)
{
	u64 highest = (u64)state->roc << 16 | state->seq;

	if (state->rtp_seen && info->index <= highest)
		return;
	info->roc_changed = state->rtp_seen && (info->index >> 16) != state->roc;
	state->roc = info->index >> 16;
	state->seq = (u16)info->index;
	state->rtp_seen = true;
}

/* The ring of @state's SRTP (or SRTCP) window; @state is in ctx->ssrc. */
static u64 *srtp_replay_ring(const struct srtp_ctx *ctx,
			     const struct srtp_ssrc_state *state, bool rtcp)
{
	unsigned int slot = state - ctx->ssrc;

	return (u64 *)ctx->replay_bits +
	       (2 * slot + rtcp) * (size_t)ctx->replay_words;
}

/**
 * srtp_replay_check() - whether an index may still be accepted
 * @ctx: the context
 * @state: the SSRC's state; a scratch state from srtp_ssrc_get() has seen
 *	nothing, and then no ring is read
 * @rtcp: the SRTCP window rather than the SRTP one
 * @index: the packet's index
 *
 * Return: 0, -SRTP_ERR_REPLAY or -SRTP_ERR_TOO_OLD.
 */
int srtp_replay_check(const struct srtp_ctx *ctx,
		      const struct srtp_ssrc_state *state, bool rtcp, u64 index)
{
	u64 top = rtcp ? state->rtcp_top : state->rtp_top;
	bool seen = rtcp ? state->rtcp_seen : state->rtp_seen;
	const u64 *ring;
	u64 bit;

	if (!seen || index > top)
		return 0;
	if (top - index >= ctx->window)
		return -SRTP_ERR_TOO_OLD;
	ring = srtp_replay_ring(ctx, state, rtcp);
	bit = index % (ctx->replay_words * 64);
	if (ring[bit / 64] & (1ULL << (bit % 64)))
		return -SRTP_ERR_REPLAY;
	return 0;
}

/**
 * srtp_replay_commit() - mark an index received
 * @ctx: the context
 * @state: the SSRC's state, in its slot (srtp_ssrc_commit())
 * @rtcp: the SRTCP window rather than the SRTP one
 * @index: the packet's index
 *
 * Slides the window forward when @index is the newest. Call it before
 * marking @state seen for this kind: the first index starts the window.
 */
void srtp_replay_commit(struct srtp_ctx *ctx, struct srtp_ssrc_state *state,
			bool rtcp, u64 index)
{
	u64 *top = rtcp ? &state->rtcp_top : &state->rtp_top;
	bool seen = rtcp ? state->rtcp_seen : state->rtp_seen;
	u64 *ring = srtp_replay_ring(ctx, state, rtcp);
	unsigned int words = ctx->replay_words;
	u64 bit = index % (words * 64);

	if (!seen) {
		memset(ring, 0, words * sizeof(*ring));
		*top = index;
	} else if (index > *top) {
		u64 word = *top / 64 + 1;
		u64 last = index / 64;
		unsigned int cleared = 0;

		/* Words between the old and new top hold stale bits. */
		for (; word <= last && cleared < words; word++, cleared++)
			ring[word % words] = 0;
		*top = index;
	}
	ring[bit / 64] |= 1ULL << (bit % 64);
}

/**
 * srtp_replay_copy() - carry a window into a context of another size
 * @to: the new context
 * @to_state: the slot in @to
 * @from: the old context
 * @from_state: the same slot in @from
 * @rtcp: the SRTCP window rather than the SRTP one
 *
 * Indices inside both windows keep their bits. Those behind @from's window
 * but inside a larger @to's count as received: @from refused them as too
 * old, and its ring no longer says which it took, so growing the window
 * must not let one through twice.
 */
void srtp_replay_copy(struct srtp_ctx *to, struct srtp_ssrc_state *to_state,
		      const struct srtp_ctx *from,
		      const struct srtp_ssrc_state *from_state, bool rtcp)
{
	u64 top = rtcp ? from_state->rtcp_top : from_state->rtp_top;
	const u64 *from_ring = srtp_replay_ring(from, from_state, rtcp);
	u64 *to_ring = srtp_replay_ring(to, to_state, rtcp);
	unsigned int to_bits = to->replay_words * 64;
	unsigned int from_bits = from->replay_words * 64;
	unsigned int i;

	memset(to_ring, 0, to->replay_words * sizeof(*to_ring));
	for (i = 0; i < to->window && i <= top; i++) {
		u64 to_bit = (top - i) % to_bits;
		u64 from_bit = (top - i) % from_bits;
		bool taken = true;

		if (i < from->window)
			taken = from_ring[from_bit / 64] &
				(1ULL << (from_bit % 64));
		if (taken)
			to_ring[to_bit / 64] |= 1ULL << (to_bit % 64);
	}
}
