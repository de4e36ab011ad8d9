// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * RFC 4568 a=crypto parser (the formatter is sdes_format.c). The rules it
 * enforces, and why, are listed in sdes.h; section numbers below are
 * RFC 4568's unless named.
 */
#include "sdes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>

struct suite_info {
	const char *name;
	unsigned int key_salt_len;
	bool supported;
};

/* Key and salt lengths: RFC 4568 6.2, RFC 6188 section 7, RFC 7714 12. */
static const struct suite_info suites[__SDES_SUITE_COUNT] = {
	[SDES_SUITE_AES_CM_128_HMAC_SHA1_80] = { "AES_CM_128_HMAC_SHA1_80", 30, true },
	[SDES_SUITE_AES_CM_128_HMAC_SHA1_32] = { "AES_CM_128_HMAC_SHA1_32", 30, true },
	[SDES_SUITE_F8_128_HMAC_SHA1_80] = { "F8_128_HMAC_SHA1_80", 30, false },
	[SDES_SUITE_F8_128_HMAC_SHA1_32] = { "F8_128_HMAC_SHA1_32", 30, false },
	[SDES_SUITE_AES_192_CM_HMAC_SHA1_80] = { "AES_192_CM_HMAC_SHA1_80", 38, false },
	[SDES_SUITE_AES_192_CM_HMAC_SHA1_32] = { "AES_192_CM_HMAC_SHA1_32", 38, false },
	[SDES_SUITE_AES_256_CM_HMAC_SHA1_80] = { "AES_256_CM_HMAC_SHA1_80", 46, true },
	[SDES_SUITE_AES_256_CM_HMAC_SHA1_32] = { "AES_256_CM_HMAC_SHA1_32", 46, true },
	[SDES_SUITE_AEAD_AES_128_GCM] = { "AEAD_AES_128_GCM", 28, true },
	[SDES_SUITE_AEAD_AES_256_GCM] = { "AEAD_AES_256_GCM", 44, true },
};

const char *sdes_suite_name(enum sdes_suite suite)
{
	if ((unsigned int)suite >= __SDES_SUITE_COUNT)
		return NULL;
	return suites[suite].name;
}

unsigned int sdes_suite_key_salt_len(enum sdes_suite suite)
{
	if ((unsigned int)suite >= __SDES_SUITE_COUNT)
		return 0;
	return suites[suite].key_salt_len;
}

bool sdes_suite_supported(enum sdes_suite suite)
{
	if ((unsigned int)suite >= __SDES_SUITE_COUNT)
		return false;
	return suites[suite].supported;
}

const char *sdes_status_name(int status)
{
	switch (status) {
	case SDES_OK:
		return "ok";
	case SDES_INVALID:
		return "invalid";
	case SDES_UNSUPPORTED_SUITE:
		return "unsupported suite";
	case SDES_UNSUPPORTED:
		return "unsupported";
	case SDES_NOSPACE:
		return "no space";
	case SDES_ERROR:
		return "error";
	}
	return "unknown status";
}

void sdes_crypto_wipe(struct sdes_crypto *crypto)
{
	OPENSSL_cleanse(crypto, sizeof(*crypto));
}

/* Parser state: where messages go, and the first "unsupported" reason,
 * kept apart because a later syntax error must still win over it.
 */
struct parser {
	char *err;
	size_t err_len;
	int unsupported;
	char unsupported_msg[SDES_ERR_MAX];
};

static void vmessage(char *out, size_t out_len, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void vmessage(char *out, size_t out_len, const char *fmt, va_list ap)
{
	if (out && out_len)
		vsnprintf(out, out_len, fmt, ap);
}

static void message(char *out, size_t out_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void message(char *out, size_t out_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(out, out_len, fmt, ap);
	va_end(ap);
}

static int invalid(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int invalid(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(p->err, p->err_len, fmt, ap);
	va_end(ap);
	return SDES_INVALID;
}

static void unsupported(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void unsupported(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->unsupported)
		return;
	p->unsupported = SDES_UNSUPPORTED;
	va_start(ap, fmt);
	vmessage(p->unsupported_msg, sizeof(p->unsupported_msg), fmt, ap);
	va_end(ap);
}

/*
 * Copies untrusted text into @out for a message: printable ASCII kept,
 * anything else shown as '?', long text cut with "...".
 */
#define QUOTE_MAX 32
static const char *quote(char out[QUOTE_MAX + 4], const char *s, size_t n)
{
	size_t i, m = n > QUOTE_MAX ? QUOTE_MAX : n;

	for (i = 0; i < m; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	if (m < n)
		memcpy(out + m, "...", 3), m += 3;
	out[m] = '\0';
	return out;
}

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_vchar(char c)
{
	return (unsigned char)c >= 0x21 && (unsigned char)c <= 0x7e;
}

static bool is_token_char(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       c == '_';
}

/* [s, e) equals the literal @lit, ASCII case ignored. */
static bool span_is(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - s) == n && strncasecmp(s, lit, n) == 0;
}

static bool span_starts(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - s) >= n && strncasecmp(s, lit, n) == 0;
}

enum num_result { NUM_OK, NUM_EMPTY, NUM_NOT_DIGIT, NUM_LEADING_ZERO, NUM_RANGE };

/*
 * A decimal in [s, e): digits only, no leading zero (every number field of
 * RFC 4568 forbids them), at most @max. Never overflows.
 */
static enum num_result parse_number(const char *s, const char *e,
				    uint64_t max, uint64_t *value)
{
	const char *q;
	uint64_t v = 0;

	if (s == e)
		return NUM_EMPTY;
	for (q = s; q < e; q++)
		if (!is_digit(*q))
			return NUM_NOT_DIGIT;
	if (*s == '0' && e - s > 1)
		return NUM_LEADING_ZERO;
	for (q = s; q < e; q++) {
		unsigned int d = (unsigned int)(*q - '0');

		if (v > (max - d) / 10)
			return NUM_RANGE;
		v = v * 10 + d;
	}
	*value = v;
	return NUM_OK;
}

static const char *num_reason(enum num_result r)
{
	switch (r) {
	case NUM_EMPTY:
		return "is empty";
	case NUM_NOT_DIGIT:
		return "is not a decimal number";
	case NUM_LEADING_ZERO:
		return "has a leading zero";
	case NUM_RANGE:
		return "is out of range";
	case NUM_OK:
		break;
	}
	return "is wrong";
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Names the field of a key in messages: "key-params 2" or "FEC_KEY 1". */
struct key_field {
	const char *name;
	unsigned int index;
};

/*
 * key||salt: RFC 3548 base64. Padding may be left out (6.1 says it is
 * discarded); the bits after the last byte must be zero, so that each key
 * has one spelling and format(parse(x)) == x holds.
 */
static int parse_key_salt(struct parser *p, const struct key_field *f,
			  enum sdes_suite suite, const char *s, const char *e,
			  struct sdes_key *key)
{
	size_t n = (size_t)(e - s), pad = 0, data, bytes, i;
	unsigned int need = sdes_suite_key_salt_len(suite);
	uint32_t acc = 0;
	unsigned int bits = 0;
	uint8_t *out = key->key_salt;

	if (n == 0)
		return invalid(p, "%s %u: inline key is empty", f->name, f->index);
	while (pad < 2 && pad < n && s[n - 1 - pad] == '=')
		pad++;
	data = n - pad;
	for (i = 0; i < data; i++)
		if (b64_value(s[i]) < 0)
			return invalid(p, "%s %u: inline key: character %zu is not base64",
				       f->name, f->index, i + 1);
	if (data % 4 == 1 || (pad && (n % 4 || data % 4 != 4 - pad)))
		return invalid(p, "%s %u: inline key: %zu base64 characters%s is not a whole number of bytes",
			       f->name, f->index, data, pad ? " and padding" : "");
	bytes = data * 6 / 8;
	if (bytes != need)
		return invalid(p, "%s %u: inline key is %zu bytes, %s needs %u",
			       f->name, f->index, bytes, sdes_suite_name(suite), need);
	for (i = 0; i < data; i++) {
		acc = acc << 6 | (uint32_t)b64_value(s[i]);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*out++ = (uint8_t)(acc >> bits);
		}
	}
	if (acc & ((1U << bits) - 1))
		return invalid(p, "%s %u: inline key: base64 has bits set after the last byte",
			       f->name, f->index);
	key->key_salt_len = (uint8_t)bytes;
	return SDES_OK;
}

/* lifetime = ["2^"] 1*DIGIT, non-zero, at most the suite's 2^48 (6.1). */
static int parse_lifetime(struct parser *p, const struct key_field *f,
			  const char *s, const char *e, struct sdes_key *key)
{
	enum num_result r;
	uint64_t v = 0;
	char q[QUOTE_MAX + 4];

	if (span_starts(s, e, "2^")) {
		r = parse_number(s + 2, e, SDES_LIFETIME_EXP_MAX, &v);
		if (r != NUM_OK)
			return invalid(p, "%s %u: lifetime \"%s\": exponent %s (2^0..2^%u)",
				       f->name, f->index, quote(q, s, (size_t)(e - s)),
				       num_reason(r), SDES_LIFETIME_EXP_MAX);
		key->lifetime = 1ULL << v;
		key->lifetime_form = SDES_LIFETIME_POWER;
		return SDES_OK;
	}
	r = parse_number(s, e, SDES_LIFETIME_MAX, &v);
	if (r == NUM_OK && v == 0)
		r = NUM_RANGE;
	if (r != NUM_OK)
		return invalid(p, "%s %u: lifetime \"%s\" %s (1..2^%u, or 2^n)",
			       f->name, f->index, quote(q, s, (size_t)(e - s)),
			       num_reason(r), SDES_LIFETIME_EXP_MAX);
	key->lifetime = v;
	key->lifetime_form = SDES_LIFETIME_DECIMAL;
	return SDES_OK;
}

/* mki = mki-value ":" mki-length; length 1..128 bytes (6.1, 9.2). */
static int parse_mki(struct parser *p, const struct key_field *f,
		     const char *s, const char *e, struct sdes_key *key)
{
	const char *colon = memchr(s, ':', (size_t)(e - s));
	enum num_result r;
	uint64_t len = 0, v = 0;
	char q[QUOTE_MAX + 4];

	r = parse_number(colon + 1, e, SDES_MKI_LEN_MAX, &len);
	if (r == NUM_OK && len == 0)
		r = NUM_RANGE;
	if (r != NUM_OK)
		return invalid(p, "%s %u: MKI length \"%s\" %s (1..%u bytes)",
			       f->name, f->index,
			       quote(q, colon + 1, (size_t)(e - colon - 1)),
			       num_reason(r), SDES_MKI_LEN_MAX);
	r = parse_number(s, colon, UINT64_MAX, &v);
	if (r == NUM_RANGE && len > 8) {
		/* Only a value this wide can need more than 64 bits; it is
		 * past what any SRTP stack here could use in any case.
		 */
		unsupported(p, "%s %u: MKI value wider than 64 bits",
			    f->name, f->index);
		v = 0;
	} else if (r != NUM_OK) {
		return invalid(p, "%s %u: MKI value \"%s\" %s",
			       f->name, f->index,
			       quote(q, s, (size_t)(colon - s)), num_reason(r));
	}
	if (len < 8 && v >> (8 * len))
		return invalid(p, "%s %u: MKI value %llu does not fit in %u byte%s",
			       f->name, f->index, (unsigned long long)v,
			       (unsigned int)len, len == 1 ? "" : "s");
	if (len > SRTPRELAY_MKI_MAX_LEN)
		unsupported(p, "%s %u: MKI is %u bytes, the SRTP core takes at most %u",
			    f->name, f->index, (unsigned int)len,
			    SRTPRELAY_MKI_MAX_LEN);
	key->mki = v;
	key->mki_len = (uint8_t)len;
	return SDES_OK;
}

/* key-param = "inline:" key-salt ["|" lifetime] ["|" mki] (6.1, 9.2). */
static int parse_key_param(struct parser *p, const struct key_field *f,
			   enum sdes_suite suite, const char *s, const char *e,
			   struct sdes_key *key)
{
	const char *colon = memchr(s, ':', (size_t)(e - s));
	const char *field[3], *field_end[3], *q;
	unsigned int n = 0;
	char quoted[QUOTE_MAX + 4];
	int rc;

	if (s == e)
		return invalid(p, "%s %u: empty (stray ';')", f->name, f->index);
	if (!colon)
		return invalid(p, "%s %u: no key method, expected \"inline:\"",
			       f->name, f->index);
	if (!span_is(s, colon, "inline"))
		return invalid(p, "%s %u: key method \"%s\" is not \"inline\" (6.1)",
			       f->name, f->index,
			       quote(quoted, s, (size_t)(colon - s)));
	field[0] = colon + 1;
	for (q = field[0]; ; q++) {
		if (q < e && *q != '|')
			continue;
		field_end[n++] = q;
		if (q == e)
			break;
		if (n == 3)
			return invalid(p, "%s %u: more than three '|' fields (key, lifetime, MKI)",
				       f->name, f->index);
		field[n] = q + 1;
	}
	rc = parse_key_salt(p, f, suite, field[0], field_end[0], key);
	if (rc)
		return rc;
	if (n == 1)
		return SDES_OK;
	/* The lifetime never has a colon, the MKI always has one (6.1). */
	if (!memchr(field[1], ':', (size_t)(field_end[1] - field[1]))) {
		rc = parse_lifetime(p, f, field[1], field_end[1], key);
		if (rc)
			return rc;
		if (n == 2)
			return SDES_OK;
		if (!memchr(field[2], ':', (size_t)(field_end[2] - field[2])))
			return invalid(p, "%s %u: third field \"%s\" is not MKI:length",
				       f->name, f->index,
				       quote(quoted, field[2],
					     (size_t)(field_end[2] - field[2])));
		return parse_mki(p, f, field[2], field_end[2], key);
	}
	if (n == 3)
		return invalid(p, "%s %u: MKI comes before the lifetime; the order is key|lifetime|MKI:length",
			       f->name, f->index);
	return parse_mki(p, f, field[1], field_end[1], key);
}

/* key-params = key-param *(";" key-param), then the rules of 4.3 and 6.1
 * for several keys: each is told apart by its MKI, never by trial.
 */
static int parse_key_params(struct parser *p, const char *name,
			    enum sdes_suite suite, const char *s,
			    const char *e, struct sdes_key *keys,
			    unsigned int *n_keys)
{
	struct key_field f = { name, 0 };
	unsigned int n = 0, i, j;
	int rc;

	for (;;) {
		const char *semi = memchr(s, ';', (size_t)(e - s));
		const char *end = semi ? semi : e;

		f.index = n + 1;
		if (n == SDES_MAX_KEYS)
			return invalid(p, "%s: more than %u keys", name, SDES_MAX_KEYS);
		rc = parse_key_param(p, &f, suite, s, end, &keys[n]);
		if (rc)
			return rc;
		n++;
		if (!semi)
			break;
		s = semi + 1;
	}
	*n_keys = n;
	for (i = 0; n > 1 && i < n; i++) {
		if (!keys[i].mki_len)
			return invalid(p, "%s %u: no MKI; with several keys each needs one (6.1)",
				       name, i + 1);
		if (keys[i].mki_len != keys[0].mki_len)
			return invalid(p, "%s %u: MKI is %u bytes, key 1's is %u; they must be equal (6.1)",
				       name, i + 1, keys[i].mki_len, keys[0].mki_len);
		for (j = 0; j < i; j++)
			if (keys[i].mki == keys[j].mki)
				return invalid(p, "%s %u: MKI value %llu is also key %u's",
					       name, i + 1,
					       (unsigned long long)keys[i].mki, j + 1);
	}
	return SDES_OK;
}

/* Each master key MUST be unique in the SDP (6.1): at least we can see a
 * repeat inside one attribute, which would mean keystream reuse.
 */
static int check_unique_keys(struct parser *p, const struct sdes_crypto *c)
{
	const struct sdes_key *all[2 * SDES_MAX_KEYS];
	unsigned int n = 0, i, j;

	for (i = 0; i < c->n_keys; i++)
		all[n++] = &c->keys[i];
	for (i = 0; i < c->n_fec_keys; i++)
		all[n++] = &c->fec_keys[i];
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (all[i]->key_salt_len == all[j]->key_salt_len &&
			    !CRYPTO_memcmp(all[i]->key_salt, all[j]->key_salt,
					   all[i]->key_salt_len))
				return invalid(p, "key-params: the same master key is given twice (6.1: keys must be unique)");
	return SDES_OK;
}

static int parse_session_param(struct parser *p, struct sdes_crypto *c,
			       unsigned int pos, const char *s,
			       const char *e)
{
	char q[QUOTE_MAX + 4];
	const char *bad;
	enum num_result r;
	uint64_t v = 0;
	uint32_t flag = 0;

	for (bad = s; bad < e; bad++)
		if (!is_vchar(*bad))
			return invalid(p, "session-param %u: byte 0x%02x is not a visible character",
				       pos, (unsigned char)*bad);
	quote(q, s, (size_t)(e - s));

	if (span_is(s, e, "UNENCRYPTED_SRTP"))
		flag = SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP;
	else if (span_is(s, e, "UNENCRYPTED_SRTCP"))
		flag = SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP;
	else if (span_is(s, e, "UNAUTHENTICATED_SRTP"))
		flag = SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP;
	if (flag) {
		if (c->flags & flag)
			return invalid(p, "session-param %u: %s is given twice", pos, q);
		c->flags |= flag;
		/* RFC 7714 GCM encrypts and tags SRTP whole; SRTCP may be E=0. */
		if (flag != SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP &&
		    (c->suite == SDES_SUITE_AEAD_AES_128_GCM ||
		     c->suite == SDES_SUITE_AEAD_AES_256_GCM))
			unsupported(p, "session-param %u: %s: %s always encrypts and authenticates SRTP",
				    pos, q, c->suite_name);
		return SDES_OK;
	}

	if (span_starts(s, e, "KDR=")) {
		if (c->has_kdr)
			return invalid(p, "session-param %u: KDR is given twice", pos);
		r = parse_number(s + 4, e, SDES_KDR_MAX, &v);
		if (r != NUM_OK)
			return invalid(p, "session-param %u: \"%s\": value %s (0..%u, 6.3.1)",
				       pos, q, num_reason(r), SDES_KDR_MAX);
		c->has_kdr = true;
		c->kdr = (uint8_t)v;
		/* The core derives session keys once (RFC 3711 rate 0). */
		if (v)
			unsupported(p, "session-param %u: KDR=%u: the SRTP core supports key derivation rate 0 only",
				    pos, (unsigned int)v);
		return SDES_OK;
	}

	if (span_starts(s, e, "FEC_ORDER=")) {
		if (c->fec_order)
			return invalid(p, "session-param %u: FEC_ORDER is given twice", pos);
		if (span_is(s + 10, e, "FEC_SRTP"))
			c->fec_order = SDES_FEC_ORDER_FEC_SRTP;
		else if (span_is(s + 10, e, "SRTP_FEC"))
			c->fec_order = SDES_FEC_ORDER_SRTP_FEC;
		else
			return invalid(p, "session-param %u: \"%s\": order must be FEC_SRTP or SRTP_FEC (6.3.4)",
				       pos, q);
		return SDES_OK;
	}

	if (span_starts(s, e, "FEC_KEY=")) {
		if (c->n_fec_keys)
			return invalid(p, "session-param %u: FEC_KEY is given twice", pos);
		return parse_key_params(p, "FEC_KEY", c->suite, s + 8, e,
					c->fec_keys, &c->n_fec_keys);
	}

	if (span_starts(s, e, "WSH=")) {
		if (c->wsh)
			return invalid(p, "session-param %u: WSH is given twice", pos);
		r = parse_number(s + 4, e, SDES_WSH_MAX, &v);
		if (r == NUM_OK && v < SDES_WSH_MIN)
			r = NUM_RANGE;
		if (r != NUM_OK)
			return invalid(p, "session-param %u: \"%s\": window size hint %s (%u..%u, 6.3.6)",
				       pos, q, num_reason(r), SDES_WSH_MIN, SDES_WSH_MAX);
		c->wsh = (uint32_t)v;
		return SDES_OK;
	}

	/* 6.3.7: a leading '-' marks an optional parameter we may ignore. */
	if (*s == '-' && e - s > 1) {
		c->n_ignored++;
		return SDES_OK;
	}
	return invalid(p, "session-param %u: unknown parameter \"%s\"; only ones starting with '-' may be ignored (6.3.7)",
		       pos, q);
}

int sdes_parse(const char *buf, size_t len, struct sdes_crypto *c,
	       char *err, size_t err_len)
{
	struct parser p = { .err = err, .err_len = err_len };
	const char *s = buf, *e, *t;
	char q[QUOTE_MAX + 4];
	unsigned int i, n_param = 0;
	uint64_t tag = 0;
	enum num_result r;
	int rc;

	memset(c, 0, sizeof(*c));
	if (err && err_len)
		err[0] = '\0';
	if (!buf) {
		rc = invalid(&p, "no input");
		goto out;
	}
	e = buf + len;	/* after the check: NULL + 0 is undefined too */
	while (e > s && (is_wsp(e[-1]) || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	while (s < e && is_wsp(*s))
		s++;
	if (span_starts(s, e, "a=crypto:") && !strncmp(s, "a=crypto:", 9))
		s += 9;
	else if (span_starts(s, e, "crypto:") && !strncmp(s, "crypto:", 7))
		s += 7;

	/* tag = 1*9DIGIT (9.1), no leading zero (4.1) */
	for (t = s; s < e && is_digit(*s); s++)
		;
	if (s == t)
		rc = invalid(&p, "tag: missing; expected a decimal number, not \"%s\"",
			     quote(q, t, (size_t)(e - t)));
	else if (s - t > 9)
		rc = invalid(&p, "tag: %zu digits, at most 9 (0..%u)",
			     (size_t)(s - t), SDES_TAG_MAX);
	else if ((r = parse_number(t, s, SDES_TAG_MAX, &tag)) != NUM_OK)
		rc = invalid(&p, "tag \"%s\" %s", quote(q, t, (size_t)(s - t)),
			     num_reason(r));
	else if (s == e)
		rc = invalid(&p, "crypto-suite: missing after tag %llu",
			     (unsigned long long)tag);
	else if (!is_wsp(*s))
		rc = invalid(&p, "tag: \"%s\" follows the number; expected a space",
			     quote(q, s, (size_t)(e - s)));
	else
		rc = SDES_OK;
	if (rc)
		goto out;
	c->tag = (uint32_t)tag;
	while (s < e && is_wsp(*s))
		s++;

	/* crypto-suite = 1*(ALPHA / DIGIT / "_") */
	for (t = s; s < e && is_token_char(*s); s++)
		;
	if (s == t) {
		rc = invalid(&p, "crypto-suite: missing; found \"%s\"",
			     quote(q, t, (size_t)(e - t)));
		goto out;
	}
	if (s < e && !is_wsp(*s)) {
		rc = invalid(&p, "crypto-suite: unexpected \"%s\" after the name",
			     quote(q, s, (size_t)(e - s)));
		goto out;
	}
	for (i = 1; i < __SDES_SUITE_COUNT; i++)
		if (span_is(t, s, suites[i].name))
			c->suite = (enum sdes_suite)i;
	if (c->suite == SDES_SUITE_UNKNOWN) {
		quote(q, t, (size_t)(s - t));
		snprintf(c->suite_name, sizeof(c->suite_name), "%s", q);
		message(err, err_len, "crypto-suite: %s is not a suite this relay knows",
			c->suite_name);
		return SDES_UNSUPPORTED_SUITE;
	}
	snprintf(c->suite_name, sizeof(c->suite_name), "%s", suites[c->suite].name);
	while (s < e && is_wsp(*s))
		s++;
	if (s == e) {
		rc = invalid(&p, "key-params: missing after the crypto-suite");
		goto out;
	}

	for (t = s; s < e && !is_wsp(*s); s++)
		;
	rc = parse_key_params(&p, "key-params", c->suite, t, s, c->keys,
			      &c->n_keys);
	if (rc)
		goto out;

	/* *(1*WSP session-param): e was trimmed, so a token follows. */
	while (s < e) {
		while (s < e && is_wsp(*s))
			s++;
		for (t = s; s < e && !is_wsp(*s); s++)
			;
		rc = parse_session_param(&p, c, ++n_param, t, s);
		if (rc)
			goto out;
	}
	rc = check_unique_keys(&p, c);
	if (rc)
		goto out;

	if (!suites[c->suite].supported) {
		message(err, err_len, "crypto-suite: %s is known, but the SRTP core does not run it",
			c->suite_name);
		return SDES_UNSUPPORTED_SUITE;
	}
	if (p.unsupported) {
		message(err, err_len, "%s", p.unsupported_msg);
		return p.unsupported;
	}
	return SDES_OK;
out:
	sdes_crypto_wipe(c);
	return rc;
}
