// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * How srtprelayd names itself toward peers: an interface's fqdn (checked
 * against its certificate by tls_contexts.c), the public addresses of a
 * 1:1 NAT for interfaces and media realms, which side of that NAT an IP
 * group is on, and the host an IP group wants in its request-URI and To.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "config/config_parse.h"

/*
 * A host name as DNS has it (RFC 1123 2.1): labels of letters, digits and
 * inner hyphens, 1..63 each, 253 in all, not all digits (an IP address).
 */
bool config_is_host_name(const char *s)
{
	size_t label = 0, total = strlen(s);
	bool alpha = false;
	const char *p;

	if (!total || total > 253 || s[total - 1] == '.')
		return false;
	for (p = s; *p; p++) {
		if (*p == '.') {
			if (!label || p[-1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && !(*p == '-' && label))
			return false;
		if (++label > 63)
			return false;
		alpha |= isalpha((unsigned char)*p) != 0;
	}
	return label && p[-1] != '-' && alpha;
}

/* "public_address": an IP of @bound's family; @out keeps the text. */
static void load_public_address(struct cfg_ctx *ctx, config_setting_t *o,
				const char *what, const char *name,
				const struct sockaddr_storage *bound,
				char *out, size_t len)
{
	struct sockaddr_storage a;

	if (!cfg_str(ctx, o, "public_address", out, len, false))
		return;
	if (sockaddr_parse(out, 0, &a)) {
		cfg_error(ctx, config_setting_get_member(o, "public_address"),
			  "%s '%s': public_address '%s' is not an IP address",
			  what, name, out);
		out[0] = 0;
	} else if (a.ss_family != bound->ss_family) {
		cfg_error(ctx, config_setting_get_member(o, "public_address"),
			  "%s '%s': public_address '%s' is not of the family of its address (1:1 NAT)",
			  what, name, out);
		out[0] = 0;
	}
}

void config_load_iface_identity(struct cfg_ctx *ctx, config_setting_t *o,
				struct cfg_iface *f)
{
	config_setting_t *s = config_setting_get_member(o, "fqdn");

	if (cfg_str(ctx, o, "fqdn", f->fqdn, sizeof(f->fqdn), false)) {
		f->fqdn_line = config_setting_source_line(s);
		if (!config_is_host_name(f->fqdn)) {
			cfg_error(ctx, s, "interface '%s': fqdn '%s' is not a host name (letters, digits, '-', '.'; no IP address, no wildcard)",
				  f->name, f->fqdn);
			f->fqdn[0] = 0;
		}
	}
	load_public_address(ctx, o, "interface", f->name, &f->addr,
			    f->public_address, sizeof(f->public_address));
}

void config_load_realm_nat(struct cfg_ctx *ctx, config_setting_t *o,
			   struct cfg_realm *r)
{
	load_public_address(ctx, o, "realm", r->name, &r->addr,
			    r->public_address, sizeof(r->public_address));
}

void config_load_group_identity(struct cfg_ctx *ctx, config_setting_t *o,
				struct cfg_ip_group *g)
{
	char side[16];

	if (cfg_str(ctx, o, "nat_side", side, sizeof(side), false)) {
		if (!strcmp(side, "private"))
			g->nat_private = true;
		else if (strcmp(side, "public"))
			cfg_error(ctx, config_setting_get_member(o, "nat_side"),
				  "nat_side '%s': use public or private", side);
	}
	if (cfg_str(ctx, o, "request_uri_host", g->request_uri_host,
		    sizeof(g->request_uri_host), false) &&
	    strcmp(g->request_uri_host, "target") &&
	    !config_is_host_name(g->request_uri_host)) {
		cfg_error(ctx, config_setting_get_member(o, "request_uri_host"),
			  "ip group '%s': request_uri_host '%s': use \"target\" or a host name",
			  g->name, g->request_uri_host);
		g->request_uri_host[0] = 0;
	}
}
