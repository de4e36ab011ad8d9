/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Proxy-set targets at run time: the addresses each one stands for (an IP
 * literal's own, or what RFC 3263 resolved a name to, re-resolved when
 * its TTL runs out), each address's OPTIONS keep-alive (up/down), the
 * order calls try them in, and what `srtprelayctl status` shows of them.
 * A name that no longer resolves keeps its last addresses (retried every
 * few seconds): a dead DNS server must not take the trunk down with it.
 */
#ifndef SRTPRELAYD_PROXY_TARGETS_H
#define SRTPRELAYD_PROXY_TARGETS_H

#include "base/resolver.h"
#include "base/sbuf.h"
#include "config/config.h"

struct sip_txns;

/* Every target up until a probe says otherwise; names resolve with @dns,
 * probes go out as transactions of @txns. */
void proxy_targets_setup(struct resolver *dns, struct sip_txns *txns);
/* The resolver given to proxy_targets_setup(), for request-URIs too. */
struct resolver *proxy_targets_dns(void);
/* Resolves @cfg's names and starts OPTIONS keep-alive where a proxy set
 * asks for it; @cfg is the live configuration (it keeps its address
 * across reloads). */
void proxy_targets_start(const struct config *cfg);
/*
 * Called just before @next replaces @live (reload.c): stops the timers,
 * forgets the addresses and up/down state of targets that changed, and
 * points the resolver at @next's servers. proxy_targets_start() after.
 */
void proxy_targets_reload(const struct config *live, const struct config *next);
/*
 * The @nth usable address of proxy set @p (targets in order, a name's
 * addresses in RFC 3263 order, those a probe found down skipped) into
 * @to's address and transport, and its target into @target (may be
 * NULL). 0, or -1 when there is none left.
 */
int proxy_targets_pick(const struct config *cfg, int p, int nth,
		       struct sip_peer *to, const struct cfg_target **target);
/* Whether target @t of proxy set @p has an address that is up (metrics). */
bool proxy_targets_up(int p, int t);
/* The IP group whose proxy set has a name that resolved to @addr's IP
 * (any port), or -1. */
int proxy_targets_group_of(const struct config *cfg,
			   const struct sockaddr_storage *addr);
/* The RFC 5922 name a TLS connection to @addr must carry: a name
 * target's ;tls_name or the name itself, else config_tls_name(). */
const char *proxy_targets_tls_name(const struct config *cfg,
				   const struct sockaddr_storage *addr);
/* Every target, its DNS state and addresses, for `status` (-j: JSON
 * members after the caller's others, starting with a comma). */
void proxy_targets_status(struct sbuf *b, const struct config *cfg, bool json);

#endif
