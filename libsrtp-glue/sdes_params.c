// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * From a negotiated a=crypto line to the SRTP core's struct srtp_params
 * (kmod/srtp.h), which the netlink client sends as SRTPRELAY_A_CRYPTO_*.
 */
#include "sdes.h"
#include "srtp.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>

static int fail(struct srtp_params *params, int status, char *err,
		size_t err_len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int fail(struct srtp_params *params, int status, char *err,
		size_t err_len, const char *fmt, ...)
{
	va_list ap;

	OPENSSL_cleanse(params, sizeof(*params));
	if (err && err_len) {
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return status;
}

uint32_t sdes_suite_to_relay(enum sdes_suite suite)
{
	switch (suite) {
	case SDES_SUITE_AES_CM_128_HMAC_SHA1_80:
		return SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80;
	case SDES_SUITE_AES_CM_128_HMAC_SHA1_32:
		return SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32;
	case SDES_SUITE_AES_256_CM_HMAC_SHA1_80:
		return SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80;
	case SDES_SUITE_AES_256_CM_HMAC_SHA1_32:
		return SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_32;
	case SDES_SUITE_AEAD_AES_128_GCM:
		return SRTPRELAY_SUITE_AEAD_AES_128_GCM;
	case SDES_SUITE_AEAD_AES_256_GCM:
		return SRTPRELAY_SUITE_AEAD_AES_256_GCM;
	default:
		return SRTPRELAY_SUITE_NONE;
	}
}

enum sdes_suite sdes_suite_from_relay(uint32_t relay_suite)
{
	enum sdes_suite s;

	for (s = SDES_SUITE_UNKNOWN + 1; s < __SDES_SUITE_COUNT; s++)
		if (relay_suite != SRTPRELAY_SUITE_NONE &&
		    sdes_suite_to_relay(s) == relay_suite)
			return s;
	return SDES_SUITE_UNKNOWN;
}

int sdes_to_srtp_params(const struct sdes_crypto *crypto,
			struct srtp_params *params, char *err, size_t err_len)
{
	const struct sdes_key *key = &crypto->keys[0];
	struct srtp_suite_info suite;
	unsigned int i;

	memset(params, 0, sizeof(*params));
	if (err && err_len)
		err[0] = '\0';
	params->suite = sdes_suite_to_relay(crypto->suite);
	if (params->suite == SRTPRELAY_SUITE_NONE)
		return fail(params, SDES_UNSUPPORTED_SUITE, err, err_len,
			    "crypto-suite: %s is not run by the SRTP core",
			    crypto->suite_name[0] ? crypto->suite_name : "(none)");
	suite = srtp_suite_info(params->suite);
	if (!crypto->n_keys || crypto->n_keys > SDES_MAX_KEYS)
		return fail(params, SDES_INVALID, err, err_len,
			    "key-params: no key");
	if (key->key_salt_len != suite.key_len + suite.salt_len)
		return fail(params, SDES_INVALID, err, err_len,
			    "key-params 1: key is %u bytes, %s needs %u",
			    key->key_salt_len, crypto->suite_name,
			    suite.key_len + suite.salt_len);
	if (suite.aead && crypto->flags & (SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP |
					   SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP))
		return fail(params, SDES_UNSUPPORTED, err, err_len,
			    "session parameters: %s always encrypts and authenticates SRTP",
			    crypto->suite_name);
	if (key->mki_len > SRTPRELAY_MKI_MAX_LEN)
		return fail(params, SDES_UNSUPPORTED, err, err_len,
			    "key-params 1: MKI is %u bytes, the SRTP core takes at most %u",
			    key->mki_len, SRTPRELAY_MKI_MAX_LEN);
	if (crypto->has_kdr && crypto->kdr)
		return fail(params, SDES_UNSUPPORTED, err, err_len,
			    "KDR=%u: the SRTP core supports key derivation rate 0 only",
			    crypto->kdr);
	if (crypto->flags & ~(uint32_t)__SRTPRELAY_CRYPTO_F_ALL)
		return fail(params, SDES_INVALID, err, err_len,
			    "session parameters: unknown flags 0x%x", crypto->flags);

	params->flags = crypto->flags;
	memcpy(params->master_key, key->key_salt, suite.key_len);
	memcpy(params->master_salt, key->key_salt + suite.key_len,
	       suite.salt_len);
	/* RFC 3711 3.1: the MKI is carried big-endian in mki_len bytes. */
	params->mki_len = key->mki_len;
	for (i = 0; i < key->mki_len; i++)
		params->mki[i] = (u8)(key->mki >> (8 * (key->mki_len - 1 - i)));
	/* WSH is a hint (6.3.6): take it, within what the core can hold. */
	if (crypto->wsh > SRTPRELAY_REPLAY_WINDOW_MAX)
		params->replay_window = SRTPRELAY_REPLAY_WINDOW_MAX;
	else if (crypto->wsh)
		params->replay_window = crypto->wsh < SRTPRELAY_REPLAY_WINDOW_MIN ?
			SRTPRELAY_REPLAY_WINDOW_MIN : (u16)crypto->wsh;
	/* RFC 4568 6.4: ROC starts at 0, SEQ is learnt from the first packet. */
	params->roc = 0;
	params->has_seq = false;
	return SDES_OK;
}
