// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Answering challenges (daemon/call/auth_client.c, compiled in with the
 * real digest and SIP helpers): one answer per request, a second
 * challenge final unless stale=true (and then at most AUTH_MAX_STALE
 * times), 401 in Authorization and 407 in Proxy-Authorization, another
 * realm refused, no credentials refused, and the password in no output.
 */
#include <string.h>

#include "../../daemon/base/log.c"
#include "../../daemon/base/sbuf.c"
#include "../../daemon/base/secret_mem.c"
#include "../../daemon/sip/sip_frame.c"
#include "../../daemon/sip/sip_msg.c"
#include "../../daemon/sip/digest.c"
#include "../../daemon/call/auth_client.c"
#include "testing.h"

static struct cfg_auth cred = { .set = true, .username = "sbc",
				.password = "pw-s3cret", .realm = "" };
static char hdr[2048], why[256];

static osip_message_t *challenge(int code, const char *nonce, bool stale)
{
	osip_message_t *m = NULL;
	char h[256];

	if (osip_message_init(&m))
		return NULL;
	osip_message_set_status_code(m, code);
	snprintf(h, sizeof(h), "Digest realm=\"trunk\", nonce=\"%s\", qop=\"auth\", "
		 "algorithm=SHA-256%s", nonce, stale ? ", stale=true" : "");
	if (code == 407)
		osip_message_set_proxy_authenticate(m, h);
	else
		osip_message_set_www_authenticate(m, h);
	return m;
}

static int answer(struct auth_state *st, const struct cfg_auth *c, int code,
		  const char *nonce, bool stale)
{
	osip_message_t *m = challenge(code, nonce, stale);
	int rc = auth_client_answer(st, c, m, "INVITE", "sip:bob@trunk", hdr,
				    sizeof(hdr), why, sizeof(why));

	osip_message_free(m);
	return rc;
}

static void once_per_request(void)
{
	struct auth_state st = { 0 };

	CHECK(answer(&st, &cred, 407, "n1", false) == 0, "first 407 answered: %s", why);
	CHECK(!strncmp(hdr, "Proxy-Authorization: Digest username=\"sbc\"", 42), "%s", hdr);
	CHECK(strstr(hdr, "\r\n") && !strstr(hdr, "pw-s3cret"), "one line, no password");
	CHECK(answer(&st, &cred, 407, "n2", false) < 0, "a second challenge is final");
	CHECK(strstr(why, "credentials refused"), "%s", why);
}

static void stale_answered_twice(void)
{
	struct auth_state st = { 0 };

	CHECK(answer(&st, &cred, 401, "n1", false) == 0, "first");
	CHECK(!strncmp(hdr, "Authorization: Digest", 21), "401: Authorization (%s)", hdr);
	CHECK(answer(&st, &cred, 401, "n2", true) == 0, "stale answered");
	CHECK(strstr(hdr, "nonce=\"n2\"") && strstr(hdr, "nc=00000001"), "new nonce, nc 1");
	CHECK(answer(&st, &cred, 401, "n3", true) == 0, "stale again answered");
	CHECK(answer(&st, &cred, 401, "n4", true) < 0, "a third stale is final");
}

static void realm_and_missing_credentials(void)
{
	struct auth_state st = { 0 };
	struct cfg_auth other = cred;

	snprintf(other.realm, sizeof(other.realm), "carrier.example");
	CHECK(answer(&st, &other, 407, "n1", false) < 0 &&
	      strstr(why, "challenged for realm 'trunk', credentials are for 'carrier.example'"),
	      "%s", why);
	CHECK(answer(&st, NULL, 407, "n1", false) < 0 &&
	      strstr(why, "the proxy set has no auth"), "%s", why);
	CHECK(st.answered == 0, "nothing counted as answered");
}

int main(void)
{
	RUN(once_per_request, "a request answers one challenge; the next is final");
	RUN(stale_answered_twice, "stale=true answered, at most twice more");
	RUN(realm_and_missing_credentials, "another realm, no credentials: final");
	return testing_summary();
}
