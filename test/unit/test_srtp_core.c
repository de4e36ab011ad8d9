// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The SRTP core (kmod/srtp.c, the code the kernel runs) against RFC 3711's
 * test vectors and OpenSSL's independent AES-CTR and HMAC, and its rules:
 * rollover across the sequence wrap, the replay window, tampering, MKI,
 * SRTCP, and per-SSRC state.
 */
#include <stdlib.h>
#include <openssl/evp.h>

#include "srtp.h"
#include "srtp_session_keys.h"
#include "testing.h"

#define BUF_LEN 1600

static void hex_to_bytes(const char *hex, u8 *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

static void params_for(struct srtp_params *params, u32 suite, u8 seed)
{
	memset(params, 0, sizeof(*params));
	params->suite = suite;
	for (unsigned int i = 0; i < sizeof(params->master_key); i++)
		params->master_key[i] = (u8)(seed + i);
	for (unsigned int i = 0; i < sizeof(params->master_salt); i++)
		params->master_salt[i] = (u8)(seed * 3 + i);
}

static unsigned int make_rtp(u8 *pkt, u16 seq, u32 ssrc, unsigned int payload)
{
	memset(pkt, 0, BUF_LEN);
	pkt[0] = 0x80;
	pkt[1] = 0;	/* PCMU */
	pkt[2] = seq >> 8;
	pkt[3] = (u8)seq;
	put_unaligned_be32(seq * 160U, pkt + 4);
	put_unaligned_be32(ssrc, pkt + 8);
	for (unsigned int i = 0; i < payload; i++)
		pkt[12 + i] = (u8)(seq + i * 7);
	return 12 + payload;
}

/* RFC 3711 B.2: AES-CM keystream, including blocks 0xfeff..0xff01. */
static void rfc3711_b2_aes_cm_keystream(void)
{
	static const char *const expect[][2] = {
		{ "0000", "E03EAD0935C95E80E166B16DD92B4EB4" },
		{ "0001", "D23513162B02D0F72A43A2FE4A5F97AB" },
		{ "0002", "41E95B3BB0A2E8DD477901E4FCA894C0" },
		{ "feff", "EC8CDF7398607CB0F2D21675EA9EA1E4" },
		{ "ff00", "362B7C3C6773516318A077D7FC5073AE" },
		{ "ff01", "6A2CC3787889374FBEB4C81B17BA6C44" },
	};
	const unsigned int blocks = 0xff02;
	struct srtp_cipher *cipher;
	u8 key[16], iv[16], want[16];
	u8 *stream = calloc(blocks, 16);

	hex_to_bytes("2B7E151628AED2A6ABF7158809CF4F3C", key, 16);
	hex_to_bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000", iv, 16);
	CHECK(!srtp_cipher_new(&cipher, key, 16), "cipher");
	CHECK(!srtp_cipher_xor(cipher, iv, stream, blocks * 16), "xor");
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		unsigned int block = (unsigned int)strtoul(expect[i][0], NULL, 16);

		hex_to_bytes(expect[i][1], want, 16);
		CHECK(!memcmp(stream + 16 * block, want, 16), "block %s",
		      expect[i][0]);
	}
	srtp_cipher_free(cipher);
	free(stream);
}

/*
 * RFC 3711 B.3: the session keys derived from its master key and salt.
 * They are checked through what they do: our protect must equal AES-CTR
 * under the RFC's cipher key and salt plus HMAC-SHA1 under its auth key,
 * both computed by OpenSSL's own EVP and HMAC.
 */
static void rfc3711_b3_key_derivation(void)
{
	struct srtp_params params;
	struct srtp_ctx *ctx = calloc(1, SRTP_CTX_SIZE_MAX);
	u8 plain[BUF_LEN], cipher_key[16], salt[14], auth_key[20];
	unsigned int plain_len;

	memset(&params, 0, sizeof(params));
	params.suite = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80;
	hex_to_bytes("E1F97A0D3E018BE0D64FA32C06DE4139", params.master_key, 16);
	hex_to_bytes("0EC675AD498AFEEBB6960B3AABE6", params.master_salt, 14);
	hex_to_bytes("C61E7A93744F39EE10734AFE3FF7A087", cipher_key, 16);
	hex_to_bytes("30CBBC08863D8C85D49DB34A9AE1", salt, 14);
	hex_to_bytes("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", auth_key, 20);
	CHECK(!srtp_ctx_init(ctx, &params), "init");

	plain_len = make_rtp(plain, 0x1234, 0xcafebabe, 160);
	check_session_keys(ctx, plain, plain_len, EVP_aes_128_ctr(), cipher_key,
			   salt, auth_key);
	srtp_ctx_wipe(ctx);
	free(ctx);
}

struct pair {
	struct srtp_ctx *tx;
	struct srtp_ctx *rx;
};

static void pair_init(struct pair *pair, u32 suite, u16 window)
{
	struct srtp_params params;

	params_for(&params, suite, 42);
	params.replay_window = window;
	pair->tx = calloc(1, srtp_ctx_size(&params));
	pair->rx = calloc(1, srtp_ctx_size(&params));
	CHECK(!srtp_ctx_init(pair->tx, &params), "tx init");
	CHECK(!srtp_ctx_init(pair->rx, &params), "rx init");
}

static void pair_free(struct pair *pair)
{
	srtp_ctx_wipe(pair->tx);
	srtp_ctx_wipe(pair->rx);
	free(pair->tx);
	free(pair->rx);
}

/* Protects one packet; returns its SRTP length. */
static unsigned int send_one(struct pair *pair, u8 *pkt, u16 seq, u32 ssrc,
			     struct srtp_packet_info *info)
{
	unsigned int len = make_rtp(pkt, seq, ssrc, 160);

	CHECK(!srtp_ctx_protect(pair->tx, pkt, &len, BUF_LEN, info),
	      "protect seq %u", seq);
	return len;
}

/* Unprotects and checks the payload; returns the status. */
static int receive_one(struct pair *pair, u8 *pkt, unsigned int len, u16 seq,
		       u32 ssrc, struct srtp_packet_info *info)
{
	u8 plain[BUF_LEN];
	unsigned int plain_len = make_rtp(plain, seq, ssrc, 160);
	int ret = srtp_ctx_unprotect(pair->rx, pkt, &len, info);

	if (!ret)
		CHECK(len == plain_len && !memcmp(pkt, plain, len),
		      "payload of seq %u", seq);
	return ret;
}

static int relay_one(struct pair *pair, u16 seq, u32 ssrc, u64 *index)
{
	struct srtp_packet_info info;
	u8 pkt[BUF_LEN];
	unsigned int len = send_one(pair, pkt, seq, ssrc, &info);
	int ret = receive_one(pair, pkt, len, seq, ssrc, &info);

	*index = info.index;
	return ret;
}

static void seq_wrap_raises_roc_in_order(void)
{
	struct pair pair;
	u64 index;

	pair_init(&pair, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	for (u32 n = 65530; n < 65536 + 6; n++) {
		CHECK(!relay_one(&pair, (u16)n, 0x1111, &index), "seq %u", n);
		CHECK(index == n, "index %llu for %u",
		      (unsigned long long)index, n);
	}
	CHECK(pair.rx->ssrc[0].roc == 1 && pair.tx->ssrc[0].roc == 1,
	      "ROC 1 on both sides");
	pair_free(&pair);
}

/* 65534, 0, 65535, 1: the late 65535 must keep ROC 0 on both sides. */
static void seq_wrap_reordered_packet_keeps_roc(void)
{
	static const u16 order[] = { 65533, 65534, 0, 65535, 1, 2 };
	static const u64 want[] = { 65533, 65534, 65536, 65535, 65537, 65538 };
	struct pair pair;
	u64 index;

	pair_init(&pair, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32, 0);
	for (unsigned int i = 0; i < 6; i++) {
		CHECK(!relay_one(&pair, order[i], 0x2222, &index), "seq %u",
		      order[i]);
		CHECK(index == want[i], "index %llu, want %llu",
		      (unsigned long long)index, (unsigned long long)want[i]);
	}
	pair_free(&pair);
}

static void replay_rejected_then_context_works(void)
{
	struct srtp_packet_info info;
	struct pair pair;
	u8 pkt[BUF_LEN], copy[BUF_LEN];
	unsigned int len;
	u64 index;

	pair_init(&pair, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 64);
	len = send_one(&pair, pkt, 100, 0x3333, &info);
	memcpy(copy, pkt, len);
	CHECK(!receive_one(&pair, pkt, len, 100, 0x3333, &info), "first");
	CHECK(receive_one(&pair, copy, len, 100, 0x3333, &info) ==
	      -SRTP_ERR_REPLAY, "replay");
	CHECK(!relay_one(&pair, 101, 0x3333, &index), "next after replay");
	pair_free(&pair);
}

static void older_than_window_rejected(void)
{
	struct srtp_packet_info info;
	struct pair pair;
	u8 old[BUF_LEN], late[BUF_LEN];
	unsigned int old_len, late_len;
	u64 index;

	pair_init(&pair, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 64);
	old_len = send_one(&pair, old, 1000, 0x4444, &info);
	late_len = send_one(&pair, late, 1001, 0x4444, &info);
	for (u16 seq = 1002; seq < 1070; seq++)
		CHECK(!relay_one(&pair, seq, 0x4444, &index), "seq %u", seq);
	/* top 1069: 1001 is 68 behind (outside 64), 1010 was received. */
	CHECK(receive_one(&pair, late, late_len, 1001, 0x4444, &info) ==
	      -SRTP_ERR_TOO_OLD, "too old");
	CHECK(receive_one(&pair, old, old_len, 1000, 0x4444, &info) ==
	      -SRTP_ERR_TOO_OLD, "too old");
	CHECK(!relay_one(&pair, 1070, 0x4444, &index), "works afterwards");
	pair_free(&pair);
}

/* A window of 1024 accepts a packet 1000 behind, once. */
static void window_1024_accepts_late_packet_once(void)
{
	struct srtp_packet_info info;
	struct pair pair;
	u8 late[BUF_LEN], copy[BUF_LEN];
	unsigned int len;
	u64 index;

	pair_init(&pair, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 1024);
	len = send_one(&pair, late, 5, 0x5555, &info);
	memcpy(copy, late, len);
	for (u16 seq = 6; seq < 1006; seq++)
		CHECK(!relay_one(&pair, seq, 0x5555, &index), "seq %u", seq);
	CHECK(!receive_one(&pair, late, len, 5, 0x5555, &info), "late");
	CHECK(receive_one(&pair, copy, len, 5, 0x5555, &info) ==
	      -SRTP_ERR_REPLAY, "late replayed");
	pair_free(&pair);
}

/* A protected packet kept to be received again. */
struct kept {
	u8 pkt[BUF_LEN];
	unsigned int len;
};

/* Receives a copy of @k (sequence number @seq); returns the status. */
static int receive_kept(struct pair *pair, const struct kept *k, u16 seq)
{
	struct srtp_packet_info info;
	u8 pkt[BUF_LEN];

	memcpy(pkt, k->pkt, k->len);
	return receive_one(pair, pkt, k->len, seq, 0x6666, &info);
}

/*
 * Each context's replay rings are sized to its window (srtp_ctx_size(),
 * allocated exactly, so ASan sees a ring overrun). For windows on and
 * around word boundaries, at every step of 3 W + 7 packets (the rings wrap
 * several times): the packet W - 1 behind the top is a replay and the one
 * W behind is too old. Then a packet never received, W - 1 behind, is
 * taken once, though an older packet used its bit.
 */
static void every_window_size_holds_its_window(void)
{
	static const u16 windows[] = { 64, 65, 100, 127, 128, 129, 1000,
				       1023, 1024 };
	struct srtp_packet_info info;
	struct pair pair;
	struct kept *kept, late;
	u64 index;

	for (unsigned int i = 0; i < sizeof(windows) / sizeof(*windows); i++) {
		u16 w = windows[i], top = 3 * w + 7, seq;

		kept = calloc(top + 1, sizeof(*kept));
		pair_init(&pair, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, w);
		for (seq = 1; seq <= top; seq++) {
			kept[seq].len = send_one(&pair, kept[seq].pkt, seq,
						 0x6666, &info);
			CHECK(!receive_kept(&pair, &kept[seq], seq),
			      "window %u seq %u", w, seq);
			if (seq >= w)
				CHECK(receive_kept(&pair, &kept[seq - w + 1],
						   seq - w + 1) ==
				      -SRTP_ERR_REPLAY,
				      "window %u top %u: W - 1 behind", w, seq);
			if (seq > w)
				CHECK(receive_kept(&pair, &kept[seq - w],
						   seq - w) ==
				      -SRTP_ERR_TOO_OLD,
				      "window %u top %u: W behind", w, seq);
		}
		late.len = send_one(&pair, late.pkt, top + 1, 0x6666, &info);
		for (seq = top + 2; seq <= top + w; seq++)
			CHECK(!relay_one(&pair, seq, 0x6666, &index),
			      "window %u seq %u", w, seq);
		CHECK(!receive_kept(&pair, &late, top + 1),
		      "window %u: never received, W - 1 behind", w);
		CHECK(receive_kept(&pair, &late, top + 1) == -SRTP_ERR_REPLAY,
		      "window %u: its replay", w);
		pair_free(&pair);
		free(kept);
	}
}

/* A receiving context of @window carrying @pair's state (same key). */
static void pair_change_window(struct pair *pair, u16 window)
{
	struct srtp_params params;
	struct srtp_ctx *rx;

	params_for(&params, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 42);
	params.replay_window = window;
	rx = calloc(1, srtp_ctx_size(&params));
	CHECK(rx && !srtp_ctx_init(rx, &params), "init");
	CHECK(srtp_ctx_same_key(pair->rx, &params), "same key");
	srtp_ctx_copy_state(rx, pair->rx);
	srtp_ctx_wipe(pair->rx);
	free(pair->rx);
	pair->rx = rx;
}

/*
 * An update that changes only the window keeps what was received: the
 * newest indices carry over to a smaller ring; growing it, those behind
 * the old window stay refused (the old ring no longer says which came).
 */
static void window_change_keeps_received_indices(void)
{
	u8 seen[BUF_LEN], held[BUF_LEN], older[BUF_LEN];
	unsigned int seen_len = 0, held_len = 0, older_len = 0;
	struct srtp_packet_info info;
	struct pair pair;
	u64 index;

	for (int grow = 0; grow <= 1; grow++) {
		pair_init(&pair, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80,
			  grow ? 64 : 1024);
		for (u16 seq = 1; seq <= 2000; seq++) {
			unsigned int len;
			u8 pkt[BUF_LEN];

			len = send_one(&pair, pkt, seq, 0x7777, &info);
			if (seq == 1999) {
				memcpy(seen, pkt, len);
				seen_len = len;
			}
			if (seq == 1900) {
				memcpy(older, pkt, len);
				older_len = len;
			} else if (seq == 1990) {
				memcpy(held, pkt, len);
				held_len = len;
			} else {
				CHECK(!receive_one(&pair, pkt, len, seq,
						   0x7777, &info), "%u", seq);
			}
		}
		pair_change_window(&pair, grow ? 1024 : 64);
		CHECK(receive_one(&pair, seen, seen_len, 1999, 0x7777,
				  &info) == -SRTP_ERR_REPLAY,
		      "grow %d: received before", grow);
		CHECK(!receive_one(&pair, held, held_len, 1990, 0x7777,
				   &info), "grow %d: never received", grow);
		CHECK(receive_one(&pair, older, older_len, 1900, 0x7777,
				  &info) == (grow ? -SRTP_ERR_REPLAY :
						    -SRTP_ERR_TOO_OLD),
		      "grow %d: 100 behind", grow);
		CHECK(!relay_one(&pair, 2001, 0x7777, &index), "grow %d: next",
		      grow);
		pair_free(&pair);
	}
}

static void any_flipped_bit_rejected(void)
{
	struct srtp_packet_info info;
	struct pair pair;
	u8 pkt[BUF_LEN], flipped[BUF_LEN];
	unsigned int len, bit, rejected = 0, auth = 0;
	u64 index;

	pair_init(&pair, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	CHECK(!relay_one(&pair, 500, 0x6666, &index), "prime");
	len = send_one(&pair, pkt, 501, 0x6666, &info);
	for (bit = 0; bit < len * 8; bit++) {
		unsigned int flipped_len = len;
		int ret;

		memcpy(flipped, pkt, len);
		flipped[bit / 8] ^= 1 << (bit % 8);
		ret = srtp_ctx_unprotect(pair.rx, flipped, &flipped_len, &info);
		rejected += ret != 0;
		/* Past the fixed header only the tag can catch it. */
		if (bit >= 12 * 8)
			auth += ret == -SRTP_ERR_AUTH;
	}
	CHECK(rejected == len * 8, "%u of %u flips rejected", rejected,
	      len * 8);
	CHECK(auth == (len - 12) * 8, "%u payload/tag flips fail auth", auth);
	CHECK(!receive_one(&pair, pkt, len, 501, 0x6666, &info),
	      "untampered packet still accepted");
	pair_free(&pair);
}

static void wrong_key_fails_auth(void)
{
	struct srtp_params params;
	struct srtp_packet_info info;
	struct srtp_ctx *other = calloc(1, SRTP_CTX_SIZE_MAX);
	struct pair pair;
	u8 pkt[BUF_LEN];
	unsigned int len;

	pair_init(&pair, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	params_for(&params, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 43);
	CHECK(!srtp_ctx_init(other, &params), "init");
	len = send_one(&pair, pkt, 1, 0x7777, &info);
	CHECK(srtp_ctx_unprotect(other, pkt, &len, &info) == -SRTP_ERR_AUTH,
	      "auth");
	srtp_ctx_wipe(other);
	free(other);
	pair_free(&pair);
}

static void mki_carried_and_checked(void)
{
	struct srtp_params params;
	struct srtp_packet_info info;
	struct srtp_ctx *tx = calloc(1, SRTP_CTX_SIZE_MAX);
	struct srtp_ctx *rx = calloc(1, SRTP_CTX_SIZE_MAX);
	u8 pkt[BUF_LEN];
	unsigned int len, plain_len;

	params_for(&params, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32, 9);
	params.mki_len = 4;
	memcpy(params.mki, "\x00\x00\x00\x01", 4);
	CHECK(!srtp_ctx_init(tx, &params) && !srtp_ctx_init(rx, &params),
	      "init");
	plain_len = len = make_rtp(pkt, 7, 0x8888, 20);
	CHECK(!srtp_ctx_protect(tx, pkt, &len, BUF_LEN, &info), "protect");
	CHECK(len == plain_len + 4 + 4, "MKI and 32-bit tag appended");
	CHECK(!memcmp(pkt + plain_len, "\x00\x00\x00\x01", 4), "MKI value");
	pkt[plain_len + 3] = 2;
	CHECK(srtp_ctx_unprotect(rx, pkt, &len, &info) == -SRTP_ERR_MKI, "MKI");
	pkt[plain_len + 3] = 1;
	CHECK(!srtp_ctx_unprotect(rx, pkt, &len, &info) && len == plain_len,
	      "right MKI accepted");
	srtp_ctx_wipe(tx);
	srtp_ctx_wipe(rx);
	free(tx);
	free(rx);
}

static void srtcp_roundtrip_index_and_replay(void)
{
	struct srtp_packet_info info;
	struct pair pair;
	u8 pkt[BUF_LEN], plain[64], copy[BUF_LEN];
	unsigned int len;

	pair_init(&pair, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32, 0);
	memset(plain, 0xab, sizeof(plain));
	plain[0] = 0x80;
	plain[1] = 200;	/* SR */
	put_unaligned_be32(0x9999, plain + 4);
	for (u32 n = 0; n < 3; n++) {
		memcpy(pkt, plain, sizeof(plain));
		len = sizeof(plain);
		CHECK(!srtp_ctx_protect_rtcp(pair.tx, pkt, &len, BUF_LEN, &info),
		      "protect");
		CHECK(info.index == n, "SRTCP index %llu",
		      (unsigned long long)info.index);
		CHECK(len == sizeof(plain) + 4 + 10, "80-bit tag for _32 suite");
		CHECK(pkt[sizeof(plain)] & 0x80, "E flag");
		CHECK(memcmp(pkt + 8, plain + 8, sizeof(plain) - 8),
		      "encrypted");
		memcpy(copy, pkt, len);
		CHECK(!srtp_ctx_unprotect_rtcp(pair.rx, pkt, &len, &info) &&
		      len == sizeof(plain) && !memcmp(pkt, plain, len),
		      "unprotect");
	}
	len = sizeof(plain) + 14;
	CHECK(srtp_ctx_unprotect_rtcp(pair.rx, copy, &len, &info) == -SRTP_ERR_REPLAY,
	      "SRTCP replay");
	pair_free(&pair);
}

/* RFC 3711 3.2.3: a new SSRC gets its own ROC; the old one resumes. */
static void ssrc_change_and_back_keeps_roc(void)
{
	struct pair pair;
	u64 index;

	pair_init(&pair, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	for (u32 n = 65534; n < 65540; n++)
		CHECK(!relay_one(&pair, (u16)n, 0xa, &index), "A %u", n);
	for (u16 seq = 9000; seq < 9005; seq++) {
		CHECK(!relay_one(&pair, seq, 0xb, &index), "B %u", seq);
		CHECK(index == seq, "B index %llu", (unsigned long long)index);
	}
	for (u32 n = 65540; n < 65545; n++) {
		CHECK(!relay_one(&pair, (u16)n, 0xa, &index), "A again %u", n);
		CHECK(index == n, "A resumes ROC 1: %llu",
		      (unsigned long long)index);
	}
	pair_free(&pair);
}

/* Forged packets with random SSRCs must not push out a real sender. */
static void forged_ssrcs_do_not_evict_state(void)
{
	struct srtp_packet_info info;
	struct pair pair;
	u8 pkt[BUF_LEN];
	u64 index;

	pair_init(&pair, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 0);
	for (u32 n = 65530; n < 65540; n++)
		CHECK(!relay_one(&pair, (u16)n, 0xc, &index), "C %u", n);
	for (u32 ssrc = 100; ssrc < 120; ssrc++) {
		unsigned int len = make_rtp(pkt, 1, ssrc, 160);

		len += 10;
		CHECK(srtp_ctx_unprotect(pair.rx, pkt, &len, &info) ==
		      -SRTP_ERR_AUTH, "forged %u", ssrc);
	}
	CHECK(!relay_one(&pair, 4, 0xc, &index) && index == 65540,
	      "C keeps ROC 1");
	pair_free(&pair);
}

static void rekey_detection(void)
{
	struct srtp_params params, changed;
	struct srtp_ctx *ctx = calloc(1, SRTP_CTX_SIZE_MAX);

	params_for(&params, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 1);
	CHECK(!srtp_ctx_init(ctx, &params), "init");
	CHECK(srtp_ctx_same_key(ctx, &params), "same");
	changed = params;
	changed.master_key[15] ^= 1;
	CHECK(!srtp_ctx_same_key(ctx, &changed), "key");
	changed = params;
	changed.suite = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32;
	CHECK(!srtp_ctx_same_key(ctx, &changed), "suite");
	changed = params;
	changed.replay_window = 512;
	CHECK(srtp_ctx_same_key(ctx, &changed), "window is not a rekey");
	srtp_ctx_wipe(ctx);
	free(ctx);
}

static void bad_params_and_packets_refused(void)
{
	struct srtp_params params;
	struct srtp_packet_info info;
	struct srtp_ctx *ctx = calloc(1, SRTP_CTX_SIZE_MAX);
	u8 pkt[BUF_LEN];
	unsigned int len;

	params_for(&params, 7, 1);
	CHECK(srtp_ctx_init(ctx, &params) == -EINVAL, "suite");
	params_for(&params, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, 1);
	params.replay_window = 32;
	CHECK(srtp_ctx_init(ctx, &params) == -EINVAL, "window");
	params.replay_window = 0;
	params.mki_len = 5;
	CHECK(srtp_ctx_init(ctx, &params) == -EINVAL, "MKI length");
	params.mki_len = 0;
	CHECK(!srtp_ctx_init(ctx, &params), "init");

	len = 11;
	CHECK(srtp_ctx_unprotect(ctx, pkt, &len, &info) == -SRTP_ERR_MALFORMED,
	      "short");
	len = make_rtp(pkt, 1, 1, 0);
	pkt[0] = 0x8f;	/* 15 CSRCs, none present */
	len += 10;
	CHECK(srtp_ctx_unprotect(ctx, pkt, &len, &info) == -SRTP_ERR_MALFORMED,
	      "CSRCs past the end");
	len = make_rtp(pkt, 1, 1, 8);
	pkt[0] = 0x90;	/* extension of 0xffff words */
	pkt[14] = 0xff, pkt[15] = 0xff;
	len += 10;
	CHECK(srtp_ctx_unprotect(ctx, pkt, &len, &info) == -SRTP_ERR_MALFORMED,
	      "extension past the end");
	len = make_rtp(pkt, 1, 1, 160);
	CHECK(srtp_ctx_protect(ctx, pkt, &len, len + 9, &info) ==
	      -SRTP_ERR_NOSPACE, "no room for tag");
	srtp_ctx_wipe(ctx);
	free(ctx);
}

int main(void)
{
	RUN(rfc3711_b2_aes_cm_keystream,
	    "AES-CM keystream blocks 0-2 and 0xfeff-0xff01 equal RFC 3711 B.2");
	RUN(rfc3711_b3_key_derivation,
	    "session key, salt and auth key of RFC 3711 B.3 drive protect");
	RUN(seq_wrap_raises_roc_in_order,
	    "65530..65535,0..5: index continues, ROC 1 on sender and receiver");
	RUN(seq_wrap_reordered_packet_keeps_roc,
	    "65535 arriving after 0 is placed at ROC 0 by both sides");
	RUN(replay_rejected_then_context_works,
	    "a replayed packet gets REPLAY; the next one is accepted");
	RUN(older_than_window_rejected,
	    "packets behind a 64-packet window get TOO_OLD");
	RUN(window_1024_accepts_late_packet_once,
	    "a 1024 window takes a packet 1000 late, then rejects its replay");
	RUN(every_window_size_holds_its_window,
	    "windows of 64..1024 in rings of their size: W-1 behind taken once, W too old");
	RUN(window_change_keeps_received_indices,
	    "a window change keeps received indices; growing refuses the ones behind the old");
	RUN(any_flipped_bit_rejected,
	    "every single-bit flip of a 182-byte packet is rejected");
	RUN(wrong_key_fails_auth, "another master key gets AUTH");
	RUN(mki_carried_and_checked, "4-byte MKI appended, a wrong MKI gets MKI");
	RUN(srtcp_roundtrip_index_and_replay,
	    "SRTCP: E flag, index 0,1,2, 80-bit tag, replay rejected");
	RUN(ssrc_change_and_back_keeps_roc,
	    "SSRC A (ROC 1) -> B -> A resumes ROC 1");
	RUN(forged_ssrcs_do_not_evict_state,
	    "20 unauthenticated SSRCs leave the real sender's ROC intact");
	RUN(rekey_detection, "key/suite change is a rekey, window change is not");
	RUN(bad_params_and_packets_refused,
	    "bad suite/window/MKI, truncated headers, no room: refused");
	return testing_summary();
}
