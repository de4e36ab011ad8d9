/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * HTTP digest authentication as SIP uses it (RFC 3261 22, RFC 7616 with
 * SHA-256 and MD5, qop=auth): the challenges of a 401/407 and the
 * Authorization we answer with (client), and the stateless nonces and
 * answer checks of a challenging registrar (server). osip2 parses the
 * headers; this file reads its structures, whose values are still quoted.
 *
 * Hashes are OpenSSL EVP digests, hex-encoded in lower case as RFC 7616
 * 3.4 writes them. Passwords and HA1s are secrets: callers keep them in
 * wiped memory, and nothing here logs.
 */
#ifndef SRTPRELAYD_SIP_DIGEST_H
#define SRTPRELAYD_SIP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <osipparser2/osip_parser.h>

/* Hex of the longest hash (SHA-256) and its NUL. */
#define DIGEST_HEX_LEN 65
#define DIGEST_NONCE_KEY_LEN 32

enum digest_algo {
	DIGEST_MD5,
	DIGEST_MD5_SESS,
	DIGEST_SHA256,
	DIGEST_SHA256_SESS,
};

/* One WWW-Authenticate or Proxy-Authenticate challenge, unquoted. */
struct digest_challenge {
	enum digest_algo algo;
	bool qop_auth;			/* offered qop includes "auth" */
	bool stale;			/* the nonce, not our password, was wrong */
	bool proxy;			/* 407: answer in Proxy-Authorization */
	char realm[128];
	char nonce[256];
	char opaque[256];
};

/* What a client's Authorization carried, unquoted (server side). */
struct digest_answer {
	enum digest_algo algo;
	bool qop_auth;
	char username[128];
	char realm[128];
	char nonce[256];
	char uri[512];
	char response[DIGEST_HEX_LEN];
	char cnonce[128];
	char nc[16];
};

/* "MD5", "SHA-256", "MD5-sess", "SHA-256-sess" (RFC 7616 6.1). */
const char *digest_algo_name(enum digest_algo algo);
/* Parses a name, case-insensitively; -1 for an unknown one. */
int digest_algo_parse(const char *name, size_t len, enum digest_algo *out);

/*
 * The challenge of @resp (a 401's WWW-Authenticate or a 407's
 * Proxy-Authenticate) that we answer: of several, the strongest
 * algorithm we know (SHA-256 before MD5, RFC 7616 3.7); a challenge
 * with an unknown algorithm or scheme, or without nonce or realm, is
 * skipped. 0, or -1 when none is usable.
 */
int digest_pick_challenge(const osip_message_t *resp,
			  struct digest_challenge *out);

/* H(@data), hex. */
void digest_hash_hex(enum digest_algo algo, const char *data, size_t len,
		     char out[DIGEST_HEX_LEN]);
/* HA1 = H(user:realm:password) (RFC 7616 3.4.2; -sess is applied by
 * digest_response, which knows the nonce and cnonce). */
void digest_ha1(enum digest_algo algo, const char *user, const char *realm,
		const char *password, char out[DIGEST_HEX_LEN]);
/*
 * The response (RFC 7616 3.4.1) from HA1 (its plain form for -sess too):
 * with @qop_auth, H(HA1:nonce:nc:cnonce:auth:H(method:uri)); without,
 * RFC 2069's H(HA1:nonce:H(method:uri)).
 */
void digest_response(enum digest_algo algo, const char *ha1,
		     const char *nonce, const char *nc, const char *cnonce,
		     bool qop_auth, const char *method, const char *uri,
		     char out[DIGEST_HEX_LEN]);

/*
 * The value of an Authorization (or Proxy-Authorization) header answering
 * @ch for @method on @uri: "Digest username=..., response=...". @nc is
 * the count of requests sent with this nonce (from 1), @cnonce our random
 * token (used with qop=auth). Returns the length, or -1 when @buf is too
 * short or a value cannot be quoted (a '"' or '\\' in a user name).
 */
int digest_authorization(char *buf, size_t len, const struct digest_challenge *ch,
			 const char *user, const char *password,
			 const char *method, const char *uri, unsigned int nc,
			 const char *cnonce);

/*
 * The Authorization of @req answering our @realm (the first such header):
 * 0, or -1 when there is none or it is not a digest answer we can check.
 */
int digest_answer_of(const osip_message_t *req, const char *realm,
		     struct digest_answer *out);

/*
 * Stateless nonces (server side): the time they were made and an HMAC
 * over it and the realm under @key, so that a nonce needs no table, is
 * ours and ages: "<16 hex of seconds><32 hex of HMAC-SHA-256>".
 */
void digest_nonce_make(const uint8_t key[DIGEST_NONCE_KEY_LEN], const char *realm,
		       uint64_t now_s, char *out, size_t len);
enum digest_nonce_state { DIGEST_NONCE_OK, DIGEST_NONCE_STALE, DIGEST_NONCE_BAD };
enum digest_nonce_state digest_nonce_check(const uint8_t key[DIGEST_NONCE_KEY_LEN],
					   const char *realm, const char *nonce,
					   uint64_t now_s, unsigned int max_age_s);

/* Does @a's response match the one @ha1 gives for @method? In constant
 * time (the response is what a guesser probes). */
bool digest_answer_valid(const struct digest_answer *a, const char *ha1,
			 const char *method);

#endif
