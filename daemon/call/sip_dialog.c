// SPDX-License-Identifier: GPL-2.0 OR MIT
/* One leg's dialog state, and the requests we send within it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "call/sip_dialog.h"
#include "sip/sip_msg.h"

static void uri_of(const osip_from_t *f, char *out, size_t len)
{
	char *u = NULL;

	out[0] = 0;
	if (!f || !f->url || osip_uri_to_str(f->url, &u))
		return;
	if (f->displayname && f->displayname[0])
		snprintf(out, len, "%s <%s>", f->displayname, u);
	else
		snprintf(out, len, "<%s>", u);
	osip_free(u);
}

static void contact_of(const osip_message_t *m, char *out, size_t len)
{
	osip_contact_t *c = osip_list_get(&m->contacts, 0);
	char *u = NULL;

	if (!c || !c->url || osip_uri_to_str(c->url, &u))
		return;
	snprintf(out, len, "%s", u);
	osip_free(u);
}

static void routes_clear(struct leg *l)
{
	unsigned int i;

	for (i = 0; i < l->n_routes; i++) {
		free(l->routes[i]);
		l->routes[i] = NULL;
	}
	l->n_routes = 0;
}

static void routes_of(struct leg *l, const osip_message_t *m, bool reverse)
{
	int i, n = osip_list_size(&m->record_routes);

	routes_clear(l);
	for (i = 0; i < n && l->n_routes < CALL_MAX_ROUTES; i++) {
		osip_record_route_t *rr = osip_list_get(&m->record_routes,
							reverse ? n - 1 - i : i);
		char *s = NULL;

		if (!osip_record_route_to_str(rr, &s)) {
			l->routes[l->n_routes] = strndup(s, CALL_ROUTE_MAX - 1);
			if (l->routes[l->n_routes])
				l->n_routes++;
			else
				log_err("out of memory for a route of call-id %s", l->call_id);
			osip_free(s);
		}
	}
}

void dialog_release(struct leg *l)
{
	routes_clear(l);
}

int dialog_own_routes(struct leg *l)
{
	unsigned int i;

	for (i = 0; i < l->n_routes; i++) {
		l->routes[i] = strdup(l->routes[i]);
		if (!l->routes[i]) {
			for (unsigned int j = i + 1; j < l->n_routes; j++)
				l->routes[j] = NULL;
			l->n_routes = i;
			return -1;
		}
	}
	return 0;
}

void dialog_init_uas(struct leg *l, const osip_message_t *inv,
		     const struct sip_peer *from)
{
	const char *tag = sip_from_tag(inv);
	char cid[SIP_CALL_ID_MAX];

	snprintf(l->call_id, sizeof(l->call_id), "%s", sip_call_id(inv, cid, sizeof(cid)));
	snprintf(l->remote_tag, sizeof(l->remote_tag), "%s", tag ? tag : "");
	sip_random_token(l->local_tag, 16);
	uri_of(inv->from, l->remote_uri, sizeof(l->remote_uri));
	uri_of((const osip_from_t *)inv->to, l->local_uri, sizeof(l->local_uri));
	contact_of(inv, l->remote_target, sizeof(l->remote_target));
	routes_of(l, inv, false);
	l->remote_cseq = (uint32_t)sip_cseq(inv);
	l->local_cseq = 1;
	l->peer = *from;
}

void dialog_init_uac(struct leg *l, const osip_message_t *inv,
		     const struct sip_peer *to, const char *request_uri)
{
	char cid[33];

	sip_random_token(cid, 32);
	snprintf(l->call_id, sizeof(l->call_id), "%s", cid);
	sip_random_token(l->local_tag, 16);
	l->remote_tag[0] = 0;
	uri_of(inv->from, l->local_uri, sizeof(l->local_uri));
	uri_of((const osip_from_t *)inv->to, l->remote_uri, sizeof(l->remote_uri));
	snprintf(l->remote_target, sizeof(l->remote_target), "%s", request_uri);
	routes_clear(l);
	l->local_cseq = 1;
	l->peer = *to;
}

void dialog_retry_uac(struct leg *l, const struct sip_peer *to,
		      const char *request_uri)
{
	l->remote_tag[0] = 0;
	snprintf(l->remote_target, sizeof(l->remote_target), "%s", request_uri);
	routes_clear(l);
	l->local_cseq++;
	l->peer = *to;
}

void dialog_learn_response(struct leg *l, const osip_message_t *resp)
{
	const char *tag = sip_to_tag(resp);

	if (tag && (!l->remote_tag[0] || resp->status_code < 300))
		snprintf(l->remote_tag, sizeof(l->remote_tag), "%s", tag);
	contact_of(resp, l->remote_target, sizeof(l->remote_target));
	if (resp->status_code >= 101 && resp->status_code < 300)
		routes_of(l, resp, true);
}

bool dialog_check_request(struct leg *l, const osip_message_t *req)
{
	uint32_t cseq = (uint32_t)sip_cseq(req);

	if (!MSG_IS_ACK(req) && !MSG_IS_CANCEL(req)) {
		if (l->remote_cseq && cseq <= l->remote_cseq)
			return false;	/* 500 per RFC 3261 12.2.2 */
		l->remote_cseq = cseq;
	}
	if (MSG_IS_INVITE(req) || MSG_IS_UPDATE(req))
		contact_of(req, l->remote_target, sizeof(l->remote_target));
	return true;
}

bool dialog_matches(const struct leg *l, const osip_message_t *m)
{
	return dialog_matches_as(l, m, l->local_tag);
}

bool dialog_matches_as(const struct leg *l, const osip_message_t *m,
		       const char *local_tag)
{
	const char *ft = sip_from_tag(m), *tt = sip_to_tag(m);
	char cid[SIP_CALL_ID_MAX];

	if (strcmp(l->call_id, sip_call_id(m, cid, sizeof(cid))))
		return false;
	/* Sent by the peer: From is theirs, To ours. */
	return tt && !strcmp(tt, local_tag) && ft &&
	       (!l->remote_tag[0] || !strcmp(ft, l->remote_tag));
}

void dialog_contact(const struct leg *l, char *buf, size_t len)
{
	advertise_contact(&l->self, l->peer.proto, buf, len);
}

static void dialog_build(struct leg *l, struct sbuf *b, const char *method,
			 uint32_t cseq, const char *branch, const char *extra,
			 const char *ctype, const char *body, size_t body_len)
{
	char contact[SELF_HOST_MAX + 64];
	unsigned int i;

	sb_printf(b, "%s %s SIP/2.0\r\nVia: SIP/2.0/%s %s;branch=z9hG4bK%s;rport\r\n"
		  "Max-Forwards: %d\r\nFrom: %s;tag=%s\r\nTo: %s", method,
		  l->remote_target, sip_proto_name(l->peer.proto), l->self.sent_by, branch,
		  l->max_forwards > 0 ? l->max_forwards : 70, l->local_uri,
		  l->local_tag, l->remote_uri);
	if (l->remote_tag[0])
		sb_printf(b, ";tag=%s", l->remote_tag);
	sb_printf(b, "\r\nCall-ID: %s\r\nCSeq: %u %s\r\n", l->call_id, cseq, method);
	for (i = 0; i < l->n_routes; i++)
		sb_printf(b, "Route: %s\r\n", l->routes[i]);
	if (strcmp(method, "ACK") && strcmp(method, "CANCEL")) {
		dialog_contact(l, contact, sizeof(contact));
		sb_puts(b, contact);
	}
	sb_puts(b, "User-Agent: srtprelayd\r\n");
	if (extra)
		sb_puts(b, extra);
	if (body_len)
		sb_printf(b, "Content-Type: %s\r\n", ctype ? ctype : "application/sdp");
	sb_printf(b, "Content-Length: %zu\r\n\r\n", body_len);
	if (body_len)
		sb_add(b, body, body_len);
}

void dialog_request(struct leg *l, struct sbuf *b, const char *method,
		    uint32_t cseq, const char *extra, const char *ctype,
		    const char *body, size_t body_len)
{
	char branch[33];

	sip_random_token(branch, 24);
	if (!cseq)
		cseq = ++l->local_cseq;
	dialog_build(l, b, method, cseq, branch, extra, ctype, body, body_len);
}

/*
 * The ACK of a 2xx is a transaction of its own (RFC 3261 13.2.2.4), sent
 * again for each retransmission of that 2xx: the same ACK, branch
 * included, or a peer that recognises retransmissions by their bytes
 * (SIPp) takes it for a new request. Its branch is made from the leg's
 * random tag and the INVITE's CSeq, unique to this ACK.
 */
void dialog_ack(struct leg *l, struct sbuf *b, const char *body,
		size_t body_len)
{
	char branch[sizeof(l->local_tag) + 16];

	snprintf(branch, sizeof(branch), "ack%s.%u", l->local_tag,
		 l->invite_cseq);
	dialog_build(l, b, "ACK", l->invite_cseq, branch, NULL, NULL, body,
		     body_len);
}
