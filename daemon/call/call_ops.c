// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What both halves of the B2BUA (b2bua.c for new calls, b2bua_dialog.c
 * within dialogs) do to a call: send its ACK, end it (media removed,
 * ports returned, BYE where a dialog exists, relayed requests dropped)
 * and word a refusal's Warning header. Kept apart so that neither half
 * calls the other back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "base/log.h"
#include "base/secret_mem.h"
#include "call/admission.h"
#include "call/auth_client.h"
#include "call/call_index.h"
#include "call/call_media.h"
#include "call/call_ops.h"
#include "call/call_record.h"
#include "call/forks.h"
#include "call/offer_answer.h"
#include "call/sip_dialog.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"

static void forget_forwards(struct call *c)
{
	struct fwd *f, *next;

	for (f = c->forwards; f; f = next) {
		next = f->next;
		sip_txn_forget(c->txns, f);
		free(f);
	}
	c->forwards = NULL;
}

static void call_free(struct call *c)
{
	if (c->admitted)
		admission_release(c->leg[0].group, c->leg[1].group);
	call_list_remove(c);
	sip_txn_forget(c->txns, c);
	forget_forwards(c);
	ev_timer_cancel(&c->media_timer);
	forks_free(c);
	for (int k = 0; k < 2; k++) {
		/* The session timers (session_timer.c, which ends calls
		 * through us). */
		ev_timer_cancel(&c->leg[k].st.timer);
		sip_txn_forget(c->txns, &c->leg[k].st);
		/* A 2xx still waiting for its ACK: the dialog is gone, so an
		 * ACK can no longer find it, and retransmitting it for 32 s
		 * would land on whatever uses the peer's port next. */
		sip_txn_acked(c->txns, c->leg[k].uas_invite_txn);
	}
	for (int k = 0; k < 2; k++)
		dialog_release(&c->leg[k]);
	/* The late ACK's SDP carries our keys. */
	secret_free_heap(c->late_ack_sdp);
	free(c->ruri_addrs);
	secret_free(c, sizeof(*c));
}

/*
 * A BYE toward a peer with credentials outlives its call: a 401/407 is
 * answered once (RFC 3261 22.2) with the dialog kept here (its media and
 * SDP, keys included, wiped; the password stays in the configuration).
 */
struct bye_retry {
	uint64_t call_id;
	const struct config *cfg;	/* live: keeps its address */
	struct sip_txns *txns;		/* the call's, which outlive it */
	int proxy_set;
	struct auth_state auth;
	uint32_t txn;
	struct leg leg;
};

static void bye_response(void *arg, uint32_t txn, osip_message_t *resp);

static void bye_retry_free(struct bye_retry *r)
{
	dialog_release(&r->leg);
	secret_free(r, sizeof(*r));
}

static uint32_t bye_send(struct sip_txns *txns, struct leg *l,
			 const char *auth_hdr, sip_txn_cb cb, void *arg)
{
	uint32_t txn = 0;
	struct sbuf b;

	sb_init(&b);
	dialog_request(l, &b, "BYE", 0, auth_hdr, NULL, NULL, 0);
	if (!b.failed)
		txn = sip_txn_request(txns, &l->peer, b.p, b.len, cb, arg);
	sb_free(&b);
	return txn;
}

static void bye_response(void *arg, uint32_t txn, osip_message_t *resp)
{
	struct bye_retry *r = arg;
	char hdr[2048], why[256];
	int code = resp ? resp->status_code : 408;

	if (txn != r->txn || code < 200)
		return;
	if (code == 401 || code == 407) {
		if (!auth_client_answer(&r->auth, auth_client_cred(r->cfg, r->proxy_set),
					resp, "BYE", r->leg.remote_target, hdr, sizeof(hdr),
					why, sizeof(why))) {
			r->txn = bye_send(r->txns, &r->leg, hdr, bye_response, r);
			OPENSSL_cleanse(hdr, sizeof(hdr));
			if (r->txn) {
				log_info("call %llu: %d to our BYE, sent again with credentials",
					 (unsigned long long)r->call_id, code);
				return;
			}
		} else {
			log_info("call %llu: %d to our BYE: %s",
				 (unsigned long long)r->call_id, code, why);
		}
	}
	bye_retry_free(r);
}

static void send_bye(struct call *c, int k)
{
	struct leg *l = &c->leg[k];
	struct bye_retry *r = NULL;

	if (auth_client_cred(c->cfg, l->policy.proxy_set))
		r = malloc(sizeof(*r));
	if (!r) {
		bye_send(c->txns, l, NULL, NULL, NULL);
		return;
	}
	r->call_id = c->id;
	r->cfg = c->cfg;
	r->txns = c->txns;
	r->proxy_set = l->policy.proxy_set;
	memset(&r->auth, 0, sizeof(r->auth));
	r->leg = *l;
	/* Only the dialog is needed: no keys or SDP in a second copy. */
	explicit_bzero(r->leg.media, sizeof(r->leg.media));
	r->leg.last_body = NULL;
	r->leg.sdp = NULL;
	if (dialog_own_routes(&r->leg)) {
		bye_retry_free(r);
		bye_send(c->txns, l, NULL, NULL, NULL);
		return;
	}
	r->txn = bye_send(c->txns, &r->leg, NULL, bye_response, r);
	l->local_cseq = r->leg.local_cseq;
	if (!r->txn)
		bye_retry_free(r);
}

void call_end(struct call *c, const char *why, bool bye0, bool bye1)
{
	uint64_t secs = c->answered_ms ? (ev_now_ms() - c->answered_ms) / 1000 : 0;

	log_info("call %llu ended: %s (%llu s connected)", (unsigned long long)c->id,
		 why, (unsigned long long)secs);
	if (c->stored)
		call_store_remove(c->store, c->id);
	call_media_remove(c);
	oa_release(c);
	if (bye0)
		send_bye(c, 0);
	if (bye1)
		send_bye(c, 1);
	call_free(c);
}

void call_save(struct call *c)
{
	uint8_t *rec;
	size_t len;

	if (!c->store || call_record_encode(c, &rec, &len)) {
		if (c->store)
			log_err("call %llu: out of memory for its record: a restart would lose it",
				(unsigned long long)c->id);
		return;
	}
	if (!call_store_put(c->store, c->id, rec, len)) {
		c->stored = true;
		/* Written, not yet synced: what follows (the 200 OK) waits
		 * for the sync at the end of this loop round (main.c). */
		transport_hold(c->transport);
	}
	secret_free(rec, len);
}

void call_send_ack(struct call *c, int k, const char *body)
{
	struct sbuf b;

	sb_init(&b);
	dialog_ack(&c->leg[k], &b, body, body ? strlen(body) : 0);
	if (!b.failed)
		transport_send(c->transport, &c->leg[k].peer, b.p, b.len);
	sb_free(&b);
}

/* "Warning: 399 srtprelayd "why"" (RFC 3261 20.43), so the peer's logs
 * say what was refused; quotes and control characters dropped. */
void warning_header(char *buf, size_t len, const char *why)
{
	size_t n = (size_t)snprintf(buf, len, "Warning: 399 srtprelayd \"");
	const char *p;

	for (p = why; *p && n + 4 < len; p++)
		if (*p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
			buf[n++] = *p;
	snprintf(buf + n, len - n, "\"\r\n");
}
