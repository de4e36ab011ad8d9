/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The SRTP core's key derivation (RFC 3711 B.3, RFC 6188 section 7.2),
 * checked through what the derived keys do: what the core makes of an RTP
 * packet must equal OpenSSL's own AES-CTR under the RFC's session cipher key
 * and salt, followed by the first 10 bytes of HMAC-SHA1 under its session
 * auth key. Shared by test_srtp_core.c and test_srtp_suites.c.
 */
#ifndef SRTPRELAY_TEST_SRTP_SESSION_KEYS_H
#define SRTPRELAY_TEST_SRTP_SESSION_KEYS_H

#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "srtp.h"
#include "testing.h"

#define SESSION_KEYS_PKT_MAX 1600

/*
 * check_session_keys() - @ctx, initialised with an RFC's master key and salt
 * for an AES_CM_*_HMAC_SHA1_80 suite, protects the RTP packet @plain
 * (12-byte header, ROC 0): the result must be @plain encrypted by @aes_ctr
 * under the RFC's session key @cipher_key and salt @salt (14 bytes), with
 * the 10-byte tag of its session auth key @auth_key (20 bytes).
 */
static inline void check_session_keys(struct srtp_ctx *ctx, const u8 *plain,
				      unsigned int plain_len,
				      const EVP_CIPHER *aes_ctr,
				      const u8 *cipher_key, const u8 *salt,
				      const u8 *auth_key)
{
	u8 srtp[SESSION_KEYS_PKT_MAX + 10], want[SESSION_KEYS_PKT_MAX + 4];
	u8 iv[16], digest[20];
	EVP_CIPHER_CTX *evp;
	struct srtp_packet_info info;
	unsigned int i, len, hmac_len;
	int out_len;

	CHECK(plain_len > 12 && plain_len <= SESSION_KEYS_PKT_MAX,
	      "packet of %u bytes", plain_len);
	if (plain_len <= 12 || plain_len > SESSION_KEYS_PKT_MAX)
		return;
	memcpy(srtp, plain, plain_len);
	len = plain_len;
	CHECK(!srtp_ctx_protect(ctx, srtp, &len, sizeof(srtp), &info), "protect");
	CHECK(len == plain_len + 10, "length %u", len);

	memcpy(want, plain, plain_len);
	/* IV = salt * 2^16 XOR SSRC * 2^64 XOR index * 2^16, index = SEQ. */
	memset(iv, 0, sizeof(iv));
	memcpy(iv, salt, 14);
	for (i = 0; i < 4; i++)
		iv[4 + i] ^= plain[8 + i];
	iv[12] ^= plain[2];
	iv[13] ^= plain[3];
	evp = EVP_CIPHER_CTX_new();
	EVP_EncryptInit_ex(evp, aes_ctr, NULL, cipher_key, iv);
	EVP_EncryptUpdate(evp, want + 12, &out_len, want + 12,
			  (int)plain_len - 12);
	EVP_CIPHER_CTX_free(evp);
	CHECK(!memcmp(srtp, want, plain_len), "payload under the RFC's cipher key");

	/* The authenticated portion is followed by the ROC (0 here). */
	memset(want + plain_len, 0, 4);
	HMAC(EVP_sha1(), auth_key, 20, want, plain_len + 4, digest, &hmac_len);
	CHECK(!memcmp(srtp + plain_len, digest, 10), "tag under the RFC's auth key");
}

#endif /* SRTPRELAY_TEST_SRTP_SESSION_KEYS_H */
