/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Where a new call goes: the caller's IP group (by source address, then by
 * proxy set), the first routing rule that matches it and the request-URI,
 * and a target: the destination group's proxy set (call/proxy_targets.c:
 * first address that is up, targets in order) or the request-URI (its
 * host an IP literal, or a name RFC 3263 resolves).
 */
#ifndef SRTPRELAYD_ROUTING_H
#define SRTPRELAYD_ROUTING_H

#include <osipparser2/osip_parser.h>

#include "config/config.h"
#include "sip/sip_resolve.h"

int routing_classify(const struct config *cfg, const struct sockaddr_storage *src);
/* Rule index, or -1 (no route: 404). */
int routing_match(const struct config *cfg, int src_group,
		  const osip_message_t *req);
/* routing_target(): the request-URI's host is a name not resolved yet. */
#define ROUTING_RESOLVE 1
/*
 * The @nth usable target for a call to @dst_group (0: first choice), with
 * the Request-URI to use, and the proxy-set target it is (@target, NULL
 * for a registered user or the request-URI's host). 0, or -1 when there
 * is none left, or
 * ROUTING_RESOLVE when the request-URI's host (a group without a proxy
 * set) is a name: routing_resolve_ruri() it, then call again with
 * @resolved, its answer (NULL before).
 */
int routing_target(const struct config *cfg, int dst_group,
		   const osip_message_t *req, int nth,
		   const struct sip_resolved *resolved, struct sip_peer *to,
		   const struct cfg_target **target, char *ruri, size_t ruri_len);
/* RFC 3263 for @req's request-URI: @cb once, maybe before this returns.
 * 0, or -errno (then @cb is not called). */
int routing_resolve_ruri(const osip_message_t *req, sip_resolve_cb cb, void *arg);

#endif
