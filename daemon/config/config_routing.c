// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Readers of proxy sets, IP groups and routing rules: where calls go. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <linux/srtprelay.h>

#include "config/config.h"
#include "config/config_parse.h"
#include "sdes.h"

/* A SIP domain as RFC 5922 7 compares it: a host name, no wildcard. */
static bool parse_tls_name(const char *v, size_t len, struct cfg_target *t,
			   char *why, size_t why_len)
{
	size_t i;

	if (!len || len >= sizeof(t->tls_name)) {
		snprintf(why, why_len, "tls_name must be 1..%zu characters",
			 sizeof(t->tls_name) - 1);
		return false;
	}
	if (memchr(v, '*', len)) {
		snprintf(why, why_len, "tls_name '%.*s' is a wildcard: RFC 5922 section 7.2 never matches one to a SIP domain",
			 (int)len, v);
		return false;
	}
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)v[i]) && !strchr("-.:_", v[i])) {
			snprintf(why, why_len, "tls_name '%.*s' is not a host name",
				 (int)len, v);
			return false;
		}
	}
	memcpy(t->tls_name, v, len);
	t->tls_name[len] = 0;
	return true;
}

/*
 * "host:port;transport=tls;tls_name=sbc.example.test" with host an IP
 * address or a name; parameters in any order.
 */
static bool parse_params(const char *p, struct cfg_target *t, char *why,
			 size_t why_len)
{
	bool named = false;

	t->proto = SIP_UDP;
	while (p && *p == ';') {
		const char *v, *end = strchr(p + 1, ';');
		size_t len = end ? (size_t)(end - p - 1) : strlen(p + 1);
		char proto[8];

		if (!strncmp(p + 1, "transport=", 10)) {
			v = p + 11;
			snprintf(proto, sizeof(proto), "%.*s", (int)(len - 10), v);
			if (len - 10 >= sizeof(proto) || sip_proto_parse(proto, &t->proto)) {
				snprintf(why, why_len, "';%.*s': only ;transport=udp|tcp|tls",
					 (int)len, p + 1);
				return false;
			}
			t->proto_given = true;
		} else if (!strncmp(p + 1, "tls_name=", 9)) {
			if (!parse_tls_name(p + 10, len - 9, t, why, why_len))
				return false;
			named = true;
		} else {
			snprintf(why, why_len, "';%.*s': only ;transport=udp|tcp|tls and ;tls_name=DOMAIN",
				 (int)len, p + 1);
			return false;
		}
		p = end;
	}
	if (named && t->proto != SIP_TLS) {
		snprintf(why, why_len, "tls_name needs ;transport=tls");
		return false;
	}
	return true;
}

static bool parse_target(const char *s, struct cfg_target *t, char *why,
			 size_t why_len)
{
	char host[128];
	const char *colon, *semi = strchr(s, ';');
	size_t hlen;
	long port = 0;

	if (!parse_params(semi, t, why, why_len))
		return false;
	hlen = semi ? (size_t)(semi - s) : strlen(s);
	colon = memrchr(s, ':', hlen);
	if (s[0] == '[')
		colon = memchr(s, ']', hlen) ? memrchr(s, ':', hlen) : NULL;
	if (colon && (s[0] != '[' || colon[-1] == ']')) {
		char *end;

		port = strtol(colon + 1, &end, 10);
		if (end != s + hlen || port < 1 || port > 65535) {
			snprintf(why, why_len, "port of '%s' is not 1..65535", s);
			return false;
		}
		hlen = (size_t)(colon - s);
	}
	if (hlen >= sizeof(host)) {
		snprintf(why, why_len, "host too long");
		return false;
	}
	memcpy(host, s, hlen);
	host[hlen] = 0;
	snprintf(t->host, sizeof(t->host), "%s", host);
	t->port = (uint16_t)port;
	if (!sockaddr_parse(host, (uint16_t)(port ? port : t->proto == SIP_TLS ?
					     5061 : 5060), &t->addr))
		return true;
	if (!sip_host_is_name(host, hlen)) {
		snprintf(why, why_len, "'%.60s' is neither an IP address nor a host name", host);
		return false;
	}
	/* Resolved by RFC 3263 at run time; its certificate must carry the
	 * name as written (RFC 5922 4), never what it resolved to. */
	memset(&t->addr, 0, sizeof(t->addr));
	t->is_name = true;
	return true;
}

static void load_targets(struct cfg_ctx *ctx, config_setting_t *o,
			 struct cfg_proxy_set *p)
{
	config_setting_t *a = config_setting_get_member(o, "targets");
	int i, n;
	char why[160];

	if (!a || !config_setting_is_array(a) || !(n = config_setting_length(a))) {
		cfg_error(ctx, a ? a : o, "proxy set '%s': targets = [ \"host:port;transport=udp\", ... ]",
			  p->name);
		return;
	}
	for (i = 0; i < n && p->n_targets < CFG_MAX_TARGETS; i++) {
		const char *s = config_setting_get_string_elem(a, i);

		if (!s || !parse_target(s, &p->targets[p->n_targets], why, sizeof(why)))
			cfg_error(ctx, a, "proxy set '%s' target %d: %s", p->name, i + 1,
				  s ? why : "not a string");
		else
			p->n_targets++;
	}
}

/*
 * A verifying TLS context and a target without tls_name: the chain is
 * checked, but any name the trusted roots vouch for is accepted. Allowed
 * (trunks known only by address), said once at load.
 */
static void warn_unnamed(struct cfg_ctx *ctx, config_setting_t *o,
			 const struct config *cfg, const struct cfg_proxy_set *p)
{
	int iface = p->iface >= 0 ? p->iface : 0;
	unsigned int i;

	if ((unsigned int)iface >= cfg->n_ifaces || cfg->ifaces[iface].tls < 0 ||
	    !cfg->tls[cfg->ifaces[iface].tls].verify_peer)
		return;
	for (i = 0; i < p->n_targets; i++)
		if (p->targets[i].proto == SIP_TLS && !p->targets[i].tls_name[0] &&
		    !p->targets[i].is_name)
			cfg_warn(ctx, config_setting_get_member(o, "targets"),
				 "proxy set '%s' target %s: tls context '%s' verifies, but without ;tls_name= only the chain is checked, not the RFC 5922 name",
				 p->name, p->targets[i].host,
				 cfg->tls[cfg->ifaces[iface].tls].name);
}

/*
 * An outgoing connection is found by address (config_tls_name()), and
 * connections are shared by every set: one address, one tls_name.
 */
static void check_one_name(struct cfg_ctx *ctx, config_setting_t *o,
			   const struct config *cfg, const struct cfg_proxy_set *p)
{
	unsigned int i, j, k;

	for (i = 0; i < p->n_targets; i++) {
		const struct cfg_target *t = &p->targets[i];

		if (t->proto != SIP_TLS || t->is_name)
			continue;	/* a name's addresses: routing_tls_name() */
		for (j = 0; j <= cfg->n_proxy_sets; j++) {
			const struct cfg_proxy_set *q = j < cfg->n_proxy_sets ?
							&cfg->proxy_sets[j] : p;

			for (k = 0; k < (q == p ? i : q->n_targets); k++) {
				const struct cfg_target *u = &q->targets[k];

				if (u->proto == SIP_TLS && !u->is_name &&
				    sockaddr_equal(&u->addr, &t->addr) &&
				    strcmp(u->tls_name, t->tls_name)) {
					cfg_error(ctx, config_setting_get_member(o, "targets"),
						  "proxy set '%s' target %s: two tls_names for one address ('%s' in proxy set '%s')",
						  p->name, t->host, u->tls_name, q->name);
					return;
				}
			}
		}
	}
}

void config_load_proxy_sets(struct cfg_ctx *ctx, config_setting_t *root,
			    struct config *cfg)
{
	static const char *const known[] = { "name", "targets", "keepalive",
		"keepalive_interval", "failover", "sip_interface", "auth", "register",
		NULL };
	config_setting_t *l = cfg_list(ctx, root, "proxy_sets");
	int i, n = l ? config_setting_length(l) : 0;
	long v;

	for (i = 0; i < n; i++) {
		config_setting_t *o = config_setting_get_elem(l, (unsigned)i);
		struct cfg_proxy_set *p = &cfg->proxy_sets[cfg->n_proxy_sets];

		memset(p, 0, sizeof(*p));
		if (!cfg_object(ctx, o, p->name, cfg->proxy_sets, sizeof(*p),
				cfg->n_proxy_sets, CFG_MAX_OBJ))
			continue;
		cfg_check_keys(ctx, o, known);
		load_targets(ctx, o, p);
		p->keepalive_interval = 30;
		p->failover = true;
		cfg_bool(ctx, o, "keepalive", &p->keepalive);
		cfg_bool(ctx, o, "failover", &p->failover);
		if (cfg_int(ctx, o, "keepalive_interval", 1, 3600, &v))
			p->keepalive_interval = (unsigned int)v;
		p->iface = cfg_ref(ctx, o, "sip_interface", cfg->ifaces,
				   sizeof(cfg->ifaces[0]), cfg->n_ifaces,
				   "sip interface", false);
		warn_unnamed(ctx, o, cfg, p);
		check_one_name(ctx, o, cfg, p);
		config_load_proxy_auth(ctx, o, p);
		cfg->n_proxy_sets++;
	}
}

static bool parse_subnet(const char *s, struct cfg_subnet *sn)
{
	char host[64];
	const char *slash = strchr(s, '/');
	size_t hlen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int max;
	char *end;

	if (hlen >= sizeof(host))
		return false;
	memcpy(host, s, hlen);
	host[hlen] = 0;
	if (sockaddr_parse(host, 0, &sn->addr))
		return false;
	max = sn->addr.ss_family == AF_INET ? 32 : 128;
	sn->prefix = max;
	if (slash) {
		unsigned long p = strtoul(slash + 1, &end, 10);

		if (*end || end == slash + 1 || p > max)
			return false;
		sn->prefix = (unsigned int)p;
	}
	return true;
}

static void load_match(struct cfg_ctx *ctx, config_setting_t *o,
		       struct cfg_ip_group *g)
{
	config_setting_t *a = config_setting_get_member(o, "match");
	int i, n;

	if (!a)
		return;
	if (!config_setting_is_array(a)) {
		cfg_error(ctx, a, "match: an array of \"address/prefix\"");
		return;
	}
	n = config_setting_length(a);
	for (i = 0; i < n && g->n_subnets < CFG_MAX_SUBNETS; i++) {
		const char *s = config_setting_get_string_elem(a, i);

		if (!s || !parse_subnet(s, &g->subnets[g->n_subnets]))
			cfg_error(ctx, a, "match entry %d '%s' is not address[/prefix]",
				  i + 1, s ? s : "?");
		else
			g->n_subnets++;
	}
}

static void load_suites(struct cfg_ctx *ctx, config_setting_t *o,
			struct cfg_ip_group *g)
{
	config_setting_t *a = config_setting_get_member(o, "suites");
	int i, n;

	/*
	 * Without a list every suite is taken, AES_CM_128 first, and our own
	 * offers carry the two AES_CM_128 lines every SDES peer knows (six
	 * lines would make a UDP INVITE with video near the path MTU). A list
	 * given is what is taken and offered, in its order.
	 */
	static const uint32_t every_suite[CFG_MAX_SUITES] = {
		SDES_SUITE_AES_CM_128_HMAC_SHA1_80,
		SDES_SUITE_AES_CM_128_HMAC_SHA1_32,
		SDES_SUITE_AES_256_CM_HMAC_SHA1_80,
		SDES_SUITE_AES_256_CM_HMAC_SHA1_32,
		SDES_SUITE_AEAD_AES_128_GCM,
		SDES_SUITE_AEAD_AES_256_GCM,
	};

	memcpy(g->suites, every_suite, sizeof(every_suite));
	g->n_suites = CFG_MAX_SUITES;
	g->n_offered_suites = 2;
	if (!a)
		return;
	if (!config_setting_is_array(a) || !(n = config_setting_length(a))) {
		cfg_error(ctx, a, "suites: a non-empty array of suite names");
		return;
	}
	g->n_suites = 0;
	for (i = 0; i < n && g->n_suites < CFG_MAX_SUITES; i++) {
		const char *s = config_setting_get_string_elem(a, i);
		uint32_t k;

		for (k = 1; k < __SDES_SUITE_COUNT; k++)
			if (s && sdes_suite_name(k) && !strcmp(sdes_suite_name(k), s))
				break;
		if (k == __SDES_SUITE_COUNT || !sdes_suite_supported(k))
			cfg_error(ctx, a, "suite '%s': supported are AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32, AES_256_CM_HMAC_SHA1_80, AES_256_CM_HMAC_SHA1_32, AEAD_AES_128_GCM and AEAD_AES_256_GCM",
				  s ? s : "?");
		else
			g->suites[g->n_suites++] = k;
	}
	g->n_offered_suites = g->n_suites;
}

/* RFC 4028 4: Min-SE is never below 90 s; an interval below our own
 * Min-SE would be refused by ourselves. */
static void load_session_timer(struct cfg_ctx *ctx, config_setting_t *o,
			       struct cfg_ip_group *g)
{
	long t;

	g->min_se = 90;
	if (cfg_int(ctx, o, "min_se", 90, 86400, &t))
		g->min_se = (unsigned int)t;
	if (cfg_int(ctx, o, "session_expires", 0, 86400, &t))
		g->session_expires = (unsigned int)t;
	if (g->session_expires && g->session_expires < g->min_se)
		cfg_error(ctx, config_setting_get_member(o, "session_expires"),
			  "session_expires %u is below min_se %u (0: no session timer)",
			  g->session_expires, g->min_se);
}

static void load_group_media(struct cfg_ctx *ctx, config_setting_t *o,
			     struct cfg_ip_group *g)
{
	char v[32];
	long t;

	g->srtp = SRTP_PREFERABLE;
	if (cfg_str(ctx, o, "srtp", v, sizeof(v), false)) {
		if (!strcmp(v, "mandatory"))
			g->srtp = SRTP_MANDATORY;
		else if (!strcmp(v, "preferable"))
			g->srtp = SRTP_PREFERABLE;
		else if (!strcmp(v, "disabled"))
			g->srtp = SRTP_DISABLED;
		else
			cfg_error(ctx, config_setting_get_member(o, "srtp"),
				  "srtp '%s': use mandatory, preferable or disabled", v);
	}
	/* What RFC 4568 says for SRTP only, what reaches plain phones too for
	 * best effort; either way the other form is tried after a 488. */
	g->srtp_offer = g->srtp == SRTP_MANDATORY ? SRTP_OFFER_SAVP :
			SRTP_OFFER_AVP_CRYPTO;
	if (cfg_str(ctx, o, "srtp_offer", v, sizeof(v), false)) {
		if (!strcmp(v, "savp"))
			g->srtp_offer = SRTP_OFFER_SAVP;
		else if (!strcmp(v, "avp-with-crypto"))
			g->srtp_offer = SRTP_OFFER_AVP_CRYPTO;
		else
			cfg_error(ctx, config_setting_get_member(o, "srtp_offer"),
				  "srtp_offer '%s': use savp or avp-with-crypto", v);
	}
	if (cfg_str(ctx, o, "media_source", v, sizeof(v), false)) {
		if (!strcmp(v, "lock-on-sdp") || !strcmp(v, "strict"))
			g->lock_on_sdp = true;
		else if (strcmp(v, "latch"))
			cfg_error(ctx, config_setting_get_member(o, "media_source"),
				  "media_source '%s': use latch or lock-on-sdp (strict)", v);
	}
	cfg_bool(ctx, o, "allow_unencrypted_srtp", &g->allow_unencrypted_srtp);
	cfg_bool(ctx, o, "srtp_pass_through", &g->srtp_pass_through);
	g->latch_window_ms = SRTPRELAY_LATCH_WINDOW_DEFAULT_MS;
	if (cfg_int(ctx, o, "latch_window_ms", 0, SRTPRELAY_LATCH_WINDOW_MAX_MS, &t))
		g->latch_window_ms = (unsigned int)t;
	if (cfg_int(ctx, o, "media_timeout", 0, 86400, &t))
		g->media_timeout = (unsigned int)t;
	load_session_timer(ctx, o, g);
	if (cfg_int(ctx, o, "max_calls", 0, 10000000, &t))
		g->max_calls = (unsigned int)t;
	if (cfg_int(ctx, o, "max_call_rate", 0, 1000000, &t))
		g->max_call_rate = (unsigned int)t;
	/* A trunk sends more than a phone: its group may lift the limit. */
	g->request_rate = g->request_burst = -1;
	if (cfg_int(ctx, o, "request_rate", 0, 1000000, &t))
		g->request_rate = (int)t;
	if (cfg_int(ctx, o, "request_burst", 1, 1000000, &t))
		g->request_burst = (int)t;
	load_suites(ctx, o, g);
}

void config_load_groups(struct cfg_ctx *ctx, config_setting_t *root,
			struct config *cfg)
{
	static const char *const known[] = { "name", "match", "proxy_set",
		"media_realm", "sip_interface", "srtp", "srtp_offer", "suites",
		"media_source", "latch_window_ms", "media_timeout", "max_calls",
		"max_call_rate", "session_expires", "min_se",
		"allow_unencrypted_srtp", "srtp_pass_through",
		"request_rate", "request_burst",
		"nat_side", "request_uri_host", NULL };
	config_setting_t *l = cfg_list(ctx, root, "ip_groups");
	int i, n = l ? config_setting_length(l) : 0;

	for (i = 0; i < n; i++) {
		config_setting_t *o = config_setting_get_elem(l, (unsigned)i);
		struct cfg_ip_group *g = &cfg->groups[cfg->n_groups];

		memset(g, 0, sizeof(*g));
		if (!cfg_object(ctx, o, g->name, cfg->groups, sizeof(*g),
				cfg->n_groups, CFG_MAX_OBJ))
			continue;
		cfg_check_keys(ctx, o, known);
		load_match(ctx, o, g);
		g->proxy_set = cfg_ref(ctx, o, "proxy_set", cfg->proxy_sets,
				       sizeof(cfg->proxy_sets[0]),
				       cfg->n_proxy_sets, "proxy set", false);
		g->realm = cfg_ref(ctx, o, "media_realm", cfg->realms,
				   sizeof(cfg->realms[0]), cfg->n_realms,
				   "media realm", false);
		g->iface = cfg_ref(ctx, o, "sip_interface", cfg->ifaces,
				   sizeof(cfg->ifaces[0]), cfg->n_ifaces,
				   "sip interface", false);
		load_group_media(ctx, o, g);
		config_load_group_identity(ctx, o, g);
		cfg->n_groups++;
	}
}

static void load_pattern(struct cfg_ctx *ctx, config_setting_t *o,
			 const char *key, regex_t *re, bool *has)
{
	char pat[256], why[128];
	int rc;

	if (!cfg_str(ctx, o, key, pat, sizeof(pat), false))
		return;
	rc = regcomp(re, pat, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		regerror(rc, re, why, sizeof(why));
		cfg_error(ctx, config_setting_get_member(o, key),
			  "%s pattern '%s': %s", key, pat, why);
		return;
	}
	*has = true;
}

void config_load_routes(struct cfg_ctx *ctx, config_setting_t *root,
			struct config *cfg)
{
	static const char *const known[] = { "name", "from", "user", "host",
		"to", NULL };
	config_setting_t *l = cfg_list(ctx, root, "routing");
	int i, n = l ? config_setting_length(l) : 0;

	for (i = 0; i < n; i++) {
		config_setting_t *o = config_setting_get_elem(l, (unsigned)i);
		struct cfg_route *r = &cfg->routes[cfg->n_routes];

		memset(r, 0, sizeof(*r));
		if (!cfg_object(ctx, o, r->name, cfg->routes, sizeof(*r),
				cfg->n_routes, CFG_MAX_OBJ))
			continue;
		cfg_check_keys(ctx, o, known);
		r->src_group = cfg_ref(ctx, o, "from", cfg->groups,
				       sizeof(cfg->groups[0]), cfg->n_groups,
				       "ip group", false);
		load_pattern(ctx, o, "user", &r->user_re, &r->has_user);
		load_pattern(ctx, o, "host", &r->host_re, &r->has_host);
		r->dst_group = cfg_ref(ctx, o, "to", cfg->groups,
				       sizeof(cfg->groups[0]), cfg->n_groups,
				       "ip group", true);
		if (r->dst_group >= 0)
			r->to_request_uri = cfg->groups[r->dst_group].proxy_set < 0;
		cfg->n_routes++;
	}
}

static bool subnet_match(const struct cfg_subnet *sn,
			 const struct sockaddr_storage *a)
{
	const uint8_t *x, *y;
	unsigned int bits = sn->prefix, i;

	if (sn->addr.ss_family != a->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		x = (const uint8_t *)&((const struct sockaddr_in *)&sn->addr)->sin_addr;
		y = (const uint8_t *)&((const struct sockaddr_in *)a)->sin_addr;
	} else {
		x = (const uint8_t *)&((const struct sockaddr_in6 *)&sn->addr)->sin6_addr;
		y = (const uint8_t *)&((const struct sockaddr_in6 *)a)->sin6_addr;
	}
	for (i = 0; bits >= 8; i++, bits -= 8)
		if (x[i] != y[i])
			return false;
	return !bits || !((x[i] ^ y[i]) & (uint8_t)(0xff << (8 - bits)));
}

int config_group_by_addr(const struct config *cfg,
			 const struct sockaddr_storage *addr)
{
	unsigned int i, j;

	for (i = 0; i < cfg->n_groups; i++)
		for (j = 0; j < cfg->groups[i].n_subnets; j++)
			if (subnet_match(&cfg->groups[i].subnets[j], addr))
				return (int)i;
	/* Then by proxy set: a reply path from a target we send calls to. */
	for (i = 0; i < cfg->n_groups; i++) {
		const struct cfg_proxy_set *p;

		if (cfg->groups[i].proxy_set < 0)
			continue;
		p = &cfg->proxy_sets[cfg->groups[i].proxy_set];
		for (j = 0; j < p->n_targets; j++) {
			/* A name's addresses: routing_classify() knows them. */
			struct cfg_subnet host = { .addr = p->targets[j].addr,
				.prefix = p->targets[j].addr.ss_family == AF_INET ? 32 : 128 };

			if (subnet_match(&host, addr))
				return (int)i;
		}
	}
	return -1;
}

const char *config_tls_name(const struct config *cfg,
			    const struct sockaddr_storage *addr)
{
	unsigned int i, j;

	for (i = 0; i < cfg->n_proxy_sets; i++)
		for (j = 0; j < cfg->proxy_sets[i].n_targets; j++) {
			const struct cfg_target *t = &cfg->proxy_sets[i].targets[j];

			if (t->proto == SIP_TLS && t->tls_name[0] && !t->is_name &&
			    sockaddr_equal(&t->addr, addr))
				return t->tls_name;
		}
	return NULL;
}
