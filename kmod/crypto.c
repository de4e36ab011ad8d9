// SPDX-License-Identifier: GPL-2.0
/*
 * The crypto-ops interface of the SRTP core (srtp_crypto.h) on the kernel
 * crypto API: HMAC over "sha1" and "gcm(aes)" (AES counter mode is
 * aes_ctr.c's, on the AES library). Each object is keyed once, when a
 * stream's session keys are derived; the per-packet calls only run the
 * already-keyed state, so nothing is expanded or re-derived on the packet
 * path.
 */

#include "aes_ctr.h"
#include "crypto.h"
#include "srtp_crypto.h"

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/sha1.h>
#include <linux/crypto.h>
#include <linux/scatterlist.h>
#include <linux/overflow.h>
#include <linux/slab.h>

/*
 * HMAC-SHA1 (RFC 2104) as the hmac template computes it, without its
 * transform per key: the SHA-1 states after the inner and the outer padded
 * key are exported once, at setkey, and a packet imports them into a
 * descriptor of one unkeyed "sha1" transform that every stream shares (an
 * unkeyed shash keeps nothing in the transform, so any number of
 * descriptors may use it at once). Per key this takes two exported states
 * (96 bytes each for SHA-1) instead of an "hmac(sha1)" transform and the
 * "sha1" transform under it, about 380 bytes.
 */
struct srtp_mac {
	unsigned int state_len;
	u8 states[];		/* inner state, then outer */
};

/* The shared transform: set at module load, read-only until unload. */
static struct crypto_shash *srtprelay_sha1 __read_mostly;

/*
 * The request and scatterlist are allocated with the key, in process
 * context, and reused by every packet: the caller serialises calls on one
 * object (the stream's lock), and nothing is allocated in softirq context.
 */
struct srtp_aead {
	struct crypto_aead *tfm;
	struct aead_request *req;
	struct scatterlist sg[3];	/* two AAD pieces, then data and tag */
};

/* Exports the SHA-1 state after the block @key XOR @pad into @state. */
static int srtp_mac_pad_state(const u8 *key, unsigned int key_len, u8 pad,
			      u8 *state)
{
	SHASH_DESC_ON_STACK(desc, srtprelay_sha1);
	u8 block[SHA1_BLOCK_SIZE];
	unsigned int i;
	int err;

	memset(block, pad, sizeof(block));
	for (i = 0; i < key_len; i++)
		block[i] ^= key[i];
	desc->tfm = srtprelay_sha1;
	err = crypto_shash_init(desc);
	if (!err)
		err = crypto_shash_update(desc, block, sizeof(block));
	if (!err)
		err = crypto_shash_export(desc, state);
	shash_desc_zero(desc);
	memzero_explicit(block, sizeof(block));
	return err;
}

/**
 * srtp_mac_new() - allocate HMAC-SHA1 keyed with @key
 * @mac: where the new object is stored
 * @key: the authentication session key
 * @key_len: its length in bytes, at most one SHA-1 block (SRTP's is 20)
 *
 * The padded key is hashed into inner and outer states here, so a packet
 * costs only the SHA-1 blocks of its own bytes. Process context only.
 *
 * Return: 0 or a negative errno.
 */
int srtp_mac_new(struct srtp_mac **mac, const u8 *key, unsigned int key_len)
{
	unsigned int state_len = crypto_shash_statesize(srtprelay_sha1);
	struct srtp_mac *m;
	int err;

	if (key_len > SHA1_BLOCK_SIZE)
		return -EINVAL;
	m = kzalloc(struct_size(m, states, 2 * state_len), GFP_KERNEL_ACCOUNT);
	if (!m)
		return -ENOMEM;
	m->state_len = state_len;
	err = srtp_mac_pad_state(key, key_len, 0x36, m->states);
	if (!err)
		err = srtp_mac_pad_state(key, key_len, 0x5c,
					 m->states + state_len);
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
	SHASH_DESC_ON_STACK(desc, srtprelay_sha1);
	u8 inner[SHA1_DIGEST_SIZE];
	int err;

	desc->tfm = srtprelay_sha1;
	err = crypto_shash_import(desc, mac->states);
	if (!err)
		err = crypto_shash_update(desc, data, len);
	if (!err && trailer_len)
		err = crypto_shash_update(desc, trailer, trailer_len);
	if (!err)
		err = crypto_shash_final(desc, inner);
	if (!err)
		err = crypto_shash_import(desc, mac->states + mac->state_len);
	if (!err)
		err = crypto_shash_finup(desc, inner, sizeof(inner), digest);
	/* the descriptor holds hash state derived from the key */
	shash_desc_zero(desc);
	memzero_explicit(inner, sizeof(inner));
	return err;
}

/**
 * srtp_mac_free() - free a MAC and wipe its precomputed key states
 * @mac: object from srtp_mac_new(), or NULL
 */
void srtp_mac_free(struct srtp_mac *mac)
{
	kfree_sensitive(mac);
}

/**
 * srtp_aead_new() - allocate AES-GCM keyed with @key, with a 16-byte tag
 * @aead: where the new object is stored
 * @key: the AES-128 or AES-256 session key
 * @key_len: 16 or 32
 *
 * Only a synchronous "gcm(aes)" will do in softirq context, which cannot
 * wait for an asynchronous one such as cryptd-backed SIMD (CRYPTO_ALG_ASYNC
 * masked out). Process context only.
 *
 * Return: 0 or a negative errno.
 */
int srtp_aead_new(struct srtp_aead **aead, const u8 *key, unsigned int key_len)
{
	struct srtp_aead *a;
	int err;

	a = kzalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);
	if (!a)
		return -ENOMEM;
	a->tfm = crypto_alloc_aead("gcm(aes)", 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(a->tfm)) {
		err = PTR_ERR(a->tfm);
		kfree(a);
		return err;
	}
	err = crypto_aead_setkey(a->tfm, key, key_len);
	if (!err)
		err = crypto_aead_setauthsize(a->tfm, SRTP_AEAD_TAG_LEN);
	if (!err) {
		a->req = aead_request_alloc(a->tfm, GFP_KERNEL_ACCOUNT);
		if (!a->req)
			err = -ENOMEM;
	}
	if (err) {
		srtp_aead_free(a);
		return err;
	}
	*aead = a;
	return 0;
}

static int srtp_aead_crypt(struct srtp_aead *aead,
			   const u8 iv[SRTP_AEAD_IV_LEN],
			   const struct srtp_aad *aad, u8 *data,
			   unsigned int len, bool encrypt)
{
	struct aead_request *req = aead->req;
	unsigned int i, n = 0, aad_len = 0;
	u8 counter[SRTP_AEAD_IV_LEN];
	int err;

	for (i = 0; i < 2; i++)
		n += aad->len[i] != 0;
	sg_init_table(aead->sg, n + 1);
	n = 0;
	for (i = 0; i < 2; i++) {
		if (!aad->len[i])
			continue;
		sg_set_buf(&aead->sg[n++], aad->part[i], aad->len[i]);
		aad_len += aad->len[i];
	}
	sg_set_buf(&aead->sg[n], data, len + SRTP_AEAD_TAG_LEN);

	memcpy(counter, iv, sizeof(counter));
	aead_request_set_callback(req, 0, NULL, NULL);
	aead_request_set_ad(req, aad_len);
	aead_request_set_crypt(req, aead->sg, aead->sg,
			       encrypt ? len : len + SRTP_AEAD_TAG_LEN, counter);
	err = encrypt ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	memzero_explicit(counter, sizeof(counter));
	return err;
}

/**
 * srtp_aead_seal() - encrypt @data in place and append the tag
 * @aead: keyed AEAD
 * @iv: the 12-byte nonce
 * @aad: associated data, in the linear map
 * @data: bytes to encrypt, followed by room for the 16-byte tag; in the
 *	linear map (heap or skb data), as it is mapped into a scatterlist
 * @len: number of bytes to encrypt (may be 0)
 *
 * Safe in softirq context; calls on one object must be serialised.
 *
 * Return: 0 or a negative errno from the crypto API.
 */
int srtp_aead_seal(struct srtp_aead *aead, const u8 iv[SRTP_AEAD_IV_LEN],
		   const struct srtp_aad *aad, u8 *data, unsigned int len)
{
	return srtp_aead_crypt(aead, iv, aad, data, len, true);
}

/**
 * srtp_aead_open() - check the tag after @data and decrypt @data in place
 * @aead: keyed AEAD
 * @iv: the 12-byte nonce
 * @aad: associated data, in the linear map
 * @data: ciphertext followed by the 16-byte tag, in the linear map
 * @len: number of ciphertext bytes (may be 0)
 *
 * Safe in softirq context; calls on one object must be serialised.
 *
 * Return: 0, -EBADMSG when the tag does not verify, or another negative
 * errno from the crypto API.
 */
int srtp_aead_open(struct srtp_aead *aead, const u8 iv[SRTP_AEAD_IV_LEN],
		   const struct srtp_aad *aad, u8 *data, unsigned int len)
{
	return srtp_aead_crypt(aead, iv, aad, data, len, false);
}

/**
 * srtp_aead_free() - free an AEAD and wipe its key
 * @aead: object from srtp_aead_new(), or NULL
 */
void srtp_aead_free(struct srtp_aead *aead)
{
	if (!aead)
		return;
	/* aead_request_free() zeroes the request, which held the last IV */
	if (aead->req)
		aead_request_free(aead->req);
	crypto_free_aead(aead->tfm);
	kfree_sensitive(aead);
}

/**
 * srtprelay_crypto_init() - allocate the shared transform, check the rest
 * @drivers: filled with the driver chosen for each
 *
 * Called once at module load, before any stream: the shared "sha1" is
 * allocated here, AES counter mode checks itself, and "gcm(aes)" is tried
 * once, so that a kernel without the algorithms fails the load instead of
 * every STREAM_ADD, and so that the log tells which implementation
 * (generic or SIMD) the packet path will run.
 *
 * Return: 0 or a negative errno.
 */
int srtprelay_crypto_init(struct srtprelay_crypto_drivers *drivers)
{
	static const u8 zero_key[SRTP_AES_KEY_MAX_LEN];
	struct srtp_aead *aead;
	int err;

	srtprelay_sha1 = crypto_alloc_shash("sha1", 0, 0);
	if (IS_ERR(srtprelay_sha1)) {
		err = PTR_ERR(srtprelay_sha1);
		srtprelay_sha1 = NULL;
		return err;
	}
	snprintf(drivers->mac, sizeof(drivers->mac), "hmac(%s)",
		 crypto_tfm_alg_driver_name(crypto_shash_tfm(srtprelay_sha1)));

	err = srtprelay_aes_ctr_selftest(&drivers->cipher);
	if (err)
		goto err_sha1;

	err = srtp_aead_new(&aead, zero_key, SRTPRELAY_MASTER_KEY_LEN_128);
	if (err)
		goto err_sha1;
	strscpy(drivers->aead, crypto_tfm_alg_driver_name(crypto_aead_tfm(aead->tfm)),
		sizeof(drivers->aead));
	srtp_aead_free(aead);
	return 0;

err_sha1:
	srtprelay_crypto_exit();
	return err;
}

/**
 * srtprelay_crypto_exit() - free the shared transform, after every stream
 */
void srtprelay_crypto_exit(void)
{
	crypto_free_shash(srtprelay_sha1);
	srtprelay_sha1 = NULL;
}
