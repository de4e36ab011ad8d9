/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Media security policy per IP group, and the choice of crypto in offers
 * and answers.
 *
 * What a received offer holds (per media, RFC 4568 + the "best effort
 * SRTP" practice of RTP/AVP lines carrying a=crypto):
 *   SRTP-only    RTP/SAVP with at least one usable a=crypto
 *   best-effort  RTP/AVP with a usable a=crypto, or an RTP/SAVP and an
 *                RTP/AVP line of the same media offered as alternatives
 *   RTP-only     RTP/AVP without a usable a=crypto
 * A line whose crypto lines are all unusable counts as having none; an
 * RTP/SAVP line with none cannot be answered in any mode (its answer would
 * have to be RTP/SAVP too), so the offer is refused with 488.
 *
 *                 SRTP-only   best-effort   RTP-only
 *   mandatory     SRTP        SRTP          488
 *   preferable    SRTP        SRTP          RTP
 *   disabled      488         RTP           RTP
 *
 * Offers we send: the group's srtp_offer form, RTP/SAVP with crypto lines
 * ("savp", mandatory's default) or RTP/AVP with crypto lines
 * ("avp-with-crypto", best effort, preferable's default); disabled RTP/AVP.
 * A phone that takes only one of the two forms refuses the other (488), so
 * after a refusal of the offer we try the other form, and preferable then
 * plain RTP/AVP: SRTP with whoever can, plain with whoever cannot.
 */
#ifndef SRTPRELAYD_SRTP_POLICY_H
#define SRTPRELAYD_SRTP_POLICY_H

#include <stdbool.h>

#include "config/config.h"
#include "sdes.h"
#include "sip/sdp.h"

enum offer_kind { OFFER_SRTP_ONLY, OFFER_BEST_EFFORT, OFFER_RTP_ONLY,
		  OFFER_SRTP_UNUSABLE };
enum policy_action { POLICY_SRTP, POLICY_RTP, POLICY_REJECT };

enum policy_action srtp_policy_decide(enum srtp_mode mode, enum offer_kind kind);
const char *offer_kind_name(enum offer_kind kind);
const char *srtp_mode_name(enum srtp_mode mode);	/* "mandatory", ... */
const char *srtp_offer_form_name(enum srtp_offer_form form);	/* "savp", ... */

/*
 * The form of offer number @attempt (0: the first INVITE) toward a leg of
 * group @g: its srtp_offer, the other form, and for preferable plain
 * RTP/AVP; disabled offers plain only. false past the last form.
 */
bool srtp_offer_form(const struct cfg_ip_group *g, unsigned int attempt,
		     enum srtp_offer_form *form);

/*
 * The a=crypto line of @m to accept under @g's suite priority: its index,
 * with the parsed line in @out, or -1 if none is usable. @why then says
 * why: a line's own refusal (invalid, unsupported, weakened by
 * UNENCRYPTED_* without allow_unencrypted_srtp, or UNAUTHENTICATED_SRTP,
 * never SRTP) before a suite missing from the group's list.
 */
int srtp_pick_crypto(const struct cfg_ip_group *g, const struct sdp_media *m,
		     struct sdes_crypto *out, char *why, size_t why_len);

/*
 * One received offer decided line by line. For each line of the offer:
 * use it (with or without SRTP) or reject it (port 0). Alternatives (an
 * RTP/SAVP and an RTP/AVP line of one media) collapse to the one used.
 */
struct policy_line {
	bool use;
	bool srtp;
	int crypto_idx;
	struct sdes_crypto crypto;	/* the offerer's key, when srtp */
};

/* 0, or 488 with the reason in @why. @out has one entry per offer line. */
int srtp_policy_offer(const struct cfg_ip_group *g, const struct sdp *offer,
		      struct policy_line *out, char *why, size_t why_len);

#endif
