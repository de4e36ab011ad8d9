/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Types shared by transports, SIP layers and configuration; the socket
 * address helpers are base/addr.h. */
#ifndef SRTPRELAYD_SIP_TYPES_H
#define SRTPRELAYD_SIP_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "base/addr.h"

enum sip_proto { SIP_UDP, SIP_TCP, SIP_TLS };

/* Where a message came from or goes to. */
struct sip_peer {
	enum sip_proto proto;
	struct sockaddr_storage addr;
	int iface;			/* struct sip_iface index */
	uint32_t conn_id;		/* TCP/TLS connection, 0: any/new */
};

const char *sip_proto_name(enum sip_proto proto);	/* "UDP", "TCP", "TLS" */
const char *sip_proto_param(enum sip_proto proto);	/* ";transport=" values */
int sip_proto_parse(const char *name, enum sip_proto *proto);
/* A host name as RFC 1123 2.1 has it (labels of letters, digits and
 * hyphens, 1..63 each, 253 in all), on (host, len); an IP literal is not
 * one. */
bool sip_host_is_name(const char *host, size_t len);

#endif
