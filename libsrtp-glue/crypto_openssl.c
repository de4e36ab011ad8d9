// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The SRTP core's crypto-ops interface on OpenSSL, for the userspace
 * datapath and for the tests that run the kernel's SRTP code at userspace
 * speed.
 *
 * HMAC uses the SHA-1 block functions with the inner and outer states
 * precomputed once per key: per packet that is one struct copy per state,
 * where EVP_MAC would duplicate a provider context (an allocation) per
 * packet. OpenSSL 3 marks those functions deprecated, not removed.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <stdlib.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "srtp_crypto.h"

#define SHA1_BLOCK_LEN 64

struct srtp_cipher {
	EVP_CIPHER_CTX *evp;
};

struct srtp_mac {
	SHA_CTX inner;	/* after absorbing key ^ ipad */
	SHA_CTX outer;	/* after absorbing key ^ opad */
};

int srtp_cipher_new(struct srtp_cipher **cipher, const u8 *key,
		    unsigned int key_len)
{
	const EVP_CIPHER *type = key_len == 32 ? EVP_aes_256_ctr() :
				 key_len == 16 ? EVP_aes_128_ctr() : NULL;
	struct srtp_cipher *c;

	if (!type)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->evp = EVP_CIPHER_CTX_new();
	if (!c->evp ||
	    EVP_EncryptInit_ex(c->evp, type, NULL, key, NULL) != 1) {
		EVP_CIPHER_CTX_free(c->evp);
		free(c);
		return -EIO;
	}
	*cipher = c;
	return 0;
}

int srtp_cipher_xor(struct srtp_cipher *cipher, const u8 iv[SRTP_AES_BLOCK_LEN],
		    u8 *data, unsigned int len)
{
	int out_len;

	/* A new IV on the keyed context: no key schedule is redone. */
	if (EVP_EncryptInit_ex(cipher->evp, NULL, NULL, NULL, iv) != 1 ||
	    EVP_EncryptUpdate(cipher->evp, data, &out_len, data, (int)len) != 1)
		return -EIO;
	return 0;
}

void srtp_cipher_free(struct srtp_cipher *cipher)
{
	/* EVP_CIPHER_CTX_free cleanses the expanded key. */
	EVP_CIPHER_CTX_free(cipher->evp);
	free(cipher);
}

int srtp_mac_new(struct srtp_mac **mac, const u8 *key, unsigned int key_len)
{
	u8 block[SHA1_BLOCK_LEN];
	struct srtp_mac *m;
	unsigned int i;

	if (key_len > SHA1_BLOCK_LEN)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;

	memset(block, 0x36, sizeof(block));
	for (i = 0; i < key_len; i++)
		block[i] ^= key[i];
	SHA1_Init(&m->inner);
	SHA1_Update(&m->inner, block, sizeof(block));

	memset(block, 0x5c, sizeof(block));
	for (i = 0; i < key_len; i++)
		block[i] ^= key[i];
	SHA1_Init(&m->outer);
	SHA1_Update(&m->outer, block, sizeof(block));

	OPENSSL_cleanse(block, sizeof(block));
	*mac = m;
	return 0;
}

int srtp_mac_compute(struct srtp_mac *mac, const u8 *data, unsigned int len,
		     const u8 *trailer, unsigned int trailer_len,
		     u8 digest[SRTP_SHA1_DIGEST_LEN])
{
	SHA_CTX state = mac->inner;

	SHA1_Update(&state, data, len);
	if (trailer_len)
		SHA1_Update(&state, trailer, trailer_len);
	SHA1_Final(digest, &state);

	state = mac->outer;
	SHA1_Update(&state, digest, SRTP_SHA1_DIGEST_LEN);
	SHA1_Final(digest, &state);
	OPENSSL_cleanse(&state, sizeof(state));
	return 0;
}

void srtp_mac_free(struct srtp_mac *mac)
{
	OPENSSL_cleanse(mac, sizeof(*mac));
	free(mac);
}

/*
 * GCM keeps one keyed context per direction: switching a context between
 * encrypting and decrypting would redo its set-up per packet.
 */
struct srtp_aead {
	EVP_CIPHER_CTX *seal;
	EVP_CIPHER_CTX *open;
};

static EVP_CIPHER_CTX *aead_ctx_new(const EVP_CIPHER *type, const u8 *key,
				    int enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (ctx && EVP_CipherInit_ex(ctx, type, NULL, key, NULL, enc) == 1)
		return ctx;
	EVP_CIPHER_CTX_free(ctx);
	return NULL;
}

int srtp_aead_new(struct srtp_aead **aead, const u8 *key, unsigned int key_len)
{
	const EVP_CIPHER *type = key_len == 32 ? EVP_aes_256_gcm() :
				 key_len == 16 ? EVP_aes_128_gcm() : NULL;
	struct srtp_aead *a;

	if (!type)
		return -EINVAL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->seal = aead_ctx_new(type, key, 1);
	a->open = aead_ctx_new(type, key, 0);
	if (!a->seal || !a->open) {
		srtp_aead_free(a);
		return -EIO;
	}
	*aead = a;
	return 0;
}

/* A new IV on the keyed context, then the associated data. */
static int aead_start(EVP_CIPHER_CTX *ctx, const u8 iv[SRTP_AEAD_IV_LEN],
		      const struct srtp_aad *aad, int enc)
{
	unsigned int i;
	int out_len;

	if (EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, enc) != 1)
		return -EIO;
	for (i = 0; i < 2; i++)
		if (aad->len[i] &&
		    EVP_CipherUpdate(ctx, NULL, &out_len, aad->part[i],
				     (int)aad->len[i]) != 1)
			return -EIO;
	return 0;
}

int srtp_aead_seal(struct srtp_aead *aead, const u8 iv[SRTP_AEAD_IV_LEN],
		   const struct srtp_aad *aad, u8 *data, unsigned int len)
{
	EVP_CIPHER_CTX *ctx = aead->seal;
	int out_len;

	if (aead_start(ctx, iv, aad, 1) ||
	    (len && EVP_CipherUpdate(ctx, data, &out_len, data, (int)len) != 1) ||
	    EVP_CipherFinal_ex(ctx, data + len, &out_len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, SRTP_AEAD_TAG_LEN,
				data + len) != 1)
		return -EIO;
	return 0;
}

int srtp_aead_open(struct srtp_aead *aead, const u8 iv[SRTP_AEAD_IV_LEN],
		   const struct srtp_aad *aad, u8 *data, unsigned int len)
{
	EVP_CIPHER_CTX *ctx = aead->open;
	u8 final_block[SRTP_AES_BLOCK_LEN];
	int out_len;

	if (aead_start(ctx, iv, aad, 0) ||
	    (len && EVP_CipherUpdate(ctx, data, &out_len, data, (int)len) != 1) ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, SRTP_AEAD_TAG_LEN,
				data + len) != 1)
		return -EIO;
	/* GCM writes nothing here; the final call only checks the tag. */
	if (EVP_CipherFinal_ex(ctx, final_block, &out_len) != 1)
		return -EBADMSG;
	return 0;
}

void srtp_aead_free(struct srtp_aead *aead)
{
	if (!aead)
		return;
	/* EVP_CIPHER_CTX_free cleanses the key schedule and GHASH key. */
	EVP_CIPHER_CTX_free(aead->seal);
	EVP_CIPHER_CTX_free(aead->open);
	free(aead);
}
