// SPDX-License-Identifier: GPL-2.0
/*
 * Rewrite and transmit. The relay ends one UDP flow and starts another, so
 * the packet gets a fresh IP header (options and extension headers of the
 * received one do not apply to the new flow) and goes out through
 * ip_local_out()/ip6_local_out() like a packet of a local socket: it passes
 * LOCAL_OUT and POST_ROUTING, so SNAT, policy routing and qdiscs see it.
 *
 * The two legs of a stream may differ in family, so nothing is read from
 * the received header here: the hook hands over what carries across
 * (struct srtprelay_fwd_ip), the TTL or hop limit already decremented by
 * the policy both backends share (packet_policy.c says why).
 */

#include "forward.h"
#include "route.h"

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_fib.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>
#include <net/xfrm.h>

/* Forget everything the receive path attached to the skb. */
static void forward_reset(struct sk_buff *skb)
{
	/* The trailer protect appends can push a packet that arrived at the
	 * MTU over it: fragment it here, as a local UDP socket would, rather
	 * than drop it with an ICMP error addressed to ourselves.
	 */
	skb->ignore_df = 1;
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	secpath_reset(skb);
	skb_clear_tstamp(skb);
	skb_clear_hash(skb);
	skb->ip_summed = CHECKSUM_NONE;
}

static void udp_fill(struct udphdr *uh, const struct srtprelay_addr *src,
		     const struct srtprelay_addr *dst, unsigned int ulen)
{
	uh->source = src->port;
	uh->dest = dst->port;
	uh->len = htons(ulen);
	uh->check = 0;
}

/*
 * Strips the received IP header and makes room for a new one of @hlen
 * bytes: an IPv6 header is longer than the IPv4 one it may replace.
 */
static int forward_strip(struct sk_buff *skb, unsigned int thoff,
			 unsigned int hlen)
{
	__skb_pull(skb, thoff);
	if (skb_cow_head(skb, hlen))
		return -ENOMEM;
	skb_reset_transport_header(skb);
	return 0;
}

/*
 * Gives the packet, its new IP header at skb->data, the headroom its
 * output device's link layer takes, so that ip_finish_output2() does not
 * clone it and reallocate its data for every packet. That happened to
 * each packet a virtio-net card relayed: its receive buffers keep 26
 * bytes before the IP header (the 12-byte virtio header and the Ethernet
 * header), and its transmit side asks for 32 (LL_RESERVED_SPACE() with
 * the virtio header as needed_headroom). The buffer was sized for a full
 * frame, so the packet moves towards its end instead: a memmove() of a
 * few hundred bytes rather than an allocation, which init_on_alloc also
 * zeroes. Without the tailroom, one reallocation as the stack would do.
 */
static int forward_headroom(struct sk_buff *skb, unsigned int hlen)
{
	unsigned int need = LL_RESERVED_SPACE(skb_dst(skb)->dev);
	unsigned int len = skb->len;
	unsigned int delta;

	if (skb_headroom(skb) >= need)
		return 0;
	/* A multiple of 16 keeps the IP header's alignment. */
	delta = ALIGN(need - skb_headroom(skb), 16);
	if (skb_cloned(skb) || skb_tailroom(skb) < delta)
		return pskb_expand_head(skb, delta, 0, GFP_ATOMIC);
	__skb_put(skb, delta);
	memmove(skb->data + delta, skb->data, len);
	__skb_pull(skb, delta);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, hlen);
	return 0;
}

/*
 * The route of an IPv4 packet: the kept one, or a lookup that is kept. The
 * lookup's key is the flow's (addresses, ports: fixed for @route) and the
 * packet's mark and TOS, which the kept route is matched on.
 */
static struct dst_entry *route_v4(struct net *net, struct sk_buff *skb,
				  const struct srtprelay_addr *src,
				  const struct srtprelay_addr *dst, u8 tos,
				  struct srtprelay_route __percpu *route)
{
	struct flowi4 fl4 = {};
	struct dst_entry *dst_e;
	struct rtable *rt;

	dst_e = srtprelay_route_get(route, skb->mark, RT_TOS(tos));
	if (dst_e)
		return dst_e;
	fl4.daddr = dst->in4;
	fl4.saddr = src->in4;
	fl4.flowi4_tos = RT_TOS(tos);
	fl4.flowi4_proto = IPPROTO_UDP;
	fl4.flowi4_mark = skb->mark;
	fl4.fl4_sport = src->port;
	fl4.fl4_dport = dst->port;
	/* Fails (-EINVAL) when OUT_SRC is not an address of this netns. */
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	srtprelay_route_set(route, &rt->dst, 0, skb->mark, RT_TOS(tos));
	return &rt->dst;
}

static int forward_v4(struct net *net, struct sk_buff *skb,
		      unsigned int thoff, unsigned int ulen,
		      const struct srtprelay_addr *src,
		      const struct srtprelay_addr *dst,
		      const struct srtprelay_fwd_ip *ip,
		      struct srtprelay_route __percpu *route)
{
	u8 tos = ip->tclass;
	struct dst_entry *dst_e;
	struct udphdr *uh;
	struct iphdr *iph;
	int err;

	if (forward_strip(skb, thoff, sizeof(*iph))) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	uh = udp_hdr(skb);
	udp_fill(uh, src, dst, ulen);
	uh->check = csum_tcpudp_magic(src->in4, dst->in4, ulen, IPPROTO_UDP,
				      csum_partial(uh, ulen, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = tos;
	iph->tot_len = htons(skb->len);
	iph->frag_off = ip->df ? htons(IP_DF) : 0;
	iph->ttl = ip->ttl;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = src->in4;
	iph->daddr = dst->in4;

	dst_e = route_v4(net, skb, src, dst, tos, route);
	if (IS_ERR(dst_e)) {
		kfree_skb(skb);
		return PTR_ERR(dst_e);
	}

	forward_reset(skb);
	skb_dst_set(skb, dst_e);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	skb->protocol = htons(ETH_P_IP);
	ip_select_ident(net, skb, NULL);
	err = forward_headroom(skb, sizeof(*iph));
	if (err) {
		kfree_skb(skb);
		return err;
	}
	/* __ip_local_out() sets tot_len and the header checksum. */
	err = ip_local_out(net, NULL, skb);
	/* net_xmit_eval() evaluates its argument twice: not on a call */
	return net_xmit_eval(err);
}

static int forward_v6(struct net *net, struct sk_buff *skb,
		      unsigned int thoff, unsigned int ulen,
		      const struct srtprelay_addr *src,
		      const struct srtprelay_addr *dst,
		      const struct srtprelay_fwd_ip *ip,
		      struct srtprelay_route __percpu *route)
{
	struct flowi6 fl6 = {};
	struct dst_entry *dst_e;
	struct ipv6hdr *ip6h;
	struct udphdr *uh;
	int err;

	if (forward_strip(skb, thoff, sizeof(*ip6h))) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	uh = udp_hdr(skb);
	udp_fill(uh, src, dst, ulen);
	/* Mandatory for IPv6 (RFC 8200 section 8.1). */
	uh->check = csum_ipv6_magic(&src->in6, &dst->in6, ulen, IPPROTO_UDP,
				    csum_partial(uh, ulen, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	fl6.daddr = dst->in6;
	fl6.saddr = src->in6;
	fl6.flowi6_proto = IPPROTO_UDP;
	fl6.flowi6_mark = skb->mark;
	fl6.fl6_sport = src->port;
	fl6.fl6_dport = dst->port;
	/* A flow of its own: labelled as a local socket's would be. */
	fl6.flowlabel = ip6_make_flowlabel(net, skb, 0, true, &fl6);

	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, ip->tclass, fl6.flowlabel);
	ip6h->payload_len = htons(ulen);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip->ttl;
	ip6h->saddr = src->in6;
	ip6h->daddr = dst->in6;
	/* Kept per mark only: the traffic class is not part of the lookup. */
	dst_e = srtprelay_route_get(route, skb->mark, 0);
	if (!dst_e) {
		/* As ip_route_output_key() for IPv4: route, then IPsec policy. */
		dst_e = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
		if (IS_ERR(dst_e)) {
			kfree_skb(skb);
			return PTR_ERR(dst_e);
		}
		srtprelay_route_set(route, dst_e,
				    rt6_get_cookie((struct rt6_info *)dst_e),
				    skb->mark, 0);
	}

	forward_reset(skb);
	skb_dst_set(skb, dst_e);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	skb->protocol = htons(ETH_P_IPV6);
	err = forward_headroom(skb, sizeof(*ip6h));
	if (err) {
		kfree_skb(skb);
		return err;
	}
	err = ip6_local_out(net, NULL, skb);
	return net_xmit_eval(err);
}

/**
 * srtprelay_forward() - send a transformed packet from @src to @dst
 * @net: namespace to route and send in
 * @skb: linear, writable packet; skb->data at the received IP header
 * @thoff: offset of the UDP header from skb->data
 * @payload_len: UDP payload bytes, which end the skb
 * @src: source address and port (OUT_SRC)
 * @dst: destination address and port; same family as @src, which may
 *	differ from the received packet's
 * @ip: what the new IP header takes from the received one
 * @route: the route kept for this flow (@src to @dst) on each CPU
 *
 * Softirq context. Consumes @skb in every case.
 *
 * Return: 0 when handed to the output path, else a negative errno.
 */
int srtprelay_forward(struct net *net, struct sk_buff *skb,
		      unsigned int thoff, unsigned int payload_len,
		      const struct srtprelay_addr *src,
		      const struct srtprelay_addr *dst,
		      const struct srtprelay_fwd_ip *ip,
		      struct srtprelay_route __percpu *route)
{
	unsigned int ulen = sizeof(struct udphdr) + payload_len;

	if (src->family == AF_INET)
		return forward_v4(net, skb, thoff, ulen, src, dst, ip, route);
	return forward_v6(net, skb, thoff, ulen, src, dst, ip, route);
}
