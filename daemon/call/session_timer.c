// SPDX-License-Identifier: GPL-2.0 OR MIT
/* RFC 4028 session timers, per leg: negotiation, refresh, expiry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/sbuf.h"
#include "call/call_ops.h"
#include "call/session_timer.h"
#include "call/sip_dialog.h"
#include "sip/sip_msg.h"
#include "sip/sip_txn.h"

/* Longer than any sane session; what a peer asks beyond it is cut. */
#define ST_MAX_INTERVAL 86400

/* Who refreshes, relative to the transaction at hand (RFC 4028 4). */
enum refresher { REFRESHER_NONE, REFRESHER_UAC, REFRESHER_UAS };

static const char *leg_name(int k)
{
	return k ? "callee" : "caller";
}

static const char *hdr_or_compact(const osip_message_t *m, const char *name,
				  const char *compact)
{
	const char *v = sip_hdr(m, name);

	return v ? v : sip_hdr(m, compact);
}

/* Session-Expires: delta-seconds *(;se-params); 0 when absent or bad. */
static unsigned int session_expires_of(const osip_message_t *m,
				       enum refresher *r)
{
	const char *v = hdr_or_compact(m, "Session-Expires", "x"), *p;
	unsigned long n;
	char *end;

	*r = REFRESHER_NONE;
	if (!v)
		return 0;
	n = strtoul(v, &end, 10);
	if (end == v || !n)
		return 0;
	for (p = strchr(end, ';'); p; p = strchr(p + 1, ';')) {
		p += strspn(p + 1, " \t") + 1;
		if (strncasecmp(p, "refresher", 9))
			continue;
		p += 9 + strspn(p + 9, " \t");
		if (*p++ != '=')
			continue;
		p += strspn(p, " \t");
		if (!strncasecmp(p, "uac", 3))
			*r = REFRESHER_UAC;
		else if (!strncasecmp(p, "uas", 3))
			*r = REFRESHER_UAS;
	}
	return n > ST_MAX_INTERVAL ? ST_MAX_INTERVAL : (unsigned int)n;
}

static unsigned int min_se_of(const osip_message_t *m)
{
	const char *v = sip_hdr(m, "Min-SE");
	unsigned long n = v ? strtoul(v, NULL, 10) : 0;

	return n > ST_MAX_INTERVAL ? ST_MAX_INTERVAL : (unsigned int)n;
}

/* RFC 4028 10: the refresher sends at half the interval; the other side
 * gives up at interval - min(32, interval / 3) without one. */
static unsigned int expiry_margin(unsigned int interval)
{
	return interval / 3 < 32 ? interval / 3 : 32;
}

static void arm(struct session_timer *st)
{
	if (!st->interval) {
		ev_timer_cancel(&st->timer);
		return;
	}
	ev_timer_arm(&st->timer, 1000ULL * (st->we_refresh ? st->interval / 2 :
					    st->interval - expiry_margin(st->interval)));
}

static void expired(struct session_timer *st, const char *why)
{
	char reason[128];

	snprintf(reason, sizeof(reason), "session timer: %s on the %s leg (%u s)",
		 why, leg_name(st->k), st->interval);
	call_end(st->c, reason, true, true);
}

static void refresh_response(void *arg, uint32_t txn, osip_message_t *resp)
{
	struct session_timer *st = arg;
	struct call *c = st->c;
	int code = resp ? resp->status_code : 408;
	bool invite = resp && resp->cseq && resp->cseq->method &&
		      !strcmp(resp->cseq->method, "INVITE");

	if (code < 200)
		return;
	if (code < 300 && invite)
		call_send_ack(c, st->k, NULL);	/* also a repeated 2xx */
	if (txn != st->refresh_txn)
		return;
	st->refresh_txn = 0;
	if (code < 300) {
		st_uac_response(c, st->k, resp);
		return;
	}
	if (code == 408 || code == 481) {
		/* RFC 4028 10: the session is gone on the far side. */
		expired(st, resp ? "refresh answered 481/408" : "refresh not answered");
		return;
	}
	if (code == 491) {
		/* Glare with an offer relayed on this leg: try again soon. */
		ev_timer_arm(&st->timer, 2000);
		return;
	}
	log_warn("call %llu: session refresh on the %s leg answered %d",
		 (unsigned long long)c->id, leg_name(st->k), code);
	/* The expiry armed when the refresh went stays: if nothing else
	 * refreshes the session by then, the call ends. */
}

/* A refresh of our own: UPDATE without a body when the peer allows it,
 * else a re-INVITE offering the SDP we last sent unchanged (same o=
 * version: RFC 3264 8, no change). */
static void send_refresh(struct session_timer *st)
{
	struct leg *l = &st->c->leg[st->k];
	bool update = st->peer_allows_update || !leg_last_body(l)[0];
	char hdrs[256] = "";
	struct sbuf b;

	st_uac_headers(l, false, hdrs, sizeof(hdrs));
	sb_init(&b);
	dialog_request(l, &b, update ? "UPDATE" : "INVITE", 0, hdrs, NULL,
		       update ? NULL : leg_last_body(l),
		       update ? 0 : strlen(leg_last_body(l)));
	if (!update)
		l->invite_cseq = l->local_cseq;
	st->refresh_txn = b.failed ? 0 :
			  sip_txn_request(st->c->txns, &l->peer, b.p, b.len,
					  refresh_response, st);
	sb_free(&b);
	log_debug("call %llu: session refresh (%s) on the %s leg",
		  (unsigned long long)st->c->id, update ? "UPDATE" : "re-INVITE",
		  leg_name(st->k));
}

/* A re-INVITE relayed through the call and not yet answered: an INVITE
 * transaction is in progress on both legs, and no UA may start another
 * (RFC 3261 14.1). Its 2xx will refresh both legs anyway. */
static bool invite_in_progress(const struct call *c)
{
	const struct fwd *f;

	for (f = c->forwards; f; f = f->next)
		if (f->invite && !f->answered)
			return true;
	return false;
}

static void timer_fired(void *arg)
{
	struct session_timer *st = arg;

	if (!st->we_refresh) {
		expired(st, "no refresh from the peer");
		return;
	}
	if (st->refresh_txn) {
		expired(st, "refresh not answered in time");
		return;
	}
	if (invite_in_progress(st->c)) {
		ev_timer_arm(&st->timer, 2000);
		return;
	}
	send_refresh(st);
	if (!st->refresh_txn) {
		expired(st, "refresh could not be sent");
		return;
	}
	/* Unanswered by the time the peer would give up: the session is
	 * lost either way. */
	ev_timer_arm(&st->timer, 1000ULL * (st->interval / 2 -
					    expiry_margin(st->interval)));
}

void st_init(struct call *c, int k)
{
	struct session_timer *st = &c->leg[k].st;

	memset(st, 0, sizeof(*st));
	st->c = c;
	st->k = k;
	st->min_se = c->leg[k].policy.min_se;
	ev_timer_init(&st->timer, timer_fired, st);
}

int st_check_request(const struct cfg_ip_group *g, const osip_message_t *req,
		     char *extra, size_t len)
{
	enum refresher r;
	unsigned int se = session_expires_of(req, &r);

	if (!g->session_expires || !se || se >= g->min_se ||
	    !sip_hdr_has_token(req, "Supported", "k", "timer"))
		return 0;
	snprintf(extra, len, "Min-SE: %u\r\n", g->min_se);
	return 422;
}

static void learn_allow(struct session_timer *st, const osip_message_t *m)
{
	if (osip_list_size(&m->allows) > 0)
		st->peer_allows_update = sip_hdr_has_token(m, "Allow", NULL, "UPDATE");
}

void st_uas_answer(struct call *c, int k, const osip_message_t *req,
		   char *hdrs, size_t len)
{
	struct session_timer *st = &c->leg[k].st;
	unsigned int want = c->leg[k].policy.session_expires, floor, se;
	size_t n = strlen(hdrs);
	enum refresher r;

	if (!want)
		return;
	se = session_expires_of(req, &r);
	floor = min_se_of(req) > st->min_se ? min_se_of(req) : st->min_se;
	st->peer_supports = sip_hdr_has_token(req, "Supported", "k", "timer");
	learn_allow(st, req);
	/* RFC 4028 9: we may shorten what was asked, never lengthen it, and
	 * never go below either side's Min-SE. */
	if (se && se < want)
		want = se;
	if (want < floor)
		want = floor;
	st->interval = want;
	if (!st->peer_supports)
		r = REFRESHER_UAS;	/* it could not refresh: we do */
	else if (r == REFRESHER_NONE)
		r = REFRESHER_UAC;	/* our choice: the peer keeps its own session */
	st->we_refresh = r == REFRESHER_UAS;
	if (n < len)
		snprintf(hdrs + n, len - n, "Session-Expires: %u;refresher=%s\r\n%s",
			 st->interval, r == REFRESHER_UAS ? "uas" : "uac",
			 st->peer_supports ? "Require: timer\r\n" : "");
	arm(st);
}

void st_uac_headers(const struct leg *l, bool initial, char *hdrs, size_t len)
{
	const struct session_timer *st = &l->st;
	unsigned int want = l->policy.session_expires;
	size_t n = strlen(hdrs);

	if (!want || n >= len)
		return;
	if (!initial && st->interval)
		want = st->interval;
	if (want < st->min_se)
		want = st->min_se;
	/* The dialog-creating INVITE leaves the refresher to the UAS; later
	 * requests keep who it is (uac: whoever sends this request). */
	snprintf(hdrs + n, len - n, "Supported: timer\r\nSession-Expires: %u%s\r\n"
		 "Min-SE: %u\r\n", want, initial || !st->interval ? "" :
		 st->we_refresh ? ";refresher=uac" : ";refresher=uas", st->min_se);
}

void st_uac_response(struct call *c, int k, const osip_message_t *resp)
{
	struct session_timer *st = &c->leg[k].st;
	enum refresher r;

	if (!c->leg[k].policy.session_expires)
		return;
	learn_allow(st, resp);
	/* RFC 4028 7.2: no Session-Expires in the 2xx, no expiration. */
	st->interval = session_expires_of(resp, &r);
	st->we_refresh = r != REFRESHER_UAS;
	arm(st);
}

bool st_retry_422(struct call *c, int k, const osip_message_t *resp)
{
	struct session_timer *st = &c->leg[k].st;
	unsigned int m = min_se_of(resp);

	if (!c->leg[k].policy.session_expires || st->retried_422 || !m)
		return false;
	st->retried_422 = true;
	if (m > st->min_se)
		st->min_se = m;
	log_info("call %llu: 422 from the callee: INVITE again with Session-Expires %u",
		 (unsigned long long)c->id, st->min_se);
	return true;
}
