/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The registrar's digest challenge (RFC 3261 22.1, RFC 7616), when the
 * configuration has registrar = { realm; users_file; }: a REGISTER
 * without a valid answer gets 401 with two challenges, SHA-256 first and
 * MD5 (what older phones know), qop=auth; nonces are stateless (a time
 * stamp and an HMAC, config's nonce_key), good for nonce_lifetime
 * seconds, after which a right answer gets a new challenge with
 * stale=true. A wrong password, an unknown user or a user registering
 * another's AOR gets 403.
 */
#ifndef SRTPRELAYD_REGISTRAR_AUTH_H
#define SRTPRELAYD_REGISTRAR_AUTH_H

#include <stdbool.h>
#include <stdint.h>
#include <osipparser2/osip_parser.h>

#include "base/log_limit.h"
#include "config/config.h"
#include "sip/sip_types.h"

struct sip_txns;

/* True when @req may register; else its transaction @txn (of @txns) was
 * answered (401 or 403), and a 403 logged through @refusals (a password
 * guesser gets a few lines). */
bool registrar_auth_check(struct sip_txns *txns, const struct config *cfg,
			  struct log_limit *refusals, uint32_t txn,
			  const osip_message_t *req, const struct sip_peer *from);

#endif
