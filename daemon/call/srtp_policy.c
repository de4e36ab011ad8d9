// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The media security table of srtp_policy.h, and crypto line choice. */
#include <stdio.h>
#include <string.h>

#include "call/srtp_policy.h"

enum policy_action srtp_policy_decide(enum srtp_mode mode, enum offer_kind kind)
{
	static const enum policy_action table[3][3] = {
		/*                 SRTP-only    best-effort  RTP-only */
		[SRTP_MANDATORY] = { POLICY_SRTP, POLICY_SRTP, POLICY_REJECT },
		[SRTP_PREFERABLE] = { POLICY_SRTP, POLICY_SRTP, POLICY_RTP },
		[SRTP_DISABLED] = { POLICY_REJECT, POLICY_RTP, POLICY_RTP },
	};

	if (kind == OFFER_SRTP_UNUSABLE)
		return POLICY_REJECT;
	return table[mode][kind];
}

const char *srtp_mode_name(enum srtp_mode mode)
{
	switch (mode) {
	case SRTP_MANDATORY: return "mandatory";
	case SRTP_PREFERABLE: return "preferable";
	case SRTP_DISABLED: return "disabled";
	}
	return "?";
}

const char *srtp_offer_form_name(enum srtp_offer_form form)
{
	switch (form) {
	case SRTP_OFFER_SAVP: return "savp";
	case SRTP_OFFER_AVP_CRYPTO: return "avp-with-crypto";
	case SRTP_OFFER_PLAIN: return "plain RTP/AVP";
	}
	return "?";
}

bool srtp_offer_form(const struct cfg_ip_group *g, unsigned int attempt,
		     enum srtp_offer_form *form)
{
	enum srtp_offer_form first = g->srtp_offer;
	enum srtp_offer_form other = first == SRTP_OFFER_SAVP ?
				     SRTP_OFFER_AVP_CRYPTO : SRTP_OFFER_SAVP;

	if (g->srtp == SRTP_DISABLED) {
		*form = SRTP_OFFER_PLAIN;
		return attempt == 0;
	}
	if (attempt > (g->srtp == SRTP_PREFERABLE ? 2u : 1u))
		return false;
	*form = attempt == 0 ? first : attempt == 1 ? other : SRTP_OFFER_PLAIN;
	return true;
}

const char *offer_kind_name(enum offer_kind kind)
{
	switch (kind) {
	case OFFER_SRTP_ONLY: return "SRTP-only";
	case OFFER_BEST_EFFORT: return "best-effort SRTP";
	case OFFER_RTP_ONLY: return "RTP-only";
	case OFFER_SRTP_UNUSABLE: return "RTP/SAVP without a usable crypto line";
	}
	return "?";
}

/* Usable by us: a suite the core runs, one key, MKI that fits, no KDR. */
static bool crypto_usable(const struct sdes_crypto *c, char *why, size_t wl)
{
	if (!sdes_suite_supported(c->suite)) {
		snprintf(why, wl, "suite %s not supported", c->suite_name);
		return false;
	}
	if (c->n_keys != 1) {
		snprintf(why, wl, "%u keys in one line (one supported)", c->n_keys);
		return false;
	}
	if (c->keys[0].mki_len > SRTPRELAY_MKI_MAX_LEN) {
		snprintf(why, wl, "MKI of %u bytes (at most %d)", c->keys[0].mki_len,
			 SRTPRELAY_MKI_MAX_LEN);
		return false;
	}
	if (c->has_kdr && c->kdr) {
		snprintf(why, wl, "KDR=%u not supported", c->kdr);
		return false;
	}
	return true;
}

/*
 * RFC 4568 6.3.2/6.3.3 let a line switch protection off. Without
 * authentication a leg is not SRTP at all, whatever the group allows
 * (a stranger's packets would pass as the peer's); without encryption it
 * is a downgrade the group must have asked for.
 */
static bool crypto_protects(const struct cfg_ip_group *g,
			    const struct sdes_crypto *c, char *why, size_t wl)
{
	if (c->flags & SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP) {
		snprintf(why, wl, "UNAUTHENTICATED_SRTP: media without authentication is not SRTP");
		return false;
	}
	if ((c->flags & (SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP |
			 SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP)) &&
	    !g->allow_unencrypted_srtp) {
		snprintf(why, wl, "%s refused (the group does not set allow_unencrypted_srtp)",
			 c->flags & SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP ?
			 "UNENCRYPTED_SRTP" : "UNENCRYPTED_SRTCP");
		return false;
	}
	return true;
}

/* Where @suite stands in the group's priority list; n_suites if absent. */
static unsigned int suite_rank(const struct cfg_ip_group *g, uint32_t suite)
{
	unsigned int s;

	for (s = 0; s < g->n_suites && g->suites[s] != suite; s++)
		;
	return s;
}

int srtp_pick_crypto(const struct cfg_ip_group *g, const struct sdp_media *m,
		     struct sdes_crypto *out, char *why, size_t why_len)
{
	struct sdes_crypto c;
	unsigned int i, rank, best_rank = g->n_suites;
	bool why_is_refusal = false;
	char err[SDES_ERR_MAX];
	int best = -1;

	snprintf(why, why_len, "no a=crypto line");
	for (i = 0; i < m->n_crypto; i++) {
		if (sdes_parse(sdp_crypto(m, i), strlen(sdp_crypto(m, i)), &c,
			       err, sizeof(err)) != SDES_OK) {
			snprintf(why, why_len, "crypto line %u: %s", i + 1, err);
			why_is_refusal = true;
			continue;
		}
		rank = suite_rank(g, (uint32_t)c.suite);
		if (rank == g->n_suites) {
			/* The weakest reason: never hides a line's own. */
			if (!why_is_refusal)
				snprintf(why, why_len, "crypto line %u: suite %s not in this group's list",
					 i + 1, c.suite_name);
			continue;
		}
		if (!crypto_usable(&c, err, sizeof(err)) ||
		    !crypto_protects(g, &c, err, sizeof(err))) {
			snprintf(why, why_len, "crypto line %u: %s", i + 1, err);
			why_is_refusal = true;
			continue;
		}
		if (rank < best_rank) {
			sdes_crypto_wipe(out);
			*out = c;
			best = (int)i;
			best_rank = rank;
		}
	}
	sdes_crypto_wipe(&c);
	return best;
}

static bool alternatives(const struct sdp_media *a, const struct sdp_media *b)
{
	return a->port && b->port && !strcmp(a->type, b->type) &&
	       !strcmp(a->fmts, b->fmts) &&
	       ((sdp_proto_is_savp(a->proto) && sdp_proto_is_avp(b->proto)) ||
		(sdp_proto_is_avp(a->proto) && sdp_proto_is_savp(b->proto)));
}

static int decide_single(const struct cfg_ip_group *g, const struct sdp_media *m,
			 struct policy_line *pl, char *why, size_t wl)
{
	char cwhy[160];
	int idx = srtp_pick_crypto(g, m, &pl->crypto, cwhy, sizeof(cwhy));
	enum offer_kind kind;

	if (sdp_proto_is_savp(m->proto))
		kind = idx >= 0 ? OFFER_SRTP_ONLY : OFFER_SRTP_UNUSABLE;
	else
		kind = idx >= 0 ? OFFER_BEST_EFFORT : OFFER_RTP_ONLY;
	switch (srtp_policy_decide(g->srtp, kind)) {
	case POLICY_SRTP:
		pl->use = pl->srtp = true;
		pl->crypto_idx = idx;
		return 0;
	case POLICY_RTP:
		pl->use = true;
		sdes_crypto_wipe(&pl->crypto);
		return 0;
	case POLICY_REJECT:
		break;
	}
	sdes_crypto_wipe(&pl->crypto);
	snprintf(why, wl, "%s %s offer refused by srtp %s%s%s", m->type,
		 offer_kind_name(kind), srtp_mode_name(g->srtp),
		 idx < 0 && m->n_crypto ? ": " : "", idx < 0 && m->n_crypto ? cwhy : "");
	return 488;
}

/* An RTP/SAVP line and an RTP/AVP line of one media: keep one. */
static int decide_pair(const struct cfg_ip_group *g, const struct sdp *o,
		       unsigned int i, struct policy_line *out, char *why,
		       size_t wl)
{
	unsigned int savp = sdp_proto_is_savp(o->media[i].proto) ? i : i + 1;
	unsigned int avp = savp == i ? i + 1 : i;
	struct policy_line p = { 0 };
	char cwhy[160];
	int idx = srtp_pick_crypto(g, &o->media[savp], &p.crypto, cwhy,
				   sizeof(cwhy));
	enum offer_kind kind = idx >= 0 ? OFFER_BEST_EFFORT : OFFER_RTP_ONLY;

	switch (srtp_policy_decide(g->srtp, kind)) {
	case POLICY_SRTP:
		p.use = p.srtp = true;
		p.crypto_idx = idx;
		out[savp] = p;
		return 0;
	case POLICY_RTP:
		sdes_crypto_wipe(&p.crypto);
		out[avp].use = true;
		return 0;
	case POLICY_REJECT:
		break;
	}
	snprintf(why, wl, "%s offer (RTP/SAVP and RTP/AVP lines) refused by srtp %s",
		 offer_kind_name(kind), srtp_mode_name(g->srtp));
	return 488;
}

int srtp_policy_offer(const struct cfg_ip_group *g, const struct sdp *offer,
		      struct policy_line *out, char *why, size_t why_len)
{
	unsigned int i, used = 0;
	int rc;

	memset(out, 0, sizeof(*out) * offer->n_media);
	for (i = 0; i < offer->n_media; i++) {
		const struct sdp_media *m = &offer->media[i];

		if (!m->port)
			continue;
		if (i + 1 < offer->n_media && alternatives(m, &offer->media[i + 1])) {
			rc = decide_pair(g, offer, i, out, why, why_len);
			i++;
		} else if (!sdp_proto_is_savp(m->proto) && !sdp_proto_is_avp(m->proto)) {
			continue;	/* not RTP (or DTLS-SRTP): rejected */
		} else {
			rc = decide_single(g, m, &out[i], why, why_len);
		}
		if (rc)
			return rc;
	}
	for (i = 0; i < offer->n_media; i++)
		used += out[i].use;
	if (!used) {
		snprintf(why, why_len, "no usable RTP media line in the offer");
		return 488;
	}
	return 0;
}
