// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The SRTP core's AES-256-CM (RFC 6188) and AES-GCM (RFC 7714) suites:
 * the RFCs' test vectors, then the rules every suite must keep (sequence
 * wrap, replay, tampering, MKI, SRTCP with and without encryption, tiny
 * payloads), run for each suite the core has.
 */
#include <stdlib.h>
#include <openssl/evp.h>

#include "srtp.h"
#include "srtp_session_keys.h"
#include "testing.h"

#define BUF_LEN 1600

static const u32 all_suites[] = {
	SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80,
	SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32,
	SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80,
	SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_32,
	SRTPRELAY_SUITE_AEAD_AES_128_GCM,
	SRTPRELAY_SUITE_AEAD_AES_256_GCM,
};
#define N_SUITES (sizeof(all_suites) / sizeof(all_suites[0]))

static unsigned int unhex(const char *hex, u8 *out)
{
	unsigned int n = 0;

	for (; *hex; hex++) {
		if (*hex == ' ')
			continue;
		sscanf(hex, "%2hhx", &out[n++]);
		hex++;
	}
	return n;
}

static struct srtp_ctx *ctx_new(u32 suite, u8 seed, u8 mki_len)
{
	struct srtp_ctx *ctx = calloc(1, SRTP_CTX_SIZE_MAX);
	struct srtp_params params;

	memset(&params, 0, sizeof(params));
	params.suite = suite;
	for (unsigned int i = 0; i < sizeof(params.master_key); i++)
		params.master_key[i] = (u8)(seed + i);
	for (unsigned int i = 0; i < sizeof(params.master_salt); i++)
		params.master_salt[i] = (u8)(seed * 3 + i);
	params.mki_len = mki_len;
	for (unsigned int i = 0; i < mki_len; i++)
		params.mki[i] = (u8)(0xa0 + i);
	CHECK(!srtp_ctx_init(ctx, &params), "init suite %u", suite);
	return ctx;
}

static void ctx_free(struct srtp_ctx *ctx)
{
	srtp_ctx_wipe(ctx);
	free(ctx);
}

/*
 * RFC 7714's vectors give the session key and salt, not a master key: key
 * a GCM context with them directly, in place of what the KDF derived.
 */
static struct srtp_ctx *gcm_ctx_with_session_key(u32 suite, const char *key)
{
	struct srtp_ctx *ctx = ctx_new(suite, 1, 0);
	u8 k[32], salt[12];
	unsigned int key_len = unhex(key, k);

	unhex("517569642070726f2071756f", salt);	/* "Quid pro quo" */
	srtp_aead_free(ctx->rtp.aead);
	srtp_aead_free(ctx->rtcp.aead);
	CHECK(!srtp_aead_new(&ctx->rtp.aead, k, key_len), "rtp aead");
	CHECK(!srtp_aead_new(&ctx->rtcp.aead, k, key_len), "rtcp aead");
	memcpy(ctx->rtp.salt, salt, sizeof(salt));
	memcpy(ctx->rtcp.salt, salt, sizeof(salt));
	return ctx;
}

#define KEY_128 "000102030405060708090a0b0c0d0e0f"
#define KEY_256 KEY_128 "101112131415161718191a1b1c1d1e1f"
/* "Gallia est omnis divisa in partes tres", SSRC 0x5501a0b2, SEQ 0xf17b. */
#define RTP_PLAIN "8040f17b8041f8d35501a0b2" \
	"47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573"
#define RTCP_PLAIN "81c8000d4d6172734e5450314e545032525450200000042a0000e930" \
	"4c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef"

static void rtp_vector(u32 suite, const char *key, const char *want_hex)
{
	struct srtp_ctx *tx = gcm_ctx_with_session_key(suite, key);
	struct srtp_ctx *rx = gcm_ctx_with_session_key(suite, key);
	u8 pkt[BUF_LEN], plain[BUF_LEN], want[BUF_LEN];
	unsigned int len = unhex(RTP_PLAIN, pkt), plain_len = len;
	unsigned int want_len = unhex(want_hex, want);
	struct srtp_packet_info info;

	memcpy(plain, pkt, len);
	CHECK(!srtp_ctx_protect(tx, pkt, &len, BUF_LEN, &info), "protect");
	CHECK(len == want_len && !memcmp(pkt, want, len), "protect = vector");
	CHECK(!srtp_ctx_unprotect(rx, want, &want_len, &info), "unprotect");
	CHECK(want_len == plain_len && !memcmp(want, plain, plain_len),
	      "unprotect = plain");
	ctx_free(tx);
	ctx_free(rx);
}

/* RFC 7714 sections 16.1.1 and 16.2.1. */
static void rfc7714_srtp_vectors(void)
{
	rtp_vector(SRTPRELAY_SUITE_AEAD_AES_128_GCM, KEY_128,
		   "8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bca"
		   "be633bd50d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb1"
		   "6a9152cf765ee4390cce");
	rtp_vector(SRTPRELAY_SUITE_AEAD_AES_256_GCM, KEY_256,
		   "8040f17b8041f8d35501a0b232b1de78a822fe12ef9f78fa332e33aa"
		   "b18012389a58e2f3b50b2a0276ffae0f1ba63799b87b7aa3db36dfff"
		   "d6b0f9bb7878d7a76c13");
}

/*
 * The vectors' SRTCP index is 0x5d4: the sender counts from 0, so it sends
 * 0x5d4 packets first; the receiver reads the index from the packet.
 */
static void rtcp_vector(u32 suite, const char *key, bool encrypt,
			const char *want_hex)
{
	struct srtp_ctx *tx = gcm_ctx_with_session_key(suite, key);
	struct srtp_ctx *rx = gcm_ctx_with_session_key(suite, key);
	u8 pkt[BUF_LEN], plain[BUF_LEN], want[BUF_LEN];
	unsigned int plain_len = unhex(RTCP_PLAIN, plain), len;
	unsigned int want_len = unhex(want_hex, want);
	struct srtp_packet_info info;

	if (!encrypt) {
		tx->params.flags |= SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP;
		rx->params.flags |= SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP;
	}
	for (unsigned int i = 0; i < 0x5d4; i++) {
		memcpy(pkt, plain, plain_len);
		len = plain_len;
		srtp_ctx_protect_rtcp(tx, pkt, &len, BUF_LEN, &info);
	}
	memcpy(pkt, plain, plain_len);
	len = plain_len;
	CHECK(!srtp_ctx_protect_rtcp(tx, pkt, &len, BUF_LEN, &info) &&
	      info.index == 0x5d4, "protect index 0x5d4");
	CHECK(len == want_len && !memcmp(pkt, want, len), "protect = vector");
	CHECK(!srtp_ctx_unprotect_rtcp(rx, want, &want_len, &info),
	      "unprotect");
	CHECK(want_len == plain_len && !memcmp(want, plain, plain_len),
	      "unprotect = plain");
	ctx_free(tx);
	ctx_free(rx);
}

/* RFC 7714 sections 17.1, 17.2 and 17.3 (E = 0: tagged, not encrypted). */
static void rfc7714_srtcp_vectors(void)
{
	rtcp_vector(SRTPRELAY_SUITE_AEAD_AES_128_GCM, KEY_128, true,
		    "81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f7"
		    "6c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa458"
		    "96cf4d2fc5abf87245d9eade800005d4");
	rtcp_vector(SRTPRELAY_SUITE_AEAD_AES_256_GCM, KEY_256, true,
		    "81c8000d4d617273d50ae4d1f5ce5d304ba297e47d470c282c3ece5d"
		    "bffe0a50a2eaa5c1110555be8415f658c61de0476f1b6fad1d1eb30c"
		    "4446839f57ff6f6cb26ac3be800005d4");
	rtcp_vector(SRTPRELAY_SUITE_AEAD_AES_128_GCM, KEY_128, false,
		    RTCP_PLAIN "841dd9683dd78ec92ae58790125f62b3000005d4");
}

/*
 * RFC 6188 section 7.2: the AES-256 PRF's session keys, checked through
 * what they do: our protect must equal OpenSSL's AES-256-CTR under the
 * RFC's cipher key and salt, then HMAC-SHA1 under its auth key.
 */
static void rfc6188_aes256_key_derivation(void)
{
	struct srtp_ctx *ctx = calloc(1, SRTP_CTX_SIZE_MAX);
	u8 plain[BUF_LEN], cipher_key[32], salt[14], auth_key[20];
	unsigned int plain_len;
	struct srtp_params params;

	memset(&params, 0, sizeof(params));
	params.suite = SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80;
	unhex("f0f04914b513f2763a1b1fa130f10e2998f6f6e43e4309d1e622a0e332b9f1b6",
	      params.master_key);
	unhex("3b04803de51ee7c96423ab5b78d2", params.master_salt);
	unhex("5ba1064e30ec51613cad926c5a28ef731ec7fb397f70a960653caf06554cd8c4",
	      cipher_key);
	unhex("fa31791685ca444a9e07c6c64e93", salt);
	unhex("fd9c32d39ed5fbb5a9dc96b30818454d1313dc05", auth_key);
	CHECK(!srtp_ctx_init(ctx, &params), "init");

	plain_len = unhex("800f1234decafbadcafebabe"
			  "abababababababababababababababab", plain);
	check_session_keys(ctx, plain, plain_len, EVP_aes_256_ctr(), cipher_key,
			   salt, auth_key);
	ctx_free(ctx);
}

static unsigned int make_rtp(u8 *pkt, u16 seq, u32 ssrc, unsigned int payload)
{
	memset(pkt, 0, BUF_LEN);
	pkt[0] = 0x80;
	pkt[2] = seq >> 8;
	pkt[3] = (u8)seq;
	put_unaligned_be32(seq * 160U, pkt + 4);
	put_unaligned_be32(ssrc, pkt + 8);
	for (unsigned int i = 0; i < payload; i++)
		pkt[12 + i] = (u8)(seq + i * 7);
	return 12 + payload;
}

/* Sends @seq through @tx and @rx; returns rx's status. */
static int relay(struct srtp_ctx *tx, struct srtp_ctx *rx, u16 seq,
		 unsigned int payload, u64 *index)
{
	u8 pkt[BUF_LEN], plain[BUF_LEN];
	unsigned int len = make_rtp(pkt, seq, 0x1234, payload), plain_len;
	struct srtp_packet_info info;
	int ret;

	plain_len = make_rtp(plain, seq, 0x1234, payload);
	if (srtp_ctx_protect(tx, pkt, &len, BUF_LEN, &info))
		return -100;
	if (payload && !memcmp(pkt + 12, plain + 12, payload))
		return -101;	/* payload left in the clear */
	ret = srtp_ctx_unprotect(rx, pkt, &len, &info);
	if (!ret && (len != plain_len || memcmp(pkt, plain, len)))
		return -102;
	*index = info.index;
	return ret;
}

static void every_suite_wraps_and_rejects_replays(void)
{
	for (unsigned int s = 0; s < N_SUITES; s++) {
		struct srtp_ctx *tx = ctx_new(all_suites[s], 7, 0);
		struct srtp_ctx *rx = ctx_new(all_suites[s], 7, 0);
		u8 pkt[BUF_LEN], copy[BUF_LEN];
		struct srtp_packet_info info;
		unsigned int len, copy_len;
		u64 index = 0;
		int bad = 0;

		for (u32 seq = 65530; seq < 65546; seq++)
			bad |= relay(tx, rx, (u16)seq, 160, &index) != 0;
		CHECK(!bad && index == (1ULL << 16 | 9),
		      "suite %u: wrap, last index 0x%llx", all_suites[s],
		      (unsigned long long)index);
		len = make_rtp(pkt, 20, 0x1234, 160);
		srtp_ctx_protect(tx, pkt, &len, BUF_LEN, &info);
		memcpy(copy, pkt, len);
		copy_len = len;
		CHECK(!srtp_ctx_unprotect(rx, pkt, &len, &info), "first copy");
		CHECK(srtp_ctx_unprotect(rx, copy, &copy_len, &info) ==
		      -SRTP_ERR_REPLAY, "suite %u: replay", all_suites[s]);
		ctx_free(tx);
		ctx_free(rx);
	}
}

static void every_suite_rejects_any_flipped_bit(void)
{
	for (unsigned int s = 0; s < N_SUITES; s++) {
		struct srtp_ctx *tx = ctx_new(all_suites[s], 9, 2);
		struct srtp_ctx *rx = ctx_new(all_suites[s], 9, 2);
		u8 pkt[BUF_LEN], bad[BUF_LEN];
		unsigned int len = make_rtp(pkt, 100, 0x99, 20), bad_len;
		struct srtp_packet_info info;
		int accepted = 0;

		CHECK(!srtp_ctx_protect(tx, pkt, &len, BUF_LEN, &info),
		      "protect");
		for (unsigned int bit = 0; bit < len * 8; bit++) {
			memcpy(bad, pkt, len);
			bad[bit / 8] ^= (u8)(1 << (bit % 8));
			bad_len = len;
			accepted += !srtp_ctx_unprotect(rx, bad, &bad_len, &info);
		}
		CHECK(!accepted, "suite %u: %d flipped packets accepted",
		      all_suites[s], accepted);
		bad_len = len;
		memcpy(bad, pkt, len);
		CHECK(!srtp_ctx_unprotect(rx, bad, &bad_len, &info),
		      "suite %u: the packet itself, MKI included",
		      all_suites[s]);
		ctx_free(tx);
		ctx_free(rx);
	}
}

/* RFC 7714 has no exemption for short payloads (rtpengine #1230). */
static void every_suite_encrypts_tiny_payloads(void)
{
	for (unsigned int s = 0; s < N_SUITES; s++) {
		struct srtp_ctx *tx = ctx_new(all_suites[s], 11, 0);
		struct srtp_ctx *rx = ctx_new(all_suites[s], 11, 0);
		u64 index;

		CHECK(!relay(tx, rx, 1, 1, &index), "suite %u: 1-byte payload",
		      all_suites[s]);
		CHECK(!relay(tx, rx, 2, 0, &index), "suite %u: empty payload",
		      all_suites[s]);
		CHECK(!relay(tx, rx, 3, 1400, &index), "suite %u: 1400 bytes",
		      all_suites[s]);
		ctx_free(tx);
		ctx_free(rx);
	}
}

static void rtcp_roundtrip(u32 suite, bool encrypt)
{
	struct srtp_ctx *tx = ctx_new(suite, 13, 4);
	struct srtp_ctx *rx = ctx_new(suite, 13, 4);
	u8 pkt[BUF_LEN], plain[BUF_LEN], copy[BUF_LEN];
	unsigned int plain_len = unhex(RTCP_PLAIN, plain), len, copy_len;
	struct srtp_packet_info info;

	if (!encrypt) {
		tx->params.flags |= SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP;
		rx->params.flags |= SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP;
	}
	memcpy(pkt, plain, plain_len);
	len = plain_len;
	CHECK(!srtp_ctx_protect_rtcp(tx, pkt, &len, BUF_LEN, &info),
	      "suite %u: protect", suite);
	CHECK(encrypt == !!memcmp(pkt + 8, plain + 8, plain_len - 8),
	      "suite %u: encrypted iff E", suite);
	memcpy(copy, pkt, len);
	copy_len = len;
	copy[copy_len - 6] ^= 1;	/* inside the index or tag */
	CHECK(srtp_ctx_unprotect_rtcp(rx, copy, &copy_len, &info),
	      "suite %u: tampered SRTCP refused", suite);
	CHECK(!srtp_ctx_unprotect_rtcp(rx, pkt, &len, &info) &&
	      len == plain_len && !memcmp(pkt, plain, len),
	      "suite %u: unprotect", suite);
	ctx_free(tx);
	ctx_free(rx);
}

static void every_suite_carries_srtcp(void)
{
	for (unsigned int s = 0; s < N_SUITES; s++) {
		rtcp_roundtrip(all_suites[s], true);
		rtcp_roundtrip(all_suites[s], false);
	}
}

/*
 * Pass-through: srtp_ctx_check() authenticates and tracks what it is given
 * without changing a byte; a receiver with the same key decrypts it.
 */
static void check_leaves_packets_as_they_are(void)
{
	struct srtp_ctx *tx = ctx_new(SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80, 5, 1);
	struct srtp_ctx *relay = ctx_new(SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80, 5, 1);
	struct srtp_ctx *rx = ctx_new(SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80, 5, 1);
	struct srtp_ctx *gcm = ctx_new(SRTPRELAY_SUITE_AEAD_AES_128_GCM, 5, 0);
	u8 pkt[BUF_LEN], copy[BUF_LEN], rtcp[BUF_LEN];
	unsigned int len = make_rtp(pkt, 40, 0x77, 160), rtcp_len;
	struct srtp_packet_info info;

	CHECK(!srtp_ctx_protect(tx, pkt, &len, BUF_LEN, &info), "protect");
	memcpy(copy, pkt, len);
	CHECK(!srtp_ctx_check(relay, pkt, len, &info) &&
	      !memcmp(pkt, copy, len) && info.index == 40, "checked, unchanged");
	CHECK(srtp_ctx_check(relay, pkt, len, &info) == -SRTP_ERR_REPLAY,
	      "a replay refused");
	CHECK(!srtp_ctx_unprotect(rx, pkt, &len, &info), "receiver decrypts");
	len = make_rtp(pkt, 41, 0x77, 160);
	srtp_ctx_protect(tx, pkt, &len, BUF_LEN, &info);
	pkt[30] ^= 4;
	CHECK(srtp_ctx_check(relay, pkt, len, &info) == -SRTP_ERR_AUTH,
	      "a flipped bit refused");

	rtcp_len = unhex(RTCP_PLAIN, rtcp);
	CHECK(!srtp_ctx_protect_rtcp(tx, rtcp, &rtcp_len, BUF_LEN, &info),
	      "protect SRTCP");
	memcpy(copy, rtcp, rtcp_len);
	CHECK(!srtp_ctx_check_rtcp(relay, rtcp, rtcp_len, &info) &&
	      !memcmp(rtcp, copy, rtcp_len), "SRTCP checked, unchanged");
	CHECK(srtp_ctx_check_rtcp(relay, rtcp, rtcp_len, &info) ==
	      -SRTP_ERR_REPLAY, "an SRTCP replay refused");
	CHECK(!srtp_ctx_unprotect_rtcp(rx, rtcp, &rtcp_len, &info),
	      "receiver decrypts SRTCP");

	len = make_rtp(pkt, 1, 0x77, 20);
	CHECK(srtp_ctx_check(gcm, pkt, len + 16, &info) == -SRTP_ERR_CRYPTO,
	      "GCM cannot check without decrypting");
	ctx_free(tx);
	ctx_free(relay);
	ctx_free(rx);
	ctx_free(gcm);
}

static void suites_keep_their_own_keys(void)
{
	struct srtp_params params;
	struct srtp_ctx *ctx = calloc(1, SRTP_CTX_SIZE_MAX);

	/* A GCM suite may not be told to leave SRTP in the clear. */
	memset(&params, 0, sizeof(params));
	params.suite = SRTPRELAY_SUITE_AEAD_AES_128_GCM;
	params.flags = SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP;
	CHECK(srtp_ctx_init(ctx, &params) == -EINVAL, "GCM UNENCRYPTED_SRTP");
	params.flags = SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP;
	CHECK(srtp_ctx_init(ctx, &params) == -EINVAL,
	      "GCM UNAUTHENTICATED_SRTP");
	params.flags = 0;
	params.suite = SRTPRELAY_SUITE_MAX + 1;
	CHECK(srtp_ctx_init(ctx, &params) == -EINVAL, "unknown suite");

	/* Key bytes past the suite's length do not make a rekey. */
	params.suite = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80;
	memset(params.master_key, 5, sizeof(params.master_key));
	CHECK(!srtp_ctx_init(ctx, &params), "init");
	params.master_key[20] = 6;
	params.master_salt[13] ^= 0;
	CHECK(srtp_ctx_same_key(ctx, &params), "tail ignored");
	params.master_key[15] = 6;
	CHECK(!srtp_ctx_same_key(ctx, &params), "last key byte counts");
	ctx_free(ctx);
}

int main(void)
{
	RUN(rfc7714_srtp_vectors,
	    "RFC 7714 16.1.1, 16.2.1: AEAD_AES_128/256_GCM SRTP, byte-exact");
	RUN(rfc7714_srtcp_vectors,
	    "RFC 7714 17.1-17.3: SRTCP encrypted (128, 256) and tag-only");
	RUN(rfc6188_aes256_key_derivation,
	    "RFC 6188 7.2: AES-256 PRF keys, checked against OpenSSL");
	RUN(every_suite_wraps_and_rejects_replays,
	    "each suite: ROC across the wrap, a replay refused");
	RUN(every_suite_rejects_any_flipped_bit,
	    "each suite with a 2-byte MKI: every single-bit change refused");
	RUN(every_suite_encrypts_tiny_payloads,
	    "each suite: 0-, 1- and 1400-byte payloads, never in the clear");
	RUN(every_suite_carries_srtcp,
	    "each suite, 4-byte MKI: SRTCP with E=1 and E=0, tamper refused");
	RUN(check_leaves_packets_as_they_are,
	    "pass-through: checked and tracked, not a byte changed; GCM refused");
	RUN(suites_keep_their_own_keys,
	    "AEAD refuses unencrypted SRTP; key bytes past the suite ignored");
	return testing_summary();
}
