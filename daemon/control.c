// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The control socket of control.h: calls, streams, status and reload for operators. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "call/admission.h"
#include "call/b2bua.h"
#include "call/call_media.h"
#include "call/proxy_targets.h"
#include "control.h"
#include "control_conn.h"
#include "status_limits.h"
#include "base/evloop.h"
#include "base/log.h"
#include "call/media.h"
#include "call/registrar.h"
#include "config/reload.h"
#include "srtprelayd.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"

static const char *state_name(enum call_state s)
{
	static const char *const n[] = { "init", "early", "confirmed", "ending" };

	return n[s];
}

static const char *key_suite(const struct leg_media *lm, const struct leg_key *k)
{
	return lm->srtp && k->set ? sdes_suite_name(k->suite) : "none";
}

static void print_counters(struct sbuf *b, const struct config *cfg,
			   const struct call *c, int x, unsigned int s, bool json)
{
	struct relay_nl_stream st;
	struct sockaddr_storage local = cfg->realms[c->leg[x].realm].addr;

	sockaddr_set_port(&local, c->leg[x].media[s].port);
	if (media_stream_stats(c->media, &local, &st) < 0) {
		sb_puts(b, json ? "\"counters\":null" : " counters n/a (no datapath)");
		return;
	}
	sb_printf(b, json ? "\"counters\":{\"rx_packets\":%" PRIu64 ",\"tx_packets\":%"
		  PRIu64 ",\"auth_failed\":%" PRIu64 "}" :
		  " rx %" PRIu64 " tx %" PRIu64 " auth-failed %" PRIu64,
		  st.stats[SRTPRELAY_STAT_RX_PACKETS], st.stats[SRTPRELAY_STAT_TX_PACKETS],
		  st.stats[SRTPRELAY_STAT_AUTH_FAILED]);
}

static void print_leg(struct sbuf *b, const struct config *cfg,
		      const struct call *c, int x, bool json)
{
	const struct leg *l = &c->leg[x];
	char a[64], r[64];
	unsigned int s;

	sockaddr_str(&l->peer.addr, a, sizeof(a));
	if (json)
		sb_printf(b, "{\"role\":\"%s\",\"group\":\"%s\",\"transport\":\"%s\","
			  "\"peer\":\"%s\",\"call_id\":\"%s\",",
			  x ? "callee" : "caller", l->policy.name,
			  sip_proto_name(l->peer.proto), a, l->call_id);
	else
		sb_printf(b, "  leg %s group %s %s %s call-id %s", x ? "callee" : "caller",
			  l->policy.name, sip_proto_name(l->peer.proto), a,
			  l->call_id);
	/* RFC 4028 on this leg: the interval and who refreshes. */
	if (l->st.interval)
		sb_printf(b, json ? "\"session_timer\":{\"interval_s\":%u,\"refresher\":\"%s\"}," :
			  " session-timer %u refresher %s", l->st.interval,
			  l->st.we_refresh ? "us" : "peer");
	sb_puts(b, json ? "\"media\":[" : "\n");
	for (s = 0; s < c->n_slots; s++) {
		const struct leg_media *lm = &l->media[s];

		if (lm->remote_known)
			sockaddr_str(&lm->remote, r, sizeof(r));
		else
			snprintf(r, sizeof(r), "-");
		sb_printf(b, json ? "%s{\"slot\":%u,\"port\":%u,\"remote\":\"%s\",\"srtp\":%s,"
			  "\"in_suite\":\"%s\",\"out_suite\":\"%s\",\"dir\":\"%s\",\"rtcp_mux\":%s," :
			  "%s    media %u port %u remote %s srtp %s in %s out %s dir %s rtcp-mux %s",
			  json && s ? "," : "", s, lm->port, r, lm->srtp ? (json ? "true" : "yes") :
			  (json ? "false" : "no"), key_suite(lm, &lm->peer_key),
			  key_suite(lm, &lm->our_key), sdp_dir_name(lm->dir),
			  lm->rtcp_mux ? (json ? "true" : "yes") : (json ? "false" : "no"));
		/* Symmetric RTP: where the peer really sends from, if latched. */
		if (lm->latched_known)
			sb_printf(b, json ? "\"latched\":\"%s\"," : " latched %s",
				  sockaddr_str(&lm->latched, r, sizeof(r)));
		print_counters(b, cfg, c, x, s, json);
		sb_puts(b, json ? "}" : "\n");
	}
	if (json)
		sb_puts(b, "]}");
}

static void cmd_calls(struct sbuf *b, const struct config *cfg, bool json)
{
	const struct call *c;
	uint64_t now = ev_now_ms();

	if (json)
		sb_puts(b, "{\"calls\":[");
	for (c = calls; c; c = c->next) {
		if (json)
			sb_printf(b, "%s{\"id\":%llu,\"state\":\"%s\",\"age_s\":%llu,\"legs\":[",
				  c == calls ? "" : ",", (unsigned long long)c->id,
				  state_name(c->state),
				  (unsigned long long)((now - c->started_ms) / 1000));
		else
			sb_printf(b, "call %llu %s age %llus route %s\n", (unsigned long long)c->id,
				  state_name(c->state),
				  (unsigned long long)((now - c->started_ms) / 1000),
				  c->route_name);
		print_leg(b, cfg, c, 0, json);
		if (json)
			sb_puts(b, ",");
		print_leg(b, cfg, c, 1, json);
		if (json)
			sb_puts(b, "]}");
	}
	sb_puts(b, json ? "]}\n" : "end\n");
}

static void stream_line(const struct media_record *r, void *arg)
{
	char line[512];

	sb_printf(arg, "stream %s\n", media_record_str(r, line, sizeof(line)));
}

/* Calls up and INVITEs refused by admission limits, in all and by group. */
static void status_admission(struct sbuf *b, const struct config *cfg, bool json)
{
	unsigned int i;

	sb_printf(b, json ? "],\"calls_refused\":%llu,\"ip_groups\":[" :
		  "calls-refused %llu\n", admission_refused(-1));
	for (i = 0; i < cfg->n_groups; i++)
		sb_printf(b, json ? "%s{\"name\":\"%s\",\"calls\":%u,\"refused\":%llu}" :
			  "%sip-group %s calls %u refused %llu\n",
			  json && i ? "," : "", cfg->groups[i].name,
			  admission_calls((int)i), admission_refused((int)i));
}

static void cmd_status(struct sbuf *b, struct srtprelayd *d, bool json)
{
	const struct config *cfg = &d->cfg;
	unsigned int i;

	sb_printf(b, json ? "{\"backend\":\"%s\",\"calls\":%u,\"transactions\":%u,"
		  "\"connections\":%u,\"registrations\":%u,\"realms\":[" :
		  "backend %s\ncalls %u\ntransactions %u\nconnections %u\nregistrations %u\n",
		  media_backend_name(d->media), b2bua_call_count(), sip_txn_count(d->txns),
		  transport_conn_count(d->transport), registrar_count());
	for (i = 0; i < cfg->n_realms; i++)
		sb_printf(b, json ? "%s{\"name\":\"%s\",\"port_pairs_in_use\":%u}" :
			  "%srealm %s port-pairs-in-use %u\n", json && i ? "," : "",
			  cfg->realms[i].name, media_ports_in_use(d->media, (int)i));
	status_admission(b, cfg, json);
	if (json)
		sb_puts(b, "]");
	proxy_targets_status(b, cfg, json);
	status_limits(b, d->transport, &d->border, json);
	if (json)
		sb_puts(b, ",\"outbound_registrations\":[");
	reg_clients_status(&d->regs, b, json);
	sb_puts(b, json ? "]}\n" : "end\n");
}

/* One command line (control.h) and its whole answer; @arg: the daemon. */
static void answer(const char *cmd, struct sbuf *b, void *arg)
{
	struct srtprelayd *d = arg;
	bool json = strstr(cmd, " -j") != NULL;

	if (!strncmp(cmd, "calls", 5))
		cmd_calls(b, &d->cfg, json);
	else if (!strncmp(cmd, "streams", 7)) {
		media_record_walk(d->media, stream_line, b);
		sb_puts(b, "end\n");
	} else if (!strncmp(cmd, "status", 6)) {
		cmd_status(b, d, json);
	} else if (!strcmp(cmd, "reload")) {
		reload_run(&d->reload, b);
		sb_puts(b, "end\n");
	} else {
		sb_printf(b, "error unknown command '%.40s' (calls, streams, status, reload)\nend\n",
			  cmd);
	}
}

int control_start(struct srtprelayd *d)
{
	const struct config *cfg = &d->cfg;

	d->control = control_server_start(cfg->control_socket,
					  cfg->has_control_group ?
					  &cfg->control_group : NULL,
					  answer, d);
	if (!d->control)
		return -EIO;
	log_info("control socket %s", cfg->control_socket);
	return 0;
}

void control_stop(struct srtprelayd *d)
{
	control_server_stop(d->control);
	d->control = NULL;
}
