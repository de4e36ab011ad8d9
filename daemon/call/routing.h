/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Where a new call goes: the caller's IP group (by source address, then by
 * proxy set), the first routing rule that matches it and the request-URI,
 * and a target: the destination group's proxy set (call/proxy_targets.c:
 * first address that is up, targets in order) or the request-URI.
 */
#ifndef SRTPRELAYD_ROUTING_H
#define SRTPRELAYD_ROUTING_H

#include <osipparser2/osip_parser.h>

#include "config/config.h"

int routing_classify(const struct config *cfg, const struct sockaddr_storage *src);
/* Rule index, or -1 (no route: 404). */
int routing_match(const struct config *cfg, int src_group,
		  const osip_message_t *req);
/*
 * The @nth usable target for a call to @dst_group (0: first choice), with
 * the Request-URI to use. 0, or -1 when there is none left.
 */
int routing_target(const struct config *cfg, int dst_group,
		   const osip_message_t *req, int nth, struct sip_peer *to,
		   char *ruri, size_t ruri_len);

#endif
