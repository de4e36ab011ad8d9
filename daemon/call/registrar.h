/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A minimal registrar (RFC 3261 10.3) so phones can be called by name:
 * bindings of a user part to the contact and the transport flow it
 * registered from (requests go back over that flow: NAT and TCP/TLS reuse,
 * as RFC 5626 does it). REGISTER is accepted only from sources in an IP
 * group, and challenged first when configured (registrar_auth.h).
 * Bindings live in memory.
 */
#ifndef SRTPRELAYD_REGISTRAR_H
#define SRTPRELAYD_REGISTRAR_H

#include <stddef.h>
#include <osipparser2/osip_parser.h>

#include "sip/sip_types.h"

#define REG_MAX_EXPIRES 3600

struct sip_txns;

/* Answers the REGISTER of server transaction @txn (of @txns). */
void registrar_register(struct sip_txns *txns, uint32_t txn,
			const osip_message_t *req, const struct sip_peer *from);
/* The binding of @user: where to send, and its contact as Request-URI. */
int registrar_lookup(const char *user, struct sip_peer *to, char *ruri,
		     size_t ruri_len);
unsigned int registrar_count(void);

#endif
