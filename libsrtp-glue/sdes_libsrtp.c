// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A negotiated a=crypto line as a libsrtp2 srtp_policy_t.
 */
#include "sdes_libsrtp.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>

void sdes_libsrtp_policy_wipe(struct sdes_libsrtp_policy *policy)
{
	OPENSSL_cleanse(policy, sizeof(*policy));
}

static int fail(struct sdes_libsrtp_policy *out, int status, char *err,
		size_t err_len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int fail(struct sdes_libsrtp_policy *out, int status, char *err,
		size_t err_len, const char *fmt, ...)
{
	va_list ap;

	sdes_libsrtp_policy_wipe(out);
	if (err && err_len) {
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return status;
}

static srtp_sec_serv_t services(bool encrypt, bool authenticate)
{
	return (srtp_sec_serv_t)((encrypt ? sec_serv_conf : 0) |
				 (authenticate ? sec_serv_auth : 0));
}

bool libsrtp_policy_set_suite(uint32_t relay_suite, srtp_policy_t *policy)
{
	switch (relay_suite) {
	case SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy->rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy->rtcp);
		return true;
	case SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy->rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy->rtcp);
		return true;
	case SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy->rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy->rtcp);
		return true;
	case SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&policy->rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy->rtcp);
		return true;
	case SRTPRELAY_SUITE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy->rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy->rtcp);
		return true;
	case SRTPRELAY_SUITE_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy->rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy->rtcp);
		return true;
	default:
		return false;
	}
}

int sdes_to_libsrtp_policy(const struct sdes_crypto *crypto,
			   srtp_ssrc_type_t ssrc_type,
			   struct sdes_libsrtp_policy *out, char *err,
			   size_t err_len)
{
	srtp_policy_t *policy = &out->policy;
	unsigned int i, j, n;

	memset(out, 0, sizeof(*out));
	if (err && err_len)
		err[0] = '\0';
	if (!libsrtp_policy_set_suite(sdes_suite_to_relay(crypto->suite), policy))
		return fail(out, SDES_UNSUPPORTED_SUITE, err, err_len,
			    "crypto-suite: %s is not supported",
			    crypto->suite_name[0] ? crypto->suite_name : "(none)");
	if (!crypto->n_keys || crypto->n_keys > SDES_MAX_KEYS)
		return fail(out, SDES_INVALID, err, err_len, "key-params: no key");
	if (crypto->has_kdr && crypto->kdr)
		return fail(out, SDES_UNSUPPORTED, err, err_len,
			    "KDR=%u: only key derivation rate 0 is supported",
			    crypto->kdr);

	/* RFC 4568 6.3.2, 6.3.3; SRTCP is always authenticated. */
	policy->rtp.sec_serv = services(
		!(crypto->flags & SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP),
		!(crypto->flags & SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP));
	/* libsrtp2 strips rtp.auth_tag_len bytes on receipt whatever the
	 * services: without authentication the tag must be absent (0 bytes).
	 */
	if (crypto->flags & SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP) {
		policy->rtp.auth_type = SRTP_NULL_AUTH;
		policy->rtp.auth_key_len = 0;
		policy->rtp.auth_tag_len = 0;
	}
	policy->rtcp.sec_serv = services(
		!(crypto->flags & SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP), true);
	policy->ssrc.type = ssrc_type;
	policy->ssrc.value = 0;
	if (crypto->wsh > SRTPRELAY_REPLAY_WINDOW_MAX)
		policy->window_size = SRTPRELAY_REPLAY_WINDOW_MAX;
	else if (crypto->wsh > SRTPRELAY_REPLAY_WINDOW_MIN)
		policy->window_size = crypto->wsh;
	else if (crypto->wsh)
		policy->window_size = SRTPRELAY_REPLAY_WINDOW_MIN;
	else
		policy->window_size = SRTPRELAY_REPLAY_WINDOW_DEFAULT;
	policy->allow_repeat_tx = 0;
	policy->next = NULL;

	out->use_mki = crypto->keys[0].mki_len != 0;
	n = out->use_mki ? crypto->n_keys : 1;
	for (i = 0; i < n; i++) {
		const struct sdes_key *key = &crypto->keys[i];

		if (key->key_salt_len != sdes_suite_key_salt_len(crypto->suite))
			return fail(out, SDES_INVALID, err, err_len,
				    "key-params %u: key is %u bytes, %s needs %u",
				    i + 1, key->key_salt_len, crypto->suite_name,
				    sdes_suite_key_salt_len(crypto->suite));
		if (key->mki_len > SRTPRELAY_MKI_MAX_LEN ||
		    (out->use_mki && key->mki_len != crypto->keys[0].mki_len))
			return fail(out, SDES_UNSUPPORTED, err, err_len,
				    "key-params %u: MKI of %u bytes; 1..%u, the same for every key",
				    i + 1, key->mki_len, SRTPRELAY_MKI_MAX_LEN);
		memcpy(out->key_salt[i], key->key_salt, key->key_salt_len);
		for (j = 0; j < key->mki_len; j++)
			out->mki[i][j] = (unsigned char)
				(key->mki >> (8 * (key->mki_len - 1 - j)));
		out->master_key[i].key = out->key_salt[i];
		out->master_key[i].mki_id = out->mki[i];
		out->master_key[i].mki_size = key->mki_len;
		out->master_keys[i] = &out->master_key[i];
	}
	if (out->use_mki) {
		policy->key = NULL;
		policy->keys = out->master_keys;
		policy->num_master_keys = n;
	} else {
		policy->key = out->key_salt[0];
	}
	return SDES_OK;
}
