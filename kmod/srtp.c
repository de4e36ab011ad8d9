// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The SRTP core: RFC 3711 protect and unprotect for SRTP and SRTCP with
 * AES-CM and HMAC-SHA1 (AES-128, or AES-256 as RFC 6188 has it; 80- or
 * 32-bit tags) and with AES-GCM (RFC 7714). The same file is built into
 * srtprelay.ko and into the userspace library; it depends only on
 * srtp_compat.h and on the crypto-ops interface of srtp_crypto.h. Key
 * derivation and context set-up live in srtp_ctx.c, per-SSRC state
 * (rollover counters, replay windows) in srtp_state.c.
 */
#include "srtp_state.h"

#define SRTCP_E_FLAG 0x80000000U
#define SRTCP_E_INDEX_MASK 0x7fffffffU

const char *srtp_status_name(int status)
{
	static const char *const names[__SRTP_ERR_COUNT] = {
		[SRTP_OK] = "ok",
		[SRTP_ERR_MALFORMED] = "malformed",
		[SRTP_ERR_AUTH] = "authentication failed",
		[SRTP_ERR_REPLAY] = "replayed",
		[SRTP_ERR_TOO_OLD] = "older than the replay window",
		[SRTP_ERR_MKI] = "unknown MKI",
		[SRTP_ERR_NOSPACE] = "no room for the trailer",
		[SRTP_ERR_CRYPTO] = "crypto backend error",
		[SRTP_ERR_TX_REFUSED] = "would reuse keystream",
		[SRTP_ERR_ROC_MISMATCH] = "the receiver would read another index",
	};

	if (status < 0)
		status = -status;
	if (status >= __SRTP_ERR_COUNT)
		return "unknown";
	return names[status];
}

/**
 * srtp_status_stat() - the counter a failed packet call is counted in
 * @status: a negated enum srtp_status other than SRTP_OK
 *
 * Shared by the module and the userspace datapath so that both count the
 * same drop under the same SRTPRELAY_STAT_* name.
 *
 * Return: the SRTPRELAY_STAT_* counter; local failures (no room, crypto
 * backend) are SRTPRELAY_STAT_TX_ERRORS.
 */
enum srtprelay_stat srtp_status_stat(int status)
{
	switch (-status) {
	case SRTP_ERR_MALFORMED:
		return SRTPRELAY_STAT_MALFORMED;
	case SRTP_ERR_AUTH:
		return SRTPRELAY_STAT_AUTH_FAILED;
	case SRTP_ERR_REPLAY:
		return SRTPRELAY_STAT_REPLAYED;
	case SRTP_ERR_TOO_OLD:
		return SRTPRELAY_STAT_TOO_OLD;
	case SRTP_ERR_MKI:
		return SRTPRELAY_STAT_MKI_MISMATCH;
	case SRTP_ERR_TX_REFUSED:
		return SRTPRELAY_STAT_TX_REFUSED;
	case SRTP_ERR_ROC_MISMATCH:
		return SRTPRELAY_STAT_ROC_MISMATCH;
	default:
		return SRTPRELAY_STAT_TX_ERRORS;
	}
}

/* Header length of an RTP packet (fixed part, CSRCs, extension). */
static int rtp_header_len(const u8 *pkt, unsigned int len)
{
	unsigned int header = SRTP_RTP_HEADER_LEN;

	if (len < SRTP_RTP_HEADER_LEN || (pkt[0] >> 6) != 2)
		return -SRTP_ERR_MALFORMED;
	header += 4 * (pkt[0] & 0x0f);
	if (pkt[0] & 0x10) {
		if (len < header + 4)
			return -SRTP_ERR_MALFORMED;
		header += 4 + 4 * get_unaligned_be16(pkt + header + 2);
	}
	if (header > len)
		return -SRTP_ERR_MALFORMED;
	return header;
}

/* RFC 3711 section 4.1.1: IV = (salt << 16) ^ (SSRC << 64) ^ (index << 16) */
static void srtp_make_iv(u8 iv[SRTP_AES_BLOCK_LEN], const u8 *salt, u32 ssrc,
			 u64 index)
{
	unsigned int i;

	memcpy(iv, salt, SRTPRELAY_MASTER_SALT_LEN_CM);
	iv[14] = 0;
	iv[15] = 0;
	iv[4] ^= ssrc >> 24;
	iv[5] ^= ssrc >> 16;
	iv[6] ^= ssrc >> 8;
	iv[7] ^= ssrc;
	for (i = 0; i < 6; i++)
		iv[13 - i] ^= index >> (8 * i);
}

/*
 * RFC 7714 sections 8.1 and 9.1: IV = (0x0000 || SSRC || 48-bit index) ^
 * salt, the index being ROC || SEQ for SRTP and 0x0000 || SRTCP index (the
 * E flag left out) for SRTCP.
 */
static void srtp_make_aead_iv(u8 iv[SRTP_AEAD_IV_LEN], const u8 *salt,
			      u32 ssrc, u64 index)
{
	unsigned int i;

	memcpy(iv, salt, SRTPRELAY_MASTER_SALT_LEN_GCM);
	iv[2] ^= ssrc >> 24;
	iv[3] ^= ssrc >> 16;
	iv[4] ^= ssrc >> 8;
	iv[5] ^= ssrc;
	for (i = 0; i < 6; i++)
		iv[11 - i] ^= index >> (8 * i);
}

static int srtp_compute_tag(struct srtp_session *session, const u8 *pkt,
			    unsigned int len, const u8 *trailer,
			    unsigned int trailer_len, u8 *tag)
{
	if (srtp_mac_compute(session->mac, pkt, len, trailer, trailer_len, tag))
		return -SRTP_ERR_CRYPTO;
	return 0;
}

/* Constant-time check of the tag that ends a packet of @auth_len bytes. */
static int srtp_verify_tag(struct srtp_session *session, const u8 *pkt,
			   unsigned int auth_len, const u8 *trailer,
			   unsigned int trailer_len, const u8 *tag,
			   unsigned int tag_len)
{
	u8 digest[SRTP_SHA1_DIGEST_LEN];
	int ret;

	ret = srtp_compute_tag(session, pkt, auth_len, trailer, trailer_len,
			       digest);
	if (!ret && crypto_memneq(digest, tag, tag_len))
		ret = -SRTP_ERR_AUTH;
	memzero_explicit(digest, sizeof(digest));
	return ret;
}

static int srtp_check_mki(const struct srtp_ctx *ctx, const u8 *mki)
{
	if (ctx->params.mki_len &&
	    memcmp(mki, ctx->params.mki, ctx->params.mki_len))
		return -SRTP_ERR_MKI;
	return 0;
}

/* GCM checks its tag itself; a tag that does not verify is an auth failure. */
static int srtp_aead_status(int err)
{
	if (err == -EBADMSG)
		return -SRTP_ERR_AUTH;
	return err ? -SRTP_ERR_CRYPTO : 0;
}

/*
 * Where an SRTP packet's parts are. AES-CM puts the MKI before the tag
 * (RFC 3711 section 3.1); AEAD puts the tag, part of its ciphertext, before
 * the MKI (RFC 7714 section 8.2). @body is where header and payload end.
 */
struct srtp_rtp_layout {
	unsigned int body;
	unsigned int mki_at;
	unsigned int tag_at;
};

static struct srtp_rtp_layout srtp_rtp_layout(const struct srtp_ctx *ctx,
					      unsigned int body)
{
	struct srtp_rtp_layout at = { .body = body };

	at.mki_at = ctx->suite.aead ? body + ctx->rtp_tag_len : body;
	at.tag_at = ctx->suite.aead ? body : body + ctx->params.mki_len;
	return at;
}

/*
 * Verifies and, with @decrypt, decrypts the payload between @header and
 * @at->body. GCM cannot check its tag without decrypting, so a check alone
 * is for the AES-CM suites.
 */
static int srtp_rtp_open(struct srtp_ctx *ctx, u8 *pkt, unsigned int header,
			 const struct srtp_rtp_layout *at,
			 const struct srtp_packet_info *info, bool decrypt)
{
	struct srtp_aad aad = { { pkt }, { header } };
	u8 iv[SRTP_AES_BLOCK_LEN], roc_be[4];
	int ret;

	if (ctx->suite.aead) {
		if (!decrypt)
			return -SRTP_ERR_CRYPTO;
		srtp_make_aead_iv(iv, ctx->rtp.salt, info->ssrc, info->index);
		return srtp_aead_status(srtp_aead_open(ctx->rtp.aead, iv, &aad,
						       pkt + header,
						       at->body - header));
	}
	put_unaligned_be32(info->index >> 16, roc_be);
	if (ctx->rtp_tag_len) {
		ret = srtp_verify_tag(&ctx->rtp, pkt, at->body, roc_be,
				      sizeof(roc_be), pkt + at->tag_at,
				      ctx->rtp_tag_len);
		if (ret)
			return ret;
	}
	if (!decrypt || ctx->params.flags & SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP)
		return 0;
	srtp_make_iv(iv, ctx->rtp.salt, info->ssrc, info->index);
	if (srtp_cipher_xor(ctx->rtp.cipher, iv, pkt + header,
			    at->body - header))
		return -SRTP_ERR_CRYPTO;
	return 0;
}

/* Encrypts the payload and writes MKI and tag after @at->body. */
static int srtp_rtp_seal(struct srtp_ctx *ctx, u8 *pkt, unsigned int header,
			 const struct srtp_rtp_layout *at,
			 const struct srtp_packet_info *info)
{
	struct srtp_aad aad = { { pkt }, { header } };
	u8 iv[SRTP_AES_BLOCK_LEN], roc_be[4], digest[SRTP_SHA1_DIGEST_LEN];

	memcpy(pkt + at->mki_at, ctx->params.mki, ctx->params.mki_len);
	if (ctx->suite.aead) {
		srtp_make_aead_iv(iv, ctx->rtp.salt, info->ssrc, info->index);
		if (srtp_aead_seal(ctx->rtp.aead, iv, &aad, pkt + header,
				   at->body - header))
			return -SRTP_ERR_CRYPTO;
		return 0;
	}
	if (!(ctx->params.flags & SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP)) {
		srtp_make_iv(iv, ctx->rtp.salt, info->ssrc, info->index);
		if (srtp_cipher_xor(ctx->rtp.cipher, iv, pkt + header,
				    at->body - header))
			return -SRTP_ERR_CRYPTO;
	}
	if (!ctx->rtp_tag_len)
		return 0;
	put_unaligned_be32(info->index >> 16, roc_be);
	if (srtp_compute_tag(&ctx->rtp, pkt, at->body, roc_be, sizeof(roc_be),
			     digest))
		return -SRTP_ERR_CRYPTO;
	memcpy(pkt + at->tag_at, digest, ctx->rtp_tag_len);
	memzero_explicit(digest, sizeof(digest));
	return 0;
}

/* Receives an SRTP packet: authenticated, and decrypted with @decrypt. */
static int srtp_rtp_receive(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len,
			    struct srtp_packet_info *info, bool decrypt)
{
	unsigned int trailer = ctx->params.mki_len + ctx->rtp_tag_len;
	struct srtp_ssrc_state fresh, *state;
	struct srtp_rtp_layout at;
	int header, ret;
	s64 index;

	memset(info, 0, sizeof(*info));
	header = rtp_header_len(pkt, *len);
	if (header < 0)
		return header;
	if (*len < header + trailer)
		return -SRTP_ERR_MALFORMED;
	at = srtp_rtp_layout(ctx, *len - trailer);

	info->ssrc = get_unaligned_be32(pkt + 8);
	state = srtp_ssrc_get(ctx, info->ssrc, &fresh);
	index = srtp_estimate_index(state, ctx, get_unaligned_be16(pkt + 2));
	if (index < 0)
		return -SRTP_ERR_TOO_OLD;
	info->index = index;
	ret = srtp_replay_check(ctx, state, false, index);
	if (ret)
		return ret;

	if (ctx->params.suite != SRTPRELAY_SUITE_NONE) {
		ret = srtp_check_mki(ctx, pkt + at.mki_at);
		if (!ret)
			ret = srtp_rtp_open(ctx, pkt, header, &at, info,
					    decrypt);
		if (ret)
			return ret;
	}

	state = srtp_ssrc_commit(ctx, state, &fresh, info);
	srtp_replay_commit(ctx, state, false, index);
	srtp_advance(state, info);
	if (decrypt)
		*len = at.body;
	return 0;
}

/**
 * srtp_ctx_unprotect() - authenticate and decrypt an SRTP packet in place
 * @ctx: the receiving context (caller serialises calls on it)
 * @pkt: the packet, writable
 * @len: its length in; the length of the plain RTP packet out
 * @info: filled with the SSRC, packet index and what changed
 *
 * With SRTPRELAY_SUITE_NONE only the RTP header is checked and the index
 * tracked. Nothing in the context changes unless the packet is accepted.
 *
 * Return: 0 or a negated enum srtp_status.
 */
int srtp_ctx_unprotect(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len,
		       struct srtp_packet_info *info)
{
	return srtp_rtp_receive(ctx, pkt, len, info, true);
}

/**
 * srtp_ctx_check() - authenticate an SRTP packet, leaving it as it is
 * @ctx: the receiving context (caller serialises calls on it)
 * @pkt: the packet; not written to
 * @len: its length
 * @info: filled with the SSRC, packet index and what changed
 *
 * What pass-through relaying needs: the tag, MKI and replay window are
 * checked and the context's state moves as srtp_ctx_unprotect() would move
 * it, but nothing is decrypted. AES-CM suites only (GCM checks its tag by
 * decrypting): an AEAD context refuses with -SRTP_ERR_CRYPTO.
 *
 * Return: 0 or a negated enum srtp_status.
 */
int srtp_ctx_check(struct srtp_ctx *ctx, u8 *pkt, unsigned int len,
		   struct srtp_packet_info *info)
{
	return srtp_rtp_receive(ctx, pkt, &len, info, false);
}

/**
 * srtp_ctx_protect() - encrypt and authenticate an RTP packet in place
 * @ctx: the sending context (caller serialises calls on it)
 * @pkt: the packet, writable, with @room bytes of buffer in all
 * @len: its length in; the length of the SRTP packet out
 * @room: size of the buffer at @pkt (at least *@len + MKI + tag)
 * @info: filled with the SSRC and packet index
 *
 * The index is estimated from the sequence number as a receiver would
 * (RFC 3711 Appendix A), so a relay that forwards reordered packets or a
 * sequence wrap gives each packet the index its sender meant. The input
 * chooses that number, so a keyed context refuses an index it sent before
 * or one behind its window of sent indices (where it cannot tell), as
 * libsrtp2 does without allow_repeat_tx: a late packet goes out once.
 *
 * Return: 0 or a negated enum srtp_status; -SRTP_ERR_TX_REFUSED when
 * sending would reuse keystream.
 */
int srtp_ctx_protect(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len,
		     unsigned int room, struct srtp_packet_info *info)
{
	unsigned int trailer = ctx->params.mki_len + ctx->rtp_tag_len;
	struct srtp_ssrc_state fresh, *state;
	struct srtp_rtp_layout at;
	int header, ret;
	s64 index;

	memset(info, 0, sizeof(*info));
	header = rtp_header_len(pkt, *len);
	if (header < 0)
		return header;
	if (room < *len || room - *len < trailer)
		return -SRTP_ERR_NOSPACE;
	at = srtp_rtp_layout(ctx, *len);

	info->ssrc = get_unaligned_be32(pkt + 8);
	state = srtp_ssrc_get_tx(ctx, info->ssrc, &fresh);
	if (!state)
		return -SRTP_ERR_TX_REFUSED;
	index = srtp_estimate_index(state, ctx, get_unaligned_be16(pkt + 2));
	if (index < 0)
		return -SRTP_ERR_TOO_OLD;
	info->index = index;

	if (ctx->params.suite != SRTPRELAY_SUITE_NONE) {
		if (srtp_replay_check(ctx, state, false, index))
			return -SRTP_ERR_TX_REFUSED;
		ret = srtp_rtp_seal(ctx, pkt, header, &at, info);
		if (ret)
			return ret;
		*len += trailer;
	}

	state = srtp_ssrc_commit(ctx, state, &fresh, info);
	srtp_replay_commit(ctx, state, false, index);
	srtp_advance(state, info);
	return 0;
}

/**
 * srtp_ctx_note_sent() - count a packet its sender protected under this key
 * @ctx: a sending context
 * @rtcp: whether the packet is SRTCP
 * @info: its SSRC and index, as srtp_ctx_check() or _check_rtcp() found them
 *
 * A stream that passes SRTP through forwards packets protected with the key
 * its own sending context has (PASS_THROUGH requires the same key in and
 * out), without protecting them itself. Each goes out under that key as if
 * @ctx had sent it, so it is counted as sent here, and refused when @ctx
 * would refuse it: an index sent before under this key (the caller started
 * over with a key it had used, or the stream protected or passed the index
 * before) or one behind the window of sent indices, where it cannot tell.
 * The SRTCP window of a sending context holds what it sent, and its next
 * SRTCP index moves past the highest passed, so a stream that later
 * protects under the key (an update that stops passing through and keeps
 * the out-leg's key) does not use those indices again either.
 *
 * The peer reads an SRTP packet's index from its own ROC and highest SEQ
 * of the SSRC, which @ctx holds as it would, not from the packet. Where
 * @ctx would read another index than the sender's (their states differ,
 * see SRTPRELAY_STAT_ROC_MISMATCH), the peer could not authenticate the
 * packet, so it is refused and counted here instead.
 *
 * Return: 0, -SRTP_ERR_TX_REFUSED when sending it would reuse keystream,
 * or -SRTP_ERR_ROC_MISMATCH when the peer would read another index.
 */
int srtp_ctx_note_sent(struct srtp_ctx *ctx, bool rtcp,
		       const struct srtp_packet_info *info)
{
	struct srtp_packet_info noted = *info;
	struct srtp_ssrc_state fresh, *state;

	if (ctx->params.suite == SRTPRELAY_SUITE_NONE)
		return 0;
	state = srtp_ssrc_get_tx(ctx, info->ssrc, &fresh);
	if (!state || srtp_replay_check(ctx, state, rtcp, info->index))
		return -SRTP_ERR_TX_REFUSED;
	if (!rtcp && srtp_estimate_index(state, ctx, (u16)info->index) !=
		     (s64)info->index)
		return -SRTP_ERR_ROC_MISMATCH;
	state = srtp_ssrc_commit(ctx, state, &fresh, &noted);
	srtp_replay_commit(ctx, state, rtcp, info->index);
	if (rtcp) {
		state->rtcp_seen = true;
		if (state->rtcp_tx_index <= info->index)
			state->rtcp_tx_index = info->index + 1;
		return 0;
	}
	srtp_advance(state, &noted);
	return 0;
}

static int rtcp_check_header(const u8 *pkt, unsigned int len)
{
	if (len < SRTP_RTCP_HEADER_LEN || (pkt[0] >> 6) != 2)
		return -SRTP_ERR_MALFORMED;
	return 0;
}

/*
 * Where an SRTCP packet's parts are: after the RTCP packet (which ends at
 * @body), AES-CM has E flag with index, MKI, tag (RFC 3711 section 3.4);
 * AEAD has tag, E flag with index, MKI (RFC 7714 section 9.2).
 */
struct srtcp_layout {
	unsigned int body;
	unsigned int e_index_at;
	unsigned int mki_at;
	unsigned int tag_at;
};

static struct srtcp_layout srtcp_layout(const struct srtp_ctx *ctx,
					unsigned int body)
{
	unsigned int tag_len = ctx->rtcp_tag_len;
	struct srtcp_layout at = { .body = body };

	if (ctx->suite.aead) {
		at.tag_at = body;
		at.e_index_at = body + tag_len;
		at.mki_at = at.e_index_at + SRTCP_INDEX_LEN;
	} else {
		at.e_index_at = body;
		at.mki_at = body + SRTCP_INDEX_LEN;
		at.tag_at = at.mki_at + ctx->params.mki_len;
	}
	return at;
}

/*
 * RFC 7714 section 9: the AAD is the first 8 bytes and the E flag with
 * index when the payload is encrypted, else the whole RTCP packet and the
 * E flag with index (and the plaintext is empty).
 */
static struct srtp_aad srtcp_aad(const u8 *pkt, const struct srtcp_layout *at,
				 bool encrypted)
{
	struct srtp_aad aad = {
		{ pkt, pkt + at->e_index_at },
		{ encrypted ? SRTP_RTCP_HEADER_LEN : at->body, SRTCP_INDEX_LEN },
	};

	return aad;
}

static int srtcp_open(struct srtp_ctx *ctx, u8 *pkt,
		      const struct srtcp_layout *at, u32 e_index,
		      const struct srtp_packet_info *info, bool decrypt)
{
	bool encrypted = e_index & SRTCP_E_FLAG;
	u8 iv[SRTP_AES_BLOCK_LEN];
	struct srtp_aad aad;
	unsigned int start;
	int ret;

	if (ctx->suite.aead) {
		if (!decrypt)
			return -SRTP_ERR_CRYPTO;
		aad = srtcp_aad(pkt, at, encrypted);
		start = encrypted ? SRTP_RTCP_HEADER_LEN : at->body;
		srtp_make_aead_iv(iv, ctx->rtcp.salt, info->ssrc, info->index);
		return srtp_aead_status(srtp_aead_open(ctx->rtcp.aead, iv, &aad,
						       pkt + start,
						       at->body - start));
	}
	ret = srtp_verify_tag(&ctx->rtcp, pkt, at->mki_at, NULL, 0,
			      pkt + at->tag_at, ctx->rtcp_tag_len);
	if (ret || !encrypted || !decrypt)
		return ret;
	srtp_make_iv(iv, ctx->rtcp.salt, info->ssrc, info->index);
	if (srtp_cipher_xor(ctx->rtcp.cipher, iv, pkt + SRTP_RTCP_HEADER_LEN,
			    at->body - SRTP_RTCP_HEADER_LEN))
		return -SRTP_ERR_CRYPTO;
	return 0;
}

/* Receives an SRTCP packet: authenticated, and decrypted with @decrypt. */
static int srtcp_receive(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len,
			 struct srtp_packet_info *info, bool decrypt)
{
	unsigned int trailer = SRTCP_INDEX_LEN + ctx->params.mki_len +
			       ctx->rtcp_tag_len;
	struct srtp_ssrc_state fresh, *state;
	struct srtcp_layout at;
	u32 e_index;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = rtcp_check_header(pkt, *len);
	if (ret)
		return ret;
	info->ssrc = get_unaligned_be32(pkt + 4);
	if (ctx->params.suite == SRTPRELAY_SUITE_NONE)
		return 0;
	if (*len < SRTP_RTCP_HEADER_LEN + trailer)
		return -SRTP_ERR_MALFORMED;

	at = srtcp_layout(ctx, *len - trailer);
	e_index = get_unaligned_be32(pkt + at.e_index_at);
	info->index = e_index & SRTCP_E_INDEX_MASK;
	state = srtp_ssrc_get(ctx, info->ssrc, &fresh);
	ret = srtp_replay_check(ctx, state, true, info->index);
	if (!ret)
		ret = srtp_check_mki(ctx, pkt + at.mki_at);
	if (!ret)
		ret = srtcp_open(ctx, pkt, &at, e_index, info, decrypt);
	if (ret)
		return ret;

	state = srtp_ssrc_commit(ctx, state, &fresh, info);
	srtp_replay_commit(ctx, state, true, info->index);
	state->rtcp_seen = true;
	if (decrypt)
		*len = at.body;
	return 0;
}

/**
 * srtp_ctx_unprotect_rtcp() - authenticate and decrypt an SRTCP packet in place
 * @ctx: the receiving context (caller serialises calls on it)
 * @pkt: the compound packet, writable
 * @len: its length in; the length of the plain RTCP packet out
 * @info: filled with the sender SSRC and the SRTCP index
 *
 * The tag is 80 bits for the AES-CM suites (RFC 4568 section 6.2.2), 128
 * for AEAD. With SRTPRELAY_SUITE_NONE only the header is checked.
 *
 * Return: 0 or a negated enum srtp_status.
 */
int srtp_ctx_unprotect_rtcp(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len,
			    struct srtp_packet_info *info)
{
	return srtcp_receive(ctx, pkt, len, info, true);
}

/**
 * srtp_ctx_check_rtcp() - authenticate an SRTCP packet, leaving it as it is
 * @ctx: the receiving context (caller serialises calls on it)
 * @pkt: the compound packet; not written to
 * @len: its length
 * @info: filled with the sender SSRC and the SRTCP index
 *
 * As srtp_ctx_check(), for SRTCP.
 *
 * Return: 0 or a negated enum srtp_status.
 */
int srtp_ctx_check_rtcp(struct srtp_ctx *ctx, u8 *pkt, unsigned int len,
			struct srtp_packet_info *info)
{
	return srtcp_receive(ctx, pkt, &len, info, false);
}


static int srtcp_seal(struct srtp_ctx *ctx, u8 *pkt,
		      const struct srtcp_layout *at, bool encrypt,
		      const struct srtp_packet_info *info)
{
	u8 iv[SRTP_AES_BLOCK_LEN], digest[SRTP_SHA1_DIGEST_LEN];
	struct srtp_aad aad;
	unsigned int start;

	put_unaligned_be32(info->index | (encrypt ? SRTCP_E_FLAG : 0),
			   pkt + at->e_index_at);
	memcpy(pkt + at->mki_at, ctx->params.mki, ctx->params.mki_len);
	if (ctx->suite.aead) {
		aad = srtcp_aad(pkt, at, encrypt);
		start = encrypt ? SRTP_RTCP_HEADER_LEN : at->body;
		srtp_make_aead_iv(iv, ctx->rtcp.salt, info->ssrc, info->index);
		if (srtp_aead_seal(ctx->rtcp.aead, iv, &aad, pkt + start,
				   at->body - start))
			return -SRTP_ERR_CRYPTO;
		return 0;
	}
	if (encrypt) {
		srtp_make_iv(iv, ctx->rtcp.salt, info->ssrc, info->index);
		if (srtp_cipher_xor(ctx->rtcp.cipher, iv,
				    pkt + SRTP_RTCP_HEADER_LEN,
				    at->body - SRTP_RTCP_HEADER_LEN))
			return -SRTP_ERR_CRYPTO;
	}
	if (srtp_compute_tag(&ctx->rtcp, pkt, at->mki_at, NULL, 0, digest))
		return -SRTP_ERR_CRYPTO;
	memcpy(pkt + at->tag_at, digest, ctx->rtcp_tag_len);
	memzero_explicit(digest, sizeof(digest));
	return 0;
}

/**
 * srtp_ctx_protect_rtcp() - encrypt and authenticate an RTCP packet in place
 * @ctx: the sending context (caller serialises calls on it)
 * @pkt: the compound packet, writable, with @room bytes of buffer in all
 * @len: its length in; the length of the SRTCP packet out
 * @room: size of the buffer at @pkt
 * @info: filled with the sender SSRC and the SRTCP index used
 *
 * Each SSRC numbers its SRTCP packets from 0; the E flag is set unless the
 * context has SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP. The 31-bit index never
 * wraps: past 2^31 - 1 the SSRC sends no more SRTCP under this key.
 *
 * Return: 0 or a negated enum srtp_status; -SRTP_ERR_TX_REFUSED when
 * sending would reuse keystream.
 */
int srtp_ctx_protect_rtcp(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len,
			  unsigned int room, struct srtp_packet_info *info)
{
	unsigned int trailer = SRTCP_INDEX_LEN + ctx->params.mki_len +
			       ctx->rtcp_tag_len;
	struct srtp_ssrc_state fresh, *state;
	struct srtcp_layout at;
	bool encrypt;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = rtcp_check_header(pkt, *len);
	if (ret)
		return ret;
	info->ssrc = get_unaligned_be32(pkt + 4);
	if (ctx->params.suite == SRTPRELAY_SUITE_NONE)
		return 0;
	if (room < *len || room - *len < trailer)
		return -SRTP_ERR_NOSPACE;

	state = srtp_ssrc_get_tx(ctx, info->ssrc, &fresh);
	if (!state || state->rtcp_tx_index > SRTCP_E_INDEX_MASK)
		return -SRTP_ERR_TX_REFUSED;
	info->index = state->rtcp_tx_index;
	encrypt = !(ctx->params.flags & SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP);
	at = srtcp_layout(ctx, *len);
	ret = srtcp_seal(ctx, pkt, &at, encrypt, info);
	if (ret)
		return ret;
	*len += trailer;

	state = srtp_ssrc_commit(ctx, state, &fresh, info);
	/* What it sent, for srtp_ctx_note_sent() after a switch to passing. */
	srtp_replay_commit(ctx, state, true, info->index);
	state->rtcp_seen = true;
	state->rtcp_tx_index++;
	return 0;
}
