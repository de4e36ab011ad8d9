// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Offer/answer between the legs of a call: slots, ports, keys, policy. */
#include <arpa/inet.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "base/log.h"
#include "base/secret_mem.h"
#include "call/advertise.h"
#include "call/media.h"
#include "call/offer_answer.h"
#include "call/srtp_policy.h"
#include "srtp_suite.h"

/* Every struct sdp and SDP output here holds a=crypto keys: a leg's SDP
 * is freed with sdp_free(), text and all, wiped first; the struct sdp of
 * a body being written borrows the legs' text and is only wiped and
 * freed itself (secret_free_heap()). */

static const struct cfg_ip_group *group_of(const struct call *c, int leg)
{
	return &c->leg[leg].policy;
}

static void set_remote(struct leg_media *lm, const struct sdp_media *m)
{
	struct sockaddr_storage old;
	bool was_known;

	lm->rtcp_mux = m->rtcp_mux;
	if (sdp_is_hold_addr(m->addr)) {
		/* RFC 2543 hold: keep the address, so the stream is set on
		 * hold rather than removed (and its ROC kept). */
		lm->dir = SDP_INACTIVE;
		return;
	}
	old = lm->remote;
	was_known = lm->remote_known;
	lm->remote_known = m->port && !sockaddr_parse(m->addr, m->port, &lm->remote);
	lm->dir = m->dir;
	/* The media plane forgets a latched source when the signalled one
	 * changes; so do we, and media to the peer goes to its new SDP
	 * address until it latches again. */
	if (!lm->remote_known || !was_known || !sockaddr_equal(&old, &lm->remote))
		lm->latched_known = false;
}

static struct sdp *parse_body(const char *body, size_t len, char *why, size_t wl)
{
	struct sdp *s = calloc(1, sizeof(*s));
	char err[128];

	if (!s) {
		snprintf(why, wl, "out of memory");
		return NULL;
	}
	if (sdp_parse(body, len, s, err, sizeof(err))) {
		snprintf(why, wl, "bad SDP: %s", err);
		sdp_free(s);
		return NULL;
	}
	return s;
}

/* The slot that leg @x's line @line belongs to, or a new one. */
static int slot_of_line(struct call *c, int x, unsigned int line, bool create)
{
	unsigned int s;

	for (s = 0; s < c->n_slots; s++)
		if (c->leg[x].media[s].line == (int)line)
			return (int)s;
	if (!create || c->n_slots >= SDP_MAX_MEDIA)
		return -1;
	s = c->n_slots++;
	c->leg[x].media[s].line = (int)line;
	c->leg[1 - x].media[s].line = -1;
	return (int)s;
}

static bool realm_is_ip6(const struct call *c, int realm)
{
	return c->cfg->realms[realm].addr.ss_family == AF_INET6;
}

static char family_digit(bool ip6)
{
	return ip6 ? '6' : '4';
}

static bool leg_has_ports(const struct call *c, int x)
{
	unsigned int s;

	for (s = 0; s < c->n_slots; s++)
		if (c->leg[x].media[s].port)
			return true;
	return false;
}

/*
 * A leg's media flows between its realm's address and the c= addresses of
 * its SDP, so both are of one family: a stream from an IPv4 realm to an
 * IPv6 peer is refused by the media plane, and the call would have audio
 * one way. Before the leg has ports, the first configured realm of the
 * offer's family takes the leg; otherwise 488. Hold addresses (0.0.0.0,
 * ::) say nothing about the family.
 */
static int fit_realm(struct call *c, int x, const struct sdp *s,
		     const struct policy_line *pl, char *why, size_t wl)
{
	int want = -1, cur = c->leg[x].realm;
	unsigned int i, r;

	for (i = 0; i < s->n_media; i++) {
		const struct sdp_media *m = &s->media[i];

		if (!pl[i].use || sdp_is_hold_addr(m->addr))
			continue;
		if (want >= 0 && want != m->addr_ip6) {
			snprintf(why, wl, "media lines of both IPv4 and IPv6");
			return 488;
		}
		want = m->addr_ip6;
	}
	if (want < 0 || realm_is_ip6(c, cur) == want)
		return 0;
	for (r = 0; !leg_has_ports(c, x) && r < c->cfg->n_realms; r++) {
		if (realm_is_ip6(c, (int)r) != want)
			continue;
		log_info("call %llu leg %d: the offer's media is IPv%c: media realm %s instead of %s",
			 (unsigned long long)c->id, x, family_digit(want),
			 c->cfg->realms[r].name, c->cfg->realms[cur].name);
		c->leg[x].realm = (int)r;
		return 0;
	}
	snprintf(why, wl, "the offer's media is IPv%c, the leg's media realm %s is IPv%c, and no IPv%c realm can take it",
		 family_digit(want), c->cfg->realms[cur].name, family_digit(!want),
		 family_digit(want));
	return 488;
}

static int alloc_ports(struct call *c, int s)
{
	int k;

	for (k = 0; k < 2; k++) {
		struct leg_media *lm = &c->leg[k].media[s];

		if (!lm->port &&
		    media_port_alloc(c->media, c->leg[k].realm, &lm->port))
			return 503;
	}
	return 0;
}

int oa_take_offer(struct call *c, int x, const char *body, size_t len,
		  char *why, size_t wl)
{
	struct policy_line pl[SDP_MAX_MEDIA];
	struct sdp *s = parse_body(body, len, why, wl);
	unsigned int i;
	int rc, slot;

	if (!s)
		return 488;
	rc = srtp_policy_offer(group_of(c, x), s, pl, why, wl);
	if (!rc)
		rc = fit_realm(c, x, s, pl, why, wl);
	for (i = 0; !rc && i < s->n_media; i++) {
		slot = slot_of_line(c, x, i, pl[i].use && !c->media_installed);
		if (slot < 0)
			continue;
		if (!pl[i].use) {
			/* A line that was a slot and is now refused/removed. */
			c->leg[x].slot_rejected[slot] = true;
			continue;
		}
		c->leg[x].slot_rejected[slot] = false;
		struct leg_media *lm = &c->leg[x].media[slot];

		set_remote(lm, &s->media[i]);
		lm->srtp = pl[i].srtp;
		leg_key_wipe(&lm->peer_key);
		if (pl[i].srtp)
			leg_key_from_sdes(&lm->peer_key, &pl[i].crypto);
		rc = alloc_ports(c, slot);
		if (rc)
			snprintf(why, wl, "no free media ports");
	}
	for (i = 0; i < s->n_media; i++)
		sdes_crypto_wipe(&pl[i].crypto);
	if (rc) {
		sdp_free(s);
		return rc;
	}
	sdp_free(c->leg[x].sdp);
	c->leg[x].sdp = s;
	c->leg[x].n_lines = s->n_media;
	return 0;
}

/* The same SDES key: suite, key||salt, MKI and session parameters. */
static bool same_sdes_key(const struct leg_key *a, const struct leg_key *b)
{
	const struct sdes_key *ka = &a->key, *kb = &b->key;

	return a->set && b->set && a->suite == b->suite &&
	       a->flags == b->flags && ka->key_salt_len == kb->key_salt_len &&
	       ka->mki_len == kb->mki_len && ka->mki == kb->mki &&
	       !CRYPTO_memcmp(ka->key_salt, kb->key_salt, ka->key_salt_len);
}

/*
 * SRTP pass-through (srtp_pass_through in both legs' groups): leg @y is
 * offered the key leg x's peer sends with, so the media plane can check
 * SRTP and forward it unchanged. AES-CM suites only: GCM cannot check a
 * tag without decrypting, so there both legs keep keys of their own.
 */
static const struct leg_key *pass_through_key(const struct call *c, int y,
					      int s)
{
	const struct leg_media *mx = &c->leg[1 - y].media[s];

	if (!group_of(c, y)->srtp_pass_through ||
	    !group_of(c, 1 - y)->srtp_pass_through || !mx->srtp ||
	    !mx->peer_key.set || mx->peer_key.fec_keys ||
	    srtp_suite_info(sdes_suite_to_relay(mx->peer_key.suite)).aead)
		return NULL;
	return &mx->peer_key;
}

/*
 * The form of our offer to leg @y's line of slot @s. A re-offer to a leg
 * that runs SRTP keeps the form its SDP has: a phone that takes only
 * RTP/SAVP refuses RTP/AVP with crypto (488) in a re-INVITE too, and one
 * that spoke RTP/AVP with crypto (Teams) expects it again. Otherwise the
 * leg's attempt picks (srtp_offer_form()).
 */
static enum srtp_offer_form offer_form(const struct call *c, int y, int s)
{
	const struct leg *l = &c->leg[y];
	const struct leg_media *lm = &l->media[s];
	enum srtp_offer_form form = SRTP_OFFER_PLAIN;

	if (lm->srtp && l->policy.srtp != SRTP_DISABLED && l->sdp &&
	    lm->line >= 0 && (unsigned int)lm->line < l->sdp->n_media)
		return sdp_proto_is_savp(l->sdp->media[lm->line].proto) ?
		       SRTP_OFFER_SAVP : SRTP_OFFER_AVP_CRYPTO;
	srtp_offer_form(&l->policy, l->offer_attempt, &form);
	return form;
}

static void offer_crypto(struct call *c, int y, int s, struct sdp_media_out *o)
{
	const struct leg_key *shared = pass_through_key(c, y, s);
	const struct cfg_ip_group *g = group_of(c, y);
	struct leg_media *lm = &c->leg[y].media[s];
	enum srtp_offer_form form = offer_form(c, y, s);
	unsigned int k;

	o->proto = form == SRTP_OFFER_SAVP ? "RTP/SAVP" : "RTP/AVP";
	if (form == SRTP_OFFER_PLAIN)
		return;
	if (!lm->offered)
		lm->offered = calloc(CFG_MAX_SUITES, sizeof(*lm->offered));
	if (!lm->offered) {
		log_err("out of memory for crypto candidates");
		return;
	}
	if (shared) {
		/* The other leg's key, under our own first tag. */
		lm->offered[0] = *shared;
		lm->offered[0].tag = 1;
		lm->n_offered = 1;
	} else if (lm->srtp && lm->our_key.set) {
		/* Re-offer: the same key, so ROC and replay state carry on. */
		lm->offered[0] = lm->our_key;
		lm->n_offered = 1;
	} else {
		lm->n_offered = 0;
		for (k = 0; k < g->n_offered_suites; k++)
			if (leg_key_generate(&lm->offered[lm->n_offered], k + 1,
					     g->suites[k]) == SDES_OK)
				lm->n_offered++;
	}
	for (k = 0; k < lm->n_offered; k++)
		if (leg_key_format(&lm->offered[k], o->crypto[o->n_crypto],
				   SDP_LINE_MAX) > 0)
			o->n_crypto++;
}

/* The SDP we sent @l last, our keys in it: wiped when replaced or freed. */
static void forget_body(struct leg *l)
{
	secret_free_heap(l->last_body);
	l->last_body = NULL;
}

static void keep_body(struct leg *l, const struct sbuf *b)
{
	forget_body(l);
	l->last_body = malloc(b->len + 1);
	if (!l->last_body) {
		log_err("out of memory for the SDP sent on call-id %s", l->call_id);
		return;
	}
	memcpy(l->last_body, b->p, b->len);
	l->last_body[b->len] = 0;
}

static const char *realm_addr(const struct call *c, int leg)
{
	return advertise_media(c->cfg, c->leg[leg].realm, c->leg[leg].policy.nat_private);
}

int oa_make_offer(struct call *c, int y, struct sbuf *b)
{
	int x = 1 - y;
	struct sdp *t = calloc(1, sizeof(*t));
	struct sdp_media_out *out = calloc(SDP_MAX_MEDIA, sizeof(*out));
	struct leg *ly = &c->leg[y];
	unsigned int s, n;

	if (!t || !out) {
		secret_free_heap(t);
		secret_free_heap(out);
		return -1;
	}
	if (!ly->n_lines) {		/* first offer on this leg */
		for (s = 0; s < c->n_slots; s++)
			ly->media[s].line = (int)s;
		ly->n_lines = c->n_slots;
	}
	n = ly->n_lines;
	if (ly->sdp)
		*t = *ly->sdp;		/* lines no slot uses: port 0 */
	sdp_share_session_attrs(t, c->leg[x].sdp);
	t->n_media = n;
	for (s = 0; s < c->n_slots; s++) {
		int li = ly->media[s].line, lx = c->leg[x].media[s].line;

		if (li < 0 || lx < 0 || (unsigned int)li >= n)
			continue;
		t->media[li] = c->leg[x].sdp->media[lx];
		if (c->leg[x].slot_rejected[s])
			continue;
		out[li].port = ly->media[s].port;
		out[li].rtcp_mux = true;
		offer_crypto(c, y, (int)s, &out[li]);
	}
	if (!ly->sdp_sess) {
		ly->sdp_sess = (uint64_t)c->id * 1000 + (uint64_t)y;
		ly->sdp_version = 1;
	} else {
		ly->sdp_version++;
	}
	sdp_write(b, t, realm_addr(c, y), ly->sdp_sess, ly->sdp_version, out, n);
	if (!b->failed)
		keep_body(ly, b);
	secret_free_heap(t);
	secret_free_heap(out);
	return b->failed ? -1 : 0;
}

#define WEAKENING_FLAGS (SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP | \
			 SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP | \
			 SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP)

/* Our candidate whose tag and suite the answer's crypto line names. */
static bool match_answer_crypto(struct leg_media *lm, const struct sdp_media *m,
				char *why, size_t wl)
{
	struct sdes_crypto a;
	char err[SDES_ERR_MAX];
	unsigned int i, k;

	for (i = 0; i < m->n_crypto; i++) {
		if (sdes_parse(sdp_crypto(m, i), strlen(sdp_crypto(m, i)), &a, err,
			       sizeof(err)) != SDES_OK) {
			snprintf(why, wl, "answer crypto line %u: %s", i + 1, err);
			continue;
		}
		for (k = 0; lm->offered && k < lm->n_offered; k++) {
			if (lm->offered[k].tag != a.tag || lm->offered[k].suite != a.suite)
				continue;
			if (a.n_keys != 1 || a.keys[0].mki_len > SRTPRELAY_MKI_MAX_LEN)
				break;
			/* An answer echoes session parameters, it never adds
			 * one (RFC 4568 6.3): UNENCRYPTED_* or
			 * UNAUTHENTICATED_SRTP here would be a downgrade. */
			if ((a.flags ^ lm->offered[k].flags) & WEAKENING_FLAGS) {
				snprintf(why, wl, "answer crypto tag %u: session parameters we did not offer (UNENCRYPTED_* or UNAUTHENTICATED_SRTP)",
					 a.tag);
				break;
			}
			leg_key_from_sdes(&lm->peer_key, &a);
			if (!lm->srtp || !leg_key_equal(&lm->our_key, &lm->offered[k]))
				lm->our_key = lm->offered[k];
			sdes_crypto_wipe(&a);
			return true;
		}
		snprintf(why, wl, "answer crypto tag %u %s was not offered", a.tag,
			 a.suite_name);
	}
	sdes_crypto_wipe(&a);
	return false;
}

static int answer_line(struct call *c, int y, int s, const struct sdp_media *m,
		       char *why, size_t wl)
{
	const struct cfg_ip_group *g = group_of(c, y);
	struct leg_media *lm = &c->leg[y].media[s];

	c->leg[y].slot_rejected[s] = !m->port;
	if (!m->port)
		return 0;
	/* Our offer named this leg's realm: its answer must be of its family. */
	if (!sdp_is_hold_addr(m->addr) && m->addr_ip6 != realm_is_ip6(c, c->leg[y].realm)) {
		snprintf(why, wl, "the answer's media is IPv%c, our offer's (realm %s) IPv%c",
			 family_digit(m->addr_ip6), c->cfg->realms[c->leg[y].realm].name,
			 family_digit(!m->addr_ip6));
		return 488;
	}
	set_remote(lm, m);
	if (g->srtp != SRTP_DISABLED && m->n_crypto &&
	    match_answer_crypto(lm, m, why, wl)) {
		lm->srtp = true;
		return 0;
	}
	if (g->srtp == SRTP_MANDATORY) {
		if (!m->n_crypto)
			snprintf(why, wl, "answer to our RTP/SAVP offer has no a=crypto");
		return 488;
	}
	lm->srtp = false;
	return 0;
}

int oa_take_answer(struct call *c, int y, const char *body, size_t len,
		   char *why, size_t wl)
{
	struct sdp *s = parse_body(body, len, why, wl);
	unsigned int k;
	int rc = 0, used = 0;

	if (!s)
		return 488;
	for (k = 0; k < c->n_slots && !rc; k++) {
		int li = c->leg[y].media[k].line;

		if (li < 0 || (unsigned int)li >= s->n_media ||
		    c->leg[1 - y].slot_rejected[k])
			continue;
		rc = answer_line(c, y, (int)k, &s->media[li], why, wl);
		used += !c->leg[y].slot_rejected[k];
	}
	if (!rc && !used) {
		snprintf(why, wl, "the answer accepts no media line");
		rc = 488;
	}
	if (rc) {
		sdp_free(s);
		return rc;
	}
	sdp_free(c->leg[y].sdp);
	c->leg[y].sdp = s;
	return 0;
}

static void answer_crypto(struct call *c, int x, int s, struct sdp_media_out *o)
{
	struct leg_media *lm = &c->leg[x].media[s];
	const struct leg_media *my = &c->leg[1 - x].media[s];

	if (!lm->srtp)
		return;
	if (pass_through_key(c, 1 - x, s) && my->srtp &&
	    same_sdes_key(&my->our_key, &lm->peer_key)) {
		/* Leg y took our peer's key: our peer gets leg y's. */
		lm->our_key = my->peer_key;
	} else if (!lm->our_key.set ||
		   lm->our_key.suite != lm->peer_key.suite ||
		   lm->our_key.key.mki_len != lm->peer_key.key.mki_len) {
		/* A new key unless the suite is unchanged: ROC carries on. */
		if (leg_key_answer(&lm->peer_key, &lm->our_key) != SDES_OK)
			return;
		/* Our MKI mirrors the offer's length and value (Teams). */
		lm->our_key.key.mki_len = lm->peer_key.key.mki_len;
		lm->our_key.key.mki = lm->peer_key.key.mki;
	}
	lm->our_key.tag = lm->peer_key.tag;
	if (leg_key_format(&lm->our_key, o->crypto[0], SDP_LINE_MAX) > 0)
		o->n_crypto = 1;
}

int oa_make_answer(struct call *c, int x, struct sbuf *b)
{
	int y = 1 - x;
	struct leg *lx = &c->leg[x];
	struct sdp *t = calloc(1, sizeof(*t));
	struct sdp_media_out *out = calloc(SDP_MAX_MEDIA, sizeof(*out));
	unsigned int s;

	if (!t || !out) {
		secret_free_heap(t);
		secret_free_heap(out);
		return -1;
	}
	*t = *lx->sdp;
	sdp_share_session_attrs(t, c->leg[y].sdp);
	for (s = 0; s < c->n_slots; s++) {
		int li = lx->media[s].line, ly = c->leg[y].media[s].line;

		if (li < 0 || ly < 0 || lx->slot_rejected[s] ||
		    c->leg[y].slot_rejected[s] ||
		    (unsigned int)ly >= c->leg[y].sdp->n_media)
			continue;
		/* The answerer's codecs and direction, the offerer's proto. */
		t->media[li] = c->leg[y].sdp->media[ly];
		snprintf(t->media[li].proto, sizeof(t->media[li].proto), "%s",
			 lx->sdp->media[li].proto);
		out[li].port = lx->media[s].port;
		out[li].rtcp_mux = lx->media[s].rtcp_mux;
		answer_crypto(c, x, (int)s, &out[li]);
	}
	for (s = 0; s < t->n_media; s++)
		if (!out[s].port)
			t->media[s] = lx->sdp->media[s];
	if (!lx->sdp_sess) {
		lx->sdp_sess = (uint64_t)c->id * 1000 + (uint64_t)x;
		lx->sdp_version = 1;
	} else {
		lx->sdp_version++;
	}
	sdp_write(b, t, realm_addr(c, x), lx->sdp_sess, lx->sdp_version, out,
		  t->n_media);
	if (!b->failed)
		keep_body(lx, b);
	secret_free_heap(t);
	secret_free_heap(out);
	return b->failed ? -1 : 0;
}

/* Every key of @lm wiped and its candidates freed. */
static void forget_keys(struct leg_media *lm)
{
	leg_key_wipe(&lm->peer_key);
	leg_key_wipe(&lm->our_key);
	secret_free(lm->offered, CFG_MAX_SUITES * sizeof(*lm->offered));
	lm->offered = NULL;
	lm->n_offered = 0;
	lm->srtp = false;
}

void oa_retract_offer(struct call *c, int y)
{
	struct leg *ly = &c->leg[y];
	unsigned int s;

	for (s = 0; s < c->n_slots; s++) {
		struct leg_media *lm = &ly->media[s];
		uint16_t port = lm->port;

		forget_keys(lm);
		memset(lm, 0, sizeof(*lm));
		lm->port = port;
		lm->line = -1;
		ly->slot_rejected[s] = false;
	}
	ly->n_lines = 0;
	sdp_free(ly->sdp);
	ly->sdp = NULL;
	forget_body(ly);
}

void oa_release(struct call *c)
{
	unsigned int k, s;

	for (k = 0; k < 2; k++) {
		for (s = 0; s < c->n_slots; s++) {
			struct leg_media *lm = &c->leg[k].media[s];

			if (lm->port)
				media_port_free(c->media, c->leg[k].realm, lm->port);
			lm->port = 0;
			forget_keys(lm);
		}
		sdp_free(c->leg[k].sdp);
		c->leg[k].sdp = NULL;
		forget_body(&c->leg[k]);
	}
}
