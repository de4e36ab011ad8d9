// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * SRTP contexts: the key derivation of RFC 3711 section 4.3 (and RFC 6188
 * for AES-256, RFC 7714 section 11 for GCM), the transforms each session
 * key is kept in, and what a rekey carries over. Built into srtprelay.ko
 * and into userspace with the packet transforms of srtp.c.
 */
#include "srtp_state.h"

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

/*
 * PRF of RFC 3711 section 4.3.3 (and RFC 6188 section 3 for AES-256):
 * AES-CM keystream under the master key, started at (master_salt XOR
 * label << 48) << 16. With a key derivation rate of 0, r is 0 and the label
 * is all that differs per key. A 12-byte GCM master salt is read as 14
 * bytes with two zero bytes after it, as libsrtp2 does (RFC 7714 section 11
 * leaves the KDF of RFC 3711 unchanged).
 */
static int srtp_derive(struct srtp_cipher *master, const u8 *master_salt,
		       enum srtp_label label, u8 *out, unsigned int len)
{
	u8 iv[SRTP_AES_BLOCK_LEN] = { 0 };

	memcpy(iv, master_salt, SRTPRELAY_MASTER_SALT_MAX_LEN);
	iv[7] ^= label;
	memset(out, 0, len);
	return srtp_cipher_xor(master, iv, out, len);
}

/*
 * The transform of one of SRTP or SRTCP: cipher and MAC, or AEAD. Each
 * session key is derived into @scratch, which the caller wipes.
 */
static int srtp_session_transform(struct srtp_ctx *ctx,
				  struct srtp_cipher *master,
				  struct srtp_session *session,
				  enum srtp_label first_label, u8 *scratch)
{
	const u8 *salt = ctx->params.master_salt;
	int ret;

	ret = srtp_derive(master, salt, first_label, scratch,
			  ctx->suite.key_len);
	if (ret)
		return ret;
	if (ctx->suite.aead)
		return srtp_aead_new(&session->aead, scratch,
				     ctx->suite.key_len);
	ret = srtp_cipher_new(&session->cipher, scratch, ctx->suite.key_len);
	if (!ret)
		ret = srtp_derive(master, salt, first_label + 1, scratch,
				  SRTP_AUTH_KEY_LEN);
	if (!ret)
		ret = srtp_mac_new(&session->mac, scratch, SRTP_AUTH_KEY_LEN);
	return ret;
}

static int srtp_session_init(struct srtp_ctx *ctx, struct srtp_cipher *master,
			     struct srtp_session *session,
			     enum srtp_label first_label)
{
	/* the longest key derived: an AES-256 key or the HMAC key */
	u8 scratch[SRTP_AES_KEY_MAX_LEN];
	int ret;

	ret = srtp_session_transform(ctx, master, session, first_label,
				     scratch);
	if (!ret)
		ret = srtp_derive(master, ctx->params.master_salt,
				  first_label + 2, scratch, ctx->suite.salt_len);
	if (!ret)
		memcpy(session->salt, scratch, ctx->suite.salt_len);
	memzero_explicit(scratch, sizeof(scratch));
	return ret;
}

static bool srtp_params_valid(const struct srtp_params *params)
{
	u32 aead_refused = SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP |
			   SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP;

	if (params->suite > SRTPRELAY_SUITE_MAX ||
	    params->mki_len > SRTPRELAY_MKI_MAX_LEN ||
	    params->flags & ~__SRTPRELAY_CRYPTO_F_ALL)
		return false;
	if (srtp_suite_info(params->suite).aead && params->flags & aead_refused)
		return false;
	return !params->replay_window ||
	       (params->replay_window >= SRTPRELAY_REPLAY_WINDOW_MIN &&
		params->replay_window <= SRTPRELAY_REPLAY_WINDOW_MAX);
}

/**
 * srtp_ctx_size() - how many bytes a context for @params takes
 * @params: what srtp_ctx_init() will be given; only the window counts
 *
 * Return: the size of the context with its replay windows; a window out
 * of range counts as the largest (srtp_ctx_init() refuses it).
 */
size_t srtp_ctx_size(const struct srtp_params *params)
{
	u16 window = params->replay_window ?: SRTPRELAY_REPLAY_WINDOW_DEFAULT;

	if (!srtp_params_valid(params))
		window = SRTPRELAY_REPLAY_WINDOW_MAX;
	return SRTP_CTX_BYTES(SRTP_REPLAY_WORDS(window));
}

/**
 * srtp_ctx_init() - derive session keys and set up a crypto context
 * @ctx: context to fill, srtp_ctx_size(@params) bytes
 * @params: suite, master key and salt, MKI, start ROC/SEQ, replay window;
 *	key and salt bytes past the suite's lengths are ignored
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
	if (!srtp_params_valid(params))
		return -EINVAL;

	ctx->params = *params;
	ctx->suite = srtp_suite_info(params->suite);
	/* Zero past the suite's lengths: same_key and the KDF read them. */
	memzero_explicit(ctx->params.master_key + ctx->suite.key_len,
			 sizeof(ctx->params.master_key) - ctx->suite.key_len);
	memzero_explicit(ctx->params.master_salt + ctx->suite.salt_len,
			 sizeof(ctx->params.master_salt) - ctx->suite.salt_len);
	ctx->window = params->replay_window ?: SRTPRELAY_REPLAY_WINDOW_DEFAULT;
	ctx->replay_words = SRTP_REPLAY_WORDS(ctx->window);
	memset(ctx->replay_bits, 0,
	       SRTP_CTX_BYTES(ctx->replay_words) - sizeof(*ctx));
	ctx->rtcp_tag_len = ctx->suite.rtcp_tag_len;
	ctx->rtp_tag_len = ctx->suite.rtp_tag_len;
	if (params->flags & SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP)
		ctx->rtp_tag_len = 0;
	if (params->suite == SRTPRELAY_SUITE_NONE) {
		ctx->params.mki_len = 0;
		return 0;
	}

	ret = srtp_cipher_new(&master, ctx->params.master_key,
			      ctx->suite.key_len);
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
	if (session->aead)
		srtp_aead_free(session->aead);
	session->cipher = NULL;
	session->mac = NULL;
	session->aead = NULL;
}

/**
 * srtp_ctx_wipe() - free a context's transforms and erase its keys
 * @ctx: context set up by srtp_ctx_init()
 */
void srtp_ctx_wipe(struct srtp_ctx *ctx)
{
	srtp_session_wipe(&ctx->rtp);
	srtp_session_wipe(&ctx->rtcp);
	/* the context and its replay windows */
	memzero_explicit(ctx, SRTP_CTX_BYTES(ctx->replay_words));
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
			      ctx->suite.key_len) &&
	       !crypto_memneq(old->master_salt, params->master_salt,
			      ctx->suite.salt_len);
}

/**
 * srtp_ctx_copy_state() - carry per-SSRC state into a context with new keys
 * @to: the new context
 * @from: the context it replaces
 *
 * Rollover counters, highest sequence numbers, replay windows and SRTCP
 * indices move over; the window size of @to applies from now on, and a
 * smaller one keeps only the newest indices of the old window.
 */
void srtp_ctx_copy_state(struct srtp_ctx *to, const struct srtp_ctx *from)
{
	unsigned int i;

	memcpy(to->ssrc, from->ssrc, sizeof(to->ssrc));
	to->lru_clock = from->lru_clock;
	for (i = 0; i < SRTPRELAY_MAX_SSRC_PER_STREAM; i++) {
		if (!to->ssrc[i].in_use)
			continue;
		if (to->ssrc[i].rtp_seen)
			srtp_replay_copy(to, &to->ssrc[i], from,
					 &from->ssrc[i], false);
		if (to->ssrc[i].rtcp_seen)
			srtp_replay_copy(to, &to->ssrc[i], from,
					 &from->ssrc[i], true);
	}
}
