// SPDX-License-Identifier: GPL-2.0 OR MIT
/* IP groups, routing rules, proxy set targets and their keep-alive. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>
#include <openssl/crypto.h>

#include "base/evloop.h"
#include "base/log.h"
#include "call/advertise.h"
#include "call/auth_client.h"
#include "call/registrar.h"
#include "call/routing.h"
#include "base/sbuf.h"
#include "sip/sip_msg.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"

#define PROBE_TIMEOUT_MS 4000

struct target_state {
	bool up;
	bool probing;
	struct ev_timer timer;
	/* The live configuration the probe timer reads its target from
	 * (routing_start_keepalive()); it keeps its address on reload. */
	const struct config *cfg;
	/* The probe in flight: a challenge to it is answered once with
	 * the same Call-ID and From tag, CSeq + 1. */
	char call_id[33], from_tag[17];
	uint32_t cseq;
	struct auth_state auth;
};

static struct target_state tstate[CFG_MAX_OBJ][CFG_MAX_TARGETS];

void routing_setup(void)
{
	unsigned int p, t;

	for (p = 0; p < CFG_MAX_OBJ; p++)
		for (t = 0; t < CFG_MAX_TARGETS; t++)
			tstate[p][t].up = true;	/* until a probe says otherwise */
}

int routing_classify(const struct config *cfg, const struct sockaddr_storage *src)
{
	return config_group_by_addr(cfg, src);
}

static bool pattern_match(const regex_t *re, const char *s)
{
	return !regexec(re, s ? s : "", 0, NULL, 0);
}

int routing_match(const struct config *cfg, int src_group,
		  const osip_message_t *req)
{
	const char *user = req->req_uri ? req->req_uri->username : NULL;
	const char *host = req->req_uri ? req->req_uri->host : NULL;
	unsigned int i;

	for (i = 0; i < cfg->n_routes; i++) {
		const struct cfg_route *r = &cfg->routes[i];

		if (r->src_group >= 0 && r->src_group != src_group)
			continue;
		if (r->has_user && !pattern_match(&r->user_re, user))
			continue;
		if (r->has_host && !pattern_match(&r->host_re, host))
			continue;
		return (int)i;
	}
	return -1;
}

static int ruri_target(const osip_message_t *req, struct sip_peer *to)
{
	osip_uri_param_t *tp = NULL;
	long port;

	if (!req->req_uri || !req->req_uri->host ||
	    sockaddr_parse(req->req_uri->host, 0, &to->addr))
		return -1;	/* no DNS: the request-URI host must be an IP */
	to->proto = SIP_UDP;
	if (!osip_uri_uparam_get_byname(req->req_uri, "transport", &tp) && tp &&
	    tp->gvalue && sip_proto_parse(tp->gvalue, &to->proto))
		return -1;
	port = req->req_uri->port ? strtol(req->req_uri->port, NULL, 10) :
	       to->proto == SIP_TLS ? 5061 : 5060;
	if (port < 1 || port > 65535)
		return -1;
	sockaddr_set_port(&to->addr, (uint16_t)port);
	return 0;
}

int routing_target(const struct config *cfg, int dst_group,
		   const osip_message_t *req, int nth, struct sip_peer *to,
		   char *ruri, size_t ruri_len)
{
	const struct cfg_ip_group *g = &cfg->groups[dst_group];
	char *u = NULL;
	unsigned int i;
	int seen = 0;

	memset(to, 0, sizeof(*to));
	to->iface = g->iface >= 0 ? g->iface : 0;
	if (osip_uri_to_str(req->req_uri, &u))
		return -1;
	snprintf(ruri, ruri_len, "%s", u);
	osip_free(u);
	if (g->proxy_set < 0) {
		/* A registered user first, else the request-URI's host. */
		if (nth == 0 && req->req_uri &&
		    !registrar_lookup(req->req_uri->username, to, ruri, ruri_len))
			return 0;
		return nth == 0 ? ruri_target(req, to) : -1;
	}
	const struct cfg_proxy_set *p = &cfg->proxy_sets[g->proxy_set];

	if (p->iface >= 0)
		to->iface = p->iface;
	for (i = 0; i < p->n_targets; i++) {
		if (!tstate[g->proxy_set][i].up)
			continue;
		if (seen++ < nth)
			continue;
		to->addr = p->targets[i].addr;
		to->proto = p->targets[i].proto;
		return 0;
	}
	return -1;
}

bool routing_target_up(int p, int t)
{
	return tstate[p][t].up;
}

static void probe_result(void *arg, uint32_t txn, osip_message_t *resp);

/* An OPTIONS to @ts's target, @auth_hdr added (NULL: a new probe). */
static void probe_send(struct target_state *ts, const char *auth_hdr)
{
	size_t idx = (size_t)(ts - &tstate[0][0]);
	int p = (int)(idx / CFG_MAX_TARGETS), t = (int)(idx % CFG_MAX_TARGETS);
	const struct cfg_proxy_set *ps = &ts->cfg->proxy_sets[p];
	struct sip_peer to = { .proto = ps->targets[t].proto,
			       .addr = ps->targets[t].addr,
			       .iface = ps->iface >= 0 ? ps->iface : 0 };
	struct self_name self;
	char dst[64], branch[25], contact[SELF_HOST_MAX + 64];
	struct sbuf b;

	if (!auth_hdr) {
		sip_random_token(ts->from_tag, 16);
		sip_random_token(ts->call_id, 32);
		ts->cseq = 0;
		memset(&ts->auth, 0, sizeof(ts->auth));
	}
	/* Teams and carriers check the Contact of OPTIONS for the SBC's FQDN. */
	advertise_self(ts->cfg, to.iface, to.proto,
		       advertise_proxy_set_private(ts->cfg, p), &self);
	advertise_contact(&self, to.proto, contact, sizeof(contact));
	sockaddr_str(&to.addr, dst, sizeof(dst));
	sip_random_token(branch, 24);
	sb_init(&b);
	sb_printf(&b, "OPTIONS sip:%s SIP/2.0\r\nVia: SIP/2.0/%s %s;branch=z9hG4bK%s;rport\r\n"
		  "Max-Forwards: 70\r\nFrom: <sip:srtprelayd@%s>;tag=%s\r\nTo: <sip:%s>\r\n"
		  "Call-ID: %s\r\nCSeq: %u OPTIONS\r\n%sUser-Agent: srtprelayd\r\n"
		  "%sContent-Length: 0\r\n\r\n", dst, sip_proto_name(to.proto),
		  self.sent_by, branch, self.contact, ts->from_tag, dst, ts->call_id,
		  ++ts->cseq, contact, auth_hdr ? auth_hdr : "");
	if (!b.failed) {
		uint32_t id = sip_txn_request(&to, b.p, b.len, probe_result, ts);

		/* A dead target is down after 4 s, not after 64*T1. */
		if (id) {
			sip_txn_set_timeout(id, PROBE_TIMEOUT_MS);
			ts->probing = true;
		}
	}
	sb_free(&b);
}

/* A trunk that challenges our OPTIONS (RFC 3261 22.2) gets them with the
 * proxy set's credentials; it is alive either way. */
static void probe_answer(struct target_state *ts, int p, int t,
			 const osip_message_t *resp)
{
	char hdr[2048], why[256], ruri[80], dst[64];

	sockaddr_str(&ts->cfg->proxy_sets[p].targets[t].addr, dst, sizeof(dst));
	snprintf(ruri, sizeof(ruri), "sip:%s", dst);
	if (auth_client_answer(&ts->auth, auth_client_cred(ts->cfg, p), resp, "OPTIONS",
			       ruri, hdr, sizeof(hdr), why, sizeof(why)))
		return;
	probe_send(ts, hdr);
	OPENSSL_cleanse(hdr, sizeof(hdr));
}

static void probe_result(void *arg, uint32_t txn, osip_message_t *resp)
{
	struct target_state *ts = arg;
	size_t idx = (size_t)(ts - &tstate[0][0]);
	int p = (int)(idx / CFG_MAX_TARGETS), t = (int)(idx % CFG_MAX_TARGETS);
	bool up = resp != NULL;	/* any response means it is alive */

	ts->probing = false;
	if (resp && (resp->status_code == 401 || resp->status_code == 407))
		probe_answer(ts, p, t, resp);
	if (up != ts->up)
		log_warn("proxy set %s target %s is %s", ts->cfg->proxy_sets[p].name,
			 ts->cfg->proxy_sets[p].targets[t].host, up ? "UP" : "DOWN");
	ts->up = up;
}

static void probe(void *arg)
{
	struct target_state *ts = arg;
	size_t p = (size_t)(ts - &tstate[0][0]) / CFG_MAX_TARGETS;

	ev_timer_arm(&ts->timer, ts->cfg->proxy_sets[p].keepalive_interval * 1000ULL);
	if (!ts->probing)
		probe_send(ts, NULL);
}

void routing_start_keepalive(const struct config *cfg)
{
	unsigned int p, t;

	for (p = 0; p < cfg->n_proxy_sets; p++) {
		if (!cfg->proxy_sets[p].keepalive)
			continue;
		for (t = 0; t < cfg->proxy_sets[p].n_targets; t++) {
			tstate[p][t].cfg = cfg;
			ev_timer_init(&tstate[p][t].timer, probe, &tstate[p][t]);
			ev_timer_arm(&tstate[p][t].timer, 100 + 50 * t);
		}
	}
}

void routing_reload(const struct config *live, const struct config *next)
{
	unsigned int p, t;

	for (p = 0; p < CFG_MAX_OBJ; p++) {
		for (t = 0; t < CFG_MAX_TARGETS; t++) {
			const struct cfg_target *o = NULL, *n = NULL;

			if (tstate[p][t].timer.armed)
				ev_timer_cancel(&tstate[p][t].timer);
			if (p < live->n_proxy_sets && t < live->proxy_sets[p].n_targets)
				o = &live->proxy_sets[p].targets[t];
			if (p < next->n_proxy_sets && t < next->proxy_sets[p].n_targets)
				n = &next->proxy_sets[p].targets[t];
			if (!o || !n || o->proto != n->proto ||
			    !sockaddr_equal(&o->addr, &n->addr))
				tstate[p][t].up = true;	/* until a probe says otherwise */
		}
	}
}
