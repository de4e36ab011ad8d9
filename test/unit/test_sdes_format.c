// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Writing SDES (RFC 4568) a=crypto lines: generated keys that format and
 * parse back, the answer to an offer (its tag, suite and negotiated
 * parameters, a fresh key), and a format that refuses short buffers and
 * impossible fields.
 */
#include <stdlib.h>
#include <string.h>

#include "sdes.h"
#include "sdes_keys.h"
#include "srtp.h"
#include "testing.h"

static void generated_line_round_trips(void)
{
	struct sdes_crypto a, b, parsed;
	char line[SDES_LINE_MAX], err[SDES_ERR_MAX];
	int n;

	CHECK(sdes_generate(&a, 1, S80) == SDES_OK, "generate _80");
	CHECK(sdes_generate(&b, 1, S80) == SDES_OK, "generate _80 again");
	CHECK(memcmp(a.keys[0].key_salt, b.keys[0].key_salt, 30),
	      "two generated keys are equal");
	n = sdes_format(&a, line, sizeof(line));
	CHECK(n == (int)strlen("1 AES_CM_128_HMAC_SHA1_80 inline:") + 40,
	      "generated line \"%s\"", line);
	CHECK(sdes_parse(line, (size_t)n, &parsed, err, sizeof(err)) == SDES_OK &&
	      sdes_crypto_equal(&a, &parsed), "parse back: %s", err);
	CHECK(sdes_generate(&b, 7, S32) == SDES_OK && b.tag == 7 &&
	      b.suite == S32, "generate _32");
	CHECK(sdes_generate(&b, 1, SDES_SUITE_AES_192_CM_HMAC_SHA1_80) ==
	      SDES_UNSUPPORTED_SUITE, "no keys for suites we do not run");
	CHECK(sdes_generate(&b, 2, SDES_SUITE_AEAD_AES_256_GCM) == SDES_OK &&
	      b.keys[0].key_salt_len == 44, "AEAD_AES_256_GCM: 44 bytes");
	n = sdes_format(&b, line, sizeof(line));
	CHECK(n > 0 && sdes_parse(line, (size_t)n, &parsed, err, sizeof(err)) ==
	      SDES_OK && sdes_crypto_equal(&b, &parsed), "GCM parse back: %s",
	      err);
	CHECK(sdes_generate(&b, SDES_TAG_MAX + 1, S80) == SDES_INVALID,
	      "tag out of range");
	sdes_crypto_wipe(&a);
	sdes_crypto_wipe(&b);
	sdes_crypto_wipe(&parsed);
}

static void answer_echoes_tag_suite_and_negotiated_params(void)
{
	static const char offer_line[] = "a=crypto:3 AES_CM_128_HMAC_SHA1_32 inline:"
		K1 "|2^31|1:1 UNENCRYPTED_SRTCP KDR=0 WSH=512";
	struct sdes_crypto offer, answer;
	char line[SDES_LINE_MAX];

	CHECK(sdes_parse(offer_line, sizeof(offer_line) - 1, &offer, NULL, 0) ==
	      SDES_OK, "offer parses");
	CHECK(sdes_answer(&offer, &answer) == SDES_OK, "answer");
	CHECK(answer.tag == 3 && answer.suite == S32, "tag and suite echoed");
	CHECK(answer.flags == SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP,
	      "negotiated UNENCRYPTED_SRTCP echoed");
	CHECK(!answer.has_kdr && !answer.wsh, "declarative params not copied");
	CHECK(answer.n_keys == 1 && memcmp(answer.keys[0].key_salt,
					   offer.keys[0].key_salt, 30),
	      "answer key is fresh");
	CHECK(sdes_format(&answer, line, sizeof(line)) > 0 &&
	      !strncmp(line, "3 AES_CM_128_HMAC_SHA1_32 inline:", 33) &&
	      strstr(line, " UNENCRYPTED_SRTCP"), "answer line \"%s\"", line);
	sdes_crypto_wipe(&offer);
	sdes_crypto_wipe(&answer);
}

static void format_needs_room_and_a_sane_struct(void)
{
	static const char l[] = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|2^20|1:4";
	struct sdes_crypto c;
	char out[sizeof(l)];
	size_t size;

	CHECK(sdes_parse(l, sizeof(l) - 1, &c, NULL, 0) == SDES_OK, "parse");
	for (size = 0; size < sizeof(l); size++) {
		char *buf = malloc(size ? size : 1);

		CHECK(sdes_format(&c, size ? buf : NULL, size) == -SDES_NOSPACE,
		      "size %zu accepted", size);
		free(buf);
	}
	CHECK(sdes_format(&c, out, sizeof(out)) == (int)sizeof(l) - 1 &&
	      !strcmp(out, l), "exact size");
	c.keys[0].mki = 1ULL << 32;
	CHECK(sdes_format(&c, out, sizeof(out)) == -SDES_INVALID, "MKI too wide");
	c.keys[0].mki = 1;
	c.keys[0].lifetime = 3;
	CHECK(sdes_format(&c, out, sizeof(out)) == -SDES_INVALID, "2^n not a power");
	c.keys[0].lifetime = 1 << 20;
	c.n_keys = 0;
	CHECK(sdes_format(&c, out, sizeof(out)) == -SDES_INVALID, "no key");
	c.n_keys = 1;
	c.suite = SDES_SUITE_UNKNOWN;
	CHECK(sdes_format(&c, out, sizeof(out)) == -SDES_INVALID, "unknown suite");
	sdes_crypto_wipe(&c);
}

int main(void)
{
	RUN(generated_line_round_trips, "RAND_bytes keys format and parse back");
	RUN(answer_echoes_tag_suite_and_negotiated_params,
	    "answer: offer's tag, suite, negotiated params; fresh key");
	RUN(format_needs_room_and_a_sane_struct,
	    "format refuses short buffers and impossible fields");
	return testing_summary();
}
