// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Client and server transactions: RFC 3261 17 over one timer pair each. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/evloop.h"
#include "base/hash.h"
#include "base/log.h"
#include "base/log_limit.h"
#include "base/sbuf.h"
#include "sip/sip_msg.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"

enum txn_state { TXN_TRYING, TXN_PROCEEDING, TXN_COMPLETED, TXN_ACCEPTED,
		 TXN_CONFIRMED };

struct sip_txn {
	struct sip_txn *next, *prev;	/* every transaction */
	struct sip_txn *next_branch;	/* hash chain by branch */
	struct sip_txn *next_id;	/* hash chain by id */
	struct sip_txn *next_owner, *prev_owner;	/* chain by arg */
	uint32_t id;
	bool server, invite;
	char method[32];
	char branch[128];
	char tag[17];		/* server: To-tag when the TU gives none */
	struct sip_peer peer;
	struct sbuf msg;	/* client: request; server: last response */
	osip_message_t *req;
	enum txn_state state;
	int code;
	struct ev_timer retx, timeout;
	uint64_t interval;
	sip_txn_cb cb;
	void *arg;
	/* The layer it is in: its timers find the tables through it. */
	struct sip_txns *txns;
};

/* Under load tens of thousands of transactions wait out their timers:
 * lookups go through hash tables, never along the list. */
#define TXN_HASH 8192

struct sip_txns {
	struct sip_txn *all;		/* every transaction */
	struct sip_txn *by_branch[TXN_HASH], *by_id[TXN_HASH];
	/* By owner (arg): a call that ends forgets its transactions without
	 * a walk over every transaction still waiting out its timers. */
	struct sip_txn *by_owner[TXN_HASH];
	unsigned int n_txns, n_server_txns;
	/* Branches are chosen by whoever sends the request: keyed buckets. */
	struct hash_key branch_key;
	uint32_t next_id;
	struct transport *transport;	/* what every message goes out through */
	sip_request_cb request_cb;
	void *request_arg;
	sip_screen_cb screen_cb;
	void *screen_arg;
	/* Unparseable datagrams come as fast as anyone sends them. */
	struct log_limit parse_log;
};

static unsigned int hash_owner(const void *arg)
{
	uintptr_t v = (uintptr_t)arg;

	return (unsigned int)((v >> 4) ^ (v >> 17)) % TXN_HASH;
}

static void owner_unlink(struct sip_txn *t)
{
	if (!t->arg)
		return;
	if (t->prev_owner)
		t->prev_owner->next_owner = t->next_owner;
	else
		t->txns->by_owner[hash_owner(t->arg)] = t->next_owner;
	if (t->next_owner)
		t->next_owner->prev_owner = t->prev_owner;
	t->next_owner = t->prev_owner = NULL;
}

/* Every change of t->arg goes through here, to keep the chains true. */
static void owner_set(struct sip_txn *t, sip_txn_cb cb, void *arg)
{
	struct sip_txn **head;

	owner_unlink(t);
	t->cb = cb;
	t->arg = arg;
	if (!arg)
		return;
	head = &t->txns->by_owner[hash_owner(arg)];
	t->next_owner = *head;
	if (*head)
		(*head)->prev_owner = t;
	*head = t;
}

static unsigned int hash_branch(const struct sip_txns *txns, const char *s)
{
	return (unsigned int)(hash_string(&txns->branch_key, s) % TXN_HASH);
}

/* A connection failed: its pending client transactions end now (as a
 * timeout; from the loop, never inside the transport's own call). @arg:
 * the struct sip_txns. */
static void transport_failed(void *arg, const struct sip_peer *peer)
{
	struct sip_txns *txns = arg;
	struct sip_txn *t;

	for (t = txns->all; t; t = t->next)
		if (!t->server && t->code < 200 && t->peer.proto == peer->proto &&
		    sockaddr_equal(&t->peer.addr, &peer->addr))
			ev_timer_arm(&t->timeout, 0);
}

struct sip_txns *sip_txns_new(struct transport *tp, sip_request_cb on_request,
			      void *arg)
{
	/* Three tables of TXN_HASH heads: the heap, not the owner's struct. */
	struct sip_txns *txns = calloc(1, sizeof(*txns));
	int rc;

	if (!txns) {
		log_err("transactions: no memory for the tables");
		return NULL;
	}
	rc = hash_key_init(&txns->branch_key);
	if (rc) {
		log_err("transactions: no hash key: %s", strerror(-rc));
		free(txns);
		return NULL;
	}
	txns->next_id = 1;
	txns->transport = tp;
	txns->request_cb = on_request;
	txns->request_arg = arg;
	transport_set_error_cb(tp, transport_failed, txns);
	return txns;
}

void sip_txn_set_screen(struct sip_txns *txns, sip_screen_cb cb, void *arg)
{
	txns->screen_cb = cb;
	txns->screen_arg = arg;
}

static struct sip_txn *txn_by_id(const struct sip_txns *txns, uint32_t id)
{
	struct sip_txn *t;

	for (t = id ? txns->by_id[id % TXN_HASH] : NULL; t; t = t->next_id)
		if (t->id == id)
			return t;
	return NULL;
}

static struct sip_txn *txn_match(const struct sip_txns *txns, bool server,
				 const char *branch, const char *method)
{
	struct sip_txn *t;

	for (t = txns->by_branch[hash_branch(txns, branch)]; t; t = t->next_branch)
		if (t->server == server && !strcmp(t->branch, branch) &&
		    !strcasecmp(t->method, method))
			return t;
	return NULL;
}

bool sip_txn_server_exists(const struct sip_txns *txns, const char *branch,
			   size_t len, const char *method)
{
	char b[sizeof(((struct sip_txn *)0)->branch)];

	/* Stored branches are cut to the same length (txn_new()). */
	snprintf(b, sizeof(b), "%.*s", (int)len, branch);
	return txn_match(txns, true, b, method) != NULL;
}

static void txn_free(struct sip_txn *t)
{
	struct sip_txns *txns = t->txns;
	struct sip_txn **p;

	if (t->prev)
		t->prev->next = t->next;
	else
		txns->all = t->next;
	if (t->next)
		t->next->prev = t->prev;
	for (p = &txns->by_branch[hash_branch(txns, t->branch)]; *p;
	     p = &(*p)->next_branch) {
		if (*p == t) {
			*p = t->next_branch;
			break;
		}
	}
	for (p = &txns->by_id[t->id % TXN_HASH]; *p; p = &(*p)->next_id) {
		if (*p == t) {
			*p = t->next_id;
			break;
		}
	}
	owner_unlink(t);
	txns->n_txns--;
	if (t->server)
		txns->n_server_txns--;
	ev_timer_cancel(&t->retx);
	ev_timer_cancel(&t->timeout);
	sb_free(&t->msg);
	if (t->req)
		osip_message_free(t->req);
	free(t);
}

static void txn_send(struct sip_txn *t)
{
	if (t->msg.len)
		transport_send(t->txns->transport, &t->peer, t->msg.p, t->msg.len);
}

static void on_retx(void *arg)
{
	struct sip_txn *t = arg;
	uint64_t cap = t->invite && !t->server && t->state == TXN_TRYING ?
		       SIP_TIMEOUT : SIP_T2;

	txn_send(t);
	t->interval = t->interval * 2 > cap ? cap : t->interval * 2;
	ev_timer_arm(&t->retx, t->interval);
}

static void on_timeout(void *arg)
{
	struct sip_txn *t = arg;
	sip_txn_cb cb = t->cb;
	void *cb_arg = t->arg;
	uint32_t id = t->id;
	bool tell = (!t->server && t->state <= TXN_PROCEEDING) ||
		    (t->server && t->state == TXN_ACCEPTED);

	if (tell)
		log_debug("transaction %s %s: %s", t->method, t->branch,
			 t->server ? "no ACK for 2xx" : "no final response (timeout)");
	txn_free(t);
	if (tell && cb)
		cb(cb_arg, id, NULL);
}

static struct sip_txn *txn_new(struct sip_txns *txns, bool server,
			       const struct sip_peer *peer, const char *method,
			       const char *branch)
{
	struct sip_txn *t = calloc(1, sizeof(*t));
	unsigned int h;

	if (!t)
		return NULL;
	t->txns = txns;
	t->id = txns->next_id++;
	if (!txns->next_id)
		txns->next_id = 1;
	t->server = server;
	t->peer = *peer;
	snprintf(t->method, sizeof(t->method), "%s", method);
	snprintf(t->branch, sizeof(t->branch), "%s", branch);
	t->invite = !strcasecmp(method, "INVITE");
	sb_init(&t->msg);
	ev_timer_init(&t->retx, on_retx, t);
	ev_timer_init(&t->timeout, on_timeout, t);
	t->next = txns->all;
	if (txns->all)
		txns->all->prev = t;
	txns->all = t;
	h = hash_branch(txns, t->branch);
	t->next_branch = txns->by_branch[h];
	txns->by_branch[h] = t;
	t->next_id = txns->by_id[t->id % TXN_HASH];
	txns->by_id[t->id % TXN_HASH] = t;
	txns->n_txns++;
	if (server)
		txns->n_server_txns++;
	return t;
}

void sip_txns_free(struct sip_txns *txns)
{
	if (!txns)
		return;
	while (txns->all)
		txn_free(txns->all);
	/* The transport is freed after us: it must not report to freed
	 * memory meanwhile. */
	transport_set_error_cb(txns->transport, NULL, NULL);
	free(txns);
}

unsigned int sip_txn_count(const struct sip_txns *txns)
{
	return txns->n_txns;
}

unsigned int sip_txn_server_count(const struct sip_txns *txns)
{
	return txns->n_server_txns;
}

void sip_txn_forget(struct sip_txns *txns, void *arg)
{
	struct sip_txn *t, *next;

	if (!arg)
		return;
	for (t = txns->by_owner[hash_owner(arg)]; t; t = next) {
		next = t->next_owner;
		if (t->arg == arg)
			owner_set(t, NULL, NULL);
	}
}

void sip_txn_set_owner(struct sip_txns *txns, uint32_t id, sip_txn_cb cb,
		       void *arg)
{
	struct sip_txn *t = txn_by_id(txns, id);

	if (t)
		owner_set(t, cb, arg);
}

osip_message_t *sip_txn_request_of(const struct sip_txns *txns, uint32_t id)
{
	struct sip_txn *t = txn_by_id(txns, id);

	return t ? t->req : NULL;
}

int sip_txn_final_code(const struct sip_txns *txns, uint32_t id)
{
	struct sip_txn *t = txn_by_id(txns, id);

	return t && t->code >= 200 ? t->code : 0;
}

void sip_txn_set_timeout(struct sip_txns *txns, uint32_t id, uint64_t ms)
{
	struct sip_txn *t = txn_by_id(txns, id);

	if (t && !t->server && t->code < 200)
		ev_timer_arm(&t->timeout, ms);
}

void sip_txn_acked(struct sip_txns *txns, uint32_t id)
{
	struct sip_txn *t = txn_by_id(txns, id);

	if (t && t->server && t->state == TXN_ACCEPTED)
		txn_free(t);
}

/* ---- server side (RFC 3261 17.2) ---- */

int sip_txn_respond(struct sip_txns *txns, uint32_t id, int code,
		    const char *reason, const char *to_tag, const char *extra,
		    const char *body)
{
	struct sip_txn *t = txn_by_id(txns, id);

	if (!t || !t->server || t->code >= 200)
		return -1;
	sb_reset(&t->msg);
	if (!to_tag) {
		if (!t->tag[0])
			sip_random_token(t->tag, 16);
		to_tag = t->tag;
	}
	sip_build_response(&t->msg, t->req, code, reason, to_tag, extra, body);
	if (t->msg.failed)
		return -1;
	t->code = code;
	txn_send(t);
	if (code < 200) {
		t->state = TXN_PROCEEDING;
		return 0;
	}
	/* Timer J (17.2.2): 64*T1 over UDP to absorb retransmissions, 0 over
	 * TCP and TLS, which have none. An INVITE waits for its ACK. */
	ev_timer_arm(&t->timeout, t->invite || t->peer.proto == SIP_UDP ?
			     SIP_TIMEOUT : 0);
	if (t->invite) {
		t->state = code < 300 ? TXN_ACCEPTED : TXN_COMPLETED;
		/* Timer G for non-2xx; the 2xx is retransmitted until ACK
		 * (13.3.1.4) on every transport: a lost ACK on TCP is still
		 * lost. Reliable transports retransmit less eagerly. */
		if (t->peer.proto == SIP_UDP || code < 300) {
			t->interval = t->peer.proto == SIP_UDP ? SIP_T1 : SIP_T2;
			ev_timer_arm(&t->retx, t->interval);
		}
	} else {
		t->state = TXN_COMPLETED;
	}
	return 0;
}

/* A response without a transaction: sent once, never repeated. */
static void answer_stateless(struct sip_txns *txns, const struct sip_peer *from,
			     osip_message_t *req, int code, const char *why)
{
	struct sbuf b;
	char tag[17];

	if (MSG_IS_ACK(req))
		return;
	sb_init(&b);
	sip_random_token(tag, 16);
	sip_build_response(&b, req, code, why, tag, NULL, NULL);
	if (!b.failed)
		transport_send(txns->transport, from, b.p, b.len);
	sb_free(&b);
}

static void server_cancel(struct sip_txn *ct, const struct sip_peer *from)
{
	struct sip_txns *txns = ct->txns;
	struct sip_txn *inv = txn_match(txns, true, ct->branch, "INVITE");

	if (!inv) {
		sip_txn_respond(txns, ct->id, 481, NULL, NULL, NULL, NULL);
		return;
	}
	sip_txn_respond(txns, ct->id, 200, NULL, NULL, NULL, NULL);
	if (inv->code < 200)
		txns->request_cb(txns->request_arg, inv->id, ct->req, from);
}

static void server_request(struct sip_txns *txns, const struct sip_peer *from,
			   osip_message_t *m)
{
	const char *branch = sip_branch(m);
	struct sip_txn *t;

	if (MSG_IS_ACK(m)) {
		t = txn_match(txns, true, branch, "INVITE");
		if (t && t->state == TXN_COMPLETED) {
			/* ACK of our non-2xx: absorb (17.2.1, timer I). */
			t->state = TXN_CONFIRMED;
			ev_timer_cancel(&t->retx);
			ev_timer_arm(&t->timeout, from->proto == SIP_UDP ? 5000 : 0);
		} else {
			txns->request_cb(txns->request_arg, 0, m, from);
		}
		osip_message_free(m);
		return;
	}
	t = txn_match(txns, true, branch, m->sip_method);
	if (t) {
		/* A retransmission: repeat the last response, if any. */
		txn_send(t);
		osip_message_free(m);
		return;
	}
	if (txns->screen_cb) {
		const char *reason = NULL;
		int code = 0;

		switch (txns->screen_cb(txns->screen_arg, from, m, &code, &reason)) {
		case SIP_SCREEN_ACCEPT:
			break;
		case SIP_SCREEN_ANSWER:
			answer_stateless(txns, from, m, code, reason);
			/* fall through */
		case SIP_SCREEN_DROP:
			osip_message_free(m);
			return;
		}
	}
	t = txn_new(txns, true, from, m->sip_method, branch);
	if (!t) {
		osip_message_free(m);
		return;
	}
	t->req = m;
	if (MSG_IS_CANCEL(m)) {
		server_cancel(t, from);
		return;
	}
	if (t->invite)
		sip_txn_respond(txns, t->id, 100, NULL, NULL, NULL, NULL);
	txns->request_cb(txns->request_arg, t->id, m, from);
}

/* ---- client side (RFC 3261 17.1) ---- */

/*
 * An ACK for a non-2xx final response or a CANCEL, built from the INVITE
 * @r (RFC 3261 17.1.1.3 and 9.1): its request-URI, top Via, From,
 * Call-ID, CSeq number and Route set, with To taken from @to. Whether
 * the message is complete is in @b->failed.
 */
static void build_from_invite(struct sbuf *b, const osip_message_t *r,
			      osip_to_t *to, const char *method)
{
	char *uri = NULL, *via = NULL, *from = NULL, *to_str = NULL;
	char cid[SIP_CALL_ID_MAX];
	int i;

	osip_uri_to_str(r->req_uri, &uri);
	osip_via_to_str(osip_list_get(&r->vias, 0), &via);
	osip_from_to_str(r->from, &from);
	osip_to_to_str(to, &to_str);
	sb_printf(b, "%s %s SIP/2.0\r\nVia: %s\r\nMax-Forwards: 70\r\n"
		  "From: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %s %s\r\n",
		  method, uri, via, from, to_str,
		  sip_call_id(r, cid, sizeof(cid)),
		  r->cseq->number, method);
	for (i = 0; i < osip_list_size(&r->routes); i++) {
		char *rt = NULL;

		if (!osip_route_to_str(osip_list_get(&r->routes, i), &rt)) {
			sb_printf(b, "Route: %s\r\n", rt);
			osip_free(rt);
		}
	}
	sb_puts(b, "Content-Length: 0\r\n\r\n");
	osip_free(uri);
	osip_free(via);
	osip_free(from);
	osip_free(to_str);
}

static void client_ack(struct sip_txn *t, osip_message_t *resp)
{
	struct sbuf b;

	sb_init(&b);
	build_from_invite(&b, t->req, resp->to, "ACK");
	if (!b.failed)
		transport_send(t->txns->transport, &t->peer, b.p, b.len);
	sb_free(&b);
}

static void client_response(struct sip_txns *txns, osip_message_t *m)
{
	const char *branch = sip_branch(m);
	struct sip_txn *t = txn_match(txns, false, branch, sip_cseq_method(m));
	int code = m->status_code;
	bool first_final;

	if (!t) {
		log_debug("response %d %s matches no transaction: dropped", code,
			  sip_cseq_method(m));
		osip_message_free(m);
		return;
	}
	first_final = code >= 200 && t->code < 200;
	if (code >= 200 && t->code >= 300 && t->invite) {
		client_ack(t, m);	/* retransmitted final: ACK again */
		osip_message_free(m);
		return;
	}
	if (code < 200) {
		if (t->state == TXN_TRYING)
			t->state = TXN_PROCEEDING;
		if (t->invite)
			ev_timer_cancel(&t->retx);
	} else if (first_final) {
		t->code = code;
		ev_timer_cancel(&t->retx);
		t->state = (t->invite && code < 300) ? TXN_ACCEPTED : TXN_COMPLETED;
		/* Accepted (RFC 6026): 2xx retransmissions still reach the
		 * dialog, which ACKs them again. */
		/* Timers K and D (17.1.2.2, 17.1.1.2): 0 over TCP and
		 * TLS, which retransmit nothing to absorb. */
		if (t->peer.proto != SIP_UDP && !(t->invite && code < 300))
			ev_timer_arm(&t->timeout, 0);
		else
			ev_timer_arm(&t->timeout, t->invite ? SIP_TIMEOUT : 5000);
		if (t->invite && code >= 300)
			client_ack(t, m);
	} else if (!(t->invite && code < 300)) {
		osip_message_free(m);
		return;		/* retransmitted non-INVITE final */
	}
	if (t->cb)
		t->cb(t->arg, t->id, m);
	osip_message_free(m);
}

uint32_t sip_txn_request(struct sip_txns *txns, const struct sip_peer *to,
			 const char *buf, size_t len, sip_txn_cb cb, void *arg)
{
	osip_message_t *m = NULL;
	struct sip_txn *t;
	char why[96];

	if (sip_msg_parse(buf, len, &m, why, sizeof(why)) != SIP_PARSE_OK) {
		log_err("internal: built an invalid request (%s):\n%.*s", why,
			(int)len, buf);
		if (m)
			osip_message_free(m);
		return 0;
	}
	t = txn_new(txns, false, to, m->sip_method, sip_branch(m));
	if (!t) {
		osip_message_free(m);
		return 0;
	}
	t->req = m;
	owner_set(t, cb, arg);
	sb_add(&t->msg, buf, len);
	if (transport_send(txns->transport, to, buf, len) < 0 &&
	    to->proto != SIP_UDP) {
		/* Deliver the failure from the loop, never re-entrantly. */
		ev_timer_arm(&t->timeout, 0);
		return t->id;
	}
	if (to->proto == SIP_UDP) {
		t->interval = SIP_T1;
		ev_timer_arm(&t->retx, t->interval);
	}
	ev_timer_arm(&t->timeout, SIP_TIMEOUT);
	return t->id;
}

uint32_t sip_txn_cancel(struct sip_txns *txns, uint32_t invite_txn,
			sip_txn_cb cb, void *arg)
{
	struct sip_txn *t = txn_by_id(txns, invite_txn);
	struct sbuf b;
	uint32_t id;

	if (!t || t->server || !t->invite || t->code >= 200)
		return 0;
	sb_init(&b);
	build_from_invite(&b, t->req, t->req->to, "CANCEL");
	id = b.failed ? 0 : sip_txn_request(txns, &t->peer, b.p, b.len, cb, arg);
	sb_free(&b);
	return id;
}

void sip_txn_receive(struct sip_txns *txns, const struct sip_peer *from,
		     const char *buf, size_t len)
{
	osip_message_t *m = NULL;
	char why[128], a[64], what[96];

	if (log_enabled(LOG_LVL_DEBUG)) {
		snprintf(what, sizeof(what), "recv %s %s", sip_proto_name(from->proto),
			 sockaddr_str(&from->addr, a, sizeof(a)));
		log_sip(what, buf, len);
	}
	switch (sip_msg_parse(buf, len, &m, why, sizeof(why))) {
	case SIP_PARSE_DROP:
		log_limited(&txns->parse_log, LOG_LVL_WARN, "%s %s: dropped: %s",
			    sip_proto_name(from->proto),
			    sockaddr_str(&from->addr, a, sizeof(a)), why);
		return;
	case SIP_PARSE_400:
		log_limited(&txns->parse_log, LOG_LVL_WARN, "%s %s: 400 %s",
			    sip_proto_name(from->proto),
			    sockaddr_str(&from->addr, a, sizeof(a)), why);
		answer_stateless(txns, from, m, 400, why);
		osip_message_free(m);
		return;
	case SIP_PARSE_OK:
		break;
	}
	if (MSG_IS_REQUEST(m))
		server_request(txns, from, m);
	else
		client_response(txns, m);
}
