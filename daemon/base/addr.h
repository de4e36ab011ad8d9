/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Socket addresses: printed, parsed, compared (base/addr.c). */
#ifndef SRTPRELAYD_ADDR_H
#define SRTPRELAYD_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

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
