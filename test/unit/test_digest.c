// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Digest authentication (daemon/sip/digest.c, compiled in): the responses
 * of RFC 7616 3.9.1 (SHA-256 and MD5) and RFC 2617 3.5, the Authorization
 * we write read back by osip2 and checked as a registrar checks it, the
 * choice among several challenges, stale and unusable challenges, and the
 * stateless nonces (ours, aged, forged).
 */
#include <string.h>

#include "../../daemon/sip/digest.c"
#include "testing.h"

/* RFC 7616 3.9.1 */
#define R7616_REALM "http-auth@example.org"
#define R7616_NONCE "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define R7616_CNONCE "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
#define R7616_OPAQUE "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"

static void rfc7616_vector(enum digest_algo algo, const char *want)
{
	char ha1[DIGEST_HEX_LEN], resp[DIGEST_HEX_LEN];

	digest_ha1(algo, "Mufasa", R7616_REALM, "Circle of Life", ha1);
	digest_response(algo, ha1, R7616_NONCE, "00000001", R7616_CNONCE, true,
			"GET", "/dir/index.html", resp);
	CHECK(!strcmp(resp, want), "%s response %s, RFC 7616 says %s",
	      digest_algo_name(algo), resp, want);
}

static void rfc7616_sha256_and_md5(void)
{
	rfc7616_vector(DIGEST_SHA256,
		       "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
	rfc7616_vector(DIGEST_MD5, "8ca523f5e9506fed4657c9700eebdbec");
}

static void rfc2617_md5(void)
{
	char ha1[DIGEST_HEX_LEN], resp[DIGEST_HEX_LEN];

	digest_ha1(DIGEST_MD5, "Mufasa", "testrealm@host.com", "Circle Of Life", ha1);
	digest_response(DIGEST_MD5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093",
			"00000001", "0a4f113b", true, "GET", "/dir/index.html", resp);
	CHECK(!strcmp(resp, "6629fae49393a05397450978507c4ef1"), "response %s", resp);
}

static osip_message_t *response_with(int code, const char *const *challenges,
				     unsigned int n)
{
	osip_message_t *m = NULL;
	unsigned int i;

	if (osip_message_init(&m))
		return NULL;
	osip_message_set_status_code(m, code);
	for (i = 0; i < n; i++) {
		if (code == 407)
			osip_message_set_proxy_authenticate(m, challenges[i]);
		else
			osip_message_set_www_authenticate(m, challenges[i]);
	}
	return m;
}

static void strongest_challenge_picked(void)
{
	const char *chs[] = {
		"Digest realm=\"" R7616_REALM "\", qop=\"auth, auth-int\", algorithm=MD5, "
		"nonce=\"" R7616_NONCE "\", opaque=\"" R7616_OPAQUE "\"",
		"Digest realm=\"" R7616_REALM "\", qop=\"auth, auth-int\", algorithm=SHA-256, "
		"nonce=\"" R7616_NONCE "\", opaque=\"" R7616_OPAQUE "\"",
		"Basic realm=\"x\"",
	};
	osip_message_t *m = response_with(401, chs, 3);
	struct digest_challenge ch;

	CHECK(m && !digest_pick_challenge(m, &ch), "a challenge found");
	CHECK(ch.algo == DIGEST_SHA256, "SHA-256 chosen over MD5 (%s)",
	      digest_algo_name(ch.algo));
	CHECK(!strcmp(ch.realm, R7616_REALM) && !strcmp(ch.nonce, R7616_NONCE) &&
	      !strcmp(ch.opaque, R7616_OPAQUE), "realm %s nonce %s opaque %s unquoted",
	      ch.realm, ch.nonce, ch.opaque);
	CHECK(ch.qop_auth && !ch.stale && !ch.proxy, "qop auth, not stale, not proxy");
	osip_message_free(m);
}

static void proxy_stale_and_unusable(void)
{
	const char *only_int[] = { "Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"" };
	const char *unknown[] = { "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256" };
	const char *stale[] = { "Digest realm=\"r\", nonce=\"n2\", stale=true" };
	struct digest_challenge ch;
	osip_message_t *m;

	m = response_with(401, only_int, 1);
	CHECK(m && digest_pick_challenge(m, &ch), "qop=auth-int alone refused");
	osip_message_free(m);
	m = response_with(401, unknown, 1);
	CHECK(m && digest_pick_challenge(m, &ch), "unknown algorithm refused");
	osip_message_free(m);
	m = response_with(407, stale, 1);
	CHECK(m && !digest_pick_challenge(m, &ch), "407 challenge found");
	CHECK(ch.proxy && ch.stale && !ch.qop_auth && ch.algo == DIGEST_MD5,
	      "proxy %d stale %d qop %d algo %s", ch.proxy, ch.stale, ch.qop_auth,
	      digest_algo_name(ch.algo));
	osip_message_free(m);
}

/* What we write, parsed back by osip2 and checked by the server side. */
static void authorization_round_trip(void)
{
	const char *chs[] = { "Digest realm=\"sbc.example.test\", nonce=\"abc123\", "
			      "algorithm=SHA-256, qop=\"auth\", opaque=\"op\"" };
	osip_message_t *resp = response_with(401, chs, 1), *req = NULL;
	struct digest_challenge ch;
	struct digest_answer a;
	char hdr[1024], ha1[DIGEST_HEX_LEN];
	int n;

	CHECK(resp && !digest_pick_challenge(resp, &ch), "challenge");
	n = digest_authorization(hdr, sizeof(hdr), &ch, "alice", "s3cret",
				 "REGISTER", "sip:sbc.example.test", 1, "c0ffee");
	CHECK(n > 0 && strstr(hdr, "algorithm=SHA-256") && strstr(hdr, "nc=00000001") &&
	      strstr(hdr, "cnonce=\"c0ffee\"") && strstr(hdr, "opaque=\"op\"") &&
	      !strstr(hdr, "s3cret"), "header: %s", hdr);
	CHECK(!osip_message_init(&req) && !osip_message_set_authorization(req, hdr),
	      "osip2 parses it");
	CHECK(!digest_answer_of(req, "sbc.example.test", &a), "answer read back");
	CHECK(!strcmp(a.username, "alice") && a.qop_auth && a.algo == DIGEST_SHA256 &&
	      !strcmp(a.uri, "sip:sbc.example.test"), "user %s uri %s", a.username, a.uri);
	CHECK(digest_answer_of(req, "other.realm", &a), "another realm's answer ignored");
	digest_answer_of(req, "sbc.example.test", &a);
	digest_ha1(DIGEST_SHA256, "alice", "sbc.example.test", "s3cret", ha1);
	CHECK(digest_answer_valid(&a, ha1, "REGISTER"), "valid for REGISTER");
	CHECK(!digest_answer_valid(&a, ha1, "INVITE"), "not for INVITE");
	digest_ha1(DIGEST_SHA256, "alice", "sbc.example.test", "wrong", ha1);
	CHECK(!digest_answer_valid(&a, ha1, "REGISTER"), "not with another password");
	CHECK(digest_authorization(hdr, sizeof(hdr), &ch, "ev\"il", "p", "REGISTER",
				   "sip:x", 1, "c") < 0, "a quote in a user name refused");
	CHECK(digest_authorization(hdr, 40, &ch, "alice", "p", "REGISTER",
				   "sip:x", 1, "c") < 0, "a short buffer refused");
	osip_message_free(resp);
	osip_message_free(req);
}

static void stateless_nonces(void)
{
	uint8_t key[DIGEST_NONCE_KEY_LEN], other[DIGEST_NONCE_KEY_LEN];
	char nonce[64], forged[64];

	memset(key, 7, sizeof(key));
	memset(other, 8, sizeof(other));
	digest_nonce_make(key, "r", 1000, nonce, sizeof(nonce));
	CHECK(strlen(nonce) == 48, "nonce %s", nonce);
	CHECK(digest_nonce_check(key, "r", nonce, 1000, 300) == DIGEST_NONCE_OK, "fresh");
	CHECK(digest_nonce_check(key, "r", nonce, 1300, 300) == DIGEST_NONCE_OK, "at max age");
	CHECK(digest_nonce_check(key, "r", nonce, 1301, 300) == DIGEST_NONCE_STALE, "aged");
	CHECK(digest_nonce_check(key, "r", nonce, 999, 300) == DIGEST_NONCE_STALE,
	      "from the future");
	CHECK(digest_nonce_check(other, "r", nonce, 1000, 300) == DIGEST_NONCE_BAD,
	      "another key's");
	CHECK(digest_nonce_check(key, "r2", nonce, 1000, 300) == DIGEST_NONCE_BAD,
	      "another realm's");
	memcpy(forged, nonce, sizeof(forged));
	forged[15] = forged[15] == '0' ? '1' : '0';	/* a younger time stamp */
	CHECK(digest_nonce_check(key, "r", forged, 1000, 300) == DIGEST_NONCE_BAD,
	      "time stamp changed");
	CHECK(digest_nonce_check(key, "r", "xyz", 1000, 300) == DIGEST_NONCE_BAD,
	      "garbage");
}

int main(void)
{
	RUN(rfc7616_sha256_and_md5, "RFC 7616 3.9.1's SHA-256 and MD5 responses");
	RUN(rfc2617_md5, "RFC 2617 3.5's MD5 qop=auth response");
	RUN(strongest_challenge_picked, "of MD5 and SHA-256 challenges SHA-256 is answered");
	RUN(proxy_stale_and_unusable, "407 stale read; auth-int only and unknown algorithms skipped");
	RUN(authorization_round_trip, "our Authorization parses and verifies, wrong ones do not");
	RUN(stateless_nonces, "nonces: ours fresh, aged stale, forged bad");
	return testing_summary();
}
