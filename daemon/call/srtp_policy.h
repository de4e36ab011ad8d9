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
 * Offers we send: mandatory RTP/SAVP with crypto lines, preferable RTP/AVP
 * with crypto lines (best effort), disabled RTP/AVP.
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
