/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Per-SSRC state of the SRTP core (srtp_state.c), for the core's own
 * files (packet transforms, contexts): users of the core include srtp.h.
 */
#ifndef SRTPRELAY_SRTP_STATE_H
#define SRTPRELAY_SRTP_STATE_H

#include "srtp.h"

struct srtp_ssrc_state *srtp_ssrc_get(struct srtp_ctx *ctx, u32 ssrc,
				      struct srtp_ssrc_state *fresh);
struct srtp_ssrc_state *srtp_ssrc_get_tx(struct srtp_ctx *ctx, u32 ssrc,
					 struct srtp_ssrc_state *fresh);
struct srtp_ssrc_state *
srtp_ssrc_commit(struct srtp_ctx *ctx, struct srtp_ssrc_state *state,
		 const struct srtp_ssrc_state *fresh,
		 struct srtp_packet_info *info);
s64 srtp_estimate_index(const struct srtp_ssrc_state *state,
			const struct srtp_ctx *ctx, u16 seq);
void srtp_advance(struct srtp_ssrc_state *state, struct srtp_packet_info *info);
int srtp_replay_check(const struct srtp_ctx *ctx,
		      const struct srtp_ssrc_state *state, bool rtcp, u64 index);
void srtp_replay_commit(struct srtp_ctx *ctx, struct srtp_ssrc_state *state,
			bool rtcp, u64 index);
void srtp_replay_copy(struct srtp_ctx *to, struct srtp_ssrc_state *to_state,
		      const struct srtp_ctx *from,
		      const struct srtp_ssrc_state *from_state, bool rtcp);

#endif /* SRTPRELAY_SRTP_STATE_H */
