// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * New calls: classification, routing, the INVITE on the other leg, its
 * responses relayed back with SDP rewritten, CANCEL, ACK, and the end of a
 * call (media removed, ports returned, BYE where a dialog exists).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "call/admission.h"
#include "call/advertise.h"
#include "call/b2bua.h"
#include "call/call_index.h"
#include "call/call_media.h"
#include "call/call_ops.h"
#include "call/call_stats.h"
#include "call/callee_invite.h"
#include "call/forks.h"
#include "base/log.h"
#include "call/media.h"
#include "call/offer_answer.h"
#include "call/registrar.h"
#include "call/registrar_auth.h"
#include "call/routing.h"
#include "call/session_timer.h"
#include "call/sip_dialog.h"
#include "sip/sip_msg.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"

#define ALLOW_HDR "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, INFO, REGISTER\r\n"

static void invite_response(void *arg, uint32_t txn, osip_message_t *resp);
static void media_check(void *arg);
static void caller_ack_timeout(void *arg, uint32_t txn, osip_message_t *resp);

int b2bua_setup(struct b2bua *b)
{
	int rc = call_index_setup();

	if (!b->next_id)
		b->next_id = 1;
	if (rc) {
		log_err("calls: no hash key: %s", strerror(-rc));
		return rc;
	}
	return 0;
}

/* Answers leg 0's INVITE in the caller's dialog of To tag @tag; @body
 * (SDP) may be NULL. */
static void respond0_as(struct call *c, const char *tag, int code,
			const char *reason, const char *body, const char *more)
{
	char contact[SELF_HOST_MAX + 64], extra[768];

	dialog_contact(&c->leg[0], contact, sizeof(contact));
	snprintf(extra, sizeof(extra), "%s%s%s", code < 300 && code > 100 ? contact : "",
		 code >= 200 && code < 300 ? ALLOW_HDR : "", more ? more : "");
	sip_txn_respond(c->txns, c->leg[0].invite_txn, code, reason, tag, extra,
			body);
}

static void respond0_extra(struct call *c, int code, const char *reason,
			   const char *body, const char *more)
{
	respond0_as(c, c->leg[0].local_tag, code, reason, body, more);
}

static void respond0(struct call *c, int code, const char *reason,
		     const char *body)
{
	respond0_extra(c, code, reason, body, NULL);
}

static void fail_call(struct call *c, int code, enum call_fail_reason reason_code,
		      const char *why)
{
	char reason[160], warn[256];

	snprintf(reason, sizeof(reason), "%s", sip_reason(code));
	log_info("call %llu: %d %s: %s", (unsigned long long)c->id, code, reason, why);
	warning_header(warn, sizeof(warn), why);
	respond0_extra(c, code, reason, NULL, warn);
	call_stats_failed(c->stats, code, reason_code);
	call_end(c, why, false, false);
}

/* The INVITE to the callee, from the caller's @inv. @retry: the next
 * attempt toward the same callee (dialog_retry_uac), else a new dialog
 * (the first attempt, or the next proxy-set target). */
static void ruri_resolved(void *arg, const struct sip_resolved *res);

/* 0 also while the request-URI's host is being resolved (ruri_resolved()
 * sends it then, or fails the call). */
static int send_invite(struct call *c, const osip_message_t *inv, bool retry)
{
	struct leg *l = &c->leg[1];
	struct sbuf b, body;
	char ruri[512];
	char extra[512];
	const struct cfg_target *target;
	int rc;

	rc = routing_target(c->cfg, c->leg[1].group, inv, c->target_idx,
			    c->ruri_addrs, &l->peer, &target, ruri, sizeof(ruri));
	if (rc == ROUTING_RESOLVE)
		return routing_resolve_ruri(inv, ruri_resolved,
					    (void *)(uintptr_t)c->id) ? -1 : 0;
	if (rc)
		return -1;
	if (transport_is_local(c->transport, &l->peer) ||
	    advertise_is_self(c->cfg, &l->peer)) {
		log_warn("call %llu: the target is srtprelayd itself: refused (loop)",
			 (unsigned long long)c->id);
		return -1;
	}
	if (retry)
		dialog_retry_uac(l, &l->peer, ruri);
	else
		dialog_init_uac(l, inv, &l->peer, ruri);
	advertise_self(c->cfg, l->peer.iface, l->peer.proto, l->policy.nat_private,
		       &l->self);
	if (advertise_request_uri(c->cfg, l->group, target, l->remote_target,
				  sizeof(l->remote_target), l->remote_uri,
				  sizeof(l->remote_uri)))
		return -1;
	if (!retry)
		call_index_leg(c, 1);
	l->invite_cseq = l->local_cseq;
	memset(&l->auth, 0, sizeof(l->auth));
	callee_invite_extra(l, inv, extra, sizeof(extra));
	l->max_forwards = c->leg[0].max_forwards;
	sb_init(&b);
	sb_init(&body);
	if (!c->late_offer && oa_make_offer(c, 1, &body) < 0) {
		sb_free(&body);
		return -1;
	}
	dialog_request(l, &b, "INVITE", l->invite_cseq, extra, NULL, body.p, body.len);
	sb_free(&body);
	l->invite_txn = b.failed ? 0 :
			sip_txn_request(c->txns, &l->peer, b.p, b.len,
					invite_response, c);
	sb_free(&b);
	return l->invite_txn ? 0 : -1;
}

/* The request-URI's host (a name) resolved: the INVITE goes out now. The
 * call may have ended meanwhile (CANCEL); it is found by its id. */
static void ruri_resolved(void *arg, const struct sip_resolved *res)
{
	struct call *c = call_by_id((uint64_t)(uintptr_t)arg);
	osip_message_t *inv;
	char why[160];

	if (!c || c->state != CALL_INIT || c->ruri_addrs ||
	    res->status == -ECANCELED)
		return;			/* ended meanwhile, or we stop */
	inv = sip_txn_request_of(c->txns, c->leg[0].invite_txn);
	if (!inv)
		return;
	if (res->status || !res->n) {
		snprintf(why, sizeof(why), "request-URI host %.100s: DNS: %s",
			 inv->req_uri->host, res->status == -ETIMEDOUT ?
			 "no server answered" : "no address");
		fail_call(c, 503, CALL_FAIL_NO_TARGET, why);
		return;
	}
	c->ruri_addrs = malloc(sizeof(*c->ruri_addrs));
	if (!c->ruri_addrs) {
		fail_call(c, 500, CALL_FAIL_INTERNAL, "no memory");
		return;
	}
	*c->ruri_addrs = *res;
	if (send_invite(c, inv, false))
		fail_call(c, 503, CALL_FAIL_NO_TARGET, "no target reachable for the destination group");
}

/* How callee_invite.c sends the INVITE again, and where its answers go. */
static const struct callee_invite_ops invite_ops = {
	.send = send_invite,
	.on_response = invite_response,
};

/* RFC 3262 headers of a reliable provisional, passed through as they are:
 * the caller's PRACK is relayed with its RAck mapped (b2bua_dialog.c). */
static const char *reliable_headers(const osip_message_t *resp, char *buf,
				    size_t len)
{
	const char *rseq = sip_hdr(resp, "RSeq"), *req = sip_hdr(resp, "Require");

	buf[0] = 0;
	if (rseq && req && strstr(req, "100rel"))
		snprintf(buf, len, "RSeq: %s\r\nRequire: 100rel\r\n", rseq);
	return buf;
}

/* A provisional with or without SDP (early media on 183), in the early
 * dialog of its To tag (forks.h). */
static void early_response(struct call *c, osip_message_t *resp)
{
	char extra[128];
	size_t len = 0;
	const char *sdp = sip_sdp_body(resp, &len);
	struct early_fork *f;
	struct sbuf body;
	char why[160];
	int code = resp->status_code;

	dialog_learn_response(&c->leg[1], resp);
	f = fork_of_response(c, resp);
	if (!f && c->n_forks == CALL_MAX_FORKS)
		return;
	c->state = CALL_EARLY;
	sb_init(&body);
	if (sdp && !c->late_offer) {
		if (oa_take_answer(c, 1, sdp, len, why, sizeof(why))) {
			log_limited(&c->party_log, LOG_LVL_WARN,
				    "call %llu: %d from callee with unusable SDP: %s",
				    (unsigned long long)c->id, code, why);
			sb_free(&body);
			respond0_as(c, f ? f->caller_tag : c->leg[0].local_tag, code,
				    resp->reason_phrase, NULL, NULL);
			return;
		}
		if (!oa_make_answer(c, 0, &body))
			call_media_apply(c);
		c->early_answered = true;
		if (f)
			fork_keep_answer(c, f, sdp, len);
	}
	respond0_as(c, f ? f->caller_tag : c->leg[0].local_tag, code,
		    resp->reason_phrase, body.len ? body.p : NULL,
		    reliable_headers(resp, extra, sizeof(extra)));
	sb_free(&body);
}

static void answered(struct call *c, osip_message_t *resp)
{
	const osip_message_t *inv = sip_txn_request_of(c->txns,
							c->leg[0].invite_txn);
	char timer_hdrs[160] = "";
	size_t len = 0, early_len;
	const char *sdp = sip_sdp_body(resp, &len), *early;
	struct early_fork *f;
	struct sbuf body;
	char why[160];
	int rc = 0;

	dialog_learn_response(&c->leg[1], resp);
	f = fork_of_response(c, resp);
	fork_won(c, f, &early, &early_len);
	sb_init(&body);
	if (c->late_offer) {
		/* The callee offers in its 2xx; the caller answers in ACK. */
		rc = sdp ? oa_take_offer(c, 1, sdp, len, why, sizeof(why)) : 488;
		if (!sdp)
			snprintf(why, sizeof(why), "INVITE without SDP answered without SDP");
		if (!rc && oa_make_offer(c, 0, &body))
			rc = 500;
	} else {
		/* The winner's answer: in its 2xx, or the one it sent early
		 * when the media follows another fork's (forks.h). */
		if (sdp || early)
			rc = oa_take_answer(c, 1, sdp ? sdp : early, sdp ? len : early_len,
					    why, sizeof(why));
		else if (f ? !f->answer : !c->early_answered) {
			rc = 488;
			snprintf(why, sizeof(why), "2xx without SDP answer");
		}
		if (!rc && oa_make_answer(c, 0, &body))
			rc = 500;
	}
	if (rc) {
		char warn[256];

		call_send_ack(c, 1, NULL);
		sb_free(&body);
		log_info("call %llu: %d: %s", (unsigned long long)c->id, rc, why);
		warning_header(warn, sizeof(warn), why);
		respond0_extra(c, rc, NULL, NULL, warn);
		call_stats_failed(c->stats, rc, CALL_FAIL_ANSWER);
		call_end(c, why, false, true);
		return;
	}
	if (!c->late_offer) {
		call_send_ack(c, 1, NULL);
		call_media_apply(c);
	}
	c->state = CALL_CONFIRMED;
	c->stats->answered++;
	call_mark_answered(c, ev_now_ms());
	call_save(c);		/* before the 200 OK: a restart carries it on */
	st_uac_response(c, 1, resp);
	if (inv)
		st_uas_answer(c, 0, inv, timer_hdrs, sizeof(timer_hdrs));
	respond0_extra(c, resp->status_code, resp->reason_phrase, body.p, timer_hdrs);
	sip_txn_set_owner(c->txns, c->leg[0].invite_txn, caller_ack_timeout, c);
	forks_release(c);
	sb_free(&body);
	log_info("call %llu answered", (unsigned long long)c->id);
	ev_timer_arm(&c->media_timer, 5000);
}

static void invite_response(void *arg, uint32_t txn, osip_message_t *resp)
{
	struct call *c = arg;
	int code = resp ? resp->status_code : 408;

	if (txn != c->leg[1].invite_txn)
		return;			/* a failed-over attempt's stragglers */
	if (c->state == CALL_ENDING) {
		/* We sent CANCEL; a 2xx that crossed it is ACKed and ended. */
		if (code >= 200 && code < 300) {
			dialog_learn_response(&c->leg[1], resp);
			call_send_ack(c, 1, NULL);
			call_end(c, "cancelled (answer crossed CANCEL)", false, true);
		} else if (code >= 300) {
			call_end(c, "cancelled by caller", false, false);
		}
		return;
	}
	if (code == 100)
		return;
	if (code < 200) {
		early_response(c, resp);
		return;
	}
	if (code < 300) {
		if (c->state == CALL_CONFIRMED) {
			const char *tag = sip_to_tag(resp);

			if (tag && strcmp(tag, c->leg[1].remote_tag))
				fork_end_loser(c, resp);	/* RFC 3261 13.2.2.4 */
			else
				call_send_ack(c, 1, c->late_ack_sdp);	/* 2xx again */
			return;
		}
		answered(c, resp);
		return;
	}
	if (callee_invite_again(c, resp, code, &invite_ops))
		return;
	if (code == 401 || code == 407) {
		char why[256];

		if (callee_invite_answer_challenge(c, resp, why, sizeof(why),
						   &invite_ops))
			return;
		/* The caller cannot answer a challenge meant for us. */
		fail_call(c, 403, CALL_FAIL_CALLEE, why);
		return;
	}
	log_info("call %llu: callee answered %d", (unsigned long long)c->id, code);
	respond0(c, code, resp ? resp->reason_phrase : "Request Timeout", NULL);
	call_stats_failed(c->stats, code, CALL_FAIL_CALLEE);
	call_end(c, resp ? "rejected by callee" : "no answer from callee (timeout)",
		 false, false);
}

static struct call *call_new(struct b2bua *b, uint32_t txn,
			     const osip_message_t *inv,
			     const struct sip_peer *from, int group, int route)
{
	const struct config *cfg = b->cfg;
	struct call *c = calloc(1, sizeof(*c));
	const struct cfg_ip_group *g0, *g1;
	int k;

	if (!c)
		return NULL;
	c->id = b->next_id++;
	c->cfg = cfg;
	c->stats = &b->stats;
	c->store = b->store;
	c->media = b->media;
	c->transport = b->transport;
	c->txns = b->txns;
	c->route = route;
	snprintf(c->route_name, sizeof(c->route_name), "%s", cfg->routes[route].name);
	c->started_ms = ev_now_ms();
	c->leg[0].group = group;
	c->leg[1].group = cfg->routes[route].dst_group;
	c->leg[0].policy = cfg->groups[group];
	c->leg[1].policy = cfg->groups[c->leg[1].group];
	g0 = &c->leg[0].policy;
	g1 = &c->leg[1].policy;
	c->leg[0].realm = g0->realm >= 0 ? g0->realm : cfg->ifaces[from->iface].realm;
	c->leg[1].realm = g1->realm >= 0 ? g1->realm :
			  cfg->ifaces[g1->iface >= 0 ? g1->iface : 0].realm;
	for (k = 0; k < 2; k++) {
		for (unsigned int s = 0; s < SDP_MAX_MEDIA; s++)
			c->leg[k].media[s].line = -1;
		st_init(c, k);
	}
	forks_init(c);
	dialog_init_uas(&c->leg[0], inv, from);
	advertise_self(cfg, from->iface, from->proto, g0->nat_private, &c->leg[0].self);
	{
		const char *mf = sip_hdr(inv, "Max-Forwards");

		/* A B2BUA still counts hops (RFC 3261 16.6 step 3 in
		 * spirit): a route back to ourselves dies out. */
		c->leg[0].max_forwards = mf ? atoi(mf) - 1 : 69;
		if (c->leg[0].max_forwards > 70)
			c->leg[0].max_forwards = 70;
	}
	c->leg[0].invite_txn = c->leg[0].uas_invite_txn = txn;
	ev_timer_init(&c->media_timer, media_check, c);
	c->admitted = true;
	call_list_add(c);
	call_index_leg(c, 0);
	sip_txn_set_owner(b->txns, txn, NULL, NULL);
	return c;
}

/* Call admission (admission.c): false when the INVITE was refused. */
static bool admit(struct b2bua *b, uint32_t txn, const struct sip_peer *from,
		  int group, int dst_group)
{
	const struct config *cfg = b->cfg;
	char a[64], why[160], extra[320] = "";
	unsigned int retry_after;
	size_t n;
	int code;

	code = admission_take(cfg, group, dst_group, ev_now_ms(), why,
			      sizeof(why), &retry_after);
	if (!code)
		return true;
	log_limited(&b->admission_refusals, LOG_LVL_WARN, "INVITE from %s: %d, %s",
		    sockaddr_str(&from->addr, a, sizeof(a)), code, why);
	warning_header(extra, sizeof(extra), why);
	n = strlen(extra);
	if (retry_after)
		snprintf(extra + n, sizeof(extra) - n, "Retry-After: %u\r\n",
			 retry_after);
	sip_txn_respond(b->txns, txn, code, NULL, NULL, extra, NULL);
	call_stats_failed(&b->stats, code, CALL_FAIL_ADMISSION);
	return false;
}

/* Refuses a new call's INVITE before it became a call. */
static void refuse(struct b2bua *b, uint32_t txn, int code,
		   const char *reason, const char *extra,
		   enum call_fail_reason why)
{
	sip_txn_respond(b->txns, txn, code, reason, NULL, extra, NULL);
	call_stats_failed(&b->stats, code, why);
}

static void new_call(struct b2bua *b, uint32_t txn, osip_message_t *inv,
		     const struct sip_peer *from)
{
	const struct config *cfg = b->cfg;
	const char *mf = sip_hdr(inv, "Max-Forwards");
	char a[64], why[200];
	int group, route, rc;
	struct call *c;
	size_t len = 0;
	const char *sdp;

	if (mf && atoi(mf) <= 0) {
		refuse(b, txn, 483, NULL, NULL, CALL_FAIL_LOOP);
		return;
	}
	if (!media_ready(b->media)) {
		log_limited(&b->no_plane_refusals, LOG_LVL_WARN,
			    "INVITE from %s: 503, no media plane",
			    sockaddr_str(&from->addr, a, sizeof(a)));
		/* The plane is retried every 250 ms (media.c) and a restarted
		 * one is back within a second or two: 10 s would keep callers
		 * away long after it returned. */
		refuse(b, txn, 503, "Service Unavailable (no media plane)",
		       "Retry-After: 1\r\n", CALL_FAIL_NO_MEDIA_PLANE);
		return;
	}
	if (cfg->limits.max_calls_in_progress &&
	    b2bua_calls_in_progress() >= cfg->limits.max_calls_in_progress) {
		/* A flood of INVITEs that are never answered must not take
		 * every media port and all memory: 503 sends it elsewhere. */
		call_count_refused_in_progress();
		refuse(b, txn, 503, "Service Unavailable (too many calls in progress)",
		       "Retry-After: 5\r\n", CALL_FAIL_OVERLOAD);
		return;
	}
	group = routing_classify(cfg, &from->addr);
	if (group < 0) {
		log_warn("INVITE from %s: in no IP group: 403",
			 sockaddr_str(&from->addr, a, sizeof(a)));
		refuse(b, txn, 403, "Forbidden (unknown source)", NULL,
		       CALL_FAIL_UNKNOWN_SOURCE);
		return;
	}
	route = routing_match(cfg, group, inv);
	if (route < 0) {
		log_info("INVITE from %s (group %s) to %s: no routing rule: 404",
			 sockaddr_str(&from->addr, a, sizeof(a)), cfg->groups[group].name,
			 inv->req_uri->username ? inv->req_uri->username : "");
		refuse(b, txn, 404, "No Route", NULL, CALL_FAIL_NO_ROUTE);
		return;
	}
	if ((rc = st_check_request(&cfg->groups[group], inv, why, sizeof(why)))) {
		log_info("INVITE from %s: 422, Session-Expires below our Min-SE",
			 sockaddr_str(&from->addr, a, sizeof(a)));
		refuse(b, txn, rc, NULL, why, CALL_FAIL_OFFER);
		return;
	}
	if (!admit(b, txn, from, group, cfg->routes[route].dst_group))
		return;
	c = call_new(b, txn, inv, from, group, route);
	if (!c) {
		admission_release(group, cfg->routes[route].dst_group);
		refuse(b, txn, 500, NULL, NULL, CALL_FAIL_INTERNAL);
		return;
	}
	log_info("call %llu: INVITE %s from %s (group %s) routed by %s to group %s",
		 (unsigned long long)c->id, inv->req_uri->username ? inv->req_uri->username : "",
		 sockaddr_str(&from->addr, a, sizeof(a)), cfg->groups[group].name,
		 cfg->routes[route].name, cfg->groups[c->leg[1].group].name);
	sdp = sip_sdp_body(inv, &len);
	if (!sdp && sip_has_body(inv)) {
		fail_call(c, 415, CALL_FAIL_OFFER, "body is not application/sdp");
		return;
	}
	c->late_offer = !sdp;
	if (sdp && (rc = oa_take_offer(c, 0, sdp, len, why, sizeof(why)))) {
		fail_call(c, rc, CALL_FAIL_OFFER, why);
		return;
	}
	if (send_invite(c, inv, false)) {
		fail_call(c, 503, CALL_FAIL_NO_TARGET, "no target reachable for the destination group");
		return;
	}
}

static void on_cancel(uint32_t invite_txn)
{
	struct call *c;

	for (c = calls; c; c = c->next)
		if (c->leg[0].invite_txn == invite_txn && c->state < CALL_CONFIRMED)
			break;
	if (!c)
		return;
	log_info("call %llu: cancelled by caller", (unsigned long long)c->id);
	respond0(c, 487, NULL, NULL);
	call_stats_failed(c->stats, 487, CALL_FAIL_CANCELLED);
	call_media_remove(c);
	c->state = CALL_ENDING;
	if (!sip_txn_cancel(c->txns, c->leg[1].invite_txn, NULL, NULL))
		call_end(c, "cancelled by caller", false, false);
	/* else ended when the callee's final response arrives */
}

static void on_ack(osip_message_t *ack)
{
	struct sbuf body;
	size_t len = 0;
	const char *sdp;
	char why[160];
	struct call *c;
	int x;

	c = call_find(ack, &x);
	if (!c)
		return;
	/* Stops the 2xx's retransmissions in any state: a call ending by
	 * BYE still gets the ACK of a re-INVITE answered just before. */
	sip_txn_acked(c->txns, c->leg[x].uas_invite_txn);
	if (c->state != CALL_CONFIRMED)
		return;
	if (x == 1 || !c->late_offer || c->late_ack_sdp)
		return;
	sdp = sip_sdp_body(ack, &len);
	if (!sdp || oa_take_answer(c, 0, sdp, len, why, sizeof(why))) {
		call_send_ack(c, 1, NULL);
		call_end(c, sdp ? why : "ACK without the SDP answer", true, true);
		return;
	}
	sb_init(&body);
	if (!oa_make_answer(c, 1, &body) && body.p) {
		c->late_ack_sdp = strdup(body.p);
		call_send_ack(c, 1, c->late_ack_sdp);
		call_media_apply(c);
		call_save(c);
	}
	sb_free(&body);
}

/* Our 2xx to the caller was never ACKed (64*T1): the caller is gone. */
static void caller_ack_timeout(void *arg, uint32_t txn, osip_message_t *resp)
{
	call_end(arg, "no ACK from the caller", true, true);
}

static void on_register(struct b2bua *b, uint32_t txn, osip_message_t *req,
			const struct sip_peer *from)
{
	const struct config *cfg = b->cfg;
	char a[64];

	if (routing_classify(cfg, &from->addr) < 0) {
		log_warn("REGISTER from %s: in no IP group: 403",
			 sockaddr_str(&from->addr, a, sizeof(a)));
		sip_txn_respond(b->txns, txn, 403, "Forbidden (unknown source)", NULL,
				NULL, NULL);
		return;
	}
	if (registrar_auth_check(b->txns, cfg, &b->register_refusals, txn, req,
				 from))
		registrar_register(b->txns, txn, req, from);
}

/* A keep-alive: its 200 names us as our Contact does in calls, so a
 * trunk that checks our FQDN (or the NAT side) sees the same name. */
static void options(struct b2bua *b, uint32_t txn, const struct sip_peer *from)
{
	const struct config *cfg = b->cfg;
	int group = routing_classify(cfg, &from->addr);
	struct self_name self;
	char extra[SELF_HOST_MAX + 256];
	size_t n;

	advertise_self(cfg, from->iface, from->proto,
		       group >= 0 && cfg->groups[group].nat_private, &self);
	advertise_contact(&self, from->proto, extra, sizeof(extra));
	n = strlen(extra);
	snprintf(extra + n, sizeof(extra) - n, "%s", ALLOW_HDR
		 "Accept: application/sdp\r\nSupported: 100rel, replaces\r\n");
	sip_txn_respond(b->txns, txn, 200, NULL, "srtprelayd", extra, NULL);
}

void b2bua_request(void *arg, uint32_t txn, osip_message_t *req,
		   const struct sip_peer *from)
{
	struct b2bua *b = arg;
	const struct config *cfg = b->cfg;
	struct call *c;
	int x;

	if (MSG_IS_ACK(req)) {
		on_ack(req);
		return;
	}
	if (MSG_IS_CANCEL(req)) {
		on_cancel(txn);
		return;
	}
	if (MSG_IS_INVITE(req) && !sip_to_tag(req)) {
		b->stats.attempts++;
		if (ev_stopping() || cfg->n_groups == 0) {
			/* Without IP groups every source is unknown. */
			refuse(b, txn, 503, NULL, NULL,
			       ev_stopping() ? CALL_FAIL_SHUTTING_DOWN :
			       CALL_FAIL_UNKNOWN_SOURCE);
			return;
		}
	} else if (ev_stopping()) {
		sip_txn_respond(b->txns, txn, 503, NULL, NULL, NULL, NULL);
		return;
	}
	if (sip_to_tag(req)) {
		c = call_find(req, &x);
		if (c)
			b2bua_in_dialog(txn, req, c, x);
		else if (MSG_IS_OPTIONS(req))
			options(b, txn, from);
		else
			sip_txn_respond(b->txns, txn, 481, NULL, NULL, NULL, NULL);
		return;
	}
	if (MSG_IS_INVITE(req))
		new_call(b, txn, req, from);
	else if (MSG_IS_REGISTER(req))
		on_register(b, txn, req, from);
	else if (MSG_IS_OPTIONS(req))
		options(b, txn, from);
	else if (MSG_IS_BYE(req) || MSG_IS_UPDATE(req) || MSG_IS_PRACK(req))
		sip_txn_respond(b->txns, txn, 481, NULL, NULL, NULL, NULL);
	else
		sip_txn_respond(b->txns, txn, 405, NULL, NULL, ALLOW_HDR, NULL);
}

void b2bua_adopt(struct call *c)
{
	/* The journal keeps neither session timers nor early dialogs: a
	 * restored call's legs run no timer until their peer refreshes. */
	for (int k = 0; k < 2; k++)
		st_init(c, k);
	forks_init(c);
	ev_timer_init(&c->media_timer, media_check, c);
	ev_timer_arm(&c->media_timer, 5000);
}

static void media_check(void *arg)
{
	struct call *c = arg;
	unsigned int t0 = c->leg[0].policy.media_timeout;
	unsigned int t1 = c->leg[1].policy.media_timeout;
	unsigned int limit = t0 && t1 ? (t0 < t1 ? t0 : t1) : (t0 ? t0 : t1);
	uint64_t idle;

	if (!limit)
		return;
	/*
	 * No datapath to ask (the plane is gone for now): ask again later;
	 * giving up here would leave the call without a timeout for good.
	 */
	if (call_media_idle_ms(c, &idle)) {
		ev_timer_arm(&c->media_timer, 5000);
		return;
	}
	if (idle == UINT64_MAX)
		idle = ev_now_ms() - c->answered_ms;
	if (idle > limit * 1000ULL) {
		call_end(c, "media inactivity timeout", true, true);
		return;
	}
	ev_timer_arm(&c->media_timer, 5000);
}

void b2bua_shutdown(void)
{
	while (calls) {
		struct call *c = calls;

		if (c->state == CALL_CONFIRMED) {
			call_end(c, "daemon shutting down", true, true);
		} else {
			respond0(c, 503, "Service Unavailable (shutting down)", NULL);
			call_stats_failed(c->stats, 503, CALL_FAIL_SHUTTING_DOWN);
			sip_txn_cancel(c->txns, c->leg[1].invite_txn, NULL, NULL);
			call_end(c, "daemon shutting down", false, false);
		}
	}
}
