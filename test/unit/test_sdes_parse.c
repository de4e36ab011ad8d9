// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Parsing SDES (RFC 4568) a=crypto lines: a table of valid and invalid lines
 * as real stacks send them, each parsed from a heap buffer of exactly its
 * length (no terminator, so AddressSanitizer sees any read past the end),
 * with the expected result and fields; keys are checked against OpenSSL's
 * base64 decoder, and each line that parses is formatted and parsed back.
 * Then every prefix of every line, and empty input.
 */
#include <stdlib.h>
#include <string.h>

#include "sdes.h"
#include "sdes_keys.h"
#include "srtp.h"
#include "testing.h"

/* Keys of other lengths, for the length checks and the other suites. */
#define K28 "HEFmi7DV+h9EaY6z2P0iR2yRttsAJUpvlLneAw=="
#define K29 "HUJnjLHW+yBFao+02f4jSG2St9wBJktwlbrfBCk="
#define K30 "HkNojbLX/CFGa5C12v8kSW6TuN0CJ0xxlrvgBSpP"
#define K31 "H0RpjrPY/SJHbJG22wAlSm+Uud4DKE1yl7zhBitQdQ=="
#define K46 "LlN4ncLnDDFWe6DF6g80WX6jyO0SN1yBpsvwFTpfhKnO8xg9Yoes0fYbQGWKrw=="

#define POW SDES_LIFETIME_POWER
#define DEC SDES_LIFETIME_DECIMAL
#define F_UE_SRTP SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP
#define F_UE_SRTCP SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP
#define F_UA_SRTP SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP

struct parse_case {
	const char *name;
	const char *line;
	size_t len;		/* 0: strlen(line) */
	int status;
	const char *msg;	/* part of the message, when not SDES_OK */
	bool canonical;		/* format(parse(line)) == line */
	/* Fields, checked unless the status is SDES_INVALID: */
	uint32_t tag;
	enum sdes_suite suite;
	unsigned int n_keys;
	const char *key0;	/* base64 of key 0 */
	uint8_t lifetime_form;
	uint64_t lifetime;
	uint64_t mki;
	uint8_t mki_len;
	uint32_t flags;
	uint32_t wsh;
	unsigned int n_fec_keys;
	unsigned int n_ignored;
};

static const struct parse_case cases[] = {
	/* Valid, from the RFC and from stacks met in the field. */
	{ .name = "rfc4568_6_1_example_lifetime_and_mki",
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|2^20|1:4",
	  .status = SDES_OK, .canonical = true, .tag = 1, .suite = S80,
	  .n_keys = 1, .key0 = K1, .lifetime_form = POW,
	  .lifetime = 1 << 20, .mki = 1, .mki_len = 4 },
	{ .name = "rfc4568_6_1_example_mki_without_lifetime",
	  .line = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K4 "|1066:4",
	  .status = SDES_OK, .tag = 1, .suite = S80, .n_keys = 1,
	  .key0 = K4, .mki = 1066, .mki_len = 4 },
	{ .name = "rfc4568_4_example_32_byte_mki_unsupported",
	  .line = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K3 "|2^20|1:32",
	  .status = SDES_UNSUPPORTED, .msg = "key-params 1: MKI is 32 bytes",
	  .tag = 1, .suite = S80, .n_keys = 1, .key0 = K3,
	  .lifetime_form = POW, .lifetime = 1 << 20, .mki = 1, .mki_len = 32 },
	{ .name = "teams_sha1_32_lifetime_2_31",
	  .line = "a=crypto:0 AES_CM_128_HMAC_SHA1_32 inline:" K2 "|2^31",
	  .status = SDES_OK, .tag = 0, .suite = S32, .n_keys = 1,
	  .key0 = K2, .lifetime_form = POW, .lifetime = 1ULL << 31 },
	{ .name = "skype_for_business_lifetime_and_mki_1_1",
	  .line = "2 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|2^31|1:1",
	  .status = SDES_OK, .canonical = true, .tag = 2, .suite = S80,
	  .n_keys = 1, .key0 = K1, .lifetime_form = POW,
	  .lifetime = 1ULL << 31, .mki = 1, .mki_len = 1 },
	{ .name = "asterisk_baresip_plain_key",
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K30,
	  .status = SDES_OK, .canonical = true, .tag = 1, .suite = S80,
	  .n_keys = 1, .key0 = K30 },
	{ .name = "cisco_polycom_sha1_32_crlf",
	  .line = "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" K3 "|2^31\r\n",
	  .status = SDES_OK, .tag = 2, .suite = S32, .n_keys = 1,
	  .key0 = K3, .lifetime_form = POW, .lifetime = 1ULL << 31 },
	{ .name = "crypto_prefix_without_a",
	  .line = "crypto:3 AES_CM_128_HMAC_SHA1_80 inline:" K2,
	  .status = SDES_OK, .tag = 3, .suite = S80, .n_keys = 1, .key0 = K2 },
	{ .name = "extra_spaces_and_tabs",
	  .line = "  a=crypto:1  \tAES_CM_128_HMAC_SHA1_80 \t inline:" K1
		  "|2^20   UNENCRYPTED_SRTCP\t ",
	  .status = SDES_OK, .tag = 1, .suite = S80, .n_keys = 1, .key0 = K1,
	  .lifetime_form = POW, .lifetime = 1 << 20, .flags = F_UE_SRTCP },
	{ .name = "lower_case_suite_and_method",
	  .line = "1 aes_cm_128_hmac_sha1_32 INLINE:" K1,
	  .status = SDES_OK, .tag = 1, .suite = S32, .n_keys = 1, .key0 = K1 },
	{ .name = "two_keys_with_mkis",
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|2^20|1:4;inline:" K2
		  "|2^20|2:4",
	  .status = SDES_OK, .canonical = true, .tag = 1, .suite = S80,
	  .n_keys = 2, .key0 = K1, .lifetime_form = POW, .lifetime = 1 << 20,
	  .mki = 1, .mki_len = 4 },
	{ .name = "decimal_lifetime_kept_decimal",
	  .line = "7 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|1048576",
	  .status = SDES_OK, .canonical = true, .tag = 7, .suite = S80,
	  .n_keys = 1, .key0 = K1, .lifetime_form = DEC, .lifetime = 1048576 },
	{ .name = "lifetime_2_48_is_the_maximum",
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|2^48",
	  .status = SDES_OK, .canonical = true, .tag = 1, .suite = S80,
	  .n_keys = 1, .key0 = K1, .lifetime_form = POW,
	  .lifetime = 1ULL << 48 },
	{ .name = "largest_tag_and_4_byte_mki",
	  .line = "999999999 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|4294967295:4",
	  .status = SDES_OK, .canonical = true, .tag = 999999999,
	  .suite = S80, .n_keys = 1, .key0 = K1, .mki = 4294967295U,
	  .mki_len = 4 },
	{ .name = "all_session_params",
	  .line = "5 AES_CM_128_HMAC_SHA1_80 inline:" K1 " KDR=0 UNENCRYPTED_SRTP"
		  " UNENCRYPTED_SRTCP UNAUTHENTICATED_SRTP FEC_ORDER=FEC_SRTP"
		  " FEC_KEY=inline:" K2 "|2^20|1:4;inline:" K3 "|2^20|2:4"
		  " WSH=256",
	  .status = SDES_OK, .canonical = true, .tag = 5, .suite = S80,
	  .n_keys = 1, .key0 = K1,
	  .flags = F_UE_SRTP | F_UE_SRTCP | F_UA_SRTP, .wsh = 256,
	  .n_fec_keys = 2 },
	{ .name = "optional_dash_param_ignored",
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 " -X_VENDOR=on WSH=64",
	  .status = SDES_OK, .tag = 1, .suite = S80, .n_keys = 1, .key0 = K1,
	  .wsh = 64, .n_ignored = 1 },

	{ .name = "mki_zero_accepted",
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|0:1",
	  .status = SDES_OK, .canonical = true, .tag = 1, .suite = S80,
	  .n_keys = 1, .key0 = K1, .mki = 0, .mki_len = 1 },

	/* Valid, but not something the SRTP core runs. */
	{ .name = "kdr_nonzero_unsupported",
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 " KDR=10",
	  .status = SDES_UNSUPPORTED, .msg = "session-param 1: KDR=10",
	  .canonical = true, .tag = 1, .suite = S80, .n_keys = 1, .key0 = K1 },
	{ .name = "mki_5_bytes_unsupported",
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|1:5",
	  .status = SDES_UNSUPPORTED, .msg = "MKI is 5 bytes", .canonical = true,
	  .tag = 1, .suite = S80, .n_keys = 1, .key0 = K1, .mki = 1,
	  .mki_len = 5 },
	{ .name = "unknown_suite_reported_by_name",
	  .line = "a=crypto:4 SEED_CTR_128_HMAC_SHA1_80 inline:whatever|2^20",
	  .status = SDES_UNSUPPORTED_SUITE, .msg = "SEED_CTR_128_HMAC_SHA1_80",
	  .tag = 4, .suite = SDES_SUITE_UNKNOWN },
	{ .name = "aes_256_supported",
	  .line = "1 AES_256_CM_HMAC_SHA1_80 inline:" K46 "|2^31",
	  .status = SDES_OK,
	  .canonical = true, .tag = 1, .suite = SDES_SUITE_AES_256_CM_HMAC_SHA1_80,
	  .n_keys = 1, .key0 = K46, .lifetime_form = POW,
	  .lifetime = 1ULL << 31 },
	{ .name = "f8_known_but_unsupported",
	  .line = "3 F8_128_HMAC_SHA1_80 inline:" K1,
	  .status = SDES_UNSUPPORTED_SUITE, .msg = "F8_128_HMAC_SHA1_80",
	  .canonical = true, .tag = 3, .suite = SDES_SUITE_F8_128_HMAC_SHA1_80,
	  .n_keys = 1, .key0 = K1 },
	{ .name = "aead_gcm_supported",
	  .line = "1 AEAD_AES_128_GCM inline:" K28,
	  .status = SDES_OK,
	  .canonical = true, .tag = 1, .suite = SDES_SUITE_AEAD_AES_128_GCM,
	  .n_keys = 1, .key0 = K28 },
	{ .name = "aead_gcm_key_of_aes_cm_length", .status = SDES_INVALID,
	  .line = "1 AEAD_AES_256_GCM inline:" K46, .msg = "needs 44" },

	/* Invalid: RFC 4568 says ignore the attribute. */
	{ .name = "key_29_bytes", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K29,
	  .msg = "key-params 1: inline key is 29 bytes, AES_CM_128_HMAC_SHA1_80 needs 30" },
	{ .name = "key_31_bytes", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_32 inline:" K31,
	  .msg = "inline key is 31 bytes" },
	{ .name = "aes_256_with_30_byte_key", .status = SDES_INVALID,
	  .line = "1 AES_256_CM_HMAC_SHA1_80 inline:" K1,
	  .msg = "inline key is 30 bytes, AES_256_CM_HMAC_SHA1_80 needs 46" },
	{ .name = "bad_base64_character", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSo!",
	  .msg = "character 40 is not base64" },
	{ .name = "url_safe_base64_rejected", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:HkNojbLX_CFGa5C12v8kSW6TuN0CJ0xxlrvgBSpP",
	  .msg = "not base64" },
	{ .name = "base64_bad_padding", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "=",
	  .msg = "not a whole number of bytes" },
	{ .name = "trailing_garbage_word", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 " garbage",
	  .msg = "session-param 1: unknown parameter \"garbage\"" },
	{ .name = "trailing_garbage_after_lifetime", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|2^20x",
	  .msg = "lifetime \"2^20x\"" },
	{ .name = "stray_semicolon", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 ";",
	  .msg = "key-params 2: empty" },
	{ .name = "tag_ten_digits", .status = SDES_INVALID,
	  .line = "1000000000 AES_CM_128_HMAC_SHA1_80 inline:" K1,
	  .msg = "tag: 10 digits" },
	{ .name = "tag_huge", .status = SDES_INVALID,
	  .line = "99999999999999999999999 AES_CM_128_HMAC_SHA1_80 inline:" K1,
	  .msg = "tag: 23 digits" },
	{ .name = "tag_leading_zero", .status = SDES_INVALID,
	  .line = "01 AES_CM_128_HMAC_SHA1_80 inline:" K1,
	  .msg = "leading zero" },
	{ .name = "tag_negative", .status = SDES_INVALID,
	  .line = "a=crypto:-1 AES_CM_128_HMAC_SHA1_80 inline:" K1,
	  .msg = "tag: missing" },
	{ .name = "tag_glued_to_suite", .status = SDES_INVALID,
	  .line = "a=crypto:1AES_CM_128_HMAC_SHA1_80 inline:" K1,
	  .msg = "expected a space" },
	{ .name = "missing_key_params", .status = SDES_INVALID,
	  .line = "a=crypto:1 AES_CM_128_HMAC_SHA1_80",
	  .msg = "key-params: missing" },
	{ .name = "missing_suite", .status = SDES_INVALID,
	  .line = "a=crypto:1 ", .msg = "crypto-suite: missing" },
	{ .name = "empty_input", .status = SDES_INVALID, .line = "",
	  .msg = "tag: missing" },
	{ .name = "key_method_not_inline", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 url:http://example.com/key",
	  .msg = "key method \"url\"" },
	{ .name = "lifetime_2_49_too_large", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|2^49",
	  .msg = "exponent is out of range" },
	{ .name = "lifetime_decimal_past_2_48", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|281474976710657",
	  .msg = "lifetime \"281474976710657\" is out of range" },
	{ .name = "lifetime_zero", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|0",
	  .msg = "lifetime \"0\" is out of range" },
	{ .name = "lifetime_leading_zero", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|2^020",
	  .msg = "leading zero" },
	{ .name = "lifetime_empty", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|",
	  .msg = "lifetime \"\"" },
	{ .name = "mki_length_zero", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|1:0",
	  .msg = "MKI length \"0\" is out of range" },
	{ .name = "mki_length_129", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|1:129",
	  .msg = "MKI length \"129\" is out of range" },
	{ .name = "mki_value_too_big_for_length", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|2^31|256:1",
	  .msg = "MKI value 256 does not fit in 1 byte" },
	{ .name = "mki_value_missing", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|:4",
	  .msg = "MKI value \"\" is empty" },
	{ .name = "mki_before_lifetime", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|1:4|2^20",
	  .msg = "MKI comes before the lifetime" },
	{ .name = "four_key_info_fields", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|2^20|1:4|x",
	  .msg = "more than three '|' fields" },
	{ .name = "two_keys_without_mki", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 ";inline:" K2,
	  .msg = "key-params 1: no MKI" },
	{ .name = "two_keys_mki_lengths_differ", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|1:4;inline:" K2 "|2:2",
	  .msg = "key-params 2: MKI is 2 bytes, key 1's is 4" },
	{ .name = "two_keys_same_mki", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|1:4;inline:" K2 "|1:4",
	  .msg = "MKI value 1 is also key 1's" },
	{ .name = "same_key_twice", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|1:4;inline:" K1 "|2:4",
	  .msg = "same master key is given twice" },
	{ .name = "wsh_below_64", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 " WSH=32",
	  .msg = "session-param 1: \"WSH=32\": window size hint is out of range" },
	{ .name = "kdr_25", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 " KDR=25",
	  .msg = "KDR=25" },
	{ .name = "fec_order_unknown", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 " FEC_ORDER=LATER",
	  .msg = "FEC_SRTP or SRTP_FEC" },
	{ .name = "fec_key_wrong_length", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 " FEC_KEY=inline:" K29,
	  .msg = "FEC_KEY 1: inline key is 29 bytes" },
	{ .name = "session_param_twice", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1
		  " UNENCRYPTED_SRTP UNENCRYPTED_SRTP",
	  .msg = "session-param 2: UNENCRYPTED_SRTP is given twice" },
	{ .name = "lone_dash_param", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 " -",
	  .msg = "unknown parameter \"-\"" },
	{ .name = "embedded_nul_in_key", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3\0GZiNWpVLFJhQX1cfHAwJSoj",
	  .len = sizeof("1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3\0GZiNWpVLFJhQX1cfHAwJSoj") - 1,
	  .msg = "character 17 is not base64" },
	{ .name = "embedded_nul_after_line", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "\0",
	  .len = sizeof("1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "\0") - 1,
	  .msg = "not base64" },
	{ .name = "nul_then_session_param", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 " WSH\0=128",
	  .len = sizeof("1 AES_CM_128_HMAC_SHA1_80 inline:" K1 " WSH\0=128") - 1,
	  .msg = "byte 0x00 is not a visible character" },
	{ .name = "line_cut_by_length_inside_key", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 "|2^20",
	  .len = sizeof("1 AES_CM_128_HMAC_SHA1_80 inline:") - 1 + 20,
	  .msg = "inline key is 15 bytes" },
	{ .name = "high_bit_bytes", .status = SDES_INVALID,
	  .line = "1 AES_CM_128_HMAC_SHA1_80 inline:" K1 " \xc3\xa9t\xc3\xa9",
	  .msg = "byte 0xc3" },
};
static void check_fields(const struct parse_case *t,
			 const struct sdes_crypto *c)
{
	unsigned char key[64];
	size_t key_len;

	CHECK(c->tag == t->tag, "tag %u, want %u", c->tag, t->tag);
	CHECK(c->suite == t->suite, "suite %d, want %d", c->suite, t->suite);
	CHECK(c->n_keys == t->n_keys, "%u keys, want %u", c->n_keys, t->n_keys);
	if (t->key0) {
		key_len = openssl_decode(t->key0, key);
		CHECK(c->keys[0].key_salt_len == key_len &&
		      !memcmp(c->keys[0].key_salt, key, key_len),
		      "key 0 differs from OpenSSL's decoding (%u bytes, want %zu)",
		      c->keys[0].key_salt_len, key_len);
	}
	CHECK(c->keys[0].lifetime_form == t->lifetime_form &&
	      c->keys[0].lifetime == t->lifetime,
	      "lifetime form %u value %llu, want %u %llu",
	      c->keys[0].lifetime_form, (unsigned long long)c->keys[0].lifetime,
	      t->lifetime_form, (unsigned long long)t->lifetime);
	CHECK(c->keys[0].mki == t->mki && c->keys[0].mki_len == t->mki_len,
	      "MKI %llu:%u, want %llu:%u", (unsigned long long)c->keys[0].mki,
	      c->keys[0].mki_len, (unsigned long long)t->mki, t->mki_len);
	CHECK(c->flags == t->flags, "flags 0x%x, want 0x%x", c->flags, t->flags);
	CHECK(c->wsh == t->wsh, "WSH %u, want %u", c->wsh, t->wsh);
	CHECK(c->n_fec_keys == t->n_fec_keys, "%u FEC keys, want %u",
	      c->n_fec_keys, t->n_fec_keys);
	CHECK(c->n_ignored == t->n_ignored, "%u ignored, want %u",
	      c->n_ignored, t->n_ignored);
}

static const struct parse_case *current;

static void run_case(void)
{
	const struct parse_case *t = current;
	size_t len = t->len ? t->len : strlen(t->line);
	/* Exactly len bytes on the heap: no terminator to lean on. */
	char *buf = malloc(len ? len : 1);
	char err[SDES_ERR_MAX], out[SDES_LINE_MAX];
	struct sdes_crypto c, again;
	int rc, n;

	memcpy(buf, t->line, len);
	rc = sdes_parse(buf, len, &c, err, sizeof(err));
	CHECK(rc == t->status, "status %s, want %s (message: %s)",
	      sdes_status_name(rc), sdes_status_name(t->status), err);
	if (t->status == SDES_OK)
		CHECK(err[0] == '\0', "message on success: %s", err);
	else
		CHECK(err[0] != '\0', "no message");
	if (t->msg)
		CHECK(strstr(err, t->msg), "message \"%s\" lacks \"%s\"", err, t->msg);
	if (rc == t->status && t->status != SDES_INVALID)
		check_fields(t, &c);
	if (t->status == SDES_INVALID)
		CHECK(c.n_keys == 0 && c.keys[0].key_salt_len == 0,
		      "keys left behind after a rejected line");
	if (rc == t->status && (rc == SDES_OK || c.suite != SDES_SUITE_UNKNOWN) &&
	    rc != SDES_INVALID) {
		n = sdes_format(&c, out, sizeof(out));
		CHECK(n > 0, "format failed: %d", n);
		if (t->canonical)
			CHECK(n > 0 && (size_t)n == len && !memcmp(out, t->line, len),
			      "format gave \"%s\"", out);
		rc = n > 0 ? sdes_parse(out, (size_t)n, &again, err, sizeof(err)) : -1;
		CHECK(rc == t->status && sdes_crypto_equal(&c, &again),
		      "formatted line \"%s\" parses to something else (%s)", out, err);
		sdes_crypto_wipe(&again);
	}
	sdes_crypto_wipe(&c);
	free(buf);
}

static void run_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		current = &cases[i];
		testing_case_failures = 0;
		run_case();
		if (testing_case_failures) {
			testing_failed++;
			printf("FAIL parse %s\n", cases[i].name);
		} else {
			testing_passed++;
			printf("PASS parse %s: %s\n", cases[i].name,
			       sdes_status_name(cases[i].status));
		}
	}
}

/* Every prefix of every line, each in a buffer of exactly its length. */
static void every_prefix_parses_within_bounds(void)
{
	struct sdes_crypto c;
	size_t i, cut;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].line);

		for (cut = 0; cut <= len; cut++) {
			char *buf = malloc(cut ? cut : 1);
			int rc;

			memcpy(buf, cases[i].line, cut);
			rc = sdes_parse(buf, cut, &c, NULL, 0);
			CHECK(rc >= SDES_OK && rc <= SDES_UNSUPPORTED,
			      "%s cut at %zu: status %d", cases[i].name, cut, rc);
			sdes_crypto_wipe(&c);
			free(buf);
		}
	}
}

static void null_and_empty_input(void)
{
	struct sdes_crypto c;
	char err[SDES_ERR_MAX];

	CHECK(sdes_parse(NULL, 0, &c, err, sizeof(err)) == SDES_INVALID &&
	      strstr(err, "no input"), "NULL: %s", err);
	CHECK(sdes_parse(NULL, 10, &c, NULL, 0) == SDES_INVALID, "NULL, length 10");
	CHECK(sdes_parse("   \r\n", 5, &c, err, sizeof(err)) == SDES_INVALID &&
	      strstr(err, "tag: missing"), "blank: %s", err);
	CHECK(sdes_parse("1 AES_CM_128_HMAC_SHA1_80 inline:" K1, 2, &c, err, 1) ==
	      SDES_INVALID && err[0] == '\0', "one-byte message buffer");
}

int main(void)
{
	run_table();
	RUN(every_prefix_parses_within_bounds,
	    "every prefix of every table line, in an exact-size buffer");
	RUN(null_and_empty_input, "NULL, blank, and a message buffer of one byte");
	return testing_summary();
}
