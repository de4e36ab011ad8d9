// SPDX-License-Identifier: GPL-2.0
/*
 * The crypto-ops interface of the SRTP core (srtp_crypto.h) on the kernel
 * crypto API: "gcm(aes)" (AES counter mode is aes_ctr.c's, on the AES
 * library; HMAC-SHA1 is hmac_sha1.c's). Each object is keyed once, when a
 * stream's session keys are derived; the per-packet calls only run the
 * already-keyed state, so nothing is expanded or re-derived on the packet
 * path.
 */

#include "aes_ctr.h"
#include "crypto.h"
#include "hmac_sha1.h"
#include "srtp_crypto.h"

#include <crypto/aead.h>
#include <linux/crypto.h>
#include <linux/scatterlist.h>
#include <linux/overflow.h>
#include <linux/slab.h>

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
 * srtprelay_crypto_init() - check each primitive, pick their implementations
 * @drivers: filled with the implementation chosen for each
 *
 * Called once at module load, before any stream: HMAC-SHA1 and AES counter
 * mode check themselves against their vectors, and "gcm(aes)" is tried
 * once, so that a kernel without the algorithms or a wrong implementation
 * fails the load instead of every STREAM_ADD, and so that the log tells
 * which implementation the packet path will run.
 *
 * Return: 0 or a negative errno.
 */
int srtprelay_crypto_init(struct srtprelay_crypto_drivers *drivers)
{
	static const u8 zero_key[SRTP_AES_KEY_MAX_LEN];
	struct srtp_aead *aead;
	int err;

	err = srtprelay_hmac_sha1_init(drivers->mac, sizeof(drivers->mac));
	if (err)
		return err;
	err = srtprelay_aes_ctr_selftest(&drivers->cipher);
	if (err)
		goto err_mac;

	err = srtp_aead_new(&aead, zero_key, SRTPRELAY_MASTER_KEY_LEN_128);
	if (err)
		goto err_mac;
	strscpy(drivers->aead, crypto_tfm_alg_driver_name(crypto_aead_tfm(aead->tfm)),
		sizeof(drivers->aead));
	srtp_aead_free(aead);
	return 0;

err_mac:
	srtprelay_crypto_exit();
	return err;
}

/**
 * srtprelay_crypto_exit() - free what the primitives share, after every stream
 */
void srtprelay_crypto_exit(void)
{
	srtprelay_hmac_sha1_exit();
}
