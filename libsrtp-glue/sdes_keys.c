// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Our own SDES keys: fresh master key and salt for each line we offer or
 * answer. RFC 4568 6.1 wants every master key cryptographically random and
 * unique in the SDP, and 7.1.2 an answer key different from the offer's.
 */
#include "sdes.h"

#include <string.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

int sdes_generate(struct sdes_crypto *crypto, uint32_t tag,
		  enum sdes_suite suite)
{
	unsigned int len = sdes_suite_key_salt_len(suite);

	memset(crypto, 0, sizeof(*crypto));
	if (!sdes_suite_supported(suite))
		return SDES_UNSUPPORTED_SUITE;
	if (tag > SDES_TAG_MAX)
		return SDES_INVALID;
	crypto->tag = tag;
	crypto->suite = suite;
	strcpy(crypto->suite_name, sdes_suite_name(suite));
	crypto->n_keys = 1;
	crypto->keys[0].key_salt_len = (uint8_t)len;
	if (RAND_bytes(crypto->keys[0].key_salt, (int)len) != 1) {
		sdes_crypto_wipe(crypto);
		return SDES_ERROR;
	}
	return SDES_OK;
}

static bool key_in(const struct sdes_key *key, const struct sdes_key *keys,
		   unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && i < SDES_MAX_KEYS; i++)
		if (keys[i].key_salt_len == key->key_salt_len &&
		    !CRYPTO_memcmp(keys[i].key_salt, key->key_salt,
				   key->key_salt_len))
			return true;
	return false;
}

int sdes_answer(const struct sdes_crypto *offer, struct sdes_crypto *answer)
{
	int rc, tries;

	/* A repeat of one of 2^240 values means a broken generator, not
	 * bad luck: a few tries, then fail rather than reuse a key.
	 */
	for (tries = 0; tries < 4; tries++) {
		rc = sdes_generate(answer, offer->tag, offer->suite);
		if (rc)
			return rc;
		if (!key_in(&answer->keys[0], offer->keys, offer->n_keys) &&
		    !key_in(&answer->keys[0], offer->fec_keys,
			    offer->n_fec_keys))
			break;
	}
	if (tries == 4) {
		sdes_crypto_wipe(answer);
		return SDES_ERROR;
	}
	/* Negotiated parameters (6.3.2, 6.3.3) are echoed. */
	answer->flags = offer->flags & (SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP |
					SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP |
					SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP);
	return SDES_OK;
}
