/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Answering a peer's digest challenge (RFC 3261 22.2, 22.3) with a proxy
 * set's credentials: the request is sent again as a new transaction with
 * CSeq + 1 and an Authorization (401) or Proxy-Authorization (407) header.
 * Each request answers a challenge once: a second challenge after our
 * answer is final (the password is wrong) unless it says stale=true (only
 * the nonce aged), and even then only twice, so that a peer cannot keep
 * us looping.
 */
#ifndef SRTPRELAYD_AUTH_CLIENT_H
#define SRTPRELAYD_AUTH_CLIENT_H

#include <stddef.h>
#include <osipparser2/osip_parser.h>

#include "config/config.h"

#define AUTH_MAX_STALE 2

/* What one request (and its retries) has answered so far. */
struct auth_state {
	unsigned int answered;		/* challenges answered */
	unsigned int stale;		/* of them, stale=true ones */
	char nonce[256];		/* the last nonce answered */
	unsigned int nc;		/* requests sent with it */
};

/*
 * For @resp (401 or 407) to @method on @uri, whose credentials are @cred:
 * the whole header line for the retry into @hdr (CRLF-terminated).
 * 0, or -1 when the challenge is final, with @why saying why (no
 * credentials, no usable challenge, another realm, already answered).
 * Nothing written anywhere holds the password.
 */
int auth_client_answer(struct auth_state *st, const struct cfg_auth *cred,
		       const osip_message_t *resp, const char *method,
		       const char *uri, char *hdr, size_t len, char *why,
		       size_t why_len);

/* The credentials of @ps (a proxy set index, -1: none) in @cfg, or NULL. */
const struct cfg_auth *auth_client_cred(const struct config *cfg, int ps);

#endif
