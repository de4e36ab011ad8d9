// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * RFC 4568 a=crypto formatter, the inverse of sdes_parse() in sdes.c:
 * format(parse(x)) == x for every line the parser accepts, which the fuzz
 * target checks with sdes_crypto_equal().
 */
#include "sdes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Output with a running length; too small a buffer is found at the end. */
struct writer {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(struct writer *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(w->len < w->size ? w->buf + w->len : NULL,
		      w->len < w->size ? w->size - w->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->len += (size_t)n;
}

static void put_base64(struct writer *w, const uint8_t *data, size_t n)
{
	char quad[5];
	size_t i;

	for (i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)data[i + 1] << 8;
		if (i + 2 < n)
			v |= data[i + 2];
		quad[0] = b64_alphabet[v >> 18 & 63];
		quad[1] = b64_alphabet[v >> 12 & 63];
		quad[2] = i + 1 < n ? b64_alphabet[v >> 6 & 63] : '=';
		quad[3] = i + 2 < n ? b64_alphabet[v & 63] : '=';
		quad[4] = '\0';
		put(w, "%s", quad);
	}
	OPENSSL_cleanse(quad, sizeof(quad));
}

static bool key_writable(const struct sdes_key *k, enum sdes_suite suite)
{
	if (k->key_salt_len != sdes_suite_key_salt_len(suite))
		return false;
	switch (k->lifetime_form) {
	case SDES_LIFETIME_NONE:
		break;
	case SDES_LIFETIME_DECIMAL:
		if (!k->lifetime || k->lifetime > SDES_LIFETIME_MAX)
			return false;
		break;
	case SDES_LIFETIME_POWER:
		if (!k->lifetime || k->lifetime > SDES_LIFETIME_MAX ||
		    (k->lifetime & (k->lifetime - 1)))
			return false;
		break;
	default:
		return false;
	}
	return k->mki_len <= SDES_MKI_LEN_MAX &&
	       (k->mki_len >= 8 || !(k->mki >> (8 * k->mki_len)));
}

static void put_keys(struct writer *w, const struct sdes_key *keys,
		     unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct sdes_key *k = &keys[i];

		put(w, "%sinline:", i ? ";" : "");
		put_base64(w, k->key_salt, k->key_salt_len);
		if (k->lifetime_form == SDES_LIFETIME_POWER)
			put(w, "|2^%d", __builtin_ctzll(k->lifetime));
		else if (k->lifetime_form == SDES_LIFETIME_DECIMAL)
			put(w, "|%llu", (unsigned long long)k->lifetime);
		if (k->mki_len)
			put(w, "|%llu:%u", (unsigned long long)k->mki, k->mki_len);
	}
}

int sdes_format(const struct sdes_crypto *c, char *buf, size_t size)
{
	struct writer w = { buf, size, 0 };
	unsigned int i;

	if (size)
		buf[0] = '\0';
	if (!c->suite || (unsigned int)c->suite >= __SDES_SUITE_COUNT ||
	    c->tag > SDES_TAG_MAX || !c->n_keys || c->n_keys > SDES_MAX_KEYS ||
	    c->n_fec_keys > SDES_MAX_KEYS || (c->has_kdr && c->kdr > SDES_KDR_MAX) ||
	    c->fec_order > SDES_FEC_ORDER_SRTP_FEC ||
	    (c->wsh && (c->wsh < SDES_WSH_MIN || c->wsh > SDES_WSH_MAX)) ||
	    (c->flags & ~(uint32_t)__SRTPRELAY_CRYPTO_F_ALL))
		return -SDES_INVALID;
	for (i = 0; i < c->n_keys; i++)
		if (!key_writable(&c->keys[i], c->suite))
			return -SDES_INVALID;
	for (i = 0; i < c->n_fec_keys; i++)
		if (!key_writable(&c->fec_keys[i], c->suite))
			return -SDES_INVALID;

	put(&w, "%u %s ", c->tag, sdes_suite_name(c->suite));
	put_keys(&w, c->keys, c->n_keys);
	if (c->has_kdr)
		put(&w, " KDR=%u", c->kdr);
	if (c->flags & SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP)
		put(&w, " UNENCRYPTED_SRTP");
	if (c->flags & SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP)
		put(&w, " UNENCRYPTED_SRTCP");
	if (c->flags & SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP)
		put(&w, " UNAUTHENTICATED_SRTP");
	if (c->fec_order == SDES_FEC_ORDER_FEC_SRTP)
		put(&w, " FEC_ORDER=FEC_SRTP");
	else if (c->fec_order == SDES_FEC_ORDER_SRTP_FEC)
		put(&w, " FEC_ORDER=SRTP_FEC");
	if (c->n_fec_keys) {
		put(&w, " FEC_KEY=");
		put_keys(&w, c->fec_keys, c->n_fec_keys);
	}
	if (c->wsh)
		put(&w, " WSH=%u", c->wsh);

	if (w.len >= size) {
		OPENSSL_cleanse(buf, size);
		return -SDES_NOSPACE;
	}
	return (int)w.len;
}

static bool keys_equal(const struct sdes_key *a, const struct sdes_key *b,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (a[i].key_salt_len != b[i].key_salt_len ||
		    a[i].lifetime_form != b[i].lifetime_form ||
		    a[i].lifetime != b[i].lifetime ||
		    a[i].mki_len != b[i].mki_len || a[i].mki != b[i].mki ||
		    CRYPTO_memcmp(a[i].key_salt, b[i].key_salt,
				  a[i].key_salt_len))
			return false;
	return true;
}

bool sdes_crypto_equal(const struct sdes_crypto *a, const struct sdes_crypto *b)
{
	return a->tag == b->tag && a->suite == b->suite &&
	       !strcmp(a->suite_name, b->suite_name) &&
	       a->n_keys == b->n_keys && a->n_keys <= SDES_MAX_KEYS &&
	       keys_equal(a->keys, b->keys, a->n_keys) &&
	       a->flags == b->flags && a->has_kdr == b->has_kdr &&
	       a->kdr == b->kdr && a->fec_order == b->fec_order &&
	       a->n_fec_keys == b->n_fec_keys && a->n_fec_keys <= SDES_MAX_KEYS &&
	       keys_equal(a->fec_keys, b->fec_keys, a->n_fec_keys) &&
	       a->wsh == b->wsh;
}
