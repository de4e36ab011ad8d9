// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * metrics.h: what srtprelayd shows Prometheus. Counters are what the
 * B2BUA, admission and the media plane counted since they started;
 * gauges are read as the page is built. A page costs the loop a walk over
 * the configuration's objects and the failure table, and at most one
 * media plane request a second: nothing grows with the number of calls.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/evloop.h"
#include "base/heap_trim.h"
#include "base/http_server.h"
#include "base/log.h"
#include "base/prom_text.h"
#include "call/admission.h"
#include "call/b2bua.h"
#include "call/media.h"
#include "call/registrar.h"
#include "call/proxy_targets.h"
#include "metrics.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"
#include "sip/transport_tls.h"
#include "srtprelayd.h"

#define METRICS_PLANE_MAX_AGE_MS 1000

static void calls_metrics(struct sbuf *b, const struct call_stats *s)
{
	char code[8];
	unsigned int r, i;

	prom_single(b, "srtprelay_calls_active", PROM_GAUGE,
		    "Calls up: from their INVITE to their end.", b2bua_call_count());
	prom_single(b, "srtprelay_calls_in_progress", PROM_GAUGE,
		    "Calls whose INVITE has no final answer yet.",
		    b2bua_calls_in_progress());
	prom_single(b, "srtprelay_call_attempts_total", PROM_COUNTER,
		    "INVITEs outside a dialog, each once (retransmissions absorbed).",
		    s->attempts);
	prom_single(b, "srtprelay_calls_answered_total", PROM_COUNTER,
		    "Calls whose 2xx reached the caller; rate() of it is call setups per second.",
		    s->answered);
	prom_family(b, "srtprelay_call_failures_total", PROM_COUNTER,
		    "Call attempts refused or failed, by the final SIP code the caller got and why.");
	for (r = 0; r < CALL_FAIL_COUNT; r++)
		for (i = 0; i < CALL_STATS_CODES; i++) {
			struct prom_label l[] = { { "code", code },
				{ "reason", call_fail_reason_name(r) } };

			if (!s->failed[r][i])
				continue;
			snprintf(code, sizeof(code), "%u", i + CALL_STATS_CODE_MIN);
			prom_u64(b, "srtprelay_call_failures_total", l, 2,
				 s->failed[r][i]);
		}
}

static void realm_metrics(struct sbuf *b, const struct config *cfg,
			  const struct media_plane *mp)
{
	unsigned int i;

	prom_family(b, "srtprelay_realm_port_pairs_in_use", PROM_GAUGE,
		    "RTP/RTCP port pairs of the media realm held by calls.");
	for (i = 0; i < cfg->n_realms; i++) {
		struct prom_label l = { "realm", cfg->realms[i].name };

		prom_u64(b, "srtprelay_realm_port_pairs_in_use", &l, 1,
			 media_ports_in_use(mp, (int)i));
	}
	prom_family(b, "srtprelay_realm_port_pairs_free", PROM_GAUGE,
		    "Port pairs the media realm can still hand out (its range, or max_sessions).");
	for (i = 0; i < cfg->n_realms; i++) {
		struct prom_label l = { "realm", cfg->realms[i].name };
		unsigned int used = media_ports_in_use(mp, (int)i);
		unsigned int limit = media_ports_limit(mp, (int)i);

		prom_u64(b, "srtprelay_realm_port_pairs_free", &l, 1,
			 limit > used ? limit - used : 0);
	}
}

/* One family of per-group values from @get. */
static void group_family(struct sbuf *b, const struct config *cfg,
			 const char *name, enum prom_type type, const char *help,
			 unsigned long long (*get)(int group))
{
	unsigned int i;

	prom_family(b, name, type, help);
	for (i = 0; i < cfg->n_groups; i++) {
		struct prom_label l = { "ip_group", cfg->groups[i].name };

		prom_u64(b, name, &l, 1, get((int)i));
	}
}

static unsigned long long group_calls(int group)
{
	return admission_calls(group);
}

static void group_metrics(struct sbuf *b, const struct config *cfg)
{
	group_family(b, cfg, "srtprelay_ip_group_calls_active", PROM_GAUGE,
		     "Calls up that count in the IP group (from or to it).",
		     group_calls);
	group_family(b, cfg, "srtprelay_ip_group_admissions_total", PROM_COUNTER,
		     "Calls admitted under the IP group's max_calls and max_call_rate.",
		     admission_admitted);
	group_family(b, cfg, "srtprelay_ip_group_refusals_total", PROM_COUNTER,
		     "INVITEs refused (503) by the IP group's max_calls or max_call_rate.",
		     admission_refused);
	prom_single(b, "srtprelay_admission_refusals_total", PROM_COUNTER,
		    "INVITEs refused (503) by any admission limit, srtprelayd's own or a group's.",
		    admission_refused(-1));
}

/* The media plane's counters, read again when the last read is a second
 * old: a burst of scrapes costs the media plane one request. */
static const struct relay_nl_stats *plane_stats(struct metrics *m,
						struct media_plane *mp)
{
	uint64_t now = ev_now_ms();

	if (!m->plane_read_ms || now - m->plane_read_ms >= METRICS_PLANE_MAX_AGE_MS) {
		m->plane_ok = media_has_datapath(mp) &&
			      !media_plane_stats(mp, &m->plane);
		m->plane_read_ms = now;
	}
	return m->plane_ok ? &m->plane : NULL;
}

/* A counter family with rx and tx samples. */
static void rx_tx(struct sbuf *b, const char *name, const char *help,
		  uint64_t rx, uint64_t tx)
{
	struct prom_label l[] = { { "direction", "rx" }, { "direction", "tx" } };

	prom_family(b, name, PROM_COUNTER, help);
	prom_u64(b, name, &l[0], 1, rx);
	prom_u64(b, name, &l[1], 1, tx);
}

static void media_metrics(struct sbuf *b, struct metrics *m,
			  struct media_plane *mp)
{
	const struct relay_nl_stats *s = plane_stats(m, mp);
	const uint64_t *c;

	prom_single(b, "srtprelay_media_plane_up", PROM_GAUGE,
		    "1 when srtprelay.ko or srtprelay-datapath answered; the media_ series are absent otherwise.",
		    s != NULL);
	if (!s)
		return;
	c = s->counters;
	prom_single(b, "srtprelay_media_streams", PROM_GAUGE,
		    "Streams installed in the media plane (one per call leg and media line).",
		    s->stream_count);
	rx_tx(b, "srtprelay_media_packets_total",
	      "Packets the media plane took in (authenticated) and sent on, RTP and RTCP.",
	      c[SRTPRELAY_STAT_RX_PACKETS], c[SRTPRELAY_STAT_TX_PACKETS]);
	rx_tx(b, "srtprelay_media_bytes_total",
	      "UDP payload bytes of those packets, as received and as sent.",
	      c[SRTPRELAY_STAT_RX_BYTES], c[SRTPRELAY_STAT_TX_BYTES]);
	rx_tx(b, "srtprelay_media_rtcp_packets_total",
	      "Of srtprelay_media_packets_total, the RTCP ones.",
	      c[SRTPRELAY_STAT_RTCP_RX_PACKETS], c[SRTPRELAY_STAT_RTCP_TX_PACKETS]);
	prom_single(b, "srtprelay_media_auth_failures_total", PROM_COUNTER,
		    "Packets dropped: SRTP authentication tag did not verify.",
		    c[SRTPRELAY_STAT_AUTH_FAILED]);
	prom_single(b, "srtprelay_media_replays_total", PROM_COUNTER,
		    "Packets dropped: SRTP index already seen, or older than the replay window.",
		    c[SRTPRELAY_STAT_REPLAYED] + c[SRTPRELAY_STAT_TOO_OLD]);
	prom_single(b, "srtprelay_media_source_rejections_total", PROM_COUNTER,
		    "Packets dropped before any crypto: not from the stream's latched or SDP source.",
		    c[SRTPRELAY_STAT_SOURCE_REJECTED]);
	prom_single(b, "srtprelay_media_tx_errors_total", PROM_COUNTER,
		    "Packets dropped on the way out: no route, no memory, or the send failed.",
		    c[SRTPRELAY_STAT_TX_ERRORS]);
}

static void tls_metrics(struct sbuf *b, const struct config *cfg,
			struct transport *tp)
{
	time_t now = time(NULL);
	unsigned int i;

	if (!cfg->n_tls)
		return;
	prom_family(b, "srtprelay_tls_certificate_expiry_seconds", PROM_GAUGE,
		    "Seconds until the TLS context's certificate expires (/ 86400: days; negative: expired).");
	for (i = 0; i < cfg->n_tls && i < TLS_MAX_SLOTS; i++) {
		const struct tls_slot *slot = transport_tls_slot(tp, i);
		struct prom_label l = { "context", cfg->tls[i].name };

		if (slot->cur)
			prom_double(b, "srtprelay_tls_certificate_expiry_seconds", &l, 1,
				    difftime(slot->cur->not_after, now));
	}
}

/* "192.0.2.10:5061;transport=tls", as targets are written; a name as
 * it is written ("trunk.example.com", "sip.example.com;transport=tls"). */
static const char *target_name(const struct cfg_target *t, char *buf,
			       size_t len)
{
	size_t n;

	if (t->is_name) {
		snprintf(buf, len, "%s", t->host);
		n = strlen(buf);
		if (t->port)
			snprintf(buf + n, len - n, ":%u", t->port);
		n = strlen(buf);
		if (t->proto_given)
			snprintf(buf + n, len - n, ";transport=%s",
				 sip_proto_name(t->proto));
		for (n = 0; buf[n]; n++)
			buf[n] = (char)tolower((unsigned char)buf[n]);
		return buf;
	}
	sockaddr_str(&t->addr, buf, len);
	n = strlen(buf);
	snprintf(buf + n, len - n, ";transport=%s", sip_proto_name(t->proto));
	for (; buf[n]; n++)
		buf[n] = (char)tolower((unsigned char)buf[n]);
	return buf;
}

static void proxy_metrics(struct sbuf *b, const struct config *cfg)
{
	unsigned int p, t;
	char target[192];

	if (!cfg->n_proxy_sets)
		return;
	prom_family(b, "srtprelay_proxy_target_up", PROM_GAUGE,
		    "1 when an address of the proxy-set target answers OPTIONS (or is not probed), 0 when none does.");
	for (p = 0; p < cfg->n_proxy_sets; p++)
		for (t = 0; t < cfg->proxy_sets[p].n_targets; t++) {
			struct prom_label l[] = {
				{ "proxy_set", cfg->proxy_sets[p].name },
				{ "target", target } };

			target_name(&cfg->proxy_sets[p].targets[t], target,
				    sizeof(target));
			prom_u64(b, "srtprelay_proxy_target_up", l, 2,
				 proxy_targets_up((int)p, (int)t));
		}
}

static void sip_metrics(struct sbuf *b, const struct transport *tp,
			const struct sip_txns *txns)
{
	prom_single(b, "srtprelay_sip_transactions", PROM_GAUGE,
		    "SIP transactions open.", sip_txn_count(txns));
	prom_single(b, "srtprelay_sip_connections", PROM_GAUGE,
		    "TCP and TLS connections open.", transport_conn_count(tp));
	prom_single(b, "srtprelay_registrations", PROM_GAUGE,
		    "REGISTER bindings held.", registrar_count());
}

static void heap_metrics(struct sbuf *b, const struct heap_trim *h)
{
	struct heap_figures f;

	heap_figures(&f);
	prom_single(b, "srtprelay_resident_bytes", PROM_GAUGE,
		    "srtprelayd's resident memory (RSS).", f.resident);
	prom_single(b, "srtprelay_heap_in_use_bytes", PROM_GAUGE,
		    "Bytes malloc() handed out and not freed (mallinfo2 uordblks + hblkhd).",
		    f.in_use);
	prom_single(b, "srtprelay_heap_free_bytes", PROM_GAUGE,
		    "Bytes freed and kept by malloc for reuse (mallinfo2 fordblks); resident or given back.",
		    f.free);
	prom_single(b, "srtprelay_heap_trims_total", PROM_COUNTER,
		    "Times free heap memory was given back after a burst (malloc_trim).",
		    h->trims);
}

/* GET /metrics; @arg: the daemon. */
static void overload_metrics(struct sbuf *b, const struct border *border)
{
	const struct overload *o = &border->overload;

	prom_single(b, "srtprelay_overload_shedding", PROM_GAUGE,
		    "1 while overload control refuses part of the new INVITEs.",
		    overload_shedding(o));
	prom_single(b, "srtprelay_overload_shed_total", PROM_COUNTER,
		    "New INVITEs refused with 503 and Retry-After because the event loop was overloaded.",
		    o->shed);
	prom_single(b, "srtprelay_overload_episodes_total", PROM_COUNTER,
		    "Times overload control started refusing new INVITEs.",
		    o->episodes);
	prom_single(b, "srtprelay_event_loop_busy_percent", PROM_GAUGE,
		    "Share of the last 100 ms the event loop was not waiting for work.",
		    o->busy_pct);
	prom_single(b, "srtprelay_overload_admitted_permille", PROM_GAUGE,
		    "Per mille of new INVITEs overload control admits (1000: all).",
		    o->admit);
}

static int page(const char *path, struct sbuf *b, const char **content_type,
		void *arg)
{
	struct srtprelayd *d = arg;

	if (strcmp(path, "/metrics")) {
		sb_puts(b, "srtprelayd: the metrics are at /metrics\n");
		return 404;
	}
	*content_type = PROM_CONTENT_TYPE;
	calls_metrics(b, &d->b2bua.stats);
	realm_metrics(b, &d->cfg, d->media);
	group_metrics(b, &d->cfg);
	media_metrics(b, &d->metrics, d->media);
	tls_metrics(b, &d->cfg, d->transport);
	proxy_metrics(b, &d->cfg);
	sip_metrics(b, d->transport, d->txns);
	overload_metrics(b, &d->border);
	heap_metrics(b, &d->heap);
	return 200;
}

int metrics_start(struct srtprelayd *d)
{
	const struct cfg_metrics *mc = &d->cfg.metrics;
	struct http_limits limits = { .max_clients = mc->max_clients,
				      .timeout_s = mc->timeout };
	char err[160], a[64];

	if (!mc->enabled)
		return 0;
	d->metrics.http = http_server_start(&mc->addr, &limits, page, d, err,
					   sizeof(err));
	if (!d->metrics.http) {
		log_err("metrics: %s", err);
		return -1;
	}
	log_info("metrics: http://%s/metrics", sockaddr_str(&mc->addr, a, sizeof(a)));
	return 0;
}

void metrics_stop(struct srtprelayd *d)
{
	http_server_stop(d->metrics.http);
	d->metrics.http = NULL;
}
