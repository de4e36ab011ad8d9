// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The callee's INVITE sent again (callee_invite.h): the next proxy-set
 * target, the next form of SRTP offer, a 422's Min-SE, a digest
 * challenge; and the headers every INVITE to the callee carries.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>

#include "base/log.h"
#include "call/auth_client.h"
#include "call/call_media.h"
#include "call/callee_invite.h"
#include "call/forks.h"
#include "call/offer_answer.h"
#include "call/session_timer.h"
#include "call/sip_dialog.h"
#include "call/srtp_policy.h"
#include "sip/sip_msg.h"

void callee_invite_extra(const struct leg *l, const osip_message_t *inv,
			 char *extra, size_t len)
{
	const char *sup = sip_hdr(inv, "Supported");
	char opts[256];

	extra[0] = 0;
	/* The caller's options travel on, but the session timer is ours to
	 * negotiate per leg. */
	sip_tokens_without(sup ? sup : "", "timer", opts, sizeof(opts));
	if (opts[0])
		snprintf(extra, len, "Supported: %s\r\n", opts);
	st_uac_headers(l, true, extra, len);
}

/* Our INVITE to the callee failed and another follows: an early answer's
 * streams and every key of the refused offer go; the ports stay. */
static void retract_offer(struct call *c)
{
	if (c->media_installed)
		call_media_remove(c);
	oa_retract_offer(c, 1);
	c->early_answered = false;
	/* The early dialogs of the refused INVITE are over with it. */
	forks_free(c);
}

static bool try_next_target(struct call *c, int code,
			    const struct callee_invite_ops *ops)
{
	const struct cfg_ip_group *g = &c->leg[1].policy;
	osip_message_t *inv = sip_txn_request_of(c->txns, c->leg[0].invite_txn);

	/* A proxy set that asks for it, or the addresses a request-URI's
	 * name resolved to (RFC 3263 4.3: the next one on a failure). */
	bool more = g->proxy_set >= 0 ? c->cfg->proxy_sets[g->proxy_set].failover :
		    c->ruri_addrs && (unsigned int)c->target_idx + 1 < c->ruri_addrs->n;

	if (!inv || !more || (code != 408 && code != 503 && code != 500))
		return false;
	c->target_idx++;
	retract_offer(c);
	c->leg[1].offer_attempt = 0;	/* another peer: the first form again */
	if (ops->send(c, inv, false))
		return false;
	log_info("call %llu: %d from target, failing over to the next one",
		 (unsigned long long)c->id, code);
	return true;
}

/*
 * The callee refused our offer (sip_refuses_offer()): it gets a new
 * INVITE with the next form of SRTP offer (srtp_offer_form()), so that a
 * phone taking only RTP/SAVP, only RTP/AVP, or no a=crypto at all is
 * reached, with SRTP where it can. The caller notices only the time.
 */
static bool retry_offer(struct call *c, const osip_message_t *resp,
			const struct callee_invite_ops *ops)
{
	osip_message_t *inv = sip_txn_request_of(c->txns, c->leg[0].invite_txn);
	struct leg *l = &c->leg[1];
	enum srtp_offer_form was, next;

	if (!inv || c->late_offer || !sip_refuses_offer(resp) ||
	    !srtp_offer_form(&l->policy, l->offer_attempt, &was) ||
	    !srtp_offer_form(&l->policy, l->offer_attempt + 1, &next))
		return false;
	retract_offer(c);
	l->offer_attempt++;
	if (ops->send(c, inv, true))
		return false;
	log_info("call %llu: callee refused our %s offer with %d: offering %s",
		 (unsigned long long)c->id, srtp_offer_form_name(was),
		 resp->status_code, srtp_offer_form_name(next));
	return true;
}

/* A 422 to our INVITE: once more, asking for the callee's Min-SE in the
 * same dialog (RFC 4028 7.4; session_timer.c). */
static bool retry_422(struct call *c, const osip_message_t *resp,
		      const struct callee_invite_ops *ops)
{
	osip_message_t *inv = sip_txn_request_of(c->txns, c->leg[0].invite_txn);

	if (resp->status_code != 422 || !inv || !st_retry_422(c, 1, resp))
		return false;
	retract_offer(c);
	return !ops->send(c, inv, true);
}

bool callee_invite_answer_challenge(struct call *c, osip_message_t *resp,
				    char *why, size_t why_len,
				    const struct callee_invite_ops *ops)
{
	osip_message_t *inv = sip_txn_request_of(c->txns, c->leg[0].invite_txn);
	struct leg *l = &c->leg[1];
	char extra[2560];
	size_t n;
	struct sbuf b;

	if (!inv) {
		snprintf(why, why_len, "the caller's INVITE is gone");
		return false;
	}
	callee_invite_extra(l, inv, extra, sizeof(extra));
	n = strlen(extra);
	if (auth_client_answer(&l->auth, auth_client_cred(c->cfg, l->policy.proxy_set),
			       resp, "INVITE", l->remote_target, extra + n,
			       sizeof(extra) - n, why, why_len))
		return false;
	l->invite_cseq = ++l->local_cseq;
	sb_init(&b);
	dialog_request(l, &b, "INVITE", l->invite_cseq, extra, NULL,
		       c->late_offer ? NULL : leg_last_body(l),
		       c->late_offer ? 0 : strlen(leg_last_body(l)));
	OPENSSL_cleanse(extra, sizeof(extra));
	l->invite_txn = b.failed ? 0 :
			sip_txn_request(c->txns, &l->peer, b.p, b.len,
					ops->on_response, c);
	sb_free(&b);
	if (!l->invite_txn) {
		snprintf(why, why_len, "the INVITE with credentials could not be sent");
		return false;
	}
	log_info("call %llu: %d from callee, INVITE sent again with credentials",
		 (unsigned long long)c->id, resp->status_code);
	return true;
}

bool callee_invite_again(struct call *c, const osip_message_t *resp, int code,
			 const struct callee_invite_ops *ops)
{
	return (resp && retry_offer(c, resp, ops)) ||
	       (resp && retry_422(c, resp, ops)) || try_next_target(c, code, ops);
}
