// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * metrics: where the Prometheus endpoint listens, and what one client may
 * hold. Off unless the group is there: an endpoint is one more socket to
 * guard, and what it shows (peers' group names, proxy targets) is for the
 * operator's network only; the example binds to loopback.
 */
#include <string.h>

#include "base/addr.h"
#include "config/config_parse.h"

void config_load_metrics(struct cfg_ctx *ctx, config_setting_t *root,
			 struct config *cfg)
{
	static const char *const known[] = { "address", "port", "max_clients",
		"timeout", NULL };
	config_setting_t *g = config_setting_get_member(root, "metrics");
	struct cfg_metrics *m = &cfg->metrics;
	long port = 9464, v;

	memset(m, 0, sizeof(*m));
	if (!g)
		return;
	if (!config_setting_is_group(g)) {
		cfg_error(ctx, g, "metrics must be a group: metrics = { address = \"127.0.0.1\"; port = 9464; };");
		return;
	}
	cfg_check_keys(ctx, g, known);
	m->enabled = true;
	m->max_clients = 8;
	m->timeout = 5;
	if (!cfg_str(ctx, g, "address", m->address, sizeof(m->address), true))
		return;
	cfg_int(ctx, g, "port", 1, 65535, &port);
	if (sockaddr_parse(m->address, (uint16_t)port, &m->addr))
		cfg_error(ctx, config_setting_get_member(g, "address"),
			  "metrics address '%s': not an IP address", m->address);
	if (cfg_int(ctx, g, "max_clients", 1, 1024, &v))
		m->max_clients = (unsigned int)v;
	if (cfg_int(ctx, g, "timeout", 1, 3600, &v))
		m->timeout = (unsigned int)v;
}
