/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The SRTP core: the RFC 3711 packet transform for the AES-CM suites
 * (AES-128 and AES-256, HMAC-SHA1 _80 and _32) and the AES-GCM suites of
 * RFC 7714, SRTP and SRTCP, shared verbatim by the kernel module and the
 * userspace datapath. It does no locking and no allocation on the packet
 * path; the caller serialises calls on one context (the kernel holds the
 * stream's lock) and gives it a writable, linear packet.
 */
#ifndef SRTPRELAY_SRTP_H
#define SRTPRELAY_SRTP_H

#include "srtp_compat.h"
#include "srtp_crypto.h"
#include <linux/srtprelay.h>

#define SRTP_RTP_HEADER_LEN 12
#define SRTP_RTCP_HEADER_LEN 8
#define SRTP_TAG_LEN_MAX SRTP_AEAD_TAG_LEN
#define SRTCP_INDEX_LEN 4
/* Most bytes protect may append: MKI and tag (SRTP), index too (SRTCP). */
#define SRTP_TRAILER_LEN_MAX \
	(SRTCP_INDEX_LEN + SRTPRELAY_MKI_MAX_LEN + SRTP_TAG_LEN_MAX)

/*
 * A replay window of W packets is a ring of 64-bit words, one word more
 * than W needs, so that advancing the top never clears a bit still inside
 * the window. Each SSRC slot has two (SRTP and SRTCP), sized to the
 * context's window at the end of the context: the default window takes
 * 3 words where the largest takes 17.
 */
#define SRTP_REPLAY_WORDS(window) (DIV_ROUND_UP((window), 64) + 1)
#define SRTP_REPLAY_RINGS (2 * SRTPRELAY_MAX_SSRC_PER_STREAM)
/* Size of a context whose rings have @words words each. */
#define SRTP_CTX_BYTES(words) \
	(sizeof(struct srtp_ctx) + SRTP_REPLAY_RINGS * (words) * sizeof(u64))
/* Size of a context whose window is the largest allowed. */
#define SRTP_CTX_SIZE_MAX \
	SRTP_CTX_BYTES(SRTP_REPLAY_WORDS(SRTPRELAY_REPLAY_WINDOW_MAX))

/* Status of a packet call, returned negated: each cause is counted apart. */
enum srtp_status {
	SRTP_OK = 0,
	SRTP_ERR_MALFORMED,	/* not (S)RTP/(S)RTCP, or shorter than its parts */
	SRTP_ERR_AUTH,		/* tag does not verify */
	SRTP_ERR_REPLAY,	/* index already received */
	SRTP_ERR_TOO_OLD,	/* index behind the replay window */
	SRTP_ERR_MKI,		/* MKI is not ours */
	SRTP_ERR_NOSPACE,	/* no room to append MKI and tag */
	SRTP_ERR_CRYPTO,	/* the crypto backend failed */
	SRTP_ERR_TX_REFUSED,	/* sending would reuse keystream */
	SRTP_ERR_ROC_MISMATCH,	/* passed on, its receiver would misread it */
	__SRTP_ERR_COUNT
};

/* What the caller asks for; copied, so it may be wiped after init. */
struct srtp_params {
	u32 suite;		/* enum srtprelay_suite */
	u32 flags;		/* SRTPRELAY_CRYPTO_F_* */
	u8 master_key[SRTPRELAY_MASTER_KEY_MAX_LEN];	/* the suite's length */
	u8 master_salt[SRTPRELAY_MASTER_SALT_MAX_LEN];	/* likewise */
	u8 mki[SRTPRELAY_MKI_MAX_LEN];
	u8 mki_len;
	u16 replay_window;	/* 0: SRTPRELAY_REPLAY_WINDOW_DEFAULT */
	u32 roc;		/* rollover counter of each new SSRC */
	u16 seq;		/* where the sender is, if has_seq */
	bool has_seq;
};

/*
 * Crypto state of one SSRC (RFC 3711 section 3.2.3 keys it by SSRC). A
 * context either receives or sends, so its replay windows hold the indices
 * it received (unprotect) or the ones it sent (protect): a sending context
 * never encrypts one index twice. The windows' bits are in the context's
 * @replay_bits, by slot; @rtp_top and @rtcp_top are their highest indices.
 */
struct srtp_ssrc_state {
	u32 ssrc;
	bool in_use;
	bool rtp_seen;		/* s_l and roc are valid */
	bool rtcp_seen;
	u16 seq;		/* s_l: highest sequence number */
	u32 roc;
	u64 last_used;		/* LRU clock of the context */
	u64 rtp_top;
	u64 rtcp_top;
	u32 rtcp_tx_index;	/* next SRTCP index; past 2^31 - 1: spent */
};

/* Session keys of one of SRTP or SRTCP: cipher and MAC, or AEAD. */
struct srtp_session {
	struct srtp_cipher *cipher;
	struct srtp_mac *mac;
	struct srtp_aead *aead;
	u8 salt[SRTPRELAY_MASTER_SALT_MAX_LEN];
};

struct srtp_ctx {
	struct srtp_params params;	/* master key kept to recognise a rekey */
	struct srtp_suite_info suite;
	u8 rtp_tag_len;
	u8 rtcp_tag_len;
	u16 window;
	u16 replay_words;	/* SRTP_REPLAY_WORDS(window) */
	struct srtp_session rtp;
	struct srtp_session rtcp;
	u64 lru_clock;
	struct srtp_ssrc_state ssrc[SRTPRELAY_MAX_SSRC_PER_STREAM];
	/* SRTP_REPLAY_RINGS rings of @replay_words words: srtp_ctx_size() */
	u64 replay_bits[];
};

/* Facts about the packet just handled, for counters and events. */
struct srtp_packet_info {
	u32 ssrc;
	u64 index;		/* SRTP packet index or SRTCP index */
	bool new_ssrc;		/* this SSRC took a state slot */
	bool roc_changed;	/* this packet advanced the rollover counter */
};

size_t srtp_ctx_size(const struct srtp_params *params);
int srtp_ctx_init(struct srtp_ctx *ctx, const struct srtp_params *params);
void srtp_ctx_wipe(struct srtp_ctx *ctx);
bool srtp_ctx_same_key(const struct srtp_ctx *ctx,
		       const struct srtp_params *params);
void srtp_ctx_copy_state(struct srtp_ctx *to, const struct srtp_ctx *from);

int srtp_ctx_unprotect(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len,
		       struct srtp_packet_info *info);
int srtp_ctx_protect(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len,
		     unsigned int room, struct srtp_packet_info *info);
int srtp_ctx_unprotect_rtcp(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len,
			    struct srtp_packet_info *info);
/* Pass-through relaying: authenticate, check and count, do not decrypt. */
int srtp_ctx_check(struct srtp_ctx *ctx, u8 *pkt, unsigned int len,
		   struct srtp_packet_info *info);
int srtp_ctx_check_rtcp(struct srtp_ctx *ctx, u8 *pkt, unsigned int len,
			struct srtp_packet_info *info);
int srtp_ctx_protect_rtcp(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len,
			  unsigned int room, struct srtp_packet_info *info);
/* Pass-through relaying: what is forwarded under the out-leg's key. */
int srtp_ctx_note_sent(struct srtp_ctx *ctx, bool rtcp,
		       const struct srtp_packet_info *info);

/* RFC 5761 section 4: on a muxed port, RTCP has packet type 192..223. */
static inline bool srtp_is_rtcp(const u8 *pkt, unsigned int len)
{
	return len >= 2 && pkt[1] >= 192 && pkt[1] <= 223;
}

const char *srtp_status_name(int status);
enum srtprelay_stat srtp_status_stat(int status);

#endif /* SRTPRELAY_SRTP_H */
