/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sending a transformed packet on: new addresses, ports, lengths and
 * checksums, a route, and out through the local output path.
 */
#ifndef SRTPRELAY_FORWARD_H
#define SRTPRELAY_FORWARD_H

#include "srtprelay.h"

struct sk_buff;
struct srtprelay_route;

/*
 * struct srtprelay_fwd_ip - what the sent packet's IP header takes from the
 * received one, whatever the two families are.
 * @ttl: TTL or hop limit to send with (pp_out_ttl())
 * @tclass: IPv4 TOS or IPv6 traffic class (DSCP and ECN) received
 * @df: IPv4 DF received (an IPv6 packet is never fragmented on its way)
 */
struct srtprelay_fwd_ip {
	u8 ttl;
	u8 tclass;
	bool df;
};

int srtprelay_forward(struct net *net, struct sk_buff *skb,
		      unsigned int thoff, unsigned int payload_len,
		      const struct srtprelay_addr *src,
		      const struct srtprelay_addr *dst,
		      const struct srtprelay_fwd_ip *ip,
		      struct srtprelay_route __percpu *route);

#endif /* SRTPRELAY_FORWARD_H */
