// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Digest authentication (RFC 3261 22, RFC 7616): see digest.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sip/digest.h"

static const char *const algo_names[] = {
	[DIGEST_MD5] = "MD5",
	[DIGEST_MD5_SESS] = "MD5-sess",
	[DIGEST_SHA256] = "SHA-256",
	[DIGEST_SHA256_SESS] = "SHA-256-sess",
};

const char *digest_algo_name(enum digest_algo algo)
{
	return algo_names[algo];
}

int digest_algo_parse(const char *name, size_t len, enum digest_algo *out)
{
	unsigned int i;

	for (i = 0; i < sizeof(algo_names) / sizeof(algo_names[0]); i++)
		if (strlen(algo_names[i]) == len && !strncasecmp(name, algo_names[i], len)) {
			*out = (enum digest_algo)i;
			return 0;
		}
	return -1;
}

static bool algo_sha256(enum digest_algo algo)
{
	return algo == DIGEST_SHA256 || algo == DIGEST_SHA256_SESS;
}

static bool algo_sess(enum digest_algo algo)
{
	return algo == DIGEST_MD5_SESS || algo == DIGEST_SHA256_SESS;
}

/*
 * osip2 leaves quoted-strings quoted: copies @in without its quotes and
 * with quoted-pairs resolved (RFC 3261 25.1). -1 when it does not fit or
 * is empty.
 */
static int unquote(const char *in, char *out, size_t len)
{
	size_t n = 0, i = 0, end;

	if (!in)
		return -1;
	end = strlen(in);
	if (end >= 2 && in[0] == '"' && in[end - 1] == '"') {
		i = 1;
		end--;
	}
	for (; i < end; i++) {
		if (in[i] == '\\' && i + 1 < end)
			i++;
		if (n + 1 >= len)
			return -1;
		out[n++] = in[i];
	}
	out[n] = 0;
	return n ? 0 : -1;
}

/* Is @token one of the comma-separated (maybe quoted) list @list? */
static bool list_has(const char *list, const char *token)
{
	size_t tl = strlen(token);
	const char *p = list;

	while (p && *p) {
		p += strspn(p, "\" \t,");
		if (!strncasecmp(p, token, tl) && (!p[tl] || strchr("\" \t,", p[tl])))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

static int challenge_of(const osip_www_authenticate_t *h, bool proxy,
			struct digest_challenge *ch)
{
	char algo[32];

	memset(ch, 0, sizeof(*ch));
	ch->proxy = proxy;
	if (!h->auth_type || strcasecmp(h->auth_type, "Digest") ||
	    unquote(h->realm, ch->realm, sizeof(ch->realm)) ||
	    unquote(h->nonce, ch->nonce, sizeof(ch->nonce)))
		return -1;
	if (h->opaque && unquote(h->opaque, ch->opaque, sizeof(ch->opaque)))
		return -1;
	ch->algo = DIGEST_MD5;		/* RFC 7616 3.3: absent means MD5 */
	if (h->algorithm && (unquote(h->algorithm, algo, sizeof(algo)) ||
			     digest_algo_parse(algo, strlen(algo), &ch->algo)))
		return -1;
	/* qop given but without "auth" (only auth-int): not ours to answer. */
	if (h->qop_options && !list_has(h->qop_options, "auth"))
		return -1;
	ch->qop_auth = h->qop_options != NULL;
	ch->stale = h->stale && list_has(h->stale, "true");
	return 0;
}

int digest_pick_challenge(const osip_message_t *resp, struct digest_challenge *out)
{
	const osip_list_t *list = resp->status_code == 407 ?
				  &resp->proxy_authenticates : &resp->www_authenticates;
	struct digest_challenge ch;
	bool found = false;
	int i;

	for (i = 0; i < osip_list_size(list); i++) {
		const osip_www_authenticate_t *h = osip_list_get(list, i);

		if (challenge_of(h, resp->status_code == 407, &ch))
			continue;
		if (!found || (algo_sha256(ch.algo) && !algo_sha256(out->algo))) {
			*out = ch;
			found = true;
		}
	}
	return found ? 0 : -1;
}

void digest_hash_hex(enum digest_algo algo, const char *data, size_t len,
		     char out[DIGEST_HEX_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (!EVP_Digest(data, len, md, &n, algo_sha256(algo) ? EVP_sha256() : EVP_md5(),
			NULL))
		n = 0;		/* an empty hash matches nothing */
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[2 * n] = 0;
}

/* H of "a:b[:c...]" joined in a buffer that is wiped (it holds secrets). */
static void hash_joined(enum digest_algo algo, char out[DIGEST_HEX_LEN],
			const char *const *parts, unsigned int n)
{
	char buf[2048];
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		int w = snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? ":" : "",
				 parts[i]);

		if (w < 0 || (size_t)w >= sizeof(buf) - len) {
			len = sizeof(buf);	/* too long: hash nothing */
			break;
		}
		len += (size_t)w;
	}
	if (len >= sizeof(buf))
		out[0] = 0;
	else
		digest_hash_hex(algo, buf, len, out);
	OPENSSL_cleanse(buf, sizeof(buf));
}

void digest_ha1(enum digest_algo algo, const char *user, const char *realm,
		const char *password, char out[DIGEST_HEX_LEN])
{
	const char *parts[] = { user, realm, password };

	hash_joined(algo, out, parts, 3);
}

void digest_response(enum digest_algo algo, const char *ha1,
		     const char *nonce, const char *nc, const char *cnonce,
		     bool qop_auth, const char *method, const char *uri,
		     char out[DIGEST_HEX_LEN])
{
	char ha1_sess[DIGEST_HEX_LEN], ha2[DIGEST_HEX_LEN];
	const char *a2[] = { method, uri };

	if (algo_sess(algo)) {
		const char *s[] = { ha1, nonce, cnonce };

		hash_joined(algo, ha1_sess, s, 3);
		ha1 = ha1_sess;
	}
	hash_joined(algo, ha2, a2, 2);
	if (qop_auth) {
		const char *r[] = { ha1, nonce, nc, cnonce, "auth", ha2 };

		hash_joined(algo, out, r, 6);
	} else {
		const char *r[] = { ha1, nonce, ha2 };

		hash_joined(algo, out, r, 3);
	}
	OPENSSL_cleanse(ha1_sess, sizeof(ha1_sess));
}

/* A value that needs no escaping inside quotes (we never write one that
 * does: a peer's nonce with a quote in it was not a nonce we can echo). */
static bool quotable(const char *s)
{
	return !strpbrk(s, "\"\\\r\n");
}

int digest_authorization(char *buf, size_t len, const struct digest_challenge *ch,
			 const char *user, const char *password,
			 const char *method, const char *uri, unsigned int nc,
			 const char *cnonce)
{
	char ha1[DIGEST_HEX_LEN], resp[DIGEST_HEX_LEN], ncs[9];
	int n, m = 0;

	if (!quotable(user) || !quotable(uri) || !quotable(ch->realm) ||
	    !quotable(ch->nonce) || !quotable(ch->opaque) || !quotable(cnonce))
		return -1;
	snprintf(ncs, sizeof(ncs), "%08x", nc);
	digest_ha1(ch->algo, user, ch->realm, password, ha1);
	digest_response(ch->algo, ha1, ch->nonce, ncs, cnonce, ch->qop_auth,
			method, uri, resp);
	OPENSSL_cleanse(ha1, sizeof(ha1));
	n = snprintf(buf, len, "Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", "
		     "uri=\"%s\", response=\"%s\", algorithm=%s", user, ch->realm,
		     ch->nonce, uri, resp, digest_algo_name(ch->algo));
	if (n >= 0 && (size_t)n < len && ch->qop_auth)
		m = snprintf(buf + n, len - n, ", qop=auth, nc=%s, cnonce=\"%s\"",
			     ncs, cnonce);
	if (n >= 0 && m >= 0 && (size_t)(n + m) < len && ch->opaque[0])
		m += snprintf(buf + n + m, len - n - m, ", opaque=\"%s\"", ch->opaque);
	if (n < 0 || m < 0 || (size_t)(n + m) >= len)
		return -1;
	return n + m;
}

int digest_answer_of(const osip_message_t *req, const char *realm,
		     struct digest_answer *out)
{
	char algo[32], qop[16];
	int i;

	for (i = 0; i < osip_list_size(&req->authorizations); i++) {
		const osip_authorization_t *h = osip_list_get(&req->authorizations, i);

		memset(out, 0, sizeof(*out));
		if (!h->auth_type || strcasecmp(h->auth_type, "Digest") ||
		    unquote(h->realm, out->realm, sizeof(out->realm)) ||
		    strcmp(out->realm, realm))
			continue;
		if (unquote(h->username, out->username, sizeof(out->username)) ||
		    unquote(h->nonce, out->nonce, sizeof(out->nonce)) ||
		    unquote(h->uri, out->uri, sizeof(out->uri)) ||
		    unquote(h->response, out->response, sizeof(out->response)))
			return -1;
		out->algo = DIGEST_MD5;
		if (h->algorithm && (unquote(h->algorithm, algo, sizeof(algo)) ||
				     digest_algo_parse(algo, strlen(algo), &out->algo)))
			return -1;
		if (h->message_qop) {
			if (unquote(h->message_qop, qop, sizeof(qop)) ||
			    strcasecmp(qop, "auth") ||
			    unquote(h->cnonce, out->cnonce, sizeof(out->cnonce)) ||
			    unquote(h->nonce_count, out->nc, sizeof(out->nc)))
				return -1;
			out->qop_auth = true;
		}
		return 0;
	}
	return -1;
}

static void nonce_mac(const uint8_t key[DIGEST_NONCE_KEY_LEN], const char *realm,
		      const char *stamp, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE], msg[512];
	unsigned int n = 0, i;
	int len = snprintf((char *)msg, sizeof(msg), "%s:%s", stamp, realm);

	if (len < 0 || (size_t)len >= sizeof(msg) ||
	    !HMAC(EVP_sha256(), key, DIGEST_NONCE_KEY_LEN, msg, (size_t)len, md, &n) ||
	    n < 16)
		memset(md, 0, 16);	/* checks below fail on an all-zero MAC too */
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[32] = 0;
}

void digest_nonce_make(const uint8_t key[DIGEST_NONCE_KEY_LEN], const char *realm,
		       uint64_t now_s, char *out, size_t len)
{
	char stamp[17], mac[33];

	snprintf(stamp, sizeof(stamp), "%016llx", (unsigned long long)now_s);
	nonce_mac(key, realm, stamp, mac);
	snprintf(out, len, "%s%s", stamp, mac);
}

enum digest_nonce_state digest_nonce_check(const uint8_t key[DIGEST_NONCE_KEY_LEN],
					   const char *realm, const char *nonce,
					   uint64_t now_s, unsigned int max_age_s)
{
	char stamp[17], mac[33];
	unsigned long long made;
	char *end;

	if (strlen(nonce) != 48 || strspn(nonce, "0123456789abcdef") != 48)
		return DIGEST_NONCE_BAD;
	memcpy(stamp, nonce, 16);
	stamp[16] = 0;
	nonce_mac(key, realm, stamp, mac);
	if (CRYPTO_memcmp(mac, nonce + 16, 32))
		return DIGEST_NONCE_BAD;
	made = strtoull(stamp, &end, 16);
	if (made > now_s || now_s - made > max_age_s)
		return DIGEST_NONCE_STALE;
	return DIGEST_NONCE_OK;
}

bool digest_answer_valid(const struct digest_answer *a, const char *ha1,
			 const char *method)
{
	char want[DIGEST_HEX_LEN];
	size_t n;
	bool ok;

	digest_response(a->algo, ha1, a->nonce, a->nc, a->cnonce, a->qop_auth,
			method, a->uri, want);
	n = strlen(want);
	ok = n && strlen(a->response) == n && !CRYPTO_memcmp(want, a->response, n);
	return ok;
}
