// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Source policy of a stream, shared by srtprelay.ko and the userspace
 * datapath (see latch.h). Symmetric RTP (RFC 4961) sends a phone's media
 * to where its media comes from, which behind NAT is not what its SDP
 * says. Following every new source hands the other party's audio to
 * anyone who guesses a realm port ("RTP Bleed"), so a stream learns only
 * for a window after each answer or re-offer (latch_arm()), and the best
 * source seen wins: the SDP's exact address, else its IP with another
 * port, else any other (a phone behind NAT). When the window closes the
 * source is fixed until the controller re-arms it. SRTP needs more: a
 * source latches only once its packet authenticated (latch_commit() is
 * called after the unprotect), so a stranger without the key never does.
 *
 * With SRTPRELAY_STREAM_F_LOCK_ON_SDP (strict) only the signalled address
 * is ever accepted. With neither flag nothing is checked and nothing
 * latches (a controller that never moves a destination).
 */
#include "latch.h"

#include <linux/srtprelay.h>

/* How well a source matches the signalled address; higher is better. */
enum latch_rank {
	LATCH_RANK_OTHER,
	LATCH_RANK_SAME_IP,
	LATCH_RANK_EXACT,
};

static bool same_ip(const struct latch_addr *a, const struct latch_addr *b)
{
	return a->family && a->family == b->family &&
	       !memcmp(a->ip, b->ip, sizeof(a->ip));
}

static bool same_addr(const struct latch_addr *a, const struct latch_addr *b)
{
	return same_ip(a, b) && a->port == b->port;
}

static enum latch_rank rank(const struct latch_addr *src,
			    const struct latch_addr *remote)
{
	if (!same_ip(src, remote))
		return LATCH_RANK_OTHER;
	return src->port == remote->port ? LATCH_RANK_EXACT : LATCH_RANK_SAME_IP;
}

/*
 * Strict: the signalled remote only, RTP from its port and RTCP from that
 * port or the one above (RFC 3550 section 11; RTCP-mux senders use the
 * RTP port).
 */
static enum latch_verdict check_strict(const struct latch_addr *remote,
				       const struct latch_addr *src, bool rtcp)
{
	if (!same_ip(src, remote))
		return LATCH_REFUSE;
	if (src->port == remote->port ||
	    (rtcp && src->port == (u16)(remote->port + 1)))
		return LATCH_ACCEPT;
	return LATCH_REFUSE;
}

/*
 * RTCP never latches (it may come from another port of the same peer):
 * it is accepted from the latched source's IP, and before anything
 * latched from the signalled IP or, within the window, from anyone.
 */
static enum latch_verdict check_rtcp(const struct latch_state *st,
				     const struct latch_addr *remote,
				     const struct latch_addr *src, bool learning)
{
	if (st->latched.family)
		return same_ip(src, &st->latched) ? LATCH_ACCEPT : LATCH_REFUSE;
	if (learning || same_ip(src, remote))
		return LATCH_ACCEPT;
	return LATCH_REFUSE;
}

/**
 * latch_arm() - open a learning window
 * @st: the stream's state
 * @now_ms: the caller's clock, milliseconds
 * @window_ms: how long the window stays open; 0 closes it now
 *
 * What already latched stays latched: in the new window only a better
 * source (latch_check()) replaces it.
 */
void latch_arm(struct latch_state *st, u64 now_ms, u32 window_ms)
{
	st->window_end_ms = now_ms + window_ms;
}

/**
 * latch_check() - may a packet from @src go on?
 * @st: the stream's state
 * @flags: the stream's SRTPRELAY_STREAM_F_* flags
 * @remote: the signalled source; family 0 if none
 * @src: where the packet came from
 * @rtcp: the packet is RTCP
 * @now_ms: the caller's clock, as given to latch_arm()
 *
 * Decided before any crypto, so a refused packet costs no crypto and never
 * touches the replay window. LATCH_LEARN asks the caller to call
 * latch_commit() once the packet authenticated.
 *
 * Return: the verdict.
 */
enum latch_verdict latch_check(const struct latch_state *st, u32 flags,
			       const struct latch_addr *remote,
			       const struct latch_addr *src, bool rtcp,
			       u64 now_ms)
{
	bool learning = now_ms < st->window_end_ms;

	if (flags & SRTPRELAY_STREAM_F_LOCK_ON_SDP)
		return check_strict(remote, src, rtcp);
	if (!(flags & SRTPRELAY_STREAM_F_LATCH))
		return LATCH_ACCEPT;
	if (rtcp)
		return check_rtcp(st, remote, src, learning);
	if (st->latched.family && same_addr(src, &st->latched))
		return LATCH_ACCEPT;
	if (learning) {
		if (!st->latched.family ||
		    rank(src, remote) > rank(&st->latched, remote))
			return LATCH_LEARN;
		return LATCH_REFUSE;
	}
	/*
	 * The window closed with nothing latched (the peer was silent): the
	 * signalled IP may still latch, a stranger may not.
	 */
	if (!st->latched.family && rank(src, remote) >= LATCH_RANK_SAME_IP)
		return LATCH_LEARN;
	return LATCH_REFUSE;
}

/**
 * latch_commit() - latch the source of a packet that authenticated
 * @st: the stream's state
 * @src: its source, which latch_check() answered LATCH_LEARN for
 *
 * Return: the event to report, SRTPRELAY_EVENT_REMOTE_LATCHED (first
 * source) or _REMOTE_CHANGED (a better one), or 0 if @src was already
 * latched (two packets of one source raced to it).
 */
u32 latch_commit(struct latch_state *st, const struct latch_addr *src)
{
	u32 event;

	if (!st->latched.family)
		event = SRTPRELAY_EVENT_REMOTE_LATCHED;
	else if (!same_addr(&st->latched, src))
		event = SRTPRELAY_EVENT_REMOTE_CHANGED;
	else
		return 0;
	st->latched = *src;
	return event;
}

/**
 * latch_report_refusal() - should this refusal be reported?
 * @st: the stream's state
 * @now_ms: the caller's clock
 *
 * Every refused packet is counted; an event goes out at most once per
 * LATCH_REPORT_INTERVAL_MS per stream, so that a flood of strangers (or of
 * spoofed sources) cannot flood the controller too.
 *
 * Return: true if the caller should send the event now.
 */
bool latch_report_refusal(struct latch_state *st, u64 now_ms)
{
	if (st->reported_ms && now_ms < st->reported_ms + LATCH_REPORT_INTERVAL_MS)
		return false;
	/* 0 means "never": a report at clock 0 is stamped 1 */
	st->reported_ms = now_ms ? now_ms : 1;
	return true;
}

/**
 * latch_window_left_ms() - how long the learning window stays open
 * @st: the stream's state
 * @now_ms: the caller's clock
 *
 * Return: milliseconds, 0 once closed (saturated at U32_MAX).
 */
u32 latch_window_left_ms(const struct latch_state *st, u64 now_ms)
{
	u64 left;

	if (now_ms >= st->window_end_ms)
		return 0;
	left = st->window_end_ms - now_ms;
	return left > 0xffffffffULL ? 0xffffffffU : (u32)left;
}
