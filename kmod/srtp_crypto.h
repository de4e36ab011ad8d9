/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The crypto-ops interface under the SRTP core: three primitives (AES-CM,
 * HMAC-SHA1, AES-GCM), each keyed once per session key so that nothing is
 * re-derived per packet. The module implements it in kmod/aes_ctr.c
 * (AES-CM), kmod/hmac_sha1.c (HMAC-SHA1) and kmod/crypto.c (AES-GCM, on the
 * crypto API), userspace in libsrtp-glue/crypto_openssl.c with OpenSSL; the
 * core is linked against one or the other.
 */
#ifndef SRTPRELAY_SRTP_CRYPTO_H
#define SRTPRELAY_SRTP_CRYPTO_H

#include "srtp_compat.h"
#include "srtp_suite.h"

#define SRTP_AES_KEY_MAX_LEN 32	/* AES-128 or AES-256 */
#define SRTP_AES_BLOCK_LEN 16
#define SRTP_SHA1_DIGEST_LEN 20
#define SRTP_AEAD_IV_LEN 12		/* RFC 7714 section 8.1 */

/* AES-128 or AES-256 in counter mode, keyed (expanded key kept). */
struct srtp_cipher;
/* HMAC-SHA1, keyed (inner and outer states precomputed). */
struct srtp_mac;
/* AES-128 or AES-256 in GCM, keyed, with what a call needs preallocated. */
struct srtp_aead;

/*
 * Associated data of an AEAD call: RTP's is its header, one piece; SRTCP's
 * is the first 8 bytes and the E flag with index, which the packet carries
 * after the tag, so two pieces. Each piece must be in the linear map (heap
 * or packet data, never the stack) for the kernel's scatterlists.
 */
struct srtp_aad {
	const u8 *part[2];
	unsigned int len[2];
};

/*
 * Allocation may sleep in the kernel: call from process context only. The
 * per-packet calls (xor, compute) are safe in softirq context.
 */
int srtp_cipher_new(struct srtp_cipher **cipher, const u8 *key,
		    unsigned int key_len);
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

int srtp_aead_new(struct srtp_aead **aead, const u8 *key, unsigned int key_len);
/*
 * Encrypts @len bytes at @data in place and writes the 16-byte tag right
 * after them (@data must have room); @data follows the last AAD piece in
 * memory or not, as it likes.
 */
int srtp_aead_seal(struct srtp_aead *aead, const u8 iv[SRTP_AEAD_IV_LEN],
		   const struct srtp_aad *aad, u8 *data, unsigned int len);
/*
 * Checks the tag that follows the @len bytes at @data and decrypts them in
 * place. Returns -EBADMSG when the tag does not verify; @data may then hold
 * garbage (the caller drops the packet).
 */
int srtp_aead_open(struct srtp_aead *aead, const u8 iv[SRTP_AEAD_IV_LEN],
		   const struct srtp_aad *aad, u8 *data, unsigned int len);
void srtp_aead_free(struct srtp_aead *aead);

#endif /* SRTPRELAY_SRTP_CRYPTO_H */
