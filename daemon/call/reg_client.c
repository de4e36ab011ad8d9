// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Outbound registration with a trunk: see reg_client.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>

#include "base/log.h"
#include "call/advertise.h"
#include "call/reg_client.h"
#include "call/proxy_targets.h"
#include "sip/sip_msg.h"
#include "sip/sip_txn.h"

static const char *const state_names[] = {
	[REG_OFF] = "off",
	[REG_REGISTERING] = "registering",
	[REG_REGISTERED] = "registered",
	[REG_FAILED] = "failed",
	[REG_UNREGISTERING] = "unregistering",
};

static int ps_of(const struct reg_client *r)
{
	return (int)(r - r->owner->regs);
}

static const struct cfg_proxy_set *set_of(const struct reg_client *r)
{
	return &r->owner->cfg->proxy_sets[ps_of(r)];
}

static void set_state(struct reg_client *r, enum reg_state s)
{
	if (r->state != s)
		r->since_ms = ev_now_ms();
	r->state = s;
}

static void retry_in(struct reg_client *r, uint64_t ms)
{
	r->next_ms = ev_now_ms() + ms;
	ev_timer_arm(&r->timer, ms);
}

/* The registrar's domain (RFC 3261 10.2: the Request-URI has no user
 * part): the AOR with "user@" removed, parameters kept out. */
static void registrar_uri(const char *aor, char *out, size_t len)
{
	const char *colon = strchr(aor, ':'), *at = strchr(aor, '@');
	const char *host = at ? at + 1 : colon + 1;
	size_t scheme = (size_t)(colon - aor) + 1, hl = strcspn(host, ";?>");

	snprintf(out, len, "%.*s%.*s", (int)scheme, aor, (int)hl, host);
}

/* Our Contact URI: the configured one, or the AOR's user at the name we
 * give this peer (fqdn, public address: advertise.h) for its transport. */
static void contact_uri(const struct reg_client *r, const struct self_name *self,
			enum sip_proto proto, char *out, size_t len)
{
	const char *colon = strchr(r->reg.aor, ':'), *at = strchr(r->reg.aor, '@');

	if (r->reg.contact[0]) {
		snprintf(out, len, "%s", r->reg.contact);
		return;
	}
	snprintf(out, len, "sip:%.*s@%s;transport=%s",
		 at ? (int)(at - colon - 1) : 10, at ? colon + 1 : "srtprelayd",
		 self->contact, proto == SIP_UDP ? "udp" : proto == SIP_TCP ? "tcp" : "tls");
}

/* The first target that is up (keep-alive's view), else the first. */
static int pick_target(const struct reg_client *r)
{
	const struct cfg_proxy_set *p = set_of(r);
	unsigned int t;

	for (t = 0; t < p->n_targets; t++)
		if (proxy_targets_up(ps_of(r), (int)t))
			return (int)t;
	return 0;
}

static void on_response(void *arg, uint32_t txn, osip_message_t *resp);
static void start_one(struct reg_clients *rc, int ps, uint64_t delay_ms);

/* The binding is gone (or given up): a changed register group starts. */
static void removed(struct reg_client *r)
{
	set_state(r, REG_OFF);
	if (r->restart)
		start_one(r->owner, ps_of(r), 100);
}

/* A REGISTER (a fresh one when @auth_hdr is NULL); false if not sent. */
static bool send_register(struct reg_client *r, const char *auth_hdr)
{
	const struct cfg_proxy_set *p = set_of(r);
	struct sip_peer to = { 0 };
	struct self_name self;
	char branch[25], ruri[300];
	struct sbuf b;

	if (!auth_hdr || r->target >= (int)p->n_targets) {
		memset(&r->auth, 0, sizeof(r->auth));
		r->target = pick_target(r);
	}
	/* The first address up: a name's as RFC 3263 resolved it. */
	if (proxy_targets_pick(r->owner->cfg, ps_of(r), 0, &to, NULL)) {
		to.addr = p->targets[r->target].addr;
		to.proto = p->targets[r->target].proto;
	}
	to.iface = p->iface >= 0 ? p->iface : 0;
	/* The trunk sends our calls to this Contact: the name calls carry. */
	advertise_self(r->owner->cfg, to.iface, to.proto,
		       advertise_proxy_set_private(r->owner->cfg, ps_of(r)), &self);
	sip_random_token(branch, 24);
	registrar_uri(r->reg.aor, ruri, sizeof(ruri));
	contact_uri(r, &self, to.proto, r->contact, sizeof(r->contact));
	sb_init(&b);
	sb_printf(&b, "REGISTER %s SIP/2.0\r\nVia: SIP/2.0/%s %s;branch=z9hG4bK%s;rport\r\n"
		  "Max-Forwards: 70\r\nFrom: <%s>;tag=%s\r\nTo: <%s>\r\nCall-ID: %s\r\n"
		  "CSeq: %u REGISTER\r\nContact: <%s>\r\nExpires: %u\r\n"
		  "User-Agent: %s\r\n%sContent-Length: 0\r\n\r\n", ruri,
		  sip_proto_name(to.proto), self.sent_by, branch, r->reg.aor, r->from_tag,
		  r->reg.aor, r->call_id, ++r->cseq, r->contact,
		  r->removing ? 0 : r->asked, r->owner->cfg->user_agent,
		  auth_hdr ? auth_hdr : "");
	r->txn = b.failed ? 0 : sip_txn_request(r->owner->txns, &to, b.p, b.len,
						on_response, r);
	sb_free(&b);
	return r->txn != 0;
}

static void failed(struct reg_client *r, int code, const char *why)
{
	const struct cfg_proxy_set *p = set_of(r);

	r->last_code = code;
	snprintf(r->last_why, sizeof(r->last_why), "%s", why);
	if (r->removing) {
		log_info("proxy set %s: un-registering %s: %d %s", p->name, r->reg.aor,
			 code, why);
		removed(r);
		return;
	}
	log_warn("proxy set %s: registering %s with %s: %d %s; again in %u s",
		 p->name, r->reg.aor, p->targets[r->target].host, code, why,
		 r->backoff_s);
	set_state(r, REG_FAILED);
	retry_in(r, r->backoff_s * 1000ULL);
	r->backoff_s = r->backoff_s * 2 > REG_BACKOFF_MAX_S ? REG_BACKOFF_MAX_S :
		       r->backoff_s * 2;
}

/* RFC 3261 10.2.4: the expires of our binding in the 2xx's Contact list,
 * else the Expires header, else what we asked for. */
static unsigned int granted_expires(const struct reg_client *r,
				    const osip_message_t *resp)
{
	const char *e = sip_hdr(resp, "Expires");
	size_t want = strcspn(r->contact, ";");
	int i;

	for (i = 0; i < osip_list_size(&resp->contacts); i++) {
		osip_contact_t *c = osip_list_get(&resp->contacts, i);
		osip_generic_param_t *ex = NULL;
		char *u = NULL;
		bool ours;

		if (!c->url || osip_uri_to_str(c->url, &u))
			continue;
		ours = !strncasecmp(u, r->contact, want) && (!u[want] || u[want] == ';');
		osip_free(u);
		if (ours && !osip_contact_param_get_byname(c, "expires", &ex) && ex &&
		    ex->gvalue)
			return (unsigned int)strtoul(ex->gvalue, NULL, 10);
	}
	return e ? (unsigned int)strtoul(e, NULL, 10) : r->asked;
}

static void registered(struct reg_client *r, const osip_message_t *resp)
{
	const struct cfg_proxy_set *p = set_of(r);
	unsigned int granted = granted_expires(r, resp);

	r->last_code = resp->status_code;
	r->last_why[0] = 0;
	if (r->removing) {
		log_info("proxy set %s: %s un-registered", p->name, r->reg.aor);
		removed(r);
		return;
	}
	if (!granted) {
		failed(r, resp->status_code, "the registrar granted no time (expires 0)");
		return;
	}
	if (r->state != REG_REGISTERED || granted != r->granted)
		log_info("proxy set %s: %s registered with %s for %u s", p->name,
			 r->reg.aor, p->targets[r->target].host, granted);
	r->granted = granted;
	r->backoff_s = REG_BACKOFF_FIRST_S;
	set_state(r, REG_REGISTERED);
	/* Refresh at half the time granted (never more often than 1 s). */
	retry_in(r, granted > 2 ? granted * 500ULL : 1000);
}

static void on_response(void *arg, uint32_t txn, osip_message_t *resp)
{
	struct reg_client *r = arg;
	int code = resp ? resp->status_code : 408;
	char hdr[2048], why[256];

	if (txn != r->txn || code < 200)
		return;
	r->txn = 0;
	if (code < 300) {
		registered(r, resp);
		return;
	}
	if (code == 401 || code == 407) {
		char ruri[300];

		registrar_uri(r->reg.aor, ruri, sizeof(ruri));
		if (!auth_client_answer(&r->auth, auth_client_cred(r->owner->cfg, ps_of(r)),
					resp, "REGISTER", ruri, hdr, sizeof(hdr), why,
					sizeof(why))) {
			bool sent = send_register(r, hdr);

			OPENSSL_cleanse(hdr, sizeof(hdr));
			if (sent)
				return;
			snprintf(why, sizeof(why), "the REGISTER with credentials could not be sent");
		}
		failed(r, code, why);
		return;
	}
	if (code == 423 && !r->removing) {
		const char *min = sip_hdr(resp, "Min-Expires");
		unsigned long m = min ? strtoul(min, NULL, 10) : 0;

		if (m > r->asked && m <= 86400) {
			r->asked = (unsigned int)m;	/* RFC 3261 10.2.8 */
			if (send_register(r, NULL))
				return;
		}
	}
	failed(r, code, resp ? resp->reason_phrase ? resp->reason_phrase : "" :
		   "no answer");
}

static void on_timer(void *arg)
{
	struct reg_client *r = arg;

	if (r->state == REG_OFF || r->state == REG_UNREGISTERING)
		return;
	if (r->state != REG_REGISTERED)
		set_state(r, REG_REGISTERING);
	if (!send_register(r, NULL))
		failed(r, 503, "the REGISTER could not be sent");
}

static void start_one(struct reg_clients *rc, int ps, uint64_t delay_ms)
{
	struct reg_client *r = &rc->regs[ps];

	sip_txn_forget(rc->txns, r);
	if (r->timer.armed)
		ev_timer_cancel(&r->timer);
	memset(r, 0, sizeof(*r));
	r->owner = rc;
	r->reg = rc->cfg->proxy_sets[ps].reg;
	r->asked = r->reg.expires;
	r->backoff_s = REG_BACKOFF_FIRST_S;
	sip_random_token(r->call_id, 32);
	sip_random_token(r->from_tag, 16);
	r->cseq = 0;
	ev_timer_init(&r->timer, on_timer, r);
	set_state(r, REG_REGISTERING);
	retry_in(r, delay_ms);
}

void reg_clients_start(struct reg_clients *rc, const struct config *cfg,
		       struct sip_txns *txns)
{
	unsigned int p;

	rc->cfg = cfg;
	rc->txns = txns;
	for (p = 0; p < cfg->n_proxy_sets; p++)
		if (cfg->proxy_sets[p].reg.set)
			start_one(rc, (int)p, 200 + 50 * p);	/* after first probes */
}

/* REGISTER with Expires: 0 for what @r holds (with its own AOR). */
static void unregister(struct reg_client *r)
{
	if (r->timer.armed)
		ev_timer_cancel(&r->timer);
	sip_txn_forget(r->owner->txns, r);
	if (r->state != REG_REGISTERED) {
		set_state(r, REG_OFF);
		return;
	}
	r->removing = true;
	set_state(r, REG_UNREGISTERING);
	r->restart = false;
	if (!send_register(r, NULL))
		removed(r);
}

void reg_clients_reloaded(struct reg_clients *rc)
{
	unsigned int p;

	for (p = 0; p < CFG_MAX_OBJ; p++) {
		struct reg_client *r = &rc->regs[p];
		const struct cfg_register *now = p < rc->cfg->n_proxy_sets ?
						 &rc->cfg->proxy_sets[p].reg : NULL;
		bool active = r->owner && r->state != REG_OFF;

		if (now && now->set && active && !memcmp(now, &r->reg, sizeof(*now)))
			continue;
		if (active)
			unregister(r);
		/* The old binding goes first; the new one starts once it is. */
		if (now && now->set && r->state == REG_UNREGISTERING)
			r->restart = true;
		else if (now && now->set)
			start_one(rc, (int)p, 100);
	}
}

void reg_clients_stop(struct reg_clients *rc)
{
	unsigned int p;

	for (p = 0; p < CFG_MAX_OBJ; p++)
		if (rc->regs[p].owner && rc->regs[p].state != REG_OFF)
			unregister(&rc->regs[p]);
}

/* The reason phrase and our own words, safe inside JSON quotes. */
static void plain(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in && n + 1 < len; in++)
		if (*in != '"' && *in != '\\' && (unsigned char)*in >= 0x20)
			out[n++] = *in;
	out[n] = 0;
}

void reg_clients_status(const struct reg_clients *rc, struct sbuf *b, bool json)
{
	uint64_t now = ev_now_ms();
	unsigned int p, n = 0;

	for (p = 0; rc->cfg && p < CFG_MAX_OBJ; p++) {
		const struct reg_client *r = &rc->regs[p];
		char why[160];
		uint64_t next;

		if (!r->owner || p >= rc->cfg->n_proxy_sets)
			continue;
		next = r->timer.armed && r->next_ms > now ? (r->next_ms - now) / 1000 : 0;
		plain(r->last_why, why, sizeof(why));
		if (json)
			sb_printf(b, "%s{\"proxy_set\":\"%s\",\"aor\":\"%s\",\"state\":\"%s\","
				  "\"target\":\"%s\",\"expires\":%u,\"next_register_s\":%llu,"
				  "\"last_code\":%d,\"why\":\"%s\"}", n ? "," : "",
				  rc->cfg->proxy_sets[p].name, r->reg.aor, state_names[r->state],
				  rc->cfg->proxy_sets[p].targets[r->target].host,
				  r->state == REG_REGISTERED ? r->granted : 0,
				  (unsigned long long)next, r->last_code, why);
		else
			sb_printf(b, "registration %s aor %s state %s target %s expires %u "
				  "next-register %llu last-code %d%s%s\n",
				  rc->cfg->proxy_sets[p].name, r->reg.aor, state_names[r->state],
				  rc->cfg->proxy_sets[p].targets[r->target].host,
				  r->state == REG_REGISTERED ? r->granted : 0,
				  (unsigned long long)next, r->last_code,
				  why[0] ? " why " : "", why);
		n++;
	}
}
