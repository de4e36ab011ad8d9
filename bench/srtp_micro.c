// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ns per packet for a 160-byte G.711 payload: protect, unprotect, and
 * unprotect + protect as a relay does, for our SRTP core, for Debian's
 * libsrtp2, and for the floor of each suite: OpenSSL AES-CTR over the
 * payload plus HMAC-SHA1 resumed from precomputed inner/outer states for
 * the AES-CM suites, OpenSSL EVP AES-GCM over the payload with the header
 * as AAD for AEAD; no SRTP logic. All three run in this process, on the
 * same packets, one after another, suite by suite.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <srtp2/srtp.h>

#include "relay_netlink.h"
#include "sdes_libsrtp.h"
#include "srtp.h"

#define PAYLOAD 160
#define HEADER 12
#define BUF_LEN 256
#define KEY_SALT_MAX 46

static unsigned int iterations = 2000000;

struct result {
	double protect, unprotect, relay;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static unsigned int make_rtp(u8 *pkt, u32 n)
{
	memset(pkt, 0, BUF_LEN);
	pkt[0] = 0x80;
	pkt[2] = (u8)(n >> 8);
	pkt[3] = (u8)n;
	put_unaligned_be32(n * 160, pkt + 4);
	put_unaligned_be32(0x11223344, pkt + 8);
	for (unsigned int i = 0; i < PAYLOAD; i++)
		pkt[HEADER + i] = (u8)(i ^ n);
	return HEADER + PAYLOAD;
}

/* Per-packet setup every implementation pays alike: copy, new sequence. */
static u8 template_packet[BUF_LEN];

static unsigned int next_rtp(u8 *pkt, u32 n)
{
	memcpy(pkt, template_packet, HEADER + PAYLOAD);
	pkt[2] = (u8)(n >> 8);
	pkt[3] = (u8)n;
	return HEADER + PAYLOAD;
}

static void fill_key(u8 *key_salt, u8 seed)
{
	for (unsigned int i = 0; i < KEY_SALT_MAX; i++)
		key_salt[i] = (u8)(seed + 17 * i);
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

/* The suite being measured: an index into suites[]. */
static unsigned int cur;

static unsigned int srtp_len(void)
{
	return HEADER + PAYLOAD + srtp_suite_info(suites[cur]).rtp_tag_len;
}

/* ---- our core ---- */

static struct srtp_ctx *our_ctx(u8 seed)
{
	struct srtp_params params = {
		.suite = suites[cur],
		.replay_window = 128,
	};
	struct srtp_ctx *ctx = calloc(1, srtp_ctx_size(&params));
	struct srtp_suite_info info = srtp_suite_info(params.suite);
	u8 key_salt[KEY_SALT_MAX];

	fill_key(key_salt, seed);
	memcpy(params.master_key, key_salt, info.key_len);
	memcpy(params.master_salt, key_salt + info.key_len, info.salt_len);
	if (!ctx || srtp_ctx_init(ctx, &params)) {
		fprintf(stderr, "srtp_ctx_init failed\n");
		exit(1);
	}
	return ctx;
}

static int our_protect(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len)
{
	struct srtp_packet_info info;

	return srtp_ctx_protect(ctx, pkt, len, BUF_LEN, &info);
}

static int our_unprotect(struct srtp_ctx *ctx, u8 *pkt, unsigned int *len)
{
	struct srtp_packet_info info;

	return srtp_ctx_unprotect(ctx, pkt, len, &info);
}

static struct result bench_ours(u8 (*packets)[BUF_LEN], unsigned int count)
{
	struct srtp_ctx *tx = our_ctx(1), *rx = our_ctx(1), *relay_out = our_ctx(2);
	struct result result;
	unsigned int len, i;
	u8 pkt[BUF_LEN];
	double start;
	int bad = 0;

	start = now_ns();
	for (i = 0; i < iterations; i++) {
		len = next_rtp(pkt, i);
		bad |= our_protect(tx, pkt, &len);
		if (i < count)
			memcpy(packets[i], pkt, len);
	}
	result.protect = (now_ns() - start) / iterations;

	/* Unprotect the packets just made (cycled: replay window reset). */
	start = now_ns();
	for (i = 0; i < count; i++) {
		len = srtp_len();
		memcpy(pkt, packets[i], len);
		bad |= our_unprotect(rx, pkt, &len);
	}
	result.unprotect = (now_ns() - start) / count;

	srtp_ctx_wipe(rx);
	rx = our_ctx(1);
	start = now_ns();
	for (i = 0; i < count; i++) {
		len = srtp_len();
		memcpy(pkt, packets[i], len);
		bad |= our_unprotect(rx, pkt, &len);
		bad |= our_protect(relay_out, pkt, &len);
	}
	result.relay = (now_ns() - start) / count;
	if (bad)
		fprintf(stderr, "our core reported an error\n");
	srtp_ctx_wipe(tx);
	srtp_ctx_wipe(rx);
	srtp_ctx_wipe(relay_out);
	free(tx);
	free(rx);
	free(relay_out);
	return result;
}

/* ---- libsrtp2 ---- */

static srtp_t lib_session(u8 seed, int direction)
{
	srtp_policy_t policy;
	u8 key_salt[KEY_SALT_MAX];
	srtp_t session;

	fill_key(key_salt, seed);
	memset(&policy, 0, sizeof(policy));
	libsrtp_policy_set_suite(suites[cur], &policy);
	policy.ssrc.type = direction;
	policy.key = key_salt;
	policy.window_size = 128;
	if (srtp_create(&session, &policy) != srtp_err_status_ok) {
		fprintf(stderr, "srtp_create failed\n");
		exit(1);
	}
	return session;
}

static struct result bench_libsrtp2(u8 (*packets)[BUF_LEN], unsigned int count)
{
	srtp_t tx = lib_session(1, ssrc_any_outbound);
	srtp_t rx = lib_session(1, ssrc_any_inbound);
	srtp_t relay_out = lib_session(2, ssrc_any_outbound);
	struct result result;
	unsigned int i;
	u8 pkt[BUF_LEN];
	double start;
	int len, bad = 0;

	start = now_ns();
	for (i = 0; i < count; i++) {
		len = (int)next_rtp(pkt, i);
		bad |= srtp_protect(tx, pkt, &len);
	}
	result.protect = (now_ns() - start) / count;

	start = now_ns();
	for (i = 0; i < count; i++) {
		len = srtp_len();
		memcpy(pkt, packets[i], len);
		bad |= srtp_unprotect(rx, pkt, &len);
	}
	result.unprotect = (now_ns() - start) / count;

	srtp_dealloc(rx);
	rx = lib_session(1, ssrc_any_inbound);
	start = now_ns();
	for (i = 0; i < count; i++) {
		len = srtp_len();
		memcpy(pkt, packets[i], len);
		bad |= srtp_unprotect(rx, pkt, &len);
		bad |= srtp_protect(relay_out, pkt, &len);
	}
	result.relay = (now_ns() - start) / count;
	if (bad)
		fprintf(stderr, "libsrtp2 reported an error\n");
	srtp_dealloc(tx);
	srtp_dealloc(rx);
	srtp_dealloc(relay_out);
	return result;
}

/* ---- the floor: the suite's cipher and MAC, and nothing else ---- */

struct floor_keys {
	EVP_CIPHER_CTX *aes;	/* AES-CTR, or AES-GCM for AEAD */
	SHA_CTX inner, outer;
};

static void floor_init(struct floor_keys *keys, u8 seed)
{
	struct srtp_suite_info info = srtp_suite_info(suites[cur]);
	const EVP_CIPHER *cipher;
	u8 key[32], block[64];

	if (info.aead)
		cipher = info.key_len == 32 ? EVP_aes_256_gcm() : EVP_aes_128_gcm();
	else
		cipher = info.key_len == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr();
	for (unsigned int i = 0; i < sizeof(key); i++)
		key[i] = (u8)(seed * 7 + i);
	keys->aes = EVP_CIPHER_CTX_new();
	EVP_EncryptInit_ex(keys->aes, cipher, NULL, key, NULL);
	memset(block, 0x36 ^ seed, sizeof(block));
	SHA1_Init(&keys->inner);
	SHA1_Update(&keys->inner, block, sizeof(block));
	memset(block, 0x5c ^ seed, sizeof(block));
	SHA1_Init(&keys->outer);
	SHA1_Update(&keys->outer, block, sizeof(block));
}

static void floor_gcm(struct floor_keys *keys, u8 *pkt, u32 n)
{
	u8 iv[12] = { 0 };
	int out_len;

	iv[11] = (u8)n;
	EVP_EncryptInit_ex(keys->aes, NULL, NULL, NULL, iv);
	EVP_EncryptUpdate(keys->aes, NULL, &out_len, pkt, HEADER);
	EVP_EncryptUpdate(keys->aes, pkt + HEADER, &out_len, pkt + HEADER,
			  PAYLOAD);
	EVP_EncryptFinal_ex(keys->aes, pkt + HEADER + PAYLOAD, &out_len);
	EVP_CIPHER_CTX_ctrl(keys->aes, EVP_CTRL_AEAD_GET_TAG, 16,
			    pkt + HEADER + PAYLOAD);
}

static void floor_packet(struct floor_keys *keys, u8 *pkt, u32 n)
{
	u8 iv[16] = { 0 }, digest[20];
	SHA_CTX state;
	int out_len;

	if (srtp_suite_info(suites[cur]).aead) {
		floor_gcm(keys, pkt, n);
		return;
	}
	iv[13] = (u8)n;
	EVP_EncryptInit_ex(keys->aes, NULL, NULL, NULL, iv);
	EVP_EncryptUpdate(keys->aes, pkt + HEADER, &out_len, pkt + HEADER,
			  PAYLOAD);
	state = keys->inner;
	SHA1_Update(&state, pkt, HEADER + PAYLOAD + 4);
	SHA1_Final(digest, &state);
	state = keys->outer;
	SHA1_Update(&state, digest, 20);
	SHA1_Final(pkt + HEADER + PAYLOAD, &state);
}

static struct result bench_floor(void)
{
	struct floor_keys a, b;
	struct result result;
	u8 pkt[BUF_LEN];
	double start;
	unsigned int i;

	floor_init(&a, 1);
	floor_init(&b, 2);
	start = now_ns();
	for (i = 0; i < iterations; i++) {
		next_rtp(pkt, i);
		floor_packet(&a, pkt, i);
	}
	result.protect = (now_ns() - start) / iterations;
	result.unprotect = result.protect;	/* same work, other order */
	start = now_ns();
	for (i = 0; i < iterations; i++) {
		next_rtp(pkt, i);
		floor_packet(&a, pkt, i);
		floor_packet(&b, pkt, i);
	}
	result.relay = (now_ns() - start) / iterations;
	EVP_CIPHER_CTX_free(a.aes);
	EVP_CIPHER_CTX_free(b.aes);
	return result;
}

static void print_suite(const struct result *ours, const struct result *lib,
			const struct result *floor)
{
	printf("%-24s %-22s %10.0f %10.0f %10.0f\n", relay_nl_suite_name(suites[cur]),
	       "srtprelay core", ours->protect, ours->unprotect, ours->relay);
	printf("%-24s %-22s %10.0f %10.0f %10.0f\n", "", srtp_get_version_string(),
	       lib->protect, lib->unprotect, lib->relay);
	printf("%-24s %-22s %10.0f %10.0f %10.0f\n", "", "floor",
	       floor->protect, floor->unprotect, floor->relay);
	printf("%-24s %-22s %10.2f %10.2f %10.2f\n", "", "ratio ours/floor",
	       ours->protect / floor->protect, ours->unprotect / floor->unprotect,
	       ours->relay / floor->relay);
	printf("%-24s %-22s %10.2f %10.2f %10.2f\n", "", "ratio libsrtp2/ours",
	       lib->protect / ours->protect, lib->unprotect / ours->unprotect,
	       lib->relay / ours->relay);
}

int main(int argc, char **argv)
{
	struct result ours, lib, floor;
	unsigned int count;
	u8 (*packets)[BUF_LEN];

	if (argc > 1)
		iterations = (unsigned int)strtoul(argv[1], NULL, 10);
	if (iterations < 1000)
		iterations = 1000;
	/* libsrtp2 is ~8x slower: give it fewer packets, same per-packet cost */
	count = iterations / 8 < 65536 ? iterations / 8 : 65536;
	packets = calloc(count, BUF_LEN);
	make_rtp(template_packet, 1);
	if (!packets || srtp_init() != srtp_err_status_ok)
		return 1;

	printf("srtp_micro: every suite, %u-byte payload, ns per packet; floor: AES-CTR+HMAC-SHA1 (AES-CM) or EVP AES-GCM (AEAD)\n",
	       PAYLOAD);
	printf("%-24s %-22s %10s %10s %10s\n", "suite", "implementation",
	       "protect", "unprotect", "relay");
	for (cur = 0; cur < N_SUITES; cur++) {
		floor = bench_floor();
		ours = bench_ours(packets, count);
		lib = bench_libsrtp2(packets, count);
		print_suite(&ours, &lib, &floor);
	}
	free(packets);
	srtp_shutdown();
	return 0;
}
