/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Where a new call goes: the caller's IP group (by source address, then by
 * proxy set), the first routing rule that matches it and the request-URI,
 * and a target: the destination group's proxy set (first target that is
 * up, in order; OPTIONS keep-alive decides "up") or the request-URI.
 */
#ifndef SRTPRELAYD_ROUTING_H
#define SRTPRELAYD_ROUTING_H

#include <osipparser2/osip_parser.h>

#include "config/config.h"

/* Every target up until a probe says otherwise. */
void routing_setup(void);
/* Starts OPTIONS keep-alive of @cfg's proxy sets that ask for it; @cfg
 * is the live configuration (it keeps its address across reloads). */
void routing_start_keepalive(const struct config *cfg);
/*
 * Called just before @next replaces @live (reload.c): stops the
 * keep-alive timers and forgets the up/down state of targets whose
 * address or transport changed. routing_start_keepalive() after.
 */
void routing_reload(const struct config *live, const struct config *next);
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
/* "up"/"down" of proxy set @p target @t, for the control socket. */
bool routing_target_up(int p, int t);

#endif
