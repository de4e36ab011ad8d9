// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Interop of the SRTP core with libsrtp2 (Debian's package, an independent
 * implementation): for every suite (AES_CM_128 and AES_256_CM with 80- and
 * 32-bit tags, AEAD_AES_128_GCM and _256_GCM), SRTP and SRTCP, payloads of 0..1400
 * bytes, 0..15 CSRCs, with and without a header extension, padding and
 * MKI, our protect must equal libsrtp2's byte for byte, libsrtp2 must
 * accept ours, and we must accept libsrtp2's.
 */
#include <stdlib.h>
#include <srtp2/srtp.h>

#include "sdes_libsrtp.h"
#include "srtp.h"
#include "testing.h"

#define BUF_LEN 1600

struct config {
	u32 suite;
	unsigned int payload;
	unsigned int csrcs;
	bool extension;
	bool padding;
	unsigned int mki_len;
};

struct sessions {
	srtp_t lib_tx, lib_rx;
	struct srtp_ctx *our_tx, *our_rx;
	srtp_master_key_t master;
	srtp_master_key_t *masters[1];
	u8 key_salt[46];	/* the longest: AES_256_CM */
	u8 mki[4];
};

static unsigned int config_count, packet_count;

static void make_policy(struct sessions *s, const struct config *config,
			srtp_policy_t *policy, int ssrc_type)
{
	memset(policy, 0, sizeof(*policy));
	libsrtp_policy_set_suite(config->suite, policy);
	policy->ssrc.type = ssrc_type;
	policy->window_size = 128;
	if (config->mki_len) {
		s->master.key = s->key_salt;
		s->master.mki_id = s->mki;
		s->master.mki_size = config->mki_len;
		s->masters[0] = &s->master;
		policy->keys = s->masters;
		policy->num_master_keys = 1;
	} else {
		policy->key = s->key_salt;
	}
}

static void sessions_init(struct sessions *s, const struct config *config,
			  unsigned int seed)
{
	struct srtp_suite_info suite;
	struct srtp_params params;
	srtp_policy_t policy;

	memset(s, 0, sizeof(*s));
	for (unsigned int i = 0; i < sizeof(s->key_salt); i++)
		s->key_salt[i] = (u8)(seed * 31 + i * 7);
	for (unsigned int i = 0; i < sizeof(s->mki); i++)
		s->mki[i] = (u8)(0xa0 + i);

	make_policy(s, config, &policy, ssrc_any_outbound);
	CHECK(srtp_create(&s->lib_tx, &policy) == srtp_err_status_ok, "tx");
	make_policy(s, config, &policy, ssrc_any_inbound);
	CHECK(srtp_create(&s->lib_rx, &policy) == srtp_err_status_ok, "rx");

	memset(&params, 0, sizeof(params));
	params.suite = config->suite;
	suite = srtp_suite_info(config->suite);
	memcpy(params.master_key, s->key_salt, suite.key_len);
	memcpy(params.master_salt, s->key_salt + suite.key_len, suite.salt_len);
	params.mki_len = (u8)config->mki_len;
	memcpy(params.mki, s->mki, config->mki_len);
	s->our_tx = calloc(1, srtp_ctx_size(&params));
	s->our_rx = calloc(1, srtp_ctx_size(&params));
	CHECK(!srtp_ctx_init(s->our_tx, &params), "our tx");
	CHECK(!srtp_ctx_init(s->our_rx, &params), "our rx");
}

static void sessions_free(struct sessions *s)
{
	srtp_dealloc(s->lib_tx);
	srtp_dealloc(s->lib_rx);
	srtp_ctx_wipe(s->our_tx);
	srtp_ctx_wipe(s->our_rx);
	free(s->our_tx);
	free(s->our_rx);
}

static unsigned int make_rtp(u8 *pkt, const struct config *config, u16 seq)
{
	unsigned int len = 12, i;

	memset(pkt, 0, BUF_LEN);
	pkt[0] = 0x80 | (config->padding ? 0x20 : 0) |
		 (config->extension ? 0x10 : 0) | config->csrcs;
	pkt[1] = 8;
	pkt[2] = seq >> 8;
	pkt[3] = (u8)seq;
	put_unaligned_be32(0x10000000U + seq * 160U, pkt + 4);
	put_unaligned_be32(0xdecafbad, pkt + 8);
	for (i = 0; i < config->csrcs; i++, len += 4)
		put_unaligned_be32(0x1000 + i, pkt + len);
	if (config->extension) {
		/* RFC 8285 one-byte header, 2 words of elements */
		pkt[len] = 0xbe, pkt[len + 1] = 0xde;
		pkt[len + 2] = 0, pkt[len + 3] = 2;
		memcpy(pkt + len + 4, "\x10\x55\x22\x66\x77\x00\x00\x00", 8);
		len += 12;
	}
	for (i = 0; i < config->payload; i++)
		pkt[len++] = (u8)(seq * 13 + i);
	if (config->padding) {
		memset(pkt + len, 0, 3);
		len += 4;
		pkt[len - 1] = 4;
	}
	return len;
}

static srtp_err_status_t lib_protect(struct sessions *s, u8 *pkt, int *len,
				     const struct config *config, bool rtcp)
{
	if (rtcp)
		return config->mki_len ?
			srtp_protect_rtcp_mki(s->lib_tx, pkt, len, 1, 0) :
			srtp_protect_rtcp(s->lib_tx, pkt, len);
	return config->mki_len ? srtp_protect_mki(s->lib_tx, pkt, len, 1, 0) :
				 srtp_protect(s->lib_tx, pkt, len);
}

static srtp_err_status_t lib_unprotect(struct sessions *s, u8 *pkt, int *len,
				       const struct config *config, bool rtcp)
{
	unsigned int use_mki = config->mki_len != 0;

	if (rtcp)
		return srtp_unprotect_rtcp_mki(s->lib_rx, pkt, len, use_mki);
	return srtp_unprotect_mki(s->lib_rx, pkt, len, use_mki);
}

/* One RTP packet: ours == libsrtp2's; each side accepts the other's. */
static void check_rtp_packet(struct sessions *s, const struct config *config,
			     u16 seq)
{
	struct srtp_packet_info info;
	u8 plain[BUF_LEN], ours[BUF_LEN], theirs[BUF_LEN];
	unsigned int plain_len = make_rtp(plain, config, seq), our_len;
	int their_len = (int)plain_len;

	memcpy(ours, plain, plain_len);
	memcpy(theirs, plain, plain_len);
	our_len = plain_len;
	CHECK(!srtp_ctx_protect(s->our_tx, ours, &our_len, BUF_LEN, &info),
	      "our protect seq %u", seq);
	CHECK(lib_protect(s, theirs, &their_len, config, false) ==
	      srtp_err_status_ok, "libsrtp2 protect seq %u", seq);
	CHECK(our_len == (unsigned int)their_len &&
	      !memcmp(ours, theirs, our_len),
	      "byte-identical SRTP, seq %u payload %u csrc %u", seq,
	      config->payload, config->csrcs);

	their_len = (int)our_len;
	CHECK(lib_unprotect(s, ours, &their_len, config, false) ==
	      srtp_err_status_ok && their_len == (int)plain_len &&
	      !memcmp(ours, plain, plain_len),
	      "libsrtp2 accepts ours, seq %u", seq);
	CHECK(!srtp_ctx_unprotect(s->our_rx, theirs, &our_len, &info) &&
	      our_len == plain_len && !memcmp(theirs, plain, plain_len),
	      "we accept libsrtp2's, seq %u", seq);
	packet_count++;
}

static unsigned int make_rtcp(u8 *pkt, unsigned int payload, u32 n)
{
	unsigned int words = (payload + 3) / 4 + 6;

	memset(pkt, 0, BUF_LEN);
	pkt[0] = 0x80;
	pkt[1] = 200;	/* SR, then report blocks as opaque bytes */
	pkt[2] = (u8)(words >> 8);
	pkt[3] = (u8)words;
	put_unaligned_be32(0xdecafbad, pkt + 4);
	for (unsigned int i = 8; i < 4 * (words + 1); i++)
		pkt[i] = (u8)(n + i);
	return 4 * (words + 1);
}

/*
 * Measured with Debian's libsrtp2 2.5.0: with an MKI and a _32 suite it
 * looks for the SRTCP MKI using the SRTP tag length (4, not 10) and rejects
 * even its own SRTCP packets as bad_mki. There we can only ask that it
 * treat ours exactly as its own; the byte-identical check still holds.
 */
static bool libsrtp2_rtcp_mki_broken(const struct config *config)
{
	return config->mki_len &&
	       (config->suite == SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32 ||
		config->suite == SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_32);
}

/*
 * libsrtp2 numbers SRTCP from 1 where RFC 3711 3.3.2 says 0, so our sender
 * first sends one packet of its own; from then on both use the same index
 * and the output must be identical.
 */
static void check_rtcp_packets(struct sessions *s, const struct config *config)
{
	struct srtp_packet_info info;
	u8 plain[BUF_LEN], ours[BUF_LEN], theirs[BUF_LEN];
	unsigned int plain_len, our_len;
	int their_len;

	plain_len = make_rtcp(ours, 0, 0);
	CHECK(!srtp_ctx_protect_rtcp(s->our_tx, ours, &plain_len, BUF_LEN, &info),
	      "index 0");
	for (u32 n = 1; n <= 3; n++) {
		plain_len = make_rtcp(plain, config->payload, n);
		memcpy(ours, plain, plain_len);
		memcpy(theirs, plain, plain_len);
		our_len = plain_len;
		their_len = (int)plain_len;
		CHECK(!srtp_ctx_protect_rtcp(s->our_tx, ours, &our_len, BUF_LEN, &info),
		      "our SRTCP protect");
		CHECK(lib_protect(s, theirs, &their_len, config, true) ==
		      srtp_err_status_ok, "libsrtp2 SRTCP protect");
		CHECK(our_len == (unsigned int)their_len &&
		      !memcmp(ours, theirs, our_len),
		      "byte-identical SRTCP index %u", n);
		their_len = (int)our_len;
		if (libsrtp2_rtcp_mki_broken(config)) {
			u8 own[BUF_LEN];
			int own_len = their_len;

			memcpy(own, theirs, our_len);
			CHECK(lib_unprotect(s, ours, &their_len, config, true) ==
			      lib_unprotect(s, own, &own_len, config, true),
			      "libsrtp2 treats our SRTCP as its own");
		} else {
			CHECK(lib_unprotect(s, ours, &their_len, config, true) ==
			      srtp_err_status_ok &&
			      their_len == (int)plain_len &&
			      !memcmp(ours, plain, plain_len),
			      "libsrtp2 accepts our SRTCP");
		}
		CHECK(!srtp_ctx_unprotect_rtcp(s->our_rx, theirs, &our_len, &info) &&
		      our_len == plain_len && !memcmp(theirs, plain, plain_len),
		      "we accept libsrtp2's SRTCP");
		packet_count++;
	}
}

static void run_config(const struct config *config, unsigned int seed)
{
	struct sessions s;

	sessions_init(&s, config, seed);
	/* Across the wrap, so the ROC enters the tag and the IV. */
	for (u32 n = 65533; n < 65539; n++)
		check_rtp_packet(&s, config, (u16)n);
	check_rtcp_packets(&s, config);
	sessions_free(&s);
	config_count++;
}

static const u32 suites[] = {
	SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80,
	SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32,
	SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80,
	SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_32,
	SRTPRELAY_SUITE_AEAD_AES_128_GCM,
	SRTPRELAY_SUITE_AEAD_AES_256_GCM,
};
#define N_SUITES (sizeof(suites) / sizeof(suites[0]))
static const unsigned int payloads[] = { 0, 1, 15, 16, 17, 160, 1000, 1400 };

static void for_each_layout(u32 suite, unsigned int mki_len)
{
	static const unsigned int csrc_counts[] = { 0, 1, 15 };
	unsigned int seed = 1;

	for (size_t p = 0; p < sizeof(payloads) / sizeof(payloads[0]); p++)
		for (size_t c = 0; c < 3; c++)
			for (unsigned int flags = 0; flags < 4; flags++) {
				struct config config = {
					.suite = suite,
					.payload = payloads[p],
					.csrcs = csrc_counts[c],
					.extension = flags & 1,
					.padding = flags & 2,
					.mki_len = mki_len,
				};

				run_config(&config, seed++);
			}
}

static void interop_sha1_80(void)
{
	for_each_layout(SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
}

static void interop_sha1_32(void)
{
	for_each_layout(SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32, 0);
}

static void interop_aes_256_cm_sha1_80(void)
{
	for_each_layout(SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80, 0);
}

static void interop_aes_256_cm_sha1_32(void)
{
	for_each_layout(SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_32, 0);
}

static void interop_aead_aes_128_gcm(void)
{
	for_each_layout(SRTPRELAY_SUITE_AEAD_AES_128_GCM, 0);
}

static void interop_aead_aes_256_gcm(void)
{
	for_each_layout(SRTPRELAY_SUITE_AEAD_AES_256_GCM, 0);
}

static void interop_mki_1_to_4_bytes(void)
{
	for (unsigned int mki = 1; mki <= 4; mki++)
		for (size_t s = 0; s < N_SUITES; s++) {
			struct config config = { .suite = suites[s],
						 .payload = 160,
						 .csrcs = 2,
						 .mki_len = mki };

			run_config(&config, 100 + mki);
		}
}

/*
 * libsrtp2 must reject what our core would: a bit flipped in our packet
 * fails its auth, and we refuse a replay of its packet, in every suite.
 */
static void tampered_and_replayed_refused(void)
{
	for (size_t n = 0; n < N_SUITES; n++) {
		struct config config = { .suite = suites[n], .payload = 160 };
		struct srtp_packet_info info;
		u8 pkt[BUF_LEN], copy[BUF_LEN];
		struct sessions s;
		unsigned int len;
		int lib_len;

		sessions_init(&s, &config, 7);
		len = make_rtp(pkt, &config, 1);
		CHECK(!srtp_ctx_protect(s.our_tx, pkt, &len, BUF_LEN, &info),
		      "protect");
		pkt[20] ^= 0x01;
		lib_len = (int)len;
		CHECK(lib_unprotect(&s, pkt, &lib_len, &config, false) ==
		      srtp_err_status_auth_fail, "suite %u: libsrtp2 auth_fail",
		      suites[n]);
		lib_len = (int)make_rtp(pkt, &config, 2);
		CHECK(lib_protect(&s, pkt, &lib_len, &config, false) ==
		      srtp_err_status_ok, "libsrtp2 protect");
		memcpy(copy, pkt, (size_t)lib_len);
		len = (unsigned int)lib_len;
		CHECK(!srtp_ctx_unprotect(s.our_rx, pkt, &len, &info),
		      "suite %u: first copy", suites[n]);
		len = (unsigned int)lib_len;
		CHECK(srtp_ctx_unprotect(s.our_rx, copy, &len, &info) ==
		      -SRTP_ERR_REPLAY, "suite %u: replay refused", suites[n]);
		sessions_free(&s);
	}
}

int main(void)
{
	if (srtp_init() != srtp_err_status_ok) {
		printf("libsrtp2 init failed\n");
		return 1;
	}
	RUN(interop_sha1_80,
	    "AES_CM_128_HMAC_SHA1_80: 96 layouts x 6 RTP across the wrap + 3 SRTCP");
	RUN(interop_sha1_32,
	    "AES_CM_128_HMAC_SHA1_32: 96 layouts x 6 RTP across the wrap + 3 SRTCP");
	RUN(interop_aes_256_cm_sha1_80,
	    "AES_256_CM_HMAC_SHA1_80: 96 layouts x 6 RTP across the wrap + 3 SRTCP");
	RUN(interop_aes_256_cm_sha1_32,
	    "AES_256_CM_HMAC_SHA1_32: 96 layouts x 6 RTP across the wrap + 3 SRTCP");
	RUN(interop_aead_aes_128_gcm,
	    "AEAD_AES_128_GCM: 96 layouts x 6 RTP across the wrap + 3 SRTCP");
	RUN(interop_aead_aes_256_gcm,
	    "AEAD_AES_256_GCM: 96 layouts x 6 RTP across the wrap + 3 SRTCP");
	RUN(interop_mki_1_to_4_bytes, "every suite with MKI of 1, 2, 3, 4 bytes");
	RUN(tampered_and_replayed_refused,
	    "every suite: our flipped bit fails libsrtp2, its replay fails ours");
	printf("checked %u configurations, %u packets against libsrtp2 %s\n",
	       config_count, packet_count, srtp_get_version_string());
	srtp_shutdown();
	return testing_summary();
}
