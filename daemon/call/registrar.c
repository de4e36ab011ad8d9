// SPDX-License-Identifier: GPL-2.0 OR MIT
/* In-memory registrar: user part -> contact and the flow it came over. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/evloop.h"
#include "base/log.h"
#include "call/registrar.h"
#include "sip/sip_msg.h"
#include "sip/sip_txn.h"

#define REG_MAX 1024

struct binding {
	char user[64];
	char contact[256];
	struct sip_peer peer;
	uint64_t expires_ms;
};

static struct binding bindings[REG_MAX];
static unsigned int n_bindings;

static struct binding *find(const char *user)
{
	uint64_t now = ev_now_ms();
	unsigned int i;

	for (i = 0; i < n_bindings; i++) {
		if (bindings[i].expires_ms <= now) {
			bindings[i--] = bindings[--n_bindings];
			continue;
		}
		if (!strcasecmp(bindings[i].user, user))
			return &bindings[i];
	}
	return NULL;
}

static long expires_of(const osip_message_t *req, osip_contact_t *c)
{
	osip_generic_param_t *p = NULL;
	const char *e = sip_hdr(req, "Expires");
	long v = 3600;

	if (c && !osip_contact_param_get_byname(c, "expires", &p) && p && p->gvalue)
		v = strtol(p->gvalue, NULL, 10);
	else if (e)
		v = strtol(e, NULL, 10);
	if (v < 0)
		v = 0;
	return v > REG_MAX_EXPIRES ? REG_MAX_EXPIRES : v;
}

void registrar_register(struct sip_txns *txns, uint32_t txn,
			const osip_message_t *req, const struct sip_peer *from)
{
	osip_contact_t *c = osip_list_get(&req->contacts, 0);
	const char *user = req->to->url->username;
	struct binding *b;
	char *uri = NULL, extra[384], a[64];
	long exp;

	if (!user || strlen(user) >= sizeof(b->user)) {
		sip_txn_respond(txns, txn, 400, "Bad To user", NULL, NULL, NULL);
		return;
	}
	b = find(user);
	exp = expires_of(req, c);
	if (!c) {		/* a query: answer with what is bound */
		snprintf(extra, sizeof(extra), b ? "Contact: <%s>;expires=%ld\r\n" : "%s",
			 b ? b->contact : "", b ? (long)((b->expires_ms - ev_now_ms()) / 1000) : 0L);
		sip_txn_respond(txns, txn, 200, NULL, NULL, extra, NULL);
		return;
	}
	if ((c->displayname && !strcmp(c->displayname, "*")) || !exp) {
		if (b)
			*b = bindings[--n_bindings];
		log_info("registrar: %s unregistered", user);
		sip_txn_respond(txns, txn, 200, NULL, NULL, NULL, NULL);
		return;
	}
	if (!c->url || osip_uri_to_str(c->url, &uri) || strlen(uri) >= sizeof(b->contact)) {
		osip_free(uri);
		sip_txn_respond(txns, txn, 400, "Bad Contact", NULL, NULL, NULL);
		return;
	}
	if (!b) {
		if (n_bindings == REG_MAX) {
			osip_free(uri);
			sip_txn_respond(txns, txn, 503, "Registrar Full", NULL, NULL, NULL);
			return;
		}
		b = &bindings[n_bindings++];
		log_info("registrar: %s at %s via %s %s", user, uri, sip_proto_name(from->proto),
			 sockaddr_str(&from->addr, a, sizeof(a)));
	}
	snprintf(b->user, sizeof(b->user), "%s", user);
	snprintf(b->contact, sizeof(b->contact), "%s", uri);
	b->peer = *from;
	b->expires_ms = ev_now_ms() + (uint64_t)exp * 1000;
	snprintf(extra, sizeof(extra), "Contact: <%s>;expires=%ld\r\n", uri, exp);
	osip_free(uri);
	sip_txn_respond(txns, txn, 200, NULL, NULL, extra, NULL);
}

int registrar_lookup(const char *user, struct sip_peer *to, char *ruri,
		     size_t ruri_len)
{
	struct binding *b = user ? find(user) : NULL;

	if (!b)
		return -1;
	*to = b->peer;
	snprintf(ruri, ruri_len, "%s", b->contact);
	return 0;
}

unsigned int registrar_count(void)
{
	find("");	/* expire old bindings */
	return n_bindings;
}
