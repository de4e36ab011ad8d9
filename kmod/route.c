// SPDX-License-Identifier: GPL-2.0
/*
 * The routes a stream's packets leave on, kept between packets. All of a
 * flow's packets go from one address and port to one other, so the route
 * lookup gives the same answer every time until the routing tables, the
 * addresses or the IPsec policies change; each CPU keeps the last answer
 * for the stream's RTP and for its RTCP (what net/dst_cache.h does for a
 * tunnel) with what else the lookup took from the packet, its mark and
 * TOS. dst_check() tells when a change has made a kept route stale, as for
 * a connected socket's: IPv4 routes carry the namespace's generation
 * count, IPv6 ones the fib6 serial number kept in @cookie, IPsec bundles
 * their policies' genid.
 *
 * A kept route is only read and replaced by its own CPU, in softirq
 * context (the PRE_ROUTING hook), so nothing is locked. It is freed with
 * the stream's configuration, after an RCU grace period: no packet still
 * holds it.
 */

#include "route.h"

#include <net/dst.h>

/**
 * srtprelay_routes_new() - no routes yet, for each possible CPU
 *
 * Process context.
 *
 * Return: the per-CPU routes, or NULL when out of memory.
 */
struct srtprelay_routes __percpu *srtprelay_routes_new(void)
{
	return alloc_percpu_gfp(struct srtprelay_routes,
				GFP_KERNEL_ACCOUNT | __GFP_ZERO);
}

/**
 * srtprelay_routes_free() - drop every kept route and free them
 * @routes: from srtprelay_routes_new(), or NULL
 *
 * No packet may use @routes any more (after a grace period).
 */
void srtprelay_routes_free(struct srtprelay_routes __percpu *routes)
{
	int cpu;

	if (!routes)
		return;
	for_each_possible_cpu(cpu) {
		struct srtprelay_routes *r = per_cpu_ptr(routes, cpu);

		dst_release(r->rtp.dst);
		dst_release(r->rtcp.dst);
	}
	free_percpu(routes);
}

/**
 * srtprelay_route_get() - this CPU's kept route, if it still holds
 * @route: the flow's per-CPU route
 * @mark: the packet's skb->mark
 * @tos: the TOS it is routed with
 *
 * Softirq context (BH disabled).
 *
 * Return: the route with a reference for the caller (for skb_dst_set()),
 * or NULL when the route must be looked up: none kept, kept for another
 * mark or TOS, or stale.
 */
struct dst_entry *srtprelay_route_get(struct srtprelay_route __percpu *route,
				      u32 mark, u8 tos)
{
	struct srtprelay_route *r = this_cpu_ptr(route);
	struct dst_entry *dst = r->dst;

	if (!dst || r->mark != mark || r->tos != tos)
		return NULL;
	if (!dst_check(dst, r->cookie)) {
		r->dst = NULL;
		dst_release(dst);
		return NULL;
	}
	dst_hold(dst);
	return dst;
}

/**
 * srtprelay_route_set() - keep a route just looked up on this CPU
 * @route: the flow's per-CPU route
 * @dst: the route; the kept copy takes a reference of its own
 * @cookie: what dst_check() will compare (0 for IPv4)
 * @mark: the packet's skb->mark it was looked up with
 * @tos: the TOS it was looked up with
 *
 * Softirq context (BH disabled).
 */
void srtprelay_route_set(struct srtprelay_route __percpu *route,
			 struct dst_entry *dst, u32 cookie, u32 mark, u8 tos)
{
	struct srtprelay_route *r = this_cpu_ptr(route);

	dst_hold(dst);
	dst_release(r->dst);
	r->dst = dst;
	r->cookie = cookie;
	r->mark = mark;
	r->tos = tos;
}
