/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The routes a stream's packets leave on, kept from one packet to the next
 * (kmod/route.c).
 */
#ifndef SRTPRELAY_ROUTE_H
#define SRTPRELAY_ROUTE_H

#include <linux/percpu.h>
#include <linux/types.h>

struct dst_entry;

/*
 * struct srtprelay_route - one CPU's last route of one sending flow
 * @dst: the route, with a reference of its own; NULL when none is kept
 * @cookie: what dst_check() compares (IPv6: the fib6 serial number)
 * @mark: skb->mark the route was looked up with
 * @tos: TOS it was looked up with (RT_TOS())
 */
struct srtprelay_route {
	struct dst_entry *dst;
	u32 cookie;
	u32 mark;
	u8 tos;
};

/* Per CPU, the routes of a stream's RTP and of its RTCP. */
struct srtprelay_routes {
	struct srtprelay_route rtp;
	struct srtprelay_route rtcp;
};

struct srtprelay_routes __percpu *srtprelay_routes_new(void);
void srtprelay_routes_free(struct srtprelay_routes __percpu *routes);
struct dst_entry *srtprelay_route_get(struct srtprelay_route __percpu *route,
				      u32 mark, u8 tos);
void srtprelay_route_set(struct srtprelay_route __percpu *route,
			 struct dst_entry *dst, u32 cookie, u32 mark, u8 tos);

#endif /* SRTPRELAY_ROUTE_H */
