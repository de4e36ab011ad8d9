// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The SRTP core: RFC 3711 protect and unprotect for SRTP and SRTCP with
 * AES-CM-128 and HMAC-SHA1 (80- or 32-bit tags). The same file is built
 * into srtprelay.ko and into the userspace library; it depends only on
 * srtp_compat.h and on the crypto-ops interface of srtp_crypto.h.
 */
#include "srtp.h"

/* RFC 3711 section 4.3.1: key derivation labels. */
enum srtp_label {
	SRTP_LABEL_RTP_ENCRYPTION = 0,
	SRTP_LABEL_RTP_AUTH = 1,
	SRTP_LABEL_RTP_SALT = 2,
	SRTP_LABEL_RTCP_ENCRYPTION = 3,
	SRTP_LABEL_RTCP_AUTH = 4,
	SRTP_LABEL_RTCP_SALT = 5,
};

#define SRTP_AUTH_KEY_LEN 20	/* n_a = 160 bits for HMAC-SHA1 */
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
	default:
		return SRTPRELAY_STAT_TX_ERRORS;
	}
}

/*
 * PRF of RFC 3711 section 4.3.3: AES-CM keystream under the master key,
 * started at (master_salt XOR label << 48) << 16. With a key derivation
 * rate of 0, r is 0 and the label is all that differs per key.
 */
static int srtp_derive(struct srtp_cipher *master, const u8 *master_salt,
		       enum srtp_label label, u8 *out, unsigned int len)
{
	u8 iv[SRTP_AES_BLOCK_LEN] = { 0 };

	memcpy(iv, master_salt, SRTPRELAY_MASTER_SALT_LEN);
	iv[7] ^= label;
	memset(out, 0, len);
	return srtp_cipher_xor(master, iv, out, len);
}

static int srtp_session_init(struct srtp_ctx *ctx, struct srtp_cipher *master,
			     struct srtp_session *session,
			     enum srtp_label first_label)
{
	u8 *scratch = ctx->scratch;
	const u8 *salt = ctx->params.master_salt;
	int ret;

	ret = srtp_derive(master, salt, first_label, scratch,
			  SRTP_AES_KEY_LEN);
	if (!ret)
		ret = srtp_cipher_new(&session->cipher, scratch);
	if (!ret)
		ret = srtp_derive(master, salt, first_label + 1, scratch,
				  SRTP_AUTH_KEY_LEN);
	if (!ret)
		ret = srtp_mac_new(&session->mac, scratch, SRTP_AUTH_KEY_LEN);
	if (!ret)
		ret = srtp_derive(master, salt, first_label + 2, scratch,
				  SRTPRELAY_MASTER_SALT_LEN);
	if (!ret)
		memcpy(session->salt, scratch, SRTPRELAY_MASTER_SALT_LEN);
	memzero_explicit(scratch, sizeof(ctx->scratch));
	return ret;
}

/**
 * srtp_ctx_init() - derive session keys and set up a crypto context
 * @ctx: context to fill; in the kernel it must not live on the stack
 * @params: suite, master key and salt, MKI, start ROC/SEQ, replay window
 *
 * May sleep in the kernel (allocates crypto transforms). On failure the
 * context holds nothing and needs no srtp_ctx_wipe().
 *
 * Return: 0, -EINVAL for parameters out of range, or the backend's error.
 */
int srtp_ctx_init(struct srtp_ctx *ctx, const struct srtp_params *params)
{
	struct srtp_cipher *master = NULL;
	int ret;

	memset(ctx, 0, sizeof(*ctx));
	if (params->suite > SRTPRELAY_SUITE_MAX ||
	    params->mki_len > SRTPRELAY_MKI_MAX_LEN ||
	    params->flags & ~__SRTPRELAY_CRYPTO_F_ALL)
		return -EINVAL;
	if (params->replay_window &&
	    (params->replay_window < SRTPRELAY_REPLAY_WINDOW_MIN ||
	     params->replay_window > SRTPRELAY_REPLAY_WINDOW_MAX))
		return -EINVAL;

	ctx->params = *params;
	ctx->window = params->replay_window ?: SRTPRELAY_REPLAY_WINDOW_DEFAULT;
	ctx->rtcp_tag_len = SRTCP_TAG_LEN;
	ctx->rtp_tag_len =
		params->suite == SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32 ? 4 : 10;
	if (params->flags & SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP)
		ctx->rtp_tag_len = 0;
	if (params->suite == SRTPRELAY_SUITE_NONE) {
		ctx->rtp_tag_len = 0;
		ctx->rtcp_tag_len = 0;
		ctx->params.mki_len = 0;
		return 0;
	}

	ret = srtp_cipher_new(&master, params->master_key);
	if (!ret)
		ret = srtp_session_init(ctx, master, &ctx->rtp,
					SRTP_LABEL_RTP_ENCRYPTION);
	if (!ret)
		ret = srtp_session_init(ctx, master, &ctx->rtcp,
					SRTP_LABEL_RTCP_ENCRYPTION);
	if (master)
		srtp_cipher_free(master);
	if (ret)
		srtp_ctx_wipe(ctx);
	return ret;
}

static void srtp_session_wipe(struct srtp_session *session)
{
	if (session->cipher)
		srtp_cipher_free(session->cipher);
	if (session->mac)
		srtp_mac_free(session->mac);
	session->cipher = NULL;
	session->mac = NULL;
}

/**
 * srtp_ctx_wipe() - free a context's transforms and erase its keys
 * @ctx: context set up by srtp_ctx_init()
 */
void srtp_ctx_wipe(struct srtp_ctx *ctx)
{
	srtp_session_wipe(&ctx->rtp);
	srtp_session_wipe(&ctx->rtcp);
	memzero_explicit(ctx, sizeof(*ctx));
}

/**
 * srtp_ctx_same_key() - tell a rekey from an update that keeps the key
 * @ctx: the context in use
 * @params: the parameters of an update
 *
 * Return: true when suite, flags, master key, salt and MKI are unchanged,
 * so that the update may keep rollover counters and replay windows.
 */
bool srtp_ctx_same_key(const struct srtp_ctx *ctx,
		       const struct srtp_params *params)
{
	const struct srtp_params *old = &ctx->params;

	if (old->suite != params->suite || old->flags != params->flags)
		return false;
	if (params->suite == SRTPRELAY_SUITE_NONE)
		return true;
	return old->mki_len == params->mki_len &&
	       !crypto_memneq(old->mki, params->mki, params->mki_len) &&
	       !crypto_memneq(old->master_key, params->master_key,
			      sizeof(old->master_key)) &&
	       !crypto_memneq(old->master_salt, params->master_salt,
			      sizeof(old->master_salt));
}

/**
 * srtp_ctx_copy_state() - carry per-SSRC state into a context with new keys
 * @to: the new context
 * @from: the context it replaces
 *
 * Rollover counters, highest sequence numbers, replay windows and SRTCP
 * indices move over; the window size of @to applies from now on.
 */
void srtp_ctx_copy_state(struct srtp_ctx *to, const struct srtp_ctx *from)
{
	memcpy(to->ssrc, from->ssrc, sizeof(to->ssrc));
	to->lru_clock = from->lru_clock;
}

static struct srtp_ssrc_state *srtp_find_ssrc(struct srtp_ctx *ctx, u32 ssrc)
{
	unsigned int i;

	for (i = 0; i < SRTPRELAY_MAX_SSRC_PER_STREAM; i++)
		if (ctx->ssrc[i].in_use && ctx->ssrc[i].ssrc == ssrc)
			return &ctx->ssrc[i];
	return NULL;
}

/* A free slot, or else the least recently used one. */
static struct srtp_ssrc_state *srtp_ssrc_victim(struct srtp_ctx *ctx)
{
	struct srtp_ssrc_state *victim = &ctx->ssrc[0];
	unsigned int i;

	for (i = 0; i < SRTPRELAY_MAX_SSRC_PER_STREAM; i++) {
		if (!ctx->ssrc[i].in_use)
			return &ctx->ssrc[i];
		if (ctx->ssrc[i].last_used < victim->last_used)
			victim = &ctx->ssrc[i];
	}
	return victim;
}

static void srtp_ssrc_fresh(const struct srtp_ctx *ctx,
			    struct srtp_ssrc_state *state, u32 ssrc)
{
	memset(state, 0, sizeof(*state));
	state->ssrc = ssrc;
	state->roc = ctx->params.roc;
}

/*
 * Look up the state of @ssrc. A new SSRC gets a scratch state in @fresh
 * that only srtp_ssrc_commit() installs, once the packet authenticated, so
 * forged packets with random SSRCs cannot evict the state of a real sender.
 */
static struct srtp_ssrc_state *srtp_ssrc_get(struct srtp_ctx *ctx, u32 ssrc,
					     struct srtp_ssrc_state *fresh)
{
	struct srtp_ssrc_state *state = srtp_find_ssrc(ctx, ssrc);

	if (state)
		return state;
	srtp_ssrc_fresh(ctx, fresh, ssrc);
	return fresh;
}

/*
 * As srtp_ssrc_get(), for sending. A keyed sending context never recycles
 * a slot: the state of an SSRC pushed out and met again would start its
 * ROC, sent window and SRTCP index over and encrypt under keystream it
 * already used. Its input need not authenticate (a plain leg), so a new
 * SSRC that finds no free slot is refused instead; slots free up only
 * with a new key.
 */
static struct srtp_ssrc_state *srtp_ssrc_get_tx(struct srtp_ctx *ctx,
						u32 ssrc,
						struct srtp_ssrc_state *fresh)
{
	struct srtp_ssrc_state *state = srtp_find_ssrc(ctx, ssrc);

	if (state)
		return state;
	if (ctx->params.suite != SRTPRELAY_SUITE_NONE &&
	    srtp_ssrc_victim(ctx)->in_use)
		return NULL;
	srtp_ssrc_fresh(ctx, fresh, ssrc);
	return fresh;
}

static struct srtp_ssrc_state *
srtp_ssrc_commit(struct srtp_ctx *ctx, struct srtp_ssrc_state *state,
		 const struct srtp_ssrc_state *fresh,
		 struct srtp_packet_info *info)
{
	if (state == fresh) {
		state = srtp_ssrc_victim(ctx);
		*state = *fresh;
		state->in_use = true;
		info->new_ssrc = true;
	}
	state->last_used = ++ctx->lru_clock;
	return state;
}

/*
 * RFC 3711 Appendix A: the rollover counter guess for @seq relative to the
 * highest sequence number s_l seen. Returns the 48-bit packet index, or
 * -1 when the guess would be ROC - 1 with ROC already 0 (a packet from
 * before the stream began: too old).
 */
static s64 srtp_estimate_index(const struct srtp_ssrc_state *state,
			       const struct srtp_ctx *ctx, u16 seq)
{
	u32 roc = state->roc;
	u16 s_l;

	if (!state->rtp_seen) {
		if (!ctx->params.has_seq)
			return (s64)roc << 16 | seq;
		s_l = ctx->params.seq;
	} else {
		s_l = state->seq;
	}

	if (s_l < 32768) {
		if (seq > s_l && seq - s_l > 32768) {
			if (!roc)
				return -1;
			roc--;
		}
	} else if (seq < s_l - 32768) {
		roc++;
	}
	return (s64)roc << 16 | seq;
}

/* Move s_l and the ROC to the packet just accepted if it is the newest. */
static void srtp_advance(struct srtp_ssrc_state *state,
			 struct srtp_packet_info *info)
{
	u64 highest = (u64)state->roc << 16 | state->seq;

	if (state->rtp_seen && info->index <= highest)
		return;
	info->roc_changed = state->rtp_seen && (info->index >> 16) != state->roc;
	state->roc = info->index >> 16;
	state->seq = (u16)info->index;
	state->rtp_seen = true;
}

static int srtp_replay_check(const struct srtp_replay *replay, bool seen,
			     u16 window, u64 index)
{
	u64 bit;

	if (!seen || index > replay->top)
		return 0;
	if (replay->top - index >= window)
		return -SRTP_ERR_TOO_OLD;
	bit = index % (SRTP_REPLAY_WORDS * 64);
	if (replay->bits[bit / 64] & (1ULL << (bit % 64)))
		return -SRTP_ERR_REPLAY;
	return 0;
}

/* Mark @index received; slides the window forward when it is the newest. */
static void srtp_replay_commit(struct srtp_replay *replay, bool seen,
			       u64 index)
{
	u64 bit = index % (SRTP_REPLAY_WORDS * 64);

	if (!seen) {
		memset(replay->bits, 0, sizeof(replay->bits));
		replay->top = index;
	} else if (index > replay->top) {
		u64 word = replay->top / 64 + 1;
		u64 last = index / 64;
		unsigned int cleared = 0;

		/* Words between the old and new top hold stale bits. */
		for (; word <= last && cleared < SRTP_REPLAY_WORDS;
		     word++, cleared++)
			replay->bits[word % SRTP_REPLAY_WORDS] = 0;
		replay->top = index;
	}
	replay->bits[bit / 64] |= 1ULL << (bit % 64);
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

	memcpy(iv, salt, SRTPRELAY_MASTER_SALT_LEN);
	iv[14] = 0;
	iv[15] = 0;
	iv[4] ^= ssrc >> 24;
	iv[5] ^= ssrc >> 16;
	iv[6] ^= ssrc >> 8;
	iv[7] ^= ssrc;
	for (i = 0; i < 6; i++)
		iv[13 - i] ^= index >> (8 * i);
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
	unsigned int tag_len = ctx->rtp_tag_len, mki_len = ctx->params.mki_len;
	struct srtp_ssrc_state fresh, *state;
	unsigned int auth_len;
	u8 iv[SRTP_AES_BLOCK_LEN], roc_be[4];
	int header, ret;
	s64 index;
	u16 seq;

	memset(info, 0, sizeof(*info));
	header = rtp_header_len(pkt, *len);
	if (header < 0)
		return header;
	if (*len < header + mki_len + tag_len)
		return -SRTP_ERR_MALFORMED;
	auth_len = *len - mki_len - tag_len;

	seq = get_unaligned_be16(pkt + 2);
	info->ssrc = get_unaligned_be32(pkt + 8);
	state = srtp_ssrc_get(ctx, info->ssrc, &fresh);
	index = srtp_estimate_index(state, ctx, seq);
	if (index < 0)
		return -SRTP_ERR_TOO_OLD;
	info->index = index;
	ret = srtp_replay_check(&state->rtp_replay, state->rtp_seen,
				ctx->window, index);
	if (ret)
		return ret;

	if (ctx->params.suite != SRTPRELAY_SUITE_NONE) {
		ret = srtp_check_mki(ctx, pkt + auth_len);
		if (ret)
			return ret;
		put_unaligned_be32(index >> 16, roc_be);
		if (tag_len) {
			ret = srtp_verify_tag(&ctx->rtp, pkt, auth_len, roc_be,
					      sizeof(roc_be),
					      pkt + auth_len + mki_len,
					      tag_len);
			if (ret)
				return ret;
		}
		if (!(ctx->params.flags & SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP)) {
			srtp_make_iv(iv, ctx->rtp.salt, info->ssrc, index);
			if (srtp_cipher_xor(ctx->rtp.cipher, iv, pkt + header,
					    auth_len - header))
				return -SRTP_ERR_CRYPTO;
		}
	}

	state = srtp_ssrc_commit(ctx, state, &fresh, info);
	srtp_replay_commit(&state->rtp_replay, state->rtp_seen, index);
	srtp_advance(state, info);
	*len = auth_len;
	return 0;
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
	unsigned int tag_len = ctx->rtp_tag_len, mki_len = ctx->params.mki_len;
	struct srtp_ssrc_state fresh, *state;
	u8 iv[SRTP_AES_BLOCK_LEN], roc_be[4], digest[SRTP_SHA1_DIGEST_LEN];
	int header;
	s64 index;
	u16 seq;

	memset(info, 0, sizeof(*info));
	header = rtp_header_len(pkt, *len);
	if (header < 0)
		return header;
	if (room < *len || room - *len < mki_len + tag_len)
		return -SRTP_ERR_NOSPACE;

	seq = get_unaligned_be16(pkt + 2);
	info->ssrc = get_unaligned_be32(pkt + 8);
	state = srtp_ssrc_get_tx(ctx, info->ssrc, &fresh);
	if (!state)
		return -SRTP_ERR_TX_REFUSED;
	index = srtp_estimate_index(state, ctx, seq);
	if (index < 0)
		return -SRTP_ERR_TOO_OLD;
	info->index = index;

	if (ctx->params.suite != SRTPRELAY_SUITE_NONE) {
		if (srtp_replay_check(&state->rtp_replay, state->rtp_seen,
				      ctx->window, index))
			return -SRTP_ERR_TX_REFUSED;
		if (!(ctx->params.flags & SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP)) {
			srtp_make_iv(iv, ctx->rtp.salt, info->ssrc, index);
			if (srtp_cipher_xor(ctx->rtp.cipher, iv, pkt + header,
					    *len - header))
				return -SRTP_ERR_CRYPTO;
		}
		memcpy(pkt + *len, ctx->params.mki, mki_len);
		if (tag_len) {
			put_unaligned_be32(index >> 16, roc_be);
			if (srtp_compute_tag(&ctx->rtp, pkt, *len, roc_be,
					     sizeof(roc_be), digest))
				return -SRTP_ERR_CRYPTO;
			memcpy(pkt + *len + mki_len, digest, tag_len);
		}
		*len += mki_len + tag_len;
	}

	state = srtp_ssrc_commit(ctx, state, &fresh, info);
	srtp_replay_commit(&state->rtp_replay, state->rtp_seen, index);
	srtp_advance(state, info);
	return 0;
}

static int rtcp_check_header(const u8 *pkt, unsigned int len)
{
	if (len < SRTP_RTCP_HEADER_LEN || (pkt[0] >> 6) != 2)
		return -SRTP_ERR_MALFORMED;
	return 0;
}

/**
 * srtp_ctx_unprotect_rtcp() - authenticate and decrypt an SRTCP packet in place
 * @ctx: the receiving context (caller serialises calls on it)
 * @pkt: the compound packet, writable
 * @len: its length in; the length of the plain RTCP packet out
 * @info: filled with the sender SSRC and the SRTCP index
 *
 * The tag is 80 bits for both suites (RFC 4568 section 6.2.2). With
 * SRTPRELAY_SUITE_NONE only the header is checked.
 *
 * Return: 0 or a negated enum srtp_status.
 */
int srtp_ctx_unprotect_rtcp(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len,
			    struct srtp_packet_info *info)
{
	unsigned int tag_len = ctx->rtcp_tag_len, mki_len = ctx->params.mki_len;
	struct srtp_ssrc_state fresh, *state;
	unsigned int auth_len, end;
	u8 iv[SRTP_AES_BLOCK_LEN];
	u32 e_index;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = rtcp_check_header(pkt, *len);
	if (ret)
		return ret;
	info->ssrc = get_unaligned_be32(pkt + 4);
	if (ctx->params.suite == SRTPRELAY_SUITE_NONE)
		return 0;
	if (*len < SRTP_RTCP_HEADER_LEN + SRTCP_INDEX_LEN + mki_len + tag_len)
		return -SRTP_ERR_MALFORMED;

	auth_len = *len - mki_len - tag_len;
	end = auth_len - SRTCP_INDEX_LEN;
	e_index = get_unaligned_be32(pkt + end);
	info->index = e_index & SRTCP_E_INDEX_MASK;
	state = srtp_ssrc_get(ctx, info->ssrc, &fresh);
	ret = srtp_replay_check(&state->rtcp_replay, state->rtcp_seen,
				ctx->window, info->index);
	if (!ret)
		ret = srtp_check_mki(ctx, pkt + auth_len);
	if (!ret)
		ret = srtp_verify_tag(&ctx->rtcp, pkt, auth_len, NULL, 0,
				      pkt + auth_len + mki_len, tag_len);
	if (ret)
		return ret;

	if (e_index & SRTCP_E_FLAG) {
		srtp_make_iv(iv, ctx->rtcp.salt, info->ssrc, info->index);
		if (srtp_cipher_xor(ctx->rtcp.cipher, iv,
				    pkt + SRTP_RTCP_HEADER_LEN,
				    end - SRTP_RTCP_HEADER_LEN))
			return -SRTP_ERR_CRYPTO;
	}

	state = srtp_ssrc_commit(ctx, state, &fresh, info);
	srtp_replay_commit(&state->rtcp_replay, state->rtcp_seen, info->index);
	state->rtcp_seen = true;
	*len = end;
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
	unsigned int tag_len = ctx->rtcp_tag_len, mki_len = ctx->params.mki_len;
	struct srtp_ssrc_state fresh, *state;
	u8 iv[SRTP_AES_BLOCK_LEN], digest[SRTP_SHA1_DIGEST_LEN];
	bool encrypt;
	u32 e_index;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = rtcp_check_header(pkt, *len);
	if (ret)
		return ret;
	info->ssrc = get_unaligned_be32(pkt + 4);
	if (ctx->params.suite == SRTPRELAY_SUITE_NONE)
		return 0;
	if (room < *len ||
	    room - *len < SRTCP_INDEX_LEN + mki_len + tag_len)
		return -SRTP_ERR_NOSPACE;

	state = srtp_ssrc_get_tx(ctx, info->ssrc, &fresh);
	if (!state || state->rtcp_tx_index > SRTCP_E_INDEX_MASK)
		return -SRTP_ERR_TX_REFUSED;
	info->index = state->rtcp_tx_index;
	encrypt = !(ctx->params.flags & SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP);
	if (encrypt) {
		srtp_make_iv(iv, ctx->rtcp.salt, info->ssrc, info->index);
		if (srtp_cipher_xor(ctx->rtcp.cipher, iv,
				    pkt + SRTP_RTCP_HEADER_LEN,
				    *len - SRTP_RTCP_HEADER_LEN))
			return -SRTP_ERR_CRYPTO;
	}
	e_index = info->index | (encrypt ? SRTCP_E_FLAG : 0);
	put_unaligned_be32(e_index, pkt + *len);
	*len += SRTCP_INDEX_LEN;
	memcpy(pkt + *len, ctx->params.mki, mki_len);
	if (srtp_compute_tag(&ctx->rtcp, pkt, *len, NULL, 0, digest))
		return -SRTP_ERR_CRYPTO;
	memcpy(pkt + *len + mki_len, digest, tag_len);
	*len += mki_len + tag_len;

	state = srtp_ssrc_commit(ctx, state, &fresh, info);
	state->rtcp_tx_index++;
	return 0;
}
