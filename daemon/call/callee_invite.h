/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The INVITE toward the callee (leg 1) sent again, the caller seeing none
 * of it: to the next proxy-set target (a new dialog), or to the same
 * callee in the same dialog with the next form of SRTP offer, with the
 * Min-SE a 422 asked for (RFC 4028 7.4), or with credentials for a
 * digest challenge (RFC 3261 22.2). b2bua.c lends how it sends the INVITE
 * and where the answers go (struct callee_invite_ops), so that this file
 * never calls the B2BUA back.
 */
#ifndef SRTPRELAYD_CALLEE_INVITE_H
#define SRTPRELAYD_CALLEE_INVITE_H

#include <stdbool.h>
#include <stddef.h>
#include <osipparser2/osip_parser.h>

#include "call/call.h"
#include "sip/sip_txn.h"

struct callee_invite_ops {
	/* @retry: the same callee, same dialog; else a new dialog. 0/-1. */
	int (*send)(struct call *c, const osip_message_t *inv, bool retry);
	sip_txn_cb on_response;
};

/* Headers of the caller's @inv that the callee's INVITE carries, and the
 * callee leg's (@l's) session timer. */
void callee_invite_extra(const struct leg *l, const osip_message_t *inv,
			 char *extra, size_t len);
/* A final non-2xx @code (@resp NULL: none came): true when another
 * INVITE went (next offer form, 422, next target). */
bool callee_invite_again(struct call *c, const osip_message_t *resp, int code,
			 const struct callee_invite_ops *ops);
/*
 * A 401/407 to our INVITE: the same INVITE again with the proxy set's
 * credentials as a new transaction, CSeq + 1, the same Call-ID, From tag
 * and offer. False when the challenge is final (*@why says why).
 */
bool callee_invite_answer_challenge(struct call *c, osip_message_t *resp,
				    char *why, size_t why_len,
				    const struct callee_invite_ops *ops);

#endif
