// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Requests within a call: BYE ends both dialogs; re-INVITE and UPDATE with
 * SDP are offers, re-issued on the other leg with our offer and answered
 * with our answer, the media updated in place (same ports, keys kept where
 * the suite is unchanged); PRACK, INFO and the rest are relayed with their
 * bodies, PRACK's RAck mapped to the other leg's INVITE CSeq (RFC 3262).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>

#include "call/auth_client.h"
#include "call/b2bua.h"
#include "call/call_ops.h"
#include "call/call_media.h"
#include "call/forks.h"
#include "base/log.h"
#include "base/secret_mem.h"
#include "call/offer_answer.h"
#include "call/session_timer.h"
#include "call/sip_dialog.h"
#include "sip/sip_msg.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"

/* In-dialog requests in flight per call: a peer that keeps sending
 * without waiting for answers gets 500 with Retry-After (RFC 3261 14.2),
 * not an ever longer list. */
#define FWD_MAX_PER_CALL 16
#define FWD_BUSY (-1)	/* forward()'s answer when the call has too many */

static bool offer_pending(const struct call *c)
{
	const struct fwd *f;

	for (f = c->forwards; f; f = f->next)
		if (f->offer && !f->answered)
			return true;
	return false;
}

static void fwd_done(struct fwd *f)
{
	struct fwd **p;

	for (p = &f->c->forwards; *p; p = &(*p)->next) {
		if (*p == f) {
			*p = f->next;
			break;
		}
	}
	sip_txn_forget(f->c->txns, f);
	secret_free(f->body, f->body_len);
	free(f);
}

static struct fwd *fwd_new(struct call *c, int x, uint32_t txn)
{
	struct fwd *f, *next;
	unsigned int n = 0;

	for (f = c->forwards; f; f = next) {
		next = f->next;
		/* An answered re-INVITE's entry lives as long as its txn. */
		if (f->answered && !sip_txn_request_of(c->txns, f->client_txn))
			fwd_done(f);
		else
			n++;
	}
	if (n >= FWD_MAX_PER_CALL)
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->c = c;
	f->x = x;
	f->server_txn = txn;
	f->next = c->forwards;
	c->forwards = f;
	return f;
}

static void respond_x(struct fwd *f, int code, const char *reason,
		      const char *body)
{
	struct leg *lx = &f->c->leg[f->x];
	const osip_message_t *req = sip_txn_request_of(f->c->txns, f->server_txn);
	char extra[SELF_HOST_MAX + 320] = "";

	if (f->invite && code >= 200 && code < 300)
		dialog_contact(lx, extra, sizeof(extra));
	/* A relayed refresh refreshes the session on both legs. */
	if (f->offer && req && code >= 200 && code < 300)
		st_uas_answer(f->c, f->x, req, extra, sizeof(extra));
	sip_txn_respond(f->c->txns, f->server_txn, code, reason, lx->local_tag,
			extra, body);
}

static void offer_answered(struct fwd *f, osip_message_t *resp)
{
	struct call *c = f->c;
	int y = 1 - f->x;
	size_t len = 0;
	const char *sdp = sip_sdp_body(resp, &len);
	struct sbuf body;
	char why[160];

	if (f->invite)
		call_send_ack(c, y, NULL);
	st_uac_response(c, y, resp);
	if (!sdp || oa_take_answer(c, y, sdp, len, why, sizeof(why))) {
		log_limited(&c->party_log, LOG_LVL_WARN,
			    "call %llu: re-offer answered without a usable SDP: %s",
			    (unsigned long long)c->id, sdp ? why : "no SDP");
		respond_x(f, 488, NULL, NULL);
		return;
	}
	sb_init(&body);
	if (!oa_make_answer(c, f->x, &body)) {
		call_media_apply(c);
		call_save(c);	/* the new keys, before the answer goes out */
		respond_x(f, resp->status_code, resp->reason_phrase, body.p);
	} else {
		respond_x(f, 500, NULL, NULL);
	}
	sb_free(&body);
}

static void relay_response(struct fwd *f, osip_message_t *resp)
{
	osip_body_t *b = osip_list_get(&resp->bodies, 0);
	char *body = NULL;

	if (b && b->length && b->body) {
		body = strndup(b->body, b->length);
	}
	respond_x(f, resp->status_code, resp->reason_phrase, body);
	secret_free_heap(body);	/* SDP with keys */
}

static int fwd_send(struct fwd *f, const char *auth_hdr);

/* The peer challenged what we relayed: the same request again, once,
 * with the proxy set's credentials (RFC 3261 22.2). */
static bool fwd_answer_challenge(struct fwd *f, osip_message_t *resp)
{
	struct leg *ly = &f->c->leg[1 - f->x];
	char hdr[2048], why[256];
	int rc;

	if (auth_client_answer(&f->auth, auth_client_cred(f->c->cfg, ly->policy.proxy_set),
			       resp, f->method, ly->remote_target, hdr, sizeof(hdr), why,
			       sizeof(why))) {
		log_info("call %llu: %d to our %s: %s", (unsigned long long)f->c->id,
			 resp->status_code, f->method, why);
		return false;
	}
	rc = fwd_send(f, hdr);
	OPENSSL_cleanse(hdr, sizeof(hdr));
	if (rc)
		return false;
	log_info("call %llu: %d to our %s, sent again with credentials",
		 (unsigned long long)f->c->id, resp->status_code, f->method);
	return true;
}

static void fwd_response(void *arg, uint32_t txn, osip_message_t *resp)
{
	struct fwd *f = arg;
	int code = resp ? resp->status_code : 408;

	if (code < 200 || txn != f->client_txn)
		return;
	if ((code == 401 || code == 407) && !f->answered && fwd_answer_challenge(f, resp))
		return;
	if (f->answered) {
		if (f->invite && code < 300)
			call_send_ack(f->c, 1 - f->x, NULL);	/* 2xx again */
		return;
	}
	f->answered = true;
	if (!resp)
		respond_x(f, 408, NULL, NULL);
	else if (f->offer && code < 300)
		offer_answered(f, resp);
	else
		relay_response(f, resp);
	if (!f->invite || code >= 300)
		fwd_done(f);
	/* A 2xx INVITE forward stays until its txn ends (2xx repeats). */
}

/* Headers relayed as they are, and PRACK's RAck mapped to leg @y. */
static void relay_headers(const struct call *c, int y, const osip_message_t *req,
			  char *buf, size_t len)
{
	static const char *const copy[] = { "Event", "Subscription-State",
		"Refer-To", "Referred-By", "Require", "Supported", "Info-Package",
		NULL };
	const char *const *h;
	const char *v;
	size_t n = 0;

	buf[0] = 0;
	for (h = copy; *h && n < len; h++) {
		char opts[256];

		if (!(v = sip_hdr(req, *h)))
			continue;
		if (!strcmp(*h, "Require") || !strcmp(*h, "Supported")) {
			/* The session timer is negotiated per leg. */
			sip_tokens_without(v, "timer", opts, sizeof(opts));
			if (!opts[0])
				continue;
			v = opts;
		}
		n += (size_t)snprintf(buf + n, len - n, "%s: %s\r\n", *h, v);
	}
	if (MSG_IS_PRACK(req) && (v = sip_hdr(req, "RAck")) && n < len) {
		unsigned long rseq = strtoul(v, NULL, 10);

		snprintf(buf + n, len - n, "RAck: %lu %u INVITE\r\n", rseq,
			 c->leg[y].invite_cseq);
	}
}

/* Answers a request forward() could not relay. */
static void refuse_forward(uint32_t txn, struct call *c, int rc)
{
	if (rc != FWD_BUSY) {
		sip_txn_respond(c->txns, txn, rc, NULL, NULL, NULL, NULL);
		return;
	}
	log_limited(&c->party_log, LOG_LVL_WARN,
		    "call %llu: %u in-dialog requests in flight already: 500",
		    (unsigned long long)c->id, FWD_MAX_PER_CALL);
	sip_txn_respond(c->txns, txn, 500, "Too Many Requests In Progress", NULL,
			"Retry-After: 1\r\n", NULL);
}

/* Sends @f's request on the other leg (CSeq + 1), @auth_hdr added; 0 or 500. */
static int fwd_send(struct fwd *f, const char *auth_hdr)
{
	struct leg *ly = &f->c->leg[1 - f->x];
	char extra[sizeof(f->extra) + 2048];
	uint32_t cseq = ++ly->local_cseq;
	struct sbuf b;

	snprintf(extra, sizeof(extra), "%s%s", f->extra, auth_hdr ? auth_hdr : "");
	if (f->invite)
		ly->invite_cseq = cseq;
	sb_init(&b);
	dialog_request(ly, &b, f->method, cseq, extra, f->ctype, f->body, f->body_len);
	f->client_txn = b.failed ? 0 :
			sip_txn_request(f->c->txns, &ly->peer, b.p, b.len,
					fwd_response, f);
	sb_free(&b);
	OPENSSL_cleanse(extra, sizeof(extra));
	return f->client_txn ? 0 : 500;
}

static int forward(struct call *c, int x, uint32_t txn, osip_message_t *req,
		   const char *body, size_t body_len, bool offer)
{
	struct fwd *f = fwd_new(c, x, txn);

	if (!f)
		return FWD_BUSY;
	f->offer = offer;
	f->invite = MSG_IS_INVITE(req);
	snprintf(f->method, sizeof(f->method), "%s", req->sip_method);
	snprintf(f->ctype, sizeof(f->ctype), "application/sdp");
	if (req->content_type && req->content_type->type && req->content_type->subtype)
		snprintf(f->ctype, sizeof(f->ctype), "%s/%s", req->content_type->type,
			 req->content_type->subtype);
	relay_headers(c, 1 - x, req, f->extra, sizeof(f->extra));
	if (offer)
		st_uac_headers(&c->leg[1 - x], false, f->extra, sizeof(f->extra));
	if (body_len) {
		f->body = malloc(body_len);
		if (!f->body) {
			fwd_done(f);
			return 500;
		}
		memcpy(f->body, body, body_len);
		f->body_len = body_len;
	}
	if (fwd_send(f, NULL)) {
		fwd_done(f);
		return 500;
	}
	return 0;
}

static void on_bye(uint32_t txn, struct call *c, int x)
{
	sip_txn_respond(c->txns, txn, 200, NULL, NULL, NULL, NULL);
	if (c->state < CALL_CONFIRMED && x == 1) {
		/* Callee hung up an early dialog: the caller gets a final. */
		sip_txn_respond(c->txns, c->leg[0].invite_txn, 487, NULL,
				c->leg[0].local_tag, NULL, NULL);
		call_end(c, "BYE from callee before answer", false, false);
		return;
	}
	call_end(c, x ? "BYE from callee" : "BYE from caller", x != 0, x != 1);
}

/* A re-INVITE or UPDATE carrying an offer. */
static void on_offer(uint32_t txn, osip_message_t *req, struct call *c, int x,
		     const char *sdp, size_t len)
{
	struct sbuf body;
	char why[200];
	int rc;

	if (offer_pending(c)) {
		sip_txn_respond(c->txns, txn, 491, NULL, NULL, "Retry-After: 1\r\n",
				NULL);
		return;
	}
	rc = oa_take_offer(c, x, sdp, len, why, sizeof(why));
	if (rc) {
		char warn[256];

		log_info("call %llu: %s refused: %d %s", (unsigned long long)c->id,
			 req->sip_method, rc, why);
		warning_header(warn, sizeof(warn), why);
		sip_txn_respond(c->txns, txn, rc, NULL, NULL, warn, NULL);
		return;
	}
	sb_init(&body);
	rc = oa_make_offer(c, 1 - x, &body) ? 500 :
	     forward(c, x, txn, req, body.p, body.len, true);
	sb_free(&body);
	if (rc)
		refuse_forward(txn, c, rc);
	else
		log_info("call %llu: %s from %s relayed", (unsigned long long)c->id,
			 req->sip_method, x ? "callee" : "caller");
}

void b2bua_in_dialog(uint32_t txn, osip_message_t *req, struct call *c, int x)
{
	osip_body_t *b = osip_list_get(&req->bodies, 0);
	size_t len = 0;
	const char *sdp = sip_sdp_body(req, &len);
	int rc;

	if (!dialog_check_request(&c->leg[x], req)) {
		sip_txn_respond(c->txns, txn, 500, "CSeq out of order", NULL, NULL,
				NULL);
		return;
	}
	if (c->state == CALL_ENDING) {
		sip_txn_respond(c->txns, txn, 481, NULL, NULL, NULL, NULL);
		return;
	}
	if (!x && c->state < CALL_CONFIRMED) {
		/* The caller in one of the early dialogs (PRACK, UPDATE):
		 * relayed to that fork. */
		struct early_fork *f = fork_by_caller_tag(c, sip_to_tag(req));

		if (f)
			fork_select(c, f);
	}
	if (MSG_IS_BYE(req)) {
		on_bye(txn, c, x);
		return;
	}
	if (MSG_IS_INVITE(req) || MSG_IS_UPDATE(req)) {
		char extra[256];

		if (MSG_IS_INVITE(req))
			c->leg[x].uas_invite_txn = txn;
		if ((rc = st_check_request(&c->leg[x].policy, req, extra, sizeof(extra)))) {
			sip_txn_respond(c->txns, txn, rc, NULL, NULL, extra, NULL);
			return;
		}
		if (MSG_IS_INVITE(req) && c->state != CALL_CONFIRMED) {
			sip_txn_respond(c->txns, txn, 491, NULL, NULL, NULL, NULL);
			return;
		}
		if (sdp) {
			on_offer(txn, req, c, x, sdp, len);
			return;
		}
		/* No offer: a session refresh of this leg alone (RFC 4028 on
		 * each leg). Answered here with the SDP we last sent on this
		 * leg (our answer in an ACK is ignored). */
		snprintf(extra, sizeof(extra), "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, INFO\r\n");
		st_uas_answer(c, x, req, extra, sizeof(extra));
		sip_txn_respond(c->txns, txn, 200, NULL, c->leg[x].local_tag, extra,
				MSG_IS_INVITE(req) && leg_last_body(&c->leg[x])[0] ?
				c->leg[x].last_body : NULL);
		return;
	}
	rc = forward(c, x, txn, req, b ? b->body : NULL, b ? b->length : 0, false);
	if (rc)
		refuse_forward(txn, c, rc);
}
