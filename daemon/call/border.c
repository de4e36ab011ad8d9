// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Who may cost srtprelayd what (border.h). A request is judged twice:
 * by its source address before parsing (rate and bans: the cheapest
 * place to drop a flood), and once parsed, before it gets a transaction
 * (unknown sources, the transaction cap), so that neither a spoofed
 * source nor a full table ever makes srtprelayd send more than it got.
 */
#include <string.h>

#include "base/evloop.h"
#include "call/b2bua.h"
#include "call/border.h"
#include "call/routing.h"
#include "sip/sip_msg.h"
#include "sip/sip_peek.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"

static void rate_params_of(const struct config *cfg, int group,
			   struct rate_params *p)
{
	const struct cfg_limits *l = &cfg->limits;
	const struct cfg_ip_group *g = group >= 0 ? &cfg->groups[group] : NULL;

	p->rate = g && g->request_rate >= 0 ? (unsigned int)g->request_rate :
		  l->request_rate;
	p->burst = g && g->request_burst >= 0 ? (unsigned int)g->request_burst :
		   l->request_burst;
	p->ban_s = l->ban_time;
	p->max_sources = l->max_tracked_sources;
}

/* Responses are not limited: they answer what srtprelayd sent, and a
 * peer's burst of them is srtprelayd's own burst of requests. */
static bool is_response(const char *buf, size_t len)
{
	return len >= 8 && !memcmp(buf, "SIP/2.0 ", 8);
}

/* Holding one second's worth of unknown_sources_rate. */
static bool unknown_pass(struct border *border, unsigned int rate,
			 uint64_t now)
{
	if (!rate || token_bucket_take(&border->unknown, rate, rate, now))
		return true;
	border->unknown_over_rate++;
	return false;
}

/*
 * While overloaded: a new INVITE (no To tag, no transaction yet) that
 * overload control does not admit gets 503 and Retry-After at once, from
 * the raw message; the ACK of such a 503 is dropped. In-dialog requests,
 * CANCEL, BYE, retransmissions and whatever cannot be peeked at go on to
 * the parser. True when the message was dealt with here.
 */
static bool shed(struct border *border, const struct sip_peer *from,
		 const char *buf, size_t len)
{
	struct sip_peek pk;
	char extra[48];
	struct sbuf b;

	if (!sip_peek_request(buf, len, &pk))
		return false;
	if (sip_span_is(&pk.method, "ACK")) {
		if (!sip_span_is(&pk.to_tag, border->shed_tag))
			return false;
		border->shed_acks++;
		return true;
	}
	if (!sip_span_is(&pk.method, "INVITE") || pk.to_tag.len ||
	    sip_txn_server_exists(border->txns, pk.branch.p, pk.branch.len,
				  "INVITE") ||
	    overload_admit(&border->overload))
		return false;
	snprintf(extra, sizeof(extra), "Retry-After: %u\r\n",
		 border->cfg->limits.overload.retry_after);
	sb_init(&b);
	sip_peek_response(&b, &pk, 503, "Service Unavailable (overloaded)",
			  border->shed_tag, extra);
	if (!b.failed)
		transport_send(border->transport, from, b.p, b.len);
	sb_free(&b);
	return true;
}

void border_receive(void *arg, const struct sip_peer *from, const char *buf,
		    size_t len)
{
	struct border *border = arg;
	uint64_t now = ev_now_ms();
	struct rate_params p;
	int group;

	if (!is_response(buf, len)) {
		group = routing_classify(border->cfg, &from->addr);
		rate_params_of(border->cfg, group, &p);
		if (!rate_limit_pass(&border->rates, &from->addr, &p, now))
			return;
		if (group < 0 &&
		    !unknown_pass(border, border->cfg->limits.unknown_sources_rate,
				  now))
			return;
		/* Strangers get what unknown_sources says, overload or not. */
		if (group >= 0 && overload_shedding(&border->overload) &&
		    shed(border, from, buf, len))
			return;
	}
	sip_txn_receive(border->txns, from, buf, len);
}

bool border_accepts_connection(void *arg, const struct sockaddr_storage *addr)
{
	struct border *border = arg;

	/* With unknown_sources = "drop" nothing a stranger sends is ever
	 * answered: its connection would only hold a descriptor. */
	if (border->cfg->limits.unknown_sources == UNKNOWN_DROP &&
	    routing_classify(border->cfg, addr) < 0)
		return false;
	return !rate_limit_banned(&border->rates, addr, ev_now_ms());
}

/* A request within a call srtprelayd holds comes from that call's peer,
 * wherever it is (a callee reached by its request-URI may be in no
 * group). */
static bool in_known_dialog(osip_message_t *req)
{
	int leg;

	return sip_to_tag(req) && call_find(req, &leg);
}

static enum sip_screen screen(void *arg, const struct sip_peer *from,
			      osip_message_t *req, int *code, const char **reason)
{
	struct border *border = arg;
	const struct cfg_limits *l = &border->cfg->limits;
	char a[64];

	if (routing_classify(border->cfg, &from->addr) < 0 && !in_known_dialog(req)) {
		if (l->unknown_sources == UNKNOWN_DROP) {
			border->unknown_dropped++;
			log_limited(&border->unknown_log, LOG_LVL_INFO,
				    "%s from %s: in no IP group: dropped", req->sip_method,
				    sockaddr_str(&from->addr, a, sizeof(a)));
			return SIP_SCREEN_DROP;
		}
		border->unknown_rejected++;
		log_limited(&border->unknown_log, LOG_LVL_INFO,
			    "%s from %s: in no IP group: 403 (stateless)", req->sip_method,
			    sockaddr_str(&from->addr, a, sizeof(a)));
		*code = 403;
		*reason = "Forbidden (unknown source)";
		return SIP_SCREEN_ANSWER;
	}
	/* CANCEL and requests within a dialog end work: never refused. */
	if (l->max_transactions &&
	    sip_txn_server_count(border->txns) >= l->max_transactions &&
	    !MSG_IS_CANCEL(req) && !sip_to_tag(req)) {
		border->over_transactions++;
		log_limited(&border->busy_log, LOG_LVL_WARN,
			    "%s from %s: %u server transactions, the limit: 503 (stateless)",
			    req->sip_method, sockaddr_str(&from->addr, a, sizeof(a)),
			    sip_txn_server_count(border->txns));
		*code = 503;
		*reason = "Service Unavailable (too many transactions)";
		return SIP_SCREEN_ANSWER;
	}
	return SIP_SCREEN_ACCEPT;
}

/* @arg: the struct transport. */
static unsigned int send_queue_fill(void *arg)
{
	return transport_stream_tx_fill_pct(arg);
}

int border_setup(struct border *border, const struct config *cfg,
		 const struct ev_stats *loop, struct transport *tp,
		 struct sip_txns *txns)
{
	int rc = rate_limiter_init(&border->rates);

	if (rc) {
		log_err("rate limiter: no hash key: %s", strerror(-rc));
		return rc;
	}
	border->cfg = cfg;
	border->transport = tp;
	border->txns = txns;
	sip_random_token(border->shed_tag, 16);
	sip_txn_set_screen(txns, screen, border);
	overload_start(&border->overload, &cfg->limits.overload, loop,
		       send_queue_fill, tp);
	return 0;
}

void border_stop(struct border *border)
{
	overload_stop(&border->overload);
	rate_limiter_free(&border->rates);
}

void border_stats(struct border *border, struct border_stats *out)
{
	out->unknown_rejected = border->unknown_rejected;
	out->unknown_dropped = border->unknown_dropped;
	out->unknown_over_rate = border->unknown_over_rate;
	out->over_transactions = border->over_transactions;
	out->banned_dropped = border->rates.dropped;
	out->bans = border->rates.bans;
	out->sources_evicted = border->rates.evicted;
	out->sources_tracked = border->rates.table.count;
	out->banned_now = rate_limiter_bans(&border->rates, ev_now_ms(), NULL, NULL);
}

void border_bans(struct border *border, rate_ban_cb cb, void *arg)
{
	rate_limiter_bans(&border->rates, ev_now_ms(), cb, arg);
}
