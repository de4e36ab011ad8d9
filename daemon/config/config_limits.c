// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sip_limits: what srtprelayd holds for peers it does not know yet. The
 * defaults are for an SBC on the public internet with phones and a few
 * trunks: a trunk's IP group lifts request_rate for itself.
 */
#include <string.h>

#include "config/config_parse.h"

void config_limits_defaults(struct cfg_limits *l)
{
	/* A transaction with its parsed request is a few kB: 20,000 is
	 * ~600 requests/s held for 32 s, in some 100 MB at most. */
	l->max_transactions = 20000;
	l->max_calls_in_progress = 2000;
	l->unknown_sources = UNKNOWN_REJECT;
	/* Parsing is most of what a request costs: a flood from outside
	 * every group gets this much of it, the rest is dropped unread. */
	l->unknown_sources_rate = 200;
	/* A phone sends a few requests a second at most, a PBX at 60 calls
	 * a second some 180; trunks and load generators set their own. */
	l->request_rate = 200;
	l->request_burst = 400;
	l->ban_time = 60;
	l->max_tracked_sources = 65536;
	/* max_connections is bounded by the file limit too, at start. */
	l->conn = (struct conn_caps)CONN_CAPS_DEFAULTS;
	/* At the 2026-11-25 limit of 5,600 calls/s srtprelayd's loop was
	 * 82-84 % busy: 90 % is past it, and from 75 % down there is room
	 * to admit more. */
	l->overload = (struct overload_params)OVERLOAD_PARAMS_DEFAULTS;
}

static void limit(struct cfg_ctx *ctx, config_setting_t *g, const char *key,
		  long min, long max, unsigned int *out)
{
	long v;

	if (cfg_int(ctx, g, key, min, max, &v))
		*out = (unsigned int)v;
}

void config_load_limits(struct cfg_ctx *ctx, config_setting_t *root,
			struct config *cfg)
{
	static const char *const known[] = { "max_transactions",
		"max_calls_in_progress", "unknown_sources", "unknown_sources_rate",
		"request_rate",
		"request_burst", "ban_time", "max_tracked_sources",
		"max_connections", "max_connections_per_ip",
		"tls_handshake_timeout", "first_message_timeout", "idle_timeout",
		"overload_busy_high", "overload_busy_low", "overload_queue_high",
		"overload_retry_after",
		NULL };
	config_setting_t *g = config_setting_get_member(root, "sip_limits");
	struct cfg_limits *l = &cfg->limits;
	char v[16];

	if (!g)
		return;
	if (!config_setting_is_group(g)) {
		cfg_error(ctx, g, "sip_limits must be a group: sip_limits = { ... };");
		return;
	}
	cfg_check_keys(ctx, g, known);
	limit(ctx, g, "max_transactions", 0, 10000000, &l->max_transactions);
	limit(ctx, g, "max_calls_in_progress", 0, 10000000, &l->max_calls_in_progress);
	if (cfg_str(ctx, g, "unknown_sources", v, sizeof(v), false)) {
		if (!strcmp(v, "reject"))
			l->unknown_sources = UNKNOWN_REJECT;
		else if (!strcmp(v, "drop"))
			l->unknown_sources = UNKNOWN_DROP;
		else
			cfg_error(ctx, config_setting_get_member(g, "unknown_sources"),
				  "unknown_sources '%s': use reject or drop", v);
	}
	limit(ctx, g, "unknown_sources_rate", 0, 1000000, &l->unknown_sources_rate);
	limit(ctx, g, "request_rate", 0, 1000000, &l->request_rate);
	limit(ctx, g, "request_burst", 1, 1000000, &l->request_burst);
	limit(ctx, g, "ban_time", 1, 86400, &l->ban_time);
	limit(ctx, g, "max_tracked_sources", 16, 10000000, &l->max_tracked_sources);
	limit(ctx, g, "max_connections", 1, 1000000, &l->conn.max_connections);
	limit(ctx, g, "max_connections_per_ip", 1, 1000000, &l->conn.max_connections_per_ip);
	limit(ctx, g, "tls_handshake_timeout", 1, 300, &l->conn.tls_handshake_timeout);
	limit(ctx, g, "first_message_timeout", 1, 3600, &l->conn.first_message_timeout);
	limit(ctx, g, "idle_timeout", 10, 86400, &l->conn.idle_timeout);
	limit(ctx, g, "overload_busy_high", 0, 100, &l->overload.busy_high);
	limit(ctx, g, "overload_busy_low", 1, 99, &l->overload.busy_low);
	limit(ctx, g, "overload_queue_high", 0, 100, &l->overload.queue_high);
	limit(ctx, g, "overload_retry_after", 1, 3600, &l->overload.retry_after);
	if (l->overload.busy_high && l->overload.busy_low >= l->overload.busy_high)
		cfg_error(ctx, config_setting_get_member(g, "overload_busy_low") ?: g,
			  "overload_busy_low %u is not below overload_busy_high %u",
			  l->overload.busy_low, l->overload.busy_high);
	if (l->conn.max_connections_per_ip > l->conn.max_connections)
		cfg_error(ctx, config_setting_get_member(g, "max_connections_per_ip"),
			  "max_connections_per_ip %u is above max_connections %u",
			  l->conn.max_connections_per_ip, l->conn.max_connections);
	if (l->conn.tls_handshake_timeout > l->conn.first_message_timeout)
		cfg_error(ctx, config_setting_get_member(g, "tls_handshake_timeout"),
			  "tls_handshake_timeout %u is above first_message_timeout %u (both count from accept)",
			  l->conn.tls_handshake_timeout, l->conn.first_message_timeout);
}
