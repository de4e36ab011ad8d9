/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * SDP offer/answer across the two legs of a call (RFC 3264), with the
 * media security policy of each leg's IP group (srtp_policy.h) and keys of
 * our own on each leg. One direction of an exchange: leg @x offered, we
 * offer leg @y = 1 - x, leg @y answers, we answer leg @x. Re-offers keep
 * ports, and keep our keys where the suite is unchanged (so the media
 * plane keeps its rollover counters).
 */
#ifndef SRTPRELAYD_OFFER_ANSWER_H
#define SRTPRELAYD_OFFER_ANSWER_H

#include "call/call.h"
#include "config/config.h"
#include "base/sbuf.h"

/* Leg @x's offer (body as received). 0, or 488/503 with @why. */
int oa_take_offer(struct call *c, int x, const char *body, size_t len,
		  char *why, size_t wl);
/* Our offer to leg @y into @b (a complete SDP body). */
int oa_make_offer(struct call *c, int y, struct sbuf *b);
/* Leg @y's answer. 0, or 488 with @why. */
int oa_take_answer(struct call *c, int y, const char *body, size_t len,
		   char *why, size_t wl);
/* Our answer to leg @x into @b. */
int oa_make_answer(struct call *c, int x, struct sbuf *b);
/*
 * Leg @y refused our offer (its INVITE failed): what we offered it and
 * what it answered early is forgotten, keys wiped, so that the next
 * INVITE offers afresh (new keys, its own form). Its media ports stay the
 * call's, and are offered again.
 */
void oa_retract_offer(struct call *c, int y);
/* Ports back to the realms, keys wiped. */
void oa_release(struct call *c);

#endif
