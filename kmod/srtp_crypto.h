/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The crypto-ops interface under the SRTP core: two primitives, each keyed
 * once per session key so that nothing is re-derived per packet. kmod/crypto.c
 * implements it with the kernel crypto API, libsrtp-glue/crypto_openssl.c with
 * OpenSSL; the core is linked against one or the other.
 */
#ifndef SRTPRELAY_SRTP_CRYPTO_H
#define SRTPRELAY_SRTP_CRYPTO_H

#include "srtp_compat.h"

#define SRTP_AES_KEY_LEN 16
#define SRTP_AES_BLOCK_LEN 16
#define SRTP_SHA1_DIGEST_LEN 20

/* AES-128 in counter mode, keyed (expanded key kept). */
struct srtp_cipher;
/* HMAC-SHA1, keyed (inner and outer states precomputed). */
struct srtp_mac;

/*
 * Allocation may sleep in the kernel: call from process context only. The
 * per-packet calls (xor, compute) are safe in softirq context.
 */
int srtp_cipher_new(struct srtp_cipher **cipher, const u8 key[SRTP_AES_KEY_LEN]);
/* XORs the keystream of the counter blocks starting at @iv into @data. */
int srtp_cipher_xor(struct srtp_cipher *cipher, const u8 iv[SRTP_AES_BLOCK_LEN],
		    u8 *data, unsigned int len);
void srtp_cipher_free(struct srtp_cipher *cipher);

int srtp_mac_new(struct srtp_mac **mac, const u8 *key, unsigned int key_len);
/* HMAC over @data followed by @trailer (the ROC for SRTP; may be empty). */
int srtp_mac_compute(struct srtp_mac *mac, const u8 *data, unsigned int len,
		     const u8 *trailer, unsigned int trailer_len,
		     u8 digest[SRTP_SHA1_DIGEST_LEN]);
void srtp_mac_free(struct srtp_mac *mac);

#endif /* SRTPRELAY_SRTP_CRYPTO_H */
