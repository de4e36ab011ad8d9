// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Readers of the named object lists: TLS contexts, realms, interfaces. */
#include <stdio.h>
#include <string.h>
#include <openssl/ssl.h>

#include "config/config_parse.h"

static int tls_version(const char *v)
{
	if (!strcmp(v, "TLSv1.2"))
		return TLS1_2_VERSION;
	if (!strcmp(v, "TLSv1.3"))
		return TLS1_3_VERSION;
	return 0;
}

static void load_tls_versions(struct cfg_ctx *ctx, config_setting_t *o,
			      struct cfg_tls *t)
{
	config_setting_t *v = config_setting_get_member(o, "versions");
	int i, n;

	if (!v)
		return;
	if (!config_setting_is_array(v) || !(n = config_setting_length(v))) {
		cfg_error(ctx, v, "versions: a non-empty array like [ \"TLSv1.2\", \"TLSv1.3\" ]");
		return;
	}
	for (i = 0; i < n; i++) {
		const char *s = config_setting_get_string_elem(v, i);
		int ver = s ? tls_version(s) : 0;

		if (!ver) {
			cfg_error(ctx, v, "version '%s': use TLSv1.2 or TLSv1.3 (older ones are insecure)",
				  s ? s : "?");
			continue;
		}
		if (!t->min_version || ver < t->min_version)
			t->min_version = ver;
		if (ver > t->max_version)
			t->max_version = ver;
	}
}

/* ocsp = "off" | "check" | "require": what a server's stapled response must be. */
static void load_tls_ocsp(struct cfg_ctx *ctx, config_setting_t *o,
			  struct cfg_tls *t)
{
	char mode[16] = "off";

	if (!cfg_str(ctx, o, "ocsp", mode, sizeof(mode), false))
		return;
	if (!strcmp(mode, "check")) {
		t->ocsp_check = true;
	} else if (!strcmp(mode, "require")) {
		t->ocsp_check = t->ocsp_require = true;
	} else if (strcmp(mode, "off")) {
		cfg_error(ctx, config_setting_get_member(o, "ocsp"),
			  "ocsp '%s': use off, check or require", mode);
	}
}

/* mutual_peers = [ "sip.pstnhub.microsoft.com", ... ]: joined by commas. */
static void load_tls_peers(struct cfg_ctx *ctx, config_setting_t *o,
			   struct cfg_tls *t)
{
	config_setting_t *v = config_setting_get_member(o, "mutual_peers");
	size_t off = 0;
	int i, n;

	if (!v)
		return;
	if (!config_setting_is_array(v) || !(n = config_setting_length(v))) {
		cfg_error(ctx, v, "mutual_peers: a non-empty array of host names");
		return;
	}
	if (!t->mutual)
		cfg_error(ctx, v, "mutual_peers: needs mutual = true");
	for (i = 0; i < n; i++) {
		const char *s = config_setting_get_string_elem(v, i);
		int w;

		if (!s || !s[0] || strchr(s, ',') || strchr(s, '*')) {
			cfg_error(ctx, v, "mutual_peers: '%s' is not a host name (no wildcards, RFC 5922 7.2)",
				  s ? s : "?");
			return;
		}
		w = snprintf(t->mutual_peers + off, sizeof(t->mutual_peers) - off, "%s%s",
			     off ? "," : "", s);
		if (w < 0 || (size_t)w >= sizeof(t->mutual_peers) - off) {
			cfg_error(ctx, v, "mutual_peers: too long");
			return;
		}
		off += (size_t)w;
	}
}

void config_load_tls(struct cfg_ctx *ctx, config_setting_t *root,
		     struct config *cfg)
{
	static const char *const known[] = { "name", "certificate",
		"private_key", "chain", "ca_file", "versions", "ciphers",
		"ciphersuites", "verify", "mutual", "self_signed", "ca_dir",
		"mutual_peers", "ocsp", "ocsp_response", NULL };
	config_setting_t *l = cfg_list(ctx, root, "tls_contexts");
	int i, n = l ? config_setting_length(l) : 0;

	for (i = 0; i < n; i++) {
		config_setting_t *o = config_setting_get_elem(l, (unsigned)i);
		struct cfg_tls *t = &cfg->tls[cfg->n_tls];

		memset(t, 0, sizeof(*t));
		if (!cfg_object(ctx, o, t->name, cfg->tls, sizeof(*t), cfg->n_tls,
				CFG_MAX_OBJ))
			continue;
		cfg_check_keys(ctx, o, known);
		cfg_bool(ctx, o, "self_signed", &t->self_signed);
		cfg_str(ctx, o, "certificate", t->certificate, sizeof(t->certificate),
			!t->self_signed);
		cfg_str(ctx, o, "private_key", t->private_key, sizeof(t->private_key),
			!t->self_signed);
		cfg_str(ctx, o, "chain", t->chain, sizeof(t->chain), false);
		cfg_str(ctx, o, "ca_file", t->ca_file, sizeof(t->ca_file), false);
		cfg_str(ctx, o, "ciphers", t->ciphers, sizeof(t->ciphers), false);
		cfg_str(ctx, o, "ciphersuites", t->ciphersuites,
			sizeof(t->ciphersuites), false);
		/* SDES keys ride in the SIP: unverified, they go to whoever
		 * answers the connection. Verifying is the default. */
		t->verify_peer = true;
		cfg_bool(ctx, o, "verify", &t->verify_peer);
		cfg_bool(ctx, o, "mutual", &t->mutual);
		load_tls_versions(ctx, o, t);
		cfg_str(ctx, o, "ca_dir", t->ca_dir, sizeof(t->ca_dir), false);
		cfg_str(ctx, o, "ocsp_response", t->ocsp_response,
			sizeof(t->ocsp_response), false);
		load_tls_ocsp(ctx, o, t);
		load_tls_peers(ctx, o, t);
		if (t->mutual && !t->ca_file[0] && !t->ca_dir[0])
			cfg_error(ctx, o, "tls context '%s': mutual needs ca_file or ca_dir (the trusted roots)",
				  t->name);
		if (!t->verify_peer)
			cfg_warn(ctx, config_setting_get_member(o, "verify"),
				 "tls context '%s': verify = false: servers it connects to are not authenticated, and the SRTP keys in SIP sent to them reach whoever answers",
				 t->name);
		cfg->n_tls++;
	}
}

static bool load_port_range(struct cfg_ctx *ctx, config_setting_t *o,
			    struct cfg_realm *r)
{
	config_setting_t *p = config_setting_get_member(o, "ports");
	int lo, hi;

	if (!p) {
		cfg_error(ctx, o, "realm '%s': missing ports = [ first, last ]", r->name);
		return false;
	}
	if (!config_setting_is_array(p) || config_setting_length(p) != 2) {
		cfg_error(ctx, p, "ports: two integers [ first, last ]");
		return false;
	}
	lo = config_setting_get_int_elem(p, 0);
	hi = config_setting_get_int_elem(p, 1);
	if (lo < 1024 || hi > 65535 || hi < lo + 3) {
		cfg_error(ctx, p, "ports [%d, %d]: need 1024 <= first, first + 3 <= last <= 65535",
			  lo, hi);
		return false;
	}
	/* RTP on even ports, RTCP on the odd one above (RFC 3550 11). */
	r->port_min = (uint16_t)(lo + (lo & 1));
	r->port_max = (uint16_t)hi;
	return true;
}

void config_load_realms(struct cfg_ctx *ctx, config_setting_t *root,
			struct config *cfg)
{
	static const char *const known[] = { "name", "address", "ports",
		"max_sessions", "public_address", NULL };
	config_setting_t *l = cfg_list(ctx, root, "media_realms");
	int i, n = l ? config_setting_length(l) : 0;
	unsigned int j;
	long v;

	for (i = 0; i < n; i++) {
		config_setting_t *o = config_setting_get_elem(l, (unsigned)i);
		struct cfg_realm *r = &cfg->realms[cfg->n_realms];

		memset(r, 0, sizeof(*r));
		if (!cfg_object(ctx, o, r->name, cfg->realms, sizeof(*r),
				cfg->n_realms, CFG_MAX_OBJ))
			continue;
		cfg_check_keys(ctx, o, known);
		if (cfg_str(ctx, o, "address", r->address, sizeof(r->address), true) &&
		    sockaddr_parse(r->address, 0, &r->addr))
			cfg_error(ctx, o, "realm '%s': address '%s' is not an IP address",
				  r->name, r->address);
		if (!load_port_range(ctx, o, r))
			continue;
		if (cfg_int(ctx, o, "max_sessions", 0, 1000000, &v))
			r->max_sessions = (unsigned int)v;
		config_load_realm_nat(ctx, o, r);
		for (j = 0; j < cfg->n_realms; j++) {
			const struct cfg_realm *x = &cfg->realms[j];

			if (!strcmp(x->address, r->address) &&
			    r->port_min <= x->port_max && x->port_min <= r->port_max)
				cfg_error(ctx, o, "realm '%s' overlaps realm '%s' (same address, ports)",
					  r->name, x->name);
		}
		r->id = cfg->n_realms + 1;
		cfg->n_realms++;
	}
}

static void load_iface_ports(struct cfg_ctx *ctx, config_setting_t *o,
			     struct config *cfg, struct cfg_iface *f)
{
	long v;

	if (cfg_int(ctx, o, "udp_port", 0, 65535, &v))
		f->udp_port = (uint16_t)v;
	if (cfg_int(ctx, o, "tcp_port", 0, 65535, &v))
		f->tcp_port = (uint16_t)v;
	if (cfg_int(ctx, o, "tls_port", 0, 65535, &v))
		f->tls_port = (uint16_t)v;
	if (!f->udp_port && !f->tcp_port && !f->tls_port)
		cfg_error(ctx, o, "interface '%s': no udp_port, tcp_port or tls_port",
			  f->name);
	f->tls = cfg_ref(ctx, o, "tls_context", cfg->tls, sizeof(cfg->tls[0]),
			 cfg->n_tls, "tls context", f->tls_port != 0);
}

void config_load_ifaces(struct cfg_ctx *ctx, config_setting_t *root,
			struct config *cfg)
{
	static const char *const known[] = { "name", "address", "udp_port",
		"tcp_port", "tls_port", "tls_context", "media_realm", "fqdn",
		"public_address", NULL };
	config_setting_t *l = cfg_list(ctx, root, "sip_interfaces");
	int i, n = l ? config_setting_length(l) : 0;

	for (i = 0; i < n; i++) {
		config_setting_t *o = config_setting_get_elem(l, (unsigned)i);
		struct cfg_iface *f = &cfg->ifaces[cfg->n_ifaces];

		memset(f, 0, sizeof(*f));
		if (!cfg_object(ctx, o, f->name, cfg->ifaces, sizeof(*f),
				cfg->n_ifaces, CFG_MAX_OBJ))
			continue;
		cfg_check_keys(ctx, o, known);
		if (cfg_str(ctx, o, "address", f->address, sizeof(f->address), true) &&
		    sockaddr_parse(f->address, 0, &f->addr))
			cfg_error(ctx, o, "interface '%s': address '%s' is not an IP address",
				  f->name, f->address);
		load_iface_ports(ctx, o, cfg, f);
		config_load_iface_identity(ctx, o, f);
		f->realm = cfg_ref(ctx, o, "media_realm", cfg->realms,
				   sizeof(cfg->realms[0]), cfg->n_realms,
				   "media realm", true);
		cfg->n_ifaces++;
	}
}
