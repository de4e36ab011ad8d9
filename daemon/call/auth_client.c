// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Answering digest challenges with a proxy set's credentials. */
#include <stdio.h>
#include <string.h>

#include "call/auth_client.h"
#include "sip/digest.h"
#include "sip/sip_msg.h"

const struct cfg_auth *auth_client_cred(const struct config *cfg, int ps)
{
	if (ps < 0 || (unsigned int)ps >= cfg->n_proxy_sets ||
	    !cfg->proxy_sets[ps].auth.set)
		return NULL;
	return &cfg->proxy_sets[ps].auth;
}

int auth_client_answer(struct auth_state *st, const struct cfg_auth *cred,
		       const osip_message_t *resp, const char *method,
		       const char *uri, char *hdr, size_t len, char *why,
		       size_t why_len)
{
	struct digest_challenge ch;
	char cnonce[17];
	int n;

	if (!cred) {
		snprintf(why, why_len, "challenged, but the proxy set has no auth");
		return -1;
	}
	if (digest_pick_challenge(resp, &ch)) {
		snprintf(why, why_len, "no digest challenge we can answer (MD5, SHA-256, qop auth)");
		return -1;
	}
	if (cred->realm[0] && strcmp(cred->realm, ch.realm)) {
		snprintf(why, why_len, "challenged for realm '%.100s', credentials are for '%.100s'",
			 ch.realm, cred->realm);
		return -1;
	}
	if (st->answered && (!ch.stale || st->stale >= AUTH_MAX_STALE)) {
		snprintf(why, why_len, "challenged again after our answer for realm '%.100s' "
			 "(user %.100s): credentials refused", ch.realm, cred->username);
		return -1;
	}
	if (st->answered)
		st->stale++;
	st->answered++;
	st->nc = strcmp(st->nonce, ch.nonce) ? 1 : st->nc + 1;
	snprintf(st->nonce, sizeof(st->nonce), "%s", ch.nonce);
	sip_random_token(cnonce, 16);
	n = snprintf(hdr, len, "%s: ", ch.proxy ? "Proxy-Authorization" : "Authorization");
	if (n < 0 || (size_t)n >= len)
		return -1;
	if (digest_authorization(hdr + n, len - (size_t)n, &ch, cred->username,
				 cred->password, method, uri, st->nc, cnonce) < 0 ||
	    strlen(hdr) + 3 > len) {
		snprintf(why, why_len, "challenge too long to answer");
		return -1;
	}
	strcat(hdr, "\r\n");
	return 0;
}
