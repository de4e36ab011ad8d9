/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Which sources a stream accepts, and where symmetric RTP latches: the one
 * policy srtprelay.ko (kmod/hook.c) and the userspace datapath
 * (daemon/datapath/packet.c) both run, compiled into each as kmod/srtp.c
 * is. No kernel or libc calls: the caller passes the time in.
 */
#ifndef SRTPRELAY_LATCH_H
#define SRTPRELAY_LATCH_H

#include "srtp_compat.h"

/*
 * struct latch_addr - an address as the policy compares it.
 * @ip: IPv4 in the first 4 bytes, the rest zero; or IPv6
 * @port: UDP port, host order
 * @family: AF_INET or AF_INET6; 0: none
 */
struct latch_addr {
	u8 ip[16];
	u16 port;
	u16 family;
};

/*
 * struct latch_state - what a stream learnt; under the stream's lock.
 * @latched: the source RTP is accepted from; family 0 until one latched
 * @window_end_ms: the learning window is open while now is before this
 * @reported_ms: when a refused source was last reported (0: never)
 */
struct latch_state {
	struct latch_addr latched;
	u64 window_end_ms;
	u64 reported_ms;
};

/* What to do with a packet, decided before any crypto. */
enum latch_verdict {
	LATCH_ACCEPT,	/* from the latched (or only allowed) source */
	LATCH_LEARN,	/* accept; once it authenticates, latch its source */
	LATCH_REFUSE,	/* drop and count as SOURCE_REJECTED */
};

/* A refused source is reported at most this often per stream. */
#define LATCH_REPORT_INTERVAL_MS 1000

void latch_arm(struct latch_state *st, u64 now_ms, u32 window_ms);
enum latch_verdict latch_check(const struct latch_state *st, u32 flags,
			       const struct latch_addr *remote,
			       const struct latch_addr *src, bool rtcp,
			       u64 now_ms);
u32 latch_commit(struct latch_state *st, const struct latch_addr *src);
bool latch_report_refusal(struct latch_state *st, u64 now_ms);
u32 latch_window_left_ms(const struct latch_state *st, u64 now_ms);

#endif /* SRTPRELAY_LATCH_H */
