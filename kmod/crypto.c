// SPDX-License-Identifier: GPL-2.0
/*
 * The crypto-ops interface of the SRTP core (srtp_crypto.h) on the kernel
 * crypto API. Each object is keyed once, when a stream's session keys are
 * derived; the per-packet calls only run the already-keyed transform, so
 * nothing is expanded or re-derived on the packet path.
 */

#include "crypto.h"
#include "srtp_crypto.h"

#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/crypto.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

struct srtp_cipher {
	struct crypto_sync_skcipher *tfm;
};

struct srtp_mac {
	struct crypto_shash *tfm;
};

/**
 * srtp_cipher_new() - allocate AES-128 counter mode keyed with @key
 * @cipher: where the new object is stored
 * @key: the AES-128 session key
 *
 * A synchronous transform is asked for because the packet path runs in
 * softirq context and cannot wait for an asynchronous one (such as
 * cryptd-backed SIMD); on x86 this still gets "ctr(aes-aesni)".
 * Process context only.
 *
 * Return: 0 or a negative errno.
 */
int srtp_cipher_new(struct srtp_cipher **cipher, const u8 key[SRTP_AES_KEY_LEN])
{
	struct srtp_cipher *c;
	int err;

	/* Charged to the caller's memory cgroup, as the stream is; the
	 * transform the crypto API allocates itself cannot be.
	 */
	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c)
		return -ENOMEM;
	c->tfm = crypto_alloc_sync_skcipher("ctr(aes)", 0, 0);
	if (IS_ERR(c->tfm)) {
		err = PTR_ERR(c->tfm);
		kfree(c);
		return err;
	}
	err = crypto_sync_skcipher_setkey(c->tfm, key, SRTP_AES_KEY_LEN);
	if (err) {
		srtp_cipher_free(c);
		return err;
	}
	*cipher = c;
	return 0;
}

/**
 * srtp_cipher_xor() - XOR the AES-CTR keystream starting at @iv into @data
 * @cipher: keyed cipher
 * @iv: initial counter block
 * @data: bytes to en- or decrypt in place; must be in the linear map (heap
 *	or skb data, never the stack), as it is mapped into a scatterlist
 * @len: number of bytes
 *
 * Safe in softirq context.
 *
 * Return: 0 or a negative errno from the crypto API.
 */
int srtp_cipher_xor(struct srtp_cipher *cipher, const u8 iv[SRTP_AES_BLOCK_LEN],
		    u8 *data, unsigned int len)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(req, cipher->tfm);
	u8 counter[SRTP_AES_BLOCK_LEN];
	struct scatterlist sg;
	int err;

	if (!len)
		return 0;
	/* ctr(aes) advances the IV it is given: work on a copy. */
	memcpy(counter, iv, sizeof(counter));
	sg_init_one(&sg, data, len);
	skcipher_request_set_sync_tfm(req, cipher->tfm);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	skcipher_request_set_crypt(req, &sg, &sg, len, counter);
	err = crypto_skcipher_encrypt(req);
	skcipher_request_zero(req);
	memzero_explicit(counter, sizeof(counter));
	return err;
}

/**
 * srtp_cipher_free() - free a cipher and wipe its expanded key
 * @cipher: object from srtp_cipher_new(), or NULL
 */
void srtp_cipher_free(struct srtp_cipher *cipher)
{
	if (!cipher)
		return;
	/* crypto_free_*() zeroes the transform context, expanded key included */
	crypto_free_sync_skcipher(cipher->tfm);
	kfree_sensitive(cipher);
}

/**
 * srtp_mac_new() - allocate HMAC-SHA1 keyed with @key
 * @mac: where the new object is stored
 * @key: the authentication session key
 * @key_len: its length in bytes
 *
 * The hmac template hashes the padded key into inner and outer states at
 * setkey time, so a packet costs only the SHA-1 blocks of its own bytes.
 * Process context only.
 *
 * Return: 0 or a negative errno.
 */
int srtp_mac_new(struct srtp_mac **mac, const u8 *key, unsigned int key_len)
{
	struct srtp_mac *m;
	int err;

	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m)
		return -ENOMEM;
	m->tfm = crypto_alloc_shash("hmac(sha1)", 0, 0);
	if (IS_ERR(m->tfm)) {
		err = PTR_ERR(m->tfm);
		kfree(m);
		return err;
	}
	err = crypto_shash_setkey(m->tfm, key, key_len);
	if (err) {
		srtp_mac_free(m);
		return err;
	}
	*mac = m;
	return 0;
}

/**
 * srtp_mac_compute() - HMAC-SHA1 over @data followed by @trailer
 * @mac: keyed MAC
 * @data: authenticated portion of the packet
 * @len: its length
 * @trailer: bytes authenticated after it (the ROC for SRTP), may be NULL
 * @trailer_len: their length, may be 0
 * @digest: the full 20-byte HMAC; the caller truncates it to the tag
 *
 * Safe in softirq context.
 *
 * Return: 0 or a negative errno from the crypto API.
 */
int srtp_mac_compute(struct srtp_mac *mac, const u8 *data, unsigned int len,
		     const u8 *trailer, unsigned int trailer_len,
		     u8 digest[SRTP_SHA1_DIGEST_LEN])
{
	SHASH_DESC_ON_STACK(desc, mac->tfm);
	int err;

	desc->tfm = mac->tfm;
	err = crypto_shash_init(desc);
	if (!err)
		err = crypto_shash_update(desc, data, len);
	if (!err && trailer_len)
		err = crypto_shash_update(desc, trailer, trailer_len);
	if (!err)
		err = crypto_shash_final(desc, digest);
	/* the descriptor holds hash state derived from the key */
	shash_desc_zero(desc);
	return err;
}

/**
 * srtp_mac_free() - free a MAC and wipe its precomputed key states
 * @mac: object from srtp_mac_new(), or NULL
 */
void srtp_mac_free(struct srtp_mac *mac)
{
	if (!mac)
		return;
	crypto_free_shash(mac->tfm);
	kfree_sensitive(mac);
}

/**
 * srtprelay_crypto_probe() - check that both transforms can be had
 * @cipher_driver: filled with the driver chosen for "ctr(aes)"
 * @mac_driver: filled with the driver chosen for "hmac(sha1)"
 * @len: size of each buffer
 *
 * Called once at module load so that a kernel without the algorithms fails
 * the load instead of every STREAM_ADD, and so that the log tells which
 * implementation (generic or SIMD) the packet path will run.
 *
 * Return: 0 or a negative errno.
 */
int srtprelay_crypto_probe(char *cipher_driver, char *mac_driver, size_t len)
{
	static const u8 zero_key[SRTP_AES_KEY_LEN];
	struct srtp_cipher *cipher;
	struct srtp_mac *mac;
	int err;

	err = srtp_cipher_new(&cipher, zero_key);
	if (err)
		return err;
	strscpy(cipher_driver,
		crypto_tfm_alg_driver_name(crypto_skcipher_tfm(&cipher->tfm->base)),
		len);
	srtp_cipher_free(cipher);

	err = srtp_mac_new(&mac, zero_key, sizeof(zero_key));
	if (err)
		return err;
	strscpy(mac_driver,
		crypto_tfm_alg_driver_name(crypto_shash_tfm(mac->tfm)), len);
	srtp_mac_free(mac);
	return 0;
}
