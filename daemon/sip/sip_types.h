/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Types shared by transports, SIP layers and configuration. */
#ifndef SRTPRELAYD_SIP_TYPES_H
#define SRTPRELAYD_SIP_TYPES_H

#include <stdint.h>
#include <sys/socket.h>

enum sip_proto { SIP_UDP, SIP_TCP, SIP_TLS };

/* Where a message came from or goes to. */
struct sip_peer {
	enum sip_proto proto;
	struct sockaddr_storage addr;
	int iface;			/* cfg_iface index */
	uint32_t conn_id;		/* TCP/TLS connection, 0: any/new */
};

const char *sip_proto_name(enum sip_proto proto);	/* "UDP", "TCP", "TLS" */
int sip_proto_parse(const char *name, enum sip_proto *proto);

/* "1.2.3.4:5060" / "[::1]:5060" into @buf. */
const char *sockaddr_str(const struct sockaddr_storage *ss, char *buf,
			 size_t len);
/* Address without port. */
const char *sockaddr_host(const struct sockaddr_storage *ss, char *buf,
			  size_t len);
uint16_t sockaddr_port(const struct sockaddr_storage *ss);
void sockaddr_set_port(struct sockaddr_storage *ss, uint16_t port);
int sockaddr_parse(const char *host, uint16_t port,
		   struct sockaddr_storage *ss);
int sockaddr_equal(const struct sockaddr_storage *a,
		   const struct sockaddr_storage *b);
socklen_t sockaddr_len(const struct sockaddr_storage *ss);

#endif
