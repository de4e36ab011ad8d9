// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dns = { servers = [ "127.0.0.53", "[2001:db8::53]:5353" ]; }: the
 * servers the resolver asks for proxy-set targets and request-URIs that
 * are names. Without it, /etc/resolv.conf's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_parse.h"

/* "ADDR", "ADDR:PORT" or "[V6]:PORT", as c-ares's server list has them. */
static bool server_ok(const char *s)
{
	struct sockaddr_storage ss;
	char host[64];
	const char *colon = strrchr(s, ':'), *end = s + strlen(s);
	long port;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || (close[1] && close[1] != ':'))
			return false;
		snprintf(host, sizeof(host), "%.*s", (int)(close - s - 1), s + 1);
		colon = close[1] ? close + 1 : NULL;
	} else if (colon && strchr(s, ':') == colon) {
		snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
	} else {
		snprintf(host, sizeof(host), "%s", s);	/* v4, or bare v6 */
		colon = NULL;
	}
	if (colon) {
		char *e;

		port = strtol(colon + 1, &e, 10);
		if (e != end || port < 1 || port > 65535)
			return false;
	}
	return strlen(host) < sizeof(host) - 1 && !sockaddr_parse(host, 53, &ss);
}

void config_load_dns(struct cfg_ctx *ctx, config_setting_t *root,
		     struct config *cfg)
{
	static const char *const known[] = { "servers", NULL };
	config_setting_t *g = config_setting_get_member(root, "dns"), *a;
	size_t used = 0;
	int i, n;

	if (!g)
		return;
	if (!config_setting_is_group(g)) {
		cfg_error(ctx, g, "dns must be a group: dns = { servers = [ \"ADDR[:PORT]\", ... ]; };");
		return;
	}
	cfg_check_keys(ctx, g, known);
	a = config_setting_get_member(g, "servers");
	if (!a)
		return;
	if (!config_setting_is_array(a) || !(n = config_setting_length(a))) {
		cfg_error(ctx, a, "dns servers = [ \"ADDR[:PORT]\", ... ] (one at least)");
		return;
	}
	for (i = 0; i < n; i++) {
		const char *s = config_setting_get_string_elem(a, i);
		int w;

		if (!s || !server_ok(s)) {
			cfg_error(ctx, a, "dns server %d '%.60s': not ADDR, ADDR:PORT or [ADDR]:PORT",
				  i + 1, s ? s : "(not a string)");
			continue;
		}
		w = snprintf(cfg->dns.servers + used, sizeof(cfg->dns.servers) - used,
			     "%s%s", used ? "," : "", s);
		if (w < 0 || (size_t)w >= sizeof(cfg->dns.servers) - used) {
			cfg_error(ctx, a, "dns servers: too many");
			return;
		}
		used += (size_t)w;
	}
}
