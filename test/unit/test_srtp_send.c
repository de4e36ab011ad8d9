// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The send side of the SRTP core (kmod/srtp.c) on a plain -> SRTP stream:
 * the relay takes plain RTP from anyone on the plain leg and encrypts it,
 * so the input chooses the SSRC, the sequence number and the plaintext.
 * A (SSRC, index) sent twice under one key is two plaintexts under one
 * keystream: the XOR of the ciphertexts is the XOR of the plaintexts, and
 * a chosen plaintext reveals the keystream of the real sender's packet.
 * libsrtp2 (an independent implementation, allow_repeat_tx off) is the
 * receiver that says whether what we sent is what a peer accepts.
 */
#include <stdlib.h>
#include <srtp2/srtp.h>

#include "srtp.h"
#include "testing.h"

#define BUF_LEN 1600
#define PAYLOAD 160

/* One direction of a relay: plain in, SRTP out, libsrtp2 receiving. */
struct relay {
	struct srtp_ctx *in;	/* SRTPRELAY_SUITE_NONE: the plain leg */
	struct srtp_ctx *out;
	srtp_t peer;		/* the SRTP leg's endpoint */
	u8 key_salt[30];
};

static void relay_init(struct relay *r, u32 suite)
{
	struct srtp_params params;
	srtp_policy_t policy;

	memset(r, 0, sizeof(*r));
	for (unsigned int i = 0; i < sizeof(r->key_salt); i++)
		r->key_salt[i] = (u8)(0x5a ^ (i * 11));
	memset(&params, 0, sizeof(params));
	params.suite = SRTPRELAY_SUITE_NONE;
	r->in = calloc(1, srtp_ctx_size(&params));
	r->out = calloc(1, srtp_ctx_size(&params));
	CHECK(!srtp_ctx_init(r->in, &params), "plain in");
	params.suite = suite;
	memcpy(params.master_key, r->key_salt, 16);
	memcpy(params.master_salt, r->key_salt + 16, 14);
	CHECK(!srtp_ctx_init(r->out, &params), "SRTP out");

	memset(&policy, 0, sizeof(policy));
	if (suite == SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32)
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
	else
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
	policy.ssrc.type = ssrc_any_inbound;
	policy.window_size = 128;
	policy.key = r->key_salt;
	CHECK(srtp_create(&r->peer, &policy) == srtp_err_status_ok, "peer");
}

static void relay_free(struct relay *r)
{
	srtp_dealloc(r->peer);
	srtp_ctx_wipe(r->in);
	srtp_ctx_wipe(r->out);
	free(r->in);
	free(r->out);
}

/* Plain RTP whose payload is @fill: the attacker's chosen plaintext. */
static unsigned int make_rtp(u8 *pkt, u16 seq, u32 ssrc, u8 fill)
{
	memset(pkt, 0, BUF_LEN);
	pkt[0] = 0x80;
	pkt[2] = seq >> 8;
	pkt[3] = (u8)seq;
	put_unaligned_be32(seq * 160U, pkt + 4);
	put_unaligned_be32(ssrc, pkt + 8);
	memset(pkt + 12, fill, PAYLOAD);
	return 12 + PAYLOAD;
}

/*
 * What the module and the datapath do with one packet from the plain leg:
 * unprotect (plain: header and replay check), then protect. Returns the
 * first failure; the SRTP packet is left in @pkt.
 */
static int relay_rtp(struct relay *r, u8 *pkt, unsigned int *len, u16 seq,
		     u32 ssrc, u8 fill, u64 *index)
{
	struct srtp_packet_info info;
	int ret;

	*len = make_rtp(pkt, seq, ssrc, fill);
	ret = srtp_ctx_unprotect(r->in, pkt, len, &info);
	if (!ret)
		ret = srtp_ctx_protect(r->out, pkt, len, BUF_LEN, &info);
	if (index)
		*index = info.index;
	return ret;
}

/* The sending context alone, as if the input had no window of its own. */
static int send_rtp(struct relay *r, u8 *pkt, unsigned int *len, u16 seq,
		    u32 ssrc, u8 fill)
{
	struct srtp_packet_info info;

	*len = make_rtp(pkt, seq, ssrc, fill);
	return srtp_ctx_protect(r->out, pkt, len, BUF_LEN, &info);
}

/* Relays and has libsrtp2 receive it; true when the peer accepted it. */
static bool relay_to_peer(struct relay *r, u16 seq, u32 ssrc)
{
	u8 pkt[BUF_LEN];
	unsigned int len;
	int lib_len;

	if (relay_rtp(r, pkt, &len, seq, ssrc, 0x11, NULL))
		return false;
	lib_len = (int)len;
	return srtp_unprotect(r->peer, pkt, &lib_len) == srtp_err_status_ok;
}

/* Both ciphertexts XORed give the plaintexts XORed: keystream reused. */
static bool keystream_reused(const u8 *a, const u8 *b)
{
	for (unsigned int i = 12; i < 12 + PAYLOAD; i++)
		if ((a[i] ^ b[i]) != (0x11 ^ 0x00))
			return false;
	return true;
}

/*
 * Plain packets with SSRCs of the stranger's choosing, one each. Returns
 * how many the sending context refused as keystream reuse.
 */
static unsigned int flood_ssrcs(struct relay *r, unsigned int count, bool rtcp)
{
	unsigned int len, refused = 0;
	u8 pkt[BUF_LEN];

	for (u32 ssrc = 0xbad00000; ssrc < 0xbad00000 + count; ssrc++) {
		struct srtp_packet_info info;
		int ret;

		if (rtcp) {
			memset(pkt, 0, 64);
			pkt[0] = 0x80, pkt[1] = 200;
			put_unaligned_be32(ssrc, pkt + 4);
			len = 64;
			ret = srtp_ctx_protect_rtcp(r->out, pkt, &len, BUF_LEN,
						    &info);
		} else {
			ret = relay_rtp(r, pkt, &len, 7, ssrc, 0, NULL);
		}
		refused += ret == -SRTP_ERR_TX_REFUSED;
	}
	return refused;
}

/*
 * The same (SSRC, index) twice, the second copy with the stranger's
 * all-zero payload: once into the sending context directly, once through
 * the whole relay with forged SSRCs in between to push the plain leg's
 * replay state out (a plain leg authenticates nothing).
 */
static void same_index_twice_leaves_once(u32 suite)
{
	u8 first[BUF_LEN], second[BUF_LEN];
	unsigned int first_len, second_len;
	struct relay r;
	int ret;

	relay_init(&r, suite);
	CHECK(!send_rtp(&r, first, &first_len, 100, 0x1234, 0x11), "first");
	ret = send_rtp(&r, second, &second_len, 100, 0x1234, 0x00);
	CHECK(ret < 0, "protect encrypted the same (SSRC, index) again%s",
	      !ret && keystream_reused(first, second) ?
	      ": ciphertext XOR = plaintext XOR, keystream reused" : "");
	CHECK(ret == -SRTP_ERR_TX_REFUSED &&
	      srtp_status_stat(ret) == SRTPRELAY_STAT_TX_REFUSED,
	      "refused as %s, counted as %d", srtp_status_name(ret),
	      srtp_status_stat(ret));

	CHECK(!relay_rtp(&r, first, &first_len, 200, 0x1234, 0x11, NULL),
	      "relay 200");
	flood_ssrcs(&r, 3 * SRTPRELAY_MAX_SSRC_PER_STREAM, false);
	ret = relay_rtp(&r, second, &second_len, 200, 0x1234, 0x00, NULL);
	CHECK(ret < 0, "after a forged-SSRC flood the relay sent 200 again%s",
	      !ret && keystream_reused(first, second) ?
	      ": ciphertext XOR = plaintext XOR, keystream reused" : "");
	CHECK(relay_to_peer(&r, 201, 0x1234), "the next packet goes through");
	relay_free(&r);
}

static void sha1_80_same_index_twice(void)
{
	same_index_twice_leaves_once(SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80);
}

static void sha1_32_same_index_twice(void)
{
	same_index_twice_leaves_once(SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32);
}

/* Input may come out of order: a late packet goes once, a repeat never. */
static void late_packet_once_repeat_never(void)
{
	static const u16 order[] = { 100, 101, 103, 104, 102, 99, 110 };
	static const u16 repeats[] = { 102, 99, 110, 100 };
	struct relay r;

	relay_init(&r, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80);
	for (unsigned int i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		CHECK(relay_to_peer(&r, order[i], 0x42), "seq %u", order[i]);
	for (unsigned int i = 0; i < sizeof(repeats) / sizeof(repeats[0]); i++) {
		u8 pkt[BUF_LEN];
		unsigned int len;

		CHECK(send_rtp(&r, pkt, &len, repeats[i], 0x42, 0) < 0,
		      "repeat of seq %u sent", repeats[i]);
	}
	CHECK(relay_to_peer(&r, 111, 0x42), "seq 111 after the repeats");
	relay_free(&r);
}

/* Behind the sent window nothing tells sent from not sent: refused. */
static void behind_sent_window_refused(void)
{
	u8 pkt[BUF_LEN];
	unsigned int len;
	struct relay r;

	relay_init(&r, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80);
	CHECK(relay_to_peer(&r, 1000, 0x77), "1000");
	CHECK(relay_to_peer(&r, 1200, 0x77), "1200");
	CHECK(relay_to_peer(&r, 1100, 0x77), "1100, 100 late, in the window");
	CHECK(send_rtp(&r, pkt, &len, 1000, 0x77, 0) < 0,
	      "1000 again, 200 behind a window of 128, sent");
	CHECK(send_rtp(&r, pkt, &len, 1050, 0x77, 0) < 0,
	      "1050, 150 behind a window of 128, sent");
	relay_free(&r);
}

/*
 * The real sender crossed the sequence wrap (ROC 1). Forged SSRCs, more
 * than there are slots, must not push its output state out: it keeps
 * ROC 1 for libsrtp2, and its old index (ROC 0, 65535) stays spent.
 */
static void forged_ssrc_flood_keeps_roc_and_index(void)
{
	u8 pkt[BUF_LEN];
	unsigned int len;
	struct relay r;
	u64 index = 0;
	int ret;

	relay_init(&r, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80);
	for (u32 n = 65520; n < 65536 + 10; n++)
		CHECK(relay_to_peer(&r, (u16)n, 0xcafe), "real %u", n);
	CHECK(flood_ssrcs(&r, 3 * SRTPRELAY_MAX_SSRC_PER_STREAM, false) ==
	      2 * SRTPRELAY_MAX_SSRC_PER_STREAM + 1,
	      "the forged SSRCs past the free slots are refused");
	ret = relay_rtp(&r, pkt, &len, 65535, 0xcafe, 0, &index);
	CHECK(ret < 0, "a second packet at index %llu (ROC %llu, seq 65535)",
	      (unsigned long long)index, (unsigned long long)(index >> 16));
	for (u16 seq = 10; seq < 20; seq++)
		CHECK(relay_to_peer(&r, seq, 0xcafe),
		      "real seq %u at ROC 1 after the flood", seq);
	relay_free(&r);
}

/* The same for SRTCP: the real sender's SRTCP index never starts over. */
static void forged_ssrc_flood_keeps_srtcp_index(void)
{
	struct srtp_packet_info info;
	u8 pkt[BUF_LEN];
	unsigned int len;
	struct relay r;
	int lib_len;

	relay_init(&r, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80);
	for (u32 n = 0; n < 6; n++) {
		memset(pkt, 0, 64);
		pkt[0] = 0x80, pkt[1] = 200;
		put_unaligned_be32(0xcafe, pkt + 4);
		len = 64;
		flood_ssrcs(&r, n == 3 ? 3 * SRTPRELAY_MAX_SSRC_PER_STREAM : 0,
			    true);
		CHECK(!srtp_ctx_protect_rtcp(r.out, pkt, &len, BUF_LEN, &info),
		      "protect %u", n);
		CHECK(info.index == n, "SRTCP index %llu, want %u",
		      (unsigned long long)info.index, n);
		lib_len = (int)len;
		CHECK(srtp_unprotect_rtcp(r.peer, pkt, &lib_len) ==
		      srtp_err_status_ok, "libsrtp2 accepts SRTCP %u", n);
	}
	relay_free(&r);
}

/* At 2^31 SRTCP packets the index would wrap to a used one: refused. */
static void srtcp_index_does_not_wrap(void)
{
	struct srtp_packet_info info;
	u8 pkt[BUF_LEN];
	unsigned int len;
	struct relay r;
	int ret;

	relay_init(&r, SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80);
	for (unsigned int n = 0; n < 3; n++) {
		memset(pkt, 0, 64);
		pkt[0] = 0x80, pkt[1] = 200;
		put_unaligned_be32(0xcafe, pkt + 4);
		len = 64;
		if (n == 1)
			r.out->ssrc[0].rtcp_tx_index = 0x7fffffff;
		ret = srtp_ctx_protect_rtcp(r.out, pkt, &len, BUF_LEN, &info);
		CHECK(!ret == (n < 2), "packet %u: status %d, SRTCP index %llu",
		      n, ret, (unsigned long long)info.index);
	}
	relay_free(&r);
}

/* A plain output has no keystream: repeats are relayed as before. */
static void plain_output_relays_repeats(void)
{
	struct srtp_packet_info info;
	struct srtp_params params;
	struct srtp_ctx *out = calloc(1, SRTP_CTX_SIZE_MAX);
	u8 pkt[BUF_LEN];
	unsigned int len;

	memset(&params, 0, sizeof(params));
	CHECK(!srtp_ctx_init(out, &params), "plain out");
	for (unsigned int n = 0; n < 2; n++) {
		len = make_rtp(pkt, 5, 0x99, 0);
		CHECK(!srtp_ctx_protect(out, pkt, &len, BUF_LEN, &info),
		      "copy %u", n);
	}
	srtp_ctx_wipe(out);
	free(out);
}

int main(void)
{
	if (srtp_init() != srtp_err_status_ok) {
		printf("libsrtp2 init failed\n");
		return 1;
	}
	RUN(sha1_80_same_index_twice,
	    "_80: one (SSRC, index) twice, alone or after a forged flood: sent once");
	RUN(sha1_32_same_index_twice,
	    "_32: one (SSRC, index) twice, alone or after a forged flood: sent once");
	RUN(late_packet_once_repeat_never,
	    "100 101 103 104 102 99 110 all go; 102 99 110 100 again do not");
	RUN(behind_sent_window_refused,
	    "1100 after 1200 goes (in the window); 1000 and 1050 do not");
	RUN(forged_ssrc_flood_keeps_roc_and_index,
	    "12 forged SSRCs, 9 find no slot: the real one keeps ROC 1, (0, 65535) stays spent");
	RUN(forged_ssrc_flood_keeps_srtcp_index,
	    "12 forged SSRCs between SRTCP 2 and 3: indices 0..5, libsrtp2 takes all");
	RUN(srtcp_index_does_not_wrap,
	    "SRTCP index 2^31 - 1 is sent, the next (a wrap to 0) is not");
	RUN(plain_output_relays_repeats,
	    "a plain output sends a repeated packet again (no keystream)");
	srtp_shutdown();
	return testing_summary();
}
