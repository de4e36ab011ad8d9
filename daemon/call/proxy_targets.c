// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Proxy-set targets at run time: resolved addresses, TTLs, keep-alive, status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "base/evloop.h"
#include "base/log.h"
#include "call/advertise.h"
#include "call/auth_client.h"
#include "call/proxy_targets.h"
#include "sip/sip_msg.h"
#include "sip/sip_resolve.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"

#define PROBE_TIMEOUT_MS 4000
#define TARGET_MAX_ADDRS 8
/* A name that did not resolve is asked again this often; its last
 * addresses (if any) stay in use meanwhile. */
#define RETRY_MS 5000
/* An answer's TTL, bounded: 0 (do not cache) would ask in a loop. */
#define MIN_TTL_MS 1000
#define MAX_TTL_MS (3600 * 1000)

struct target_state;

struct addr_state {
	struct sip_resolved_addr ra;
	bool up;
	bool probing;
	struct ev_timer probe;
	struct target_state *ts;
	/* The probe in flight: a challenge to it is answered once with
	 * the same Call-ID and From tag, CSeq + 1. */
	char call_id[33], from_tag[17];
	uint32_t cseq;
	struct auth_state auth;
};

enum dns_state { DNS_STATIC, DNS_RESOLVING, DNS_RESOLVED, DNS_FAILED };

struct target_state {
	unsigned int p, t;
	/* The live configuration the timers read their target from
	 * (proxy_targets_start()); it keeps its address on reload. */
	const struct config *cfg;
	struct addr_state addrs[TARGET_MAX_ADDRS];
	unsigned int n_addrs;
	enum dns_state dns;
	bool asking;			/* a resolution is under way */
	uint32_t gen;			/* bumped when the target changes */
	uint64_t expires_ms;		/* when the TTL of the answer runs out */
	struct ev_timer refresh;
};

/* What a resolution's answer is for: an answer for a target that has
 * changed since it was asked is dropped. */
struct ask {
	struct target_state *ts;
	uint32_t gen;
};

/*
 * The table is file-level as the keep-alive state was before names
 * (daemon/README.md, "Not done"): the B2BUA picks targets with only the
 * configuration in hand.
 */
static struct {
	struct resolver *dns;
	struct sip_txns *txns;		/* the probes' */
	struct target_state t[CFG_MAX_OBJ][CFG_MAX_TARGETS];
} targets;

static const struct cfg_target *cfg_target_of(const struct target_state *ts)
{
	return &ts->cfg->proxy_sets[ts->p].targets[ts->t];
}

void proxy_targets_setup(struct resolver *dns, struct sip_txns *txns)
{
	unsigned int p, t;

	targets.dns = dns;
	targets.txns = txns;
	for (p = 0; p < CFG_MAX_OBJ; p++)
		for (t = 0; t < CFG_MAX_TARGETS; t++) {
			struct target_state *ts = &targets.t[p][t];

			ts->p = p;
			ts->t = t;
		}
}

struct resolver *proxy_targets_dns(void)
{
	return targets.dns;
}

static const char *addr_line(const struct sip_resolved_addr *ra, char *buf,
			     size_t len)
{
	char a[64];

	snprintf(buf, len, "%s %s", sip_proto_name(ra->proto),
		 sockaddr_str(&ra->addr, a, sizeof(a)));
	return buf;
}

static void probe_result(void *arg, uint32_t txn, osip_message_t *resp);

/* The probe's request-URI: a name stays the URI's host (RFC 3263 does not
 * change the URI), with the transport it resolved to. */
static void probe_uri(const struct addr_state *as, char *buf, size_t len)
{
	const struct cfg_target *ct = cfg_target_of(as->ts);

	if (ct->is_name)
		snprintf(buf, len, "%s;transport=%s", ct->host,
			 sip_proto_name(as->ra.proto));
	else
		sockaddr_str(&as->ra.addr, buf, len);
}

/* An OPTIONS to @as's address, @auth_hdr added (NULL: a new probe). */
static void probe_send(struct addr_state *as, const char *auth_hdr)
{
	struct target_state *ts = as->ts;
	const struct cfg_proxy_set *ps = &ts->cfg->proxy_sets[ts->p];
	struct sip_peer to = { .proto = as->ra.proto, .addr = as->ra.addr,
			       .iface = ps->iface >= 0 ? ps->iface : 0 };
	struct self_name self;
	char dst[160], branch[25], contact[SELF_HOST_MAX + 64];
	struct sbuf b;

	if (!auth_hdr) {
		sip_random_token(as->from_tag, 16);
		sip_random_token(as->call_id, 32);
		as->cseq = 0;
		memset(&as->auth, 0, sizeof(as->auth));
	}
	/* Teams and carriers check the Contact of OPTIONS for the SBC's FQDN. */
	advertise_self(ts->cfg, to.iface, to.proto,
		       advertise_proxy_set_private(ts->cfg, (int)ts->p), &self);
	advertise_contact(&self, to.proto, contact, sizeof(contact));
	probe_uri(as, dst, sizeof(dst));
	sip_random_token(branch, 24);
	sb_init(&b);
	sb_printf(&b, "OPTIONS sip:%s SIP/2.0\r\nVia: SIP/2.0/%s %s;branch=z9hG4bK%s;rport\r\n"
		  "Max-Forwards: 70\r\nFrom: <sip:srtprelayd@%s>;tag=%s\r\nTo: <sip:%s>\r\n"
		  "Call-ID: %s\r\nCSeq: %u OPTIONS\r\n%sUser-Agent: srtprelayd\r\n"
		  "%sContent-Length: 0\r\n\r\n", dst, sip_proto_name(to.proto),
		  self.sent_by, branch, self.contact, as->from_tag, dst, as->call_id,
		  ++as->cseq, contact, auth_hdr ? auth_hdr : "");
	if (!b.failed) {
		uint32_t id = sip_txn_request(targets.txns, &to, b.p, b.len,
					      probe_result, as);

		/* A dead target is down after 4 s, not after 64*T1. */
		if (id) {
			sip_txn_set_timeout(targets.txns, id, PROBE_TIMEOUT_MS);
			as->probing = true;
		}
	}
	sb_free(&b);
}

/* A trunk that challenges our OPTIONS (RFC 3261 22.2) gets them with the
 * proxy set's credentials; it is alive either way. */
static void probe_answer(struct addr_state *as, const osip_message_t *resp)
{
	char hdr[2048], why[256], ruri[176];
	int p = (int)as->ts->p;

	snprintf(ruri, sizeof(ruri), "sip:");
	probe_uri(as, ruri + 4, sizeof(ruri) - 4);
	if (auth_client_answer(&as->auth, auth_client_cred(as->ts->cfg, p), resp,
			       "OPTIONS", ruri, hdr, sizeof(hdr), why, sizeof(why)))
		return;
	probe_send(as, hdr);
	OPENSSL_cleanse(hdr, sizeof(hdr));
}

static void probe_result(void *arg, uint32_t txn, osip_message_t *resp)
{
	struct addr_state *as = arg;
	struct target_state *ts = as->ts;
	bool up = resp != NULL;	/* any response means it is alive */
	char a[96];

	(void)txn;
	as->probing = false;
	if (resp && (resp->status_code == 401 || resp->status_code == 407))
		probe_answer(as, resp);
	if (up != as->up && cfg_target_of(ts)->is_name)
		log_warn("proxy set %s target %s address %s is %s",
			 ts->cfg->proxy_sets[ts->p].name, cfg_target_of(ts)->host,
			 addr_line(&as->ra, a, sizeof(a)), up ? "UP" : "DOWN");
	else if (up != as->up)
		log_warn("proxy set %s target %s is %s", ts->cfg->proxy_sets[ts->p].name,
			 cfg_target_of(ts)->host, up ? "UP" : "DOWN");
	as->up = up;
}

static void probe(void *arg)
{
	struct addr_state *as = arg;

	ev_timer_arm(&as->probe,
		     as->ts->cfg->proxy_sets[as->ts->p].keepalive_interval * 1000ULL);
	if (!as->probing)
		probe_send(as, NULL);
}

static void stop_probes(struct target_state *ts)
{
	unsigned int i;

	for (i = 0; i < TARGET_MAX_ADDRS; i++)
		if (ts->addrs[i].probe.armed)
			ev_timer_cancel(&ts->addrs[i].probe);
}

static void start_probes(struct target_state *ts)
{
	unsigned int i;

	if (!ts->cfg->proxy_sets[ts->p].keepalive) {
		/* Nothing will say "up" again: a reload that turned keep-alive
		 * off must not leave addresses down for good. */
		for (i = 0; i < ts->n_addrs; i++)
			ts->addrs[i].up = true;
		return;
	}
	for (i = 0; i < ts->n_addrs; i++) {
		struct addr_state *as = &ts->addrs[i];

		as->ts = ts;
		ev_timer_init(&as->probe, probe, as);	/* stopped: stop_probes() */
		ev_timer_arm(&as->probe, 100 + 50 * (ts->t * TARGET_MAX_ADDRS + i));
	}
}

static bool same_addresses(const struct target_state *ts,
			   const struct sip_resolved *res)
{
	unsigned int i;

	if (ts->n_addrs != (res->n < TARGET_MAX_ADDRS ? res->n : TARGET_MAX_ADDRS))
		return false;
	for (i = 0; i < ts->n_addrs; i++)
		if (ts->addrs[i].ra.proto != res->a[i].proto ||
		    !sockaddr_equal(&ts->addrs[i].ra.addr, &res->a[i].addr))
			return false;
	return true;
}

/* A new answer: unchanged, nothing moves (probes in flight stay theirs);
 * changed, the addresses that stay keep their up/down state. */
static void take_addresses(struct target_state *ts, const struct sip_resolved *res)
{
	struct addr_state old[TARGET_MAX_ADDRS];
	unsigned int i, k, n_old = ts->n_addrs;
	struct sbuf b;
	char a[96];

	if (same_addresses(ts, res))
		return;
	memcpy(old, ts->addrs, sizeof(old));
	stop_probes(ts);
	ts->n_addrs = 0;
	for (i = 0; i < res->n && i < TARGET_MAX_ADDRS; i++) {
		struct addr_state *as = &ts->addrs[ts->n_addrs++];

		as->ra = res->a[i];
		as->up = true;		/* until a probe says otherwise */
		as->probing = false;
		for (k = 0; k < n_old; k++)
			if (old[k].ra.proto == as->ra.proto &&
			    sockaddr_equal(&old[k].ra.addr, &as->ra.addr))
				as->up = old[k].up;
	}
	sb_init(&b);
	for (i = 0; i < ts->n_addrs; i++)
		sb_printf(&b, "%s%s priority %u weight %u", i ? ", " : "",
			  addr_line(&ts->addrs[i].ra, a, sizeof(a)),
			  ts->addrs[i].ra.priority, ts->addrs[i].ra.weight);
	log_info("proxy set %s target %s: %s (ttl %u s)",
		 ts->cfg->proxy_sets[ts->p].name, cfg_target_of(ts)->host,
		 b.failed ? "" : b.p, res->ttl);
	sb_free(&b);
	start_probes(ts);
}

static void resolve(struct target_state *ts);

static void refresh(void *arg)
{
	resolve(arg);
}

static void resolved(void *arg, const struct sip_resolved *res)
{
	struct ask *ask = arg;
	struct target_state *ts = ask->ts;
	uint64_t ttl_ms;

	if (ask->gen != ts->gen || res->status == -ECANCELED) {
		free(ask);
		return;			/* the target changed, or we stop */
	}
	free(ask);
	ts->asking = false;
	if (res->status) {
		if (ts->dns != DNS_FAILED)
			log_warn("proxy set %s target %s: DNS: %s; %s, asking again every %d s",
				 ts->cfg->proxy_sets[ts->p].name, cfg_target_of(ts)->host,
				 res->status == -ENOENT ? "no such name or record" :
				 res->status == -ETIMEDOUT ? "no server answered" :
				 "server failure",
				 ts->n_addrs ? "keeping its last addresses" : "no address",
				 RETRY_MS / 1000);
		ts->dns = DNS_FAILED;
		ev_timer_arm(&ts->refresh, RETRY_MS);
		return;
	}
	ts->dns = DNS_RESOLVED;
	take_addresses(ts, res);
	ttl_ms = (uint64_t)res->ttl * 1000;
	ttl_ms = ttl_ms < MIN_TTL_MS ? MIN_TTL_MS : ttl_ms > MAX_TTL_MS ? MAX_TTL_MS : ttl_ms;
	ts->expires_ms = ev_now_ms() + ttl_ms;
	/* Just after the cache's copy expires, so the answer is fresh. */
	ev_timer_arm(&ts->refresh, ttl_ms + 50);
}

static void resolve(struct target_state *ts)
{
	const struct cfg_target *ct = cfg_target_of(ts);
	struct ask *ask;
	int rc;

	if (ts->asking)
		return;
	ask = malloc(sizeof(*ask));
	if (!ask) {
		ev_timer_arm(&ts->refresh, RETRY_MS);
		return;
	}
	*ask = (struct ask){ .ts = ts, .gen = ts->gen };
	ts->asking = true;
	if (ts->dns != DNS_RESOLVED && ts->dns != DNS_FAILED)
		ts->dns = DNS_RESOLVING;
	rc = sip_resolve(targets.dns, ct->host, ct->port,
			 ct->proto_given ? (int)ct->proto : -1, false, resolved, ask);
	if (rc) {
		free(ask);
		ts->asking = false;
		log_warn("proxy set %s target %s: cannot resolve: %s",
			 ts->cfg->proxy_sets[ts->p].name, ct->host, strerror(-rc));
		ev_timer_arm(&ts->refresh, RETRY_MS);
	}
}

void proxy_targets_start(const struct config *cfg)
{
	unsigned int p, t;

	for (p = 0; p < cfg->n_proxy_sets; p++) {
		for (t = 0; t < cfg->proxy_sets[p].n_targets; t++) {
			struct target_state *ts = &targets.t[p][t];
			const struct cfg_target *ct = &cfg->proxy_sets[p].targets[t];

			ts->cfg = cfg;
			if (!ts->refresh.cb)
				ev_timer_init(&ts->refresh, refresh, ts);
			if (ct->is_name) {
				start_probes(ts);
				resolve(ts);
				continue;
			}
			ts->dns = DNS_STATIC;
			if (!ts->n_addrs) {
				ts->addrs[0] = (struct addr_state){ .up = true };
				ts->addrs[0].ra.addr = ct->addr;
				ts->addrs[0].ra.proto = ct->proto;
				ts->n_addrs = 1;
			}
			start_probes(ts);
		}
	}
}

static bool same_target(const struct cfg_target *o, const struct cfg_target *n)
{
	return o->is_name == n->is_name && o->proto == n->proto &&
	       o->proto_given == n->proto_given && o->port == n->port &&
	       !strcasecmp(o->host, n->host) && !strcmp(o->tls_name, n->tls_name) &&
	       (o->is_name || sockaddr_equal(&o->addr, &n->addr));
}

void proxy_targets_reload(const struct config *live, const struct config *next)
{
	bool servers = strcmp(live->dns.servers, next->dns.servers);
	unsigned int p, t;

	if (servers && resolver_set_servers(targets.dns, next->dns.servers))
		log_warn("dns: keeping the servers asked so far");
	for (p = 0; p < CFG_MAX_OBJ; p++) {
		for (t = 0; t < CFG_MAX_TARGETS; t++) {
			struct target_state *ts = &targets.t[p][t];
			const struct cfg_target *o = NULL, *n = NULL;

			stop_probes(ts);
			if (ts->refresh.armed)
				ev_timer_cancel(&ts->refresh);
			if (p < live->n_proxy_sets && t < live->proxy_sets[p].n_targets)
				o = &live->proxy_sets[p].targets[t];
			if (p < next->n_proxy_sets && t < next->proxy_sets[p].n_targets)
				n = &next->proxy_sets[p].targets[t];
			if (o && n && same_target(o, n))
				continue;
			ts->gen++;	/* an answer under way is for the old one */
			ts->asking = false;
			ts->n_addrs = 0;
			ts->dns = DNS_STATIC;
		}
	}
}

int proxy_targets_pick(const struct config *cfg, int p, int nth,
		       struct sip_peer *to, const struct cfg_target **target)
{
	const struct cfg_proxy_set *ps = &cfg->proxy_sets[p];
	unsigned int t, i;
	int seen = 0;

	for (t = 0; t < ps->n_targets; t++) {
		const struct target_state *ts = &targets.t[p][t];

		for (i = 0; i < ts->n_addrs; i++) {
			if (!ts->addrs[i].up || seen++ < nth)
				continue;
			to->addr = ts->addrs[i].ra.addr;
			to->proto = ts->addrs[i].ra.proto;
			if (target)
				*target = &ps->targets[t];
			return 0;
		}
	}
	return -1;
}

bool proxy_targets_up(int p, int t)
{
	const struct target_state *ts = &targets.t[p][t];
	unsigned int i;

	for (i = 0; i < ts->n_addrs; i++)
		if (ts->addrs[i].up)
			return true;
	return false;
}

static bool same_ip(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	struct sockaddr_storage x = *a, y = *b;

	sockaddr_set_port(&x, 0);
	sockaddr_set_port(&y, 0);
	return sockaddr_equal(&x, &y);
}

int proxy_targets_group_of(const struct config *cfg,
			   const struct sockaddr_storage *addr)
{
	unsigned int g, t, i;

	for (g = 0; g < cfg->n_groups; g++) {
		int p = cfg->groups[g].proxy_set;

		if (p < 0)
			continue;
		for (t = 0; t < cfg->proxy_sets[p].n_targets; t++) {
			const struct target_state *ts = &targets.t[p][t];

			if (!cfg->proxy_sets[p].targets[t].is_name)
				continue;
			for (i = 0; i < ts->n_addrs; i++)
				if (same_ip(&ts->addrs[i].ra.addr, addr))
					return (int)g;
		}
	}
	return -1;
}

const char *proxy_targets_tls_name(const struct config *cfg,
				   const struct sockaddr_storage *addr)
{
	unsigned int p, t, i;

	for (p = 0; p < cfg->n_proxy_sets; p++)
		for (t = 0; t < cfg->proxy_sets[p].n_targets; t++) {
			const struct cfg_target *ct = &cfg->proxy_sets[p].targets[t];
			const struct target_state *ts = &targets.t[p][t];

			if (!ct->is_name)
				continue;
			for (i = 0; i < ts->n_addrs; i++)
				if (ts->addrs[i].ra.proto == SIP_TLS &&
				    sockaddr_equal(&ts->addrs[i].ra.addr, addr))
					/* RFC 5922 4: the domain asked for,
					 * never what it resolved to. */
					return ct->tls_name[0] ? ct->tls_name : ct->host;
		}
	return config_tls_name(cfg, addr);
}

static const char *dns_state_name(const struct target_state *ts)
{
	static const char *const names[] = { "static", "resolving", "resolved", "failed" };

	return names[ts->dns];
}

static void status_target(struct sbuf *b, const struct config *cfg,
			  unsigned int p, unsigned int t, bool json)
{
	const struct target_state *ts = &targets.t[p][t];
	const struct cfg_target *ct = &cfg->proxy_sets[p].targets[t];
	uint64_t now = ev_now_ms();
	unsigned long long left = ts->dns == DNS_RESOLVED && ts->expires_ms > now ?
				  (ts->expires_ms - now + 999) / 1000 : 0;
	unsigned int i;
	char a[64];

	if (json)
		sb_printf(b, "%s{\"host\":\"%s\",\"dns\":\"%s\",\"ttl_left_s\":%llu,\"addresses\":[",
			  t ? "," : "", ct->host, dns_state_name(ts), left);
	else
		sb_printf(b, "proxy-set %s target %s dns %s ttl-left %llu addresses %u\n",
			  cfg->proxy_sets[p].name, ct->host, dns_state_name(ts), left,
			  ts->n_addrs);
	for (i = 0; i < ts->n_addrs; i++) {
		const struct addr_state *as = &ts->addrs[i];

		sockaddr_str(&as->ra.addr, a, sizeof(a));
		if (json)
			sb_printf(b, "%s{\"transport\":\"%s\",\"address\":\"%s\",\"priority\":%u,\"weight\":%u,\"state\":\"%s\"}",
				  i ? "," : "", sip_proto_name(as->ra.proto), a,
				  as->ra.priority, as->ra.weight, as->up ? "up" : "down");
		else
			sb_printf(b, "proxy-set %s target %s address %s %s priority %u weight %u %s\n",
				  cfg->proxy_sets[p].name, ct->host, sip_proto_name(as->ra.proto),
				  a, as->ra.priority, as->ra.weight, as->up ? "up" : "down");
	}
	if (json)
		sb_puts(b, "]}");
}

void proxy_targets_status(struct sbuf *b, const struct config *cfg, bool json)
{
	unsigned int p, t;

	if (json)
		sb_puts(b, ",\"proxy_sets\":[");
	for (p = 0; p < cfg->n_proxy_sets; p++) {
		if (json)
			sb_printf(b, "%s{\"name\":\"%s\",\"targets\":[", p ? "," : "",
				  cfg->proxy_sets[p].name);
		for (t = 0; t < cfg->proxy_sets[p].n_targets; t++)
			status_target(b, cfg, p, t, json);
		if (json)
			sb_puts(b, "]}");
	}
	if (json)
		sb_puts(b, "]");
}
