/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * RFC 4028 session timers, one per leg (struct session_timer in call.h).
 * The B2BUA negotiates each leg on its own, with that leg's IP group's
 * session_expires and min_se: as UAS toward the caller, as UAC toward the
 * callee, and again in every re-INVITE or UPDATE either leg carries (a
 * refresh relayed from one leg to the other counts on both). When we are
 * the refresher we send a refresh at half the interval (UPDATE if the
 * peer allows it, else a re-INVITE with the SDP we last sent, no media
 * change); when the peer is, a missed refresh ends the call, BYE on both
 * legs, at interval - min(32, interval / 3) (RFC 4028 10).
 */
#ifndef SRTPRELAYD_SESSION_TIMER_H
#define SRTPRELAYD_SESSION_TIMER_H

#include <stddef.h>
#include <osipparser2/osip_parser.h>

#include "call/call.h"

/* Leg @k of @c starts without a timer (call setup). */
void st_init(struct call *c, int k);

/*
 * A request that starts or refreshes a session on a leg of group @g:
 * 422 with our Min-SE in @extra when its Session-Expires is below it and
 * its sender supports the extension (RFC 4028 9; one that does not would
 * not understand a 422, so we raise the interval in our 2xx), else 0.
 */
int st_check_request(const struct cfg_ip_group *g, const osip_message_t *req,
		     char *extra, size_t len);
/*
 * We answer @req (INVITE or UPDATE) with a 2xx on leg @k: negotiate the
 * interval and the refresher (RFC 4028 9), arm the timer, and append the
 * 2xx's Session-Expires (and Require: timer) to @hdrs (of size @len).
 */
void st_uas_answer(struct call *c, int k, const osip_message_t *req,
		   char *hdrs, size_t len);
/*
 * Headers for an INVITE or UPDATE we send on leg @l (appended to @hdrs):
 * Supported: timer, Session-Expires and Min-SE; nothing when the leg's
 * group has no session timer. @initial: the dialog-creating INVITE, whose
 * refresher the UAS chooses.
 */
void st_uac_headers(const struct leg *l, bool initial, char *hdrs, size_t len);
/* A 2xx to an INVITE or UPDATE we sent on leg @k (RFC 4028 7.2). */
void st_uac_response(struct call *c, int k, const osip_message_t *resp);
/*
 * Our INVITE on leg @k got 422: true when it should be sent again, now
 * asking for the peer's Min-SE (RFC 4028 7.4; once per call).
 */
bool st_retry_422(struct call *c, int k, const osip_message_t *resp);

#endif
