// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The source policy both backends run (kmod/latch.c): the learning window
 * and its ranking, the lock once it closed, strict mode, RTCP, the rate
 * of refusal reports, against a clock the test sets.
 */
#include <string.h>
#include <sys/socket.h>

#include "latch.h"
#include "testing.h"

#include <linux/srtprelay.h>

static struct latch_addr v4(unsigned char last, unsigned short port)
{
	struct latch_addr a = { .port = port, .family = AF_INET };

	a.ip[0] = 192;
	a.ip[1] = 0;
	a.ip[2] = 2;
	a.ip[3] = last;
	return a;
}

static const u32 LEARN = SRTPRELAY_STREAM_F_LATCH;

/* Feeds one RTP packet that authenticates; returns the verdict. */
static enum latch_verdict rtp(struct latch_state *st, u32 flags,
			      const struct latch_addr *remote,
			      struct latch_addr src, u64 now)
{
	enum latch_verdict v = latch_check(st, flags, remote, &src, false, now);

	if (v == LATCH_LEARN)
		latch_commit(st, &src);
	return v;
}

static void best_source_wins_in_the_window(void)
{
	struct latch_addr sdp = v4(10, 6000);
	struct latch_state st = { 0 };

	latch_arm(&st, 1000, 3000);
	CHECK(rtp(&st, LEARN, &sdp, v4(99, 7000), 1100) == LATCH_LEARN,
	      "a stranger first: latched, nothing better seen yet");
	CHECK(rtp(&st, LEARN, &sdp, v4(98, 7000), 1200) == LATCH_REFUSE,
	      "another stranger: no better, refused");
	CHECK(rtp(&st, LEARN, &sdp, v4(10, 6010), 1300) == LATCH_LEARN,
	      "the SDP's IP, another port: better");
	CHECK(rtp(&st, LEARN, &sdp, v4(99, 7000), 1400) == LATCH_REFUSE,
	      "the stranger again: worse now");
	CHECK(rtp(&st, LEARN, &sdp, v4(10, 6000), 1500) == LATCH_LEARN,
	      "the SDP's exact address: best");
	CHECK(rtp(&st, LEARN, &sdp, v4(10, 6010), 1600) == LATCH_REFUSE,
	      "same IP other port after the exact one: refused");
	CHECK(!memcmp(&st.latched, &sdp, sizeof(sdp)), "latched the SDP address");
	CHECK(latch_window_left_ms(&st, 1600) == 2400, "window left %u",
	      latch_window_left_ms(&st, 1600));
}

static void locked_after_the_window(void)
{
	struct latch_addr sdp = v4(10, 6000), nat = v4(77, 40000);
	struct latch_state st = { 0 };

	latch_arm(&st, 0, 3000);
	CHECK(rtp(&st, LEARN, &sdp, nat, 100) == LATCH_LEARN, "NAT source latches");
	CHECK(rtp(&st, LEARN, &sdp, nat, 5000) == LATCH_ACCEPT, "and is accepted later");
	CHECK(rtp(&st, LEARN, &sdp, v4(10, 6000), 5000) == LATCH_REFUSE,
	      "after the window even the SDP address is refused");
	CHECK(rtp(&st, LEARN, &sdp, v4(99, 7000), 5000) == LATCH_REFUSE,
	      "and a stranger");
	CHECK(latch_window_left_ms(&st, 5000) == 0, "window closed");
	latch_arm(&st, 6000, 3000);
	CHECK(rtp(&st, LEARN, &sdp, v4(10, 6000), 6500) == LATCH_LEARN,
	      "re-armed by a re-offer: the SDP address takes over");
}

static void silent_peer_window_closed(void)
{
	struct latch_addr sdp = v4(10, 6000);
	struct latch_state st = { 0 };

	latch_arm(&st, 0, 3000);
	CHECK(rtp(&st, LEARN, &sdp, v4(99, 7000), 4000) == LATCH_REFUSE,
	      "nothing latched, window closed: a stranger is refused");
	CHECK(rtp(&st, LEARN, &sdp, v4(10, 6002), 4000) == LATCH_LEARN,
	      "the SDP's IP may still latch");
	CHECK(rtp(&st, LEARN, &sdp, v4(10, 6000), 4100) == LATCH_REFUSE,
	      "and then holds");
}

static void strict_and_off(void)
{
	struct latch_addr sdp = v4(10, 6000), src;
	struct latch_state st = { 0 };

	latch_arm(&st, 0, 3000);
	src = v4(10, 6000);
	CHECK(latch_check(&st, SRTPRELAY_STREAM_F_LOCK_ON_SDP, &sdp, &src, false, 1) ==
	      LATCH_ACCEPT, "strict: the SDP address");
	src = v4(10, 6001);
	CHECK(latch_check(&st, SRTPRELAY_STREAM_F_LOCK_ON_SDP, &sdp, &src, false, 1) ==
	      LATCH_REFUSE, "strict: RTP from port + 1 refused");
	CHECK(latch_check(&st, SRTPRELAY_STREAM_F_LOCK_ON_SDP, &sdp, &src, true, 1) ==
	      LATCH_ACCEPT, "strict: RTCP from port + 1");
	src = v4(99, 6000);
	CHECK(latch_check(&st, SRTPRELAY_STREAM_F_LOCK_ON_SDP, &sdp, &src, false, 1) ==
	      LATCH_REFUSE, "strict: in the window too, another IP is refused");
	CHECK(latch_check(&st, 0, &sdp, &src, false, 1) == LATCH_ACCEPT,
	      "neither flag, with a remote: no check, no latch");
	sdp.family = 0;
	CHECK(latch_check(&st, 0, &sdp, &src, false, 9000) == LATCH_ACCEPT,
	      "neither flag nor remote, after the window: no check");
}

static void rtcp_follows_the_latched_ip(void)
{
	struct latch_addr sdp = v4(10, 6000), src;
	struct latch_state st = { 0 };

	latch_arm(&st, 0, 3000);
	src = v4(99, 7001);
	CHECK(latch_check(&st, LEARN, &sdp, &src, true, 10) == LATCH_ACCEPT,
	      "RTCP before any latch, in the window");
	CHECK(latch_check(&st, LEARN, &sdp, &src, true, 4000) == LATCH_REFUSE,
	      "after it, from a stranger");
	rtp(&st, LEARN, &sdp, v4(77, 40000), 100);
	src = v4(77, 40001);
	CHECK(latch_check(&st, LEARN, &sdp, &src, true, 4000) == LATCH_ACCEPT,
	      "from the latched IP, any port");
	src = v4(10, 6001);
	CHECK(latch_check(&st, LEARN, &sdp, &src, true, 4000) == LATCH_REFUSE,
	      "not from the SDP's IP once another latched");
}

static void refusals_reported_once_a_second(void)
{
	struct latch_state st = { 0 };
	int n = 0;

	for (u64 now = 0; now < 10000; now += 20)
		n += latch_report_refusal(&st, now);
	CHECK(n == 10, "10 s of refusals at 50/s: %d reports, want 10", n);
}

static void commit_events(void)
{
	struct latch_state st = { 0 };
	struct latch_addr a = v4(1, 1), b = v4(1, 2);

	CHECK(latch_commit(&st, &a) == SRTPRELAY_EVENT_REMOTE_LATCHED, "first");
	CHECK(latch_commit(&st, &a) == 0, "same again: no event");
	CHECK(latch_commit(&st, &b) == SRTPRELAY_EVENT_REMOTE_CHANGED, "moved");
}

int main(void)
{
	RUN(best_source_wins_in_the_window,
	    "in the window the SDP address beats its IP, which beats a stranger");
	RUN(locked_after_the_window, "after the window only the latched source");
	RUN(silent_peer_window_closed,
	    "a silent peer: after the window only the SDP's IP may latch");
	RUN(strict_and_off, "strict accepts the SDP address only; no flags: no check");
	RUN(rtcp_follows_the_latched_ip, "RTCP is accepted from the latched IP");
	RUN(refusals_reported_once_a_second, "refusal reports are rate limited");
	RUN(commit_events, "latch events: latched, changed, none");
	return testing_summary();
}
