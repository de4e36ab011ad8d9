/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the SDES unit tests (test_sdes_parse.c, test_sdes_format.c,
 * test_sdes_keys.c) share: RFC 4568's example keys, the suites' short
 * names, and the expected key as OpenSSL's base64 decoder gives it, so that
 * no key is ever checked against the parser's own decoding.
 */
#ifndef SRTPRELAY_TEST_SDES_KEYS_H
#define SRTPRELAY_TEST_SDES_KEYS_H

#include <string.h>
#include <openssl/evp.h>

#include "sdes.h"

/* RFC 4568's own example keys, 30 bytes each. */
#define K1 "d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj"
#define K2 "NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj"
#define K3 "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
#define K4 "YUJDZGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2"

#define S80 SDES_SUITE_AES_CM_128_HMAC_SHA1_80
#define S32 SDES_SUITE_AES_CM_128_HMAC_SHA1_32

/* The expected key, decoded by OpenSSL rather than by the parser. */
static inline size_t openssl_decode(const char *b64, unsigned char *out)
{
	size_t n = strlen(b64), pad = 0;
	int len;

	while (pad < n && b64[n - 1 - pad] == '=')
		pad++;
	len = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)n);
	return len < 0 ? 0 : (size_t)len - pad;
}

#endif /* SRTPRELAY_TEST_SDES_KEYS_H */
