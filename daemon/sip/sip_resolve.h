/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Locating a SIP server, RFC 3263 section 4: from a URI's host, port,
 * transport and scheme to the addresses to try, in order, each with its
 * transport and port. NAPTR picks the transport when neither port nor
 * transport is given, SRV the hosts and ports (by priority, then weight,
 * RFC 2782) when no port is given, A and AAAA the addresses. Asynchronous,
 * over base/resolver.c (which caches by TTL).
 */
#ifndef SRTPRELAYD_SIP_RESOLVE_H
#define SRTPRELAYD_SIP_RESOLVE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/resolver.h"
#include "sip/sip_types.h"

#define SIP_RESOLVE_MAX 16

struct sip_resolved_addr {
	struct sockaddr_storage addr;	/* with the port to use */
	enum sip_proto proto;
	uint16_t priority, weight;	/* of its SRV record; 0 without one */
};

struct sip_resolved {
	int status;			/* 0, or resolver.h's -errno when n is 0 */
	uint32_t ttl;			/* seconds: the smallest along the chain */
	unsigned int n;
	struct sip_resolved_addr a[SIP_RESOLVE_MAX];
};

typedef void (*sip_resolve_cb)(void *arg, const struct sip_resolved *res);

/*
 * Resolves @host (a name, or an IP literal: then at once, without DNS).
 * @port: the URI's port, 0 when it has none. @proto: its ;transport=, or
 * -1 when it has none. @sips: a sips: URI (TLS only). @cb is called once,
 * possibly before this returns (answers from the cache). 0, or -errno
 * when nothing could be asked (@cb is not called).
 */
int sip_resolve(struct resolver *r, const char *host, uint16_t port, int proto,
		bool sips, sip_resolve_cb cb, void *arg);

#endif
