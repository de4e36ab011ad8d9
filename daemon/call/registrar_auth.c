// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The registrar's digest challenge: see registrar_auth.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>

#include "base/evloop.h"
#include "base/log.h"
#include "base/log_limit.h"
#include "call/registrar_auth.h"
#include "sip/digest.h"
#include "sip/sip_txn.h"

/* 401 with one challenge per configured algorithm, in order. */
static void challenge(struct sip_txns *txns, const struct cfg_registrar *r,
		      uint32_t txn, bool stale)
{
	char nonce[64], hdr[1024];
	size_t n = 0;
	unsigned int i;

	digest_nonce_make(r->nonce_key, r->realm, ev_now_ms() / 1000, nonce, sizeof(nonce));
	for (i = 0; i < r->n_algos && n < sizeof(hdr); i++)
		n += (size_t)snprintf(hdr + n, sizeof(hdr) - n,
				      "WWW-Authenticate: Digest realm=\"%s\", nonce=\"%s\", "
				      "algorithm=%s, qop=\"auth\"%s\r\n", r->realm, nonce,
				      digest_algo_name((enum digest_algo)r->algos[i]),
				      stale ? ", stale=true" : "");
	sip_txn_respond(txns, txn, 401, NULL, NULL, hdr, NULL);
}

static bool algo_offered(const struct cfg_registrar *r, enum digest_algo a)
{
	unsigned int i;

	for (i = 0; i < r->n_algos; i++)
		if (r->algos[i] == a)
			return true;
	return false;
}

static const struct cfg_user *user_of(const struct cfg_registrar *r, const char *name)
{
	unsigned int i;

	for (i = 0; i < r->n_users; i++)
		if (!strcmp(r->users[i].name, name))
			return &r->users[i];
	return NULL;
}

/* Does @a's response match @u's password (or stored MD5 HA1)? */
static bool answer_valid(const struct cfg_registrar *r, const struct cfg_user *u,
			 const struct digest_answer *a)
{
	char ha1[DIGEST_HEX_LEN];
	bool ok;

	if (u->md5_ha1) {
		if (a->algo != DIGEST_MD5 && a->algo != DIGEST_MD5_SESS)
			return false;	/* only an MD5 HA1 is stored */
		return digest_answer_valid(a, u->secret, "REGISTER");
	}
	digest_ha1(a->algo, u->name, r->realm, u->secret, ha1);
	ok = digest_answer_valid(a, ha1, "REGISTER");
	OPENSSL_cleanse(ha1, sizeof(ha1));
	return ok;
}

static void refuse(struct sip_txns *txns, struct log_limit *refusals,
		   uint32_t txn, const struct sip_peer *from, const char *user,
		   const char *why)
{
	char a[64];

	log_limited(refusals, LOG_LVL_WARN, "registrar: REGISTER from %s as '%.64s': 403, %s",
		    sockaddr_str(&from->addr, a, sizeof(a)), user, why);
	sip_txn_respond(txns, txn, 403, NULL, NULL, NULL, NULL);
}

bool registrar_auth_check(struct sip_txns *txns, const struct config *cfg,
			  struct log_limit *refusals, uint32_t txn,
			  const osip_message_t *req, const struct sip_peer *from)
{
	const struct cfg_registrar *r = &cfg->registrar;
	const char *to_user = req->to && req->to->url ? req->to->url->username : NULL;
	const struct cfg_user *u;
	struct digest_answer a;

	if (!r->challenge)
		return true;
	if (digest_answer_of(req, r->realm, &a)) {
		challenge(txns, r, txn, false);
		return false;
	}
	if (!algo_offered(r, a.algo)) {
		refuse(txns, refusals, txn, from, a.username, "answered with an algorithm we did not offer");
		return false;
	}
	u = user_of(r, a.username);
	if (!u) {
		refuse(txns, refusals, txn, from, a.username, "no such user");
		return false;
	}
	if (!answer_valid(r, u, &a)) {
		refuse(txns, refusals, txn, from, a.username, "wrong password");
		return false;
	}
	/* The password is right; the nonce must be ours and fresh. */
	if (digest_nonce_check(r->nonce_key, r->realm, a.nonce, ev_now_ms() / 1000,
			       r->nonce_lifetime) != DIGEST_NONCE_OK) {
		challenge(txns, r, txn, true);
		return false;
	}
	if (!to_user || strcmp(to_user, a.username)) {
		refuse(txns, refusals, txn, from, a.username, "registering another user's address");
		return false;
	}
	return true;
}
