// SPDX-License-Identifier: GPL-2.0 OR MIT
/* What the flood and connection limits did, for srtprelayctl status. */
#include "call/b2bua.h"
#include "call/border.h"
#include "sip/conn_limits.h"
#include "sip/transport.h"
#include "status_limits.h"

static void status_connections(struct sbuf *b, const struct transport *tp,
			       bool json)
{
	struct conn_limits_stats s;

	transport_conn_stats(tp, &s);
	if (json) {
		sb_printf(b, ",\"connection_limits\":{\"open\":%u,\"cap\":%u,"
			  "\"refused_total\":%llu,\"refused_per_ip\":%llu,"
			  "\"refused_no_fd\":%llu,\"refused_policy\":%llu,"
			  "\"closed_handshake\":%llu,"
			  "\"closed_first_message\":%llu,\"closed_idle\":%llu}",
			  s.open, s.cap, s.refused_total, s.refused_per_ip,
			  s.refused_no_fd, s.refused_policy, s.closed_handshake,
			  s.closed_first_message, s.closed_idle);
		return;
	}
	sb_printf(b, "connections-open %u cap %u\n"
		  "connections-refused total %llu per-ip %llu no-fd %llu policy %llu\n"
		  "connections-closed handshake %llu first-message %llu idle %llu\n",
		  s.open, s.cap, s.refused_total, s.refused_per_ip, s.refused_no_fd,
		  s.refused_policy,
		  s.closed_handshake, s.closed_first_message, s.closed_idle);
}

struct ban_list {
	struct sbuf *b;
	bool json;
	unsigned int n;
};

static void ban_line(const struct ip_key *ip, uint64_t left_ms,
		     unsigned long long dropped, void *arg)
{
	struct ban_list *l = arg;
	char a[64];

	ip_key_str(ip, a, sizeof(a));
	if (l->json)
		sb_printf(l->b, "%s{\"address\":\"%s\",\"seconds_left\":%llu,\"dropped\":%llu}",
			  l->n ? "," : "", a, (unsigned long long)(left_ms + 999) / 1000,
			  dropped);
	else
		sb_printf(l->b, "banned %s seconds-left %llu dropped %llu\n", a,
			  (unsigned long long)(left_ms + 999) / 1000, dropped);
	l->n++;
}

static void status_border(struct sbuf *b, struct border *border, bool json)
{
	struct ban_list bans = { .b = b, .json = json };
	struct border_stats s;

	border_stats(border, &s);
	if (json) {
		sb_printf(b, ",\"flood_limits\":{\"unknown_rejected\":%llu,"
			  "\"unknown_dropped\":%llu,\"unknown_over_rate\":%llu,"
			  "\"over_transactions\":%llu,"
			  "\"over_calls_in_progress\":%llu,\"bans\":%llu,"
			  "\"banned_now\":%u,\"banned_dropped\":%llu,"
			  "\"sources_tracked\":%u,\"sources_evicted\":%llu},\"banned\":[",
			  s.unknown_rejected, s.unknown_dropped, s.unknown_over_rate,
			  s.over_transactions, b2bua_refused_in_progress(), s.bans,
			  s.banned_now, s.banned_dropped, s.sources_tracked,
			  s.sources_evicted);
	} else {
		sb_printf(b, "requests-unknown-source rejected %llu dropped %llu over-rate %llu\n"
			  "requests-refused transactions %llu calls-in-progress %llu\n"
			  "rate-limit bans %llu banned-now %u dropped %llu sources %u evicted %llu\n",
			  s.unknown_rejected, s.unknown_dropped, s.unknown_over_rate,
			  s.over_transactions, b2bua_refused_in_progress(), s.bans,
			  s.banned_now, s.banned_dropped, s.sources_tracked,
			  s.sources_evicted);
	}
	border_bans(border, ban_line, &bans);
	if (json)
		sb_puts(b, "]");
}

/* Overload control: the loop's last tick and what it refused. */
static void status_overload(struct sbuf *b, const struct border *border, bool json)
{
	const struct overload *o = &border->overload;

	if (json) {
		sb_printf(b, ",\"overload\":{\"shedding\":%s,\"busy_pct\":%u,"
			  "\"lag_ms\":%u,\"queue_pct\":%u,\"admit_permille\":%u,\"shed\":%llu,"
			  "\"episodes\":%llu,\"acks_dropped\":%llu}",
			  overload_shedding(o) ? "true" : "false", o->busy_pct,
			  o->lag_ms, o->queue_pct, o->admit, o->shed, o->episodes,
			  border->shed_acks);
		return;
	}
	sb_printf(b, "overload %s busy %u%% lag %u ms queue %u%% admit %u.%u%% shed %llu episodes %llu acks-dropped %llu\n",
		  overload_shedding(o) ? "shedding" : "off", o->busy_pct, o->lag_ms,
		  o->queue_pct,
		  o->admit / 10, o->admit % 10, o->shed, o->episodes,
		  border->shed_acks);
}

void status_limits(struct sbuf *b, const struct transport *tp,
		   struct border *border, bool json)
{
	status_connections(b, tp, json);
	status_overload(b, border, json);
	status_border(b, border, json);
}
