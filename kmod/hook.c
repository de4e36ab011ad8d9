// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: netfilter PRE_ROUTING hooks for IPv4 and IPv6 that take
 * the UDP packets of known streams, authenticate and decrypt them with the
 * stream's input crypto, encrypt them with its output crypto and send them
 * on. Everything the module does not own (no realm, no stream, STUN, DTLS,
 * fragments, malformed) is left as it came, to the stack or to the realm's
 * NFQUEUE. What to take, drop or count on a stream's port is decided by
 * packet_policy.c, which the userspace datapath runs too.
 *
 * Runs under rcu_read_lock() with bottom halves off (softirq context, or a
 * packet reinjected from NFQUEUE). The only lock taken is the stream's own,
 * around the two crypto calls, because the replay window and rollover
 * counter of a stream are one piece of state.
 */

#include "hook.h"
#include "forward.h"
#include "netlink.h"
#include "packet_policy.h"
#include "realm.h"
#include "stats.h"
#include "stream.h"

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/dsfield.h>
#include <net/ip.h>
#include <net/ipv6.h>

/* What the hook learnt about a packet before it owns it. */
struct hook_pkt {
	struct srtprelay_addr src;
	struct srtprelay_addr dst;
	unsigned int thoff;	/* UDP header, from skb->data */
	unsigned int plen;	/* UDP payload length */
	u8 ttl;			/* TTL or hop limit, as received */
	u8 tclass;		/* TOS or traffic class, as received */
	bool df;		/* IPv4 DF */
};

/* A latch or refusal event, sent once the stream lock is dropped. */
struct hook_event {
	u32 type;		/* enum srtprelay_event, 0: none */
	struct srtprelay_addr remote;
};

static void count(struct srtprelay_net *sn, struct srtprelay_stream *s,
		  enum srtprelay_stat stat, u64 value)
{
	srtprelay_stats_add(s->stats, stat, value);
	srtprelay_stats_add(sn->stats, stat, value);
}

/* Verdict for a realm packet the module does not own. */
static unsigned int punt(const struct srtprelay_realm *realm)
{
	if (realm->nfqueue < 0)
		return NF_ACCEPT;
	/* BYPASS: with no listener on the queue (controller down), pass the
	 * packet on rather than drop it.
	 */
	return NF_QUEUE_NR(realm->nfqueue) | NF_VERDICT_FLAG_QUEUE_BYPASS;
}

static unsigned int punt_counted(struct srtprelay_net *sn,
				 const struct srtprelay_realm *realm,
				 enum srtprelay_stat stat)
{
	srtprelay_stats_add(sn->stats, stat, 1);
	return punt(realm);
}

/*
 * The source policy the userspace datapath runs too (kmod/latch.c), before
 * any crypto: a refused packet costs no crypto and never touches the
 * replay window.
 */
static enum latch_verdict check_source(struct srtprelay_stream *s,
				       const struct srtprelay_stream_conf *conf,
				       const struct srtprelay_addr *src,
				       bool rtcp, u64 now,
				       struct hook_event *ev)
{
	struct latch_addr from = srtprelay_latch_addr(src);
	struct latch_addr remote = srtprelay_latch_addr(&conf->remote);
	enum latch_verdict verdict;

	verdict = latch_check(&s->latch, conf->flags, &remote, &from, rtcp,
			      now);
	if (verdict == LATCH_REFUSE && latch_report_refusal(&s->latch, now)) {
		ev->type = SRTPRELAY_EVENT_SOURCE_REJECTED;
		ev->remote = *src;
	}
	return verdict;
}

/* Only once its packet authenticated may a source latch. */
static void latch_source(struct srtprelay_stream *s,
			 const struct srtprelay_addr *src,
			 struct hook_event *ev)
{
	struct latch_addr from = srtprelay_latch_addr(src);

	ev->type = latch_commit(&s->latch, &from);
	ev->remote = *src;
}

/*
 * Gets the packet ready for in-place transform: linear, not shared with a
 * clone, and with tailroom for the largest trailer protect may append.
 */
static int make_room(struct sk_buff *skb)
{
	int tailroom;

	if (skb_linearize(skb))
		return -ENOMEM;
	tailroom = skb_tailroom(skb);
	if (!skb_cloned(skb) && tailroom >= SRTP_TRAILER_LEN_MAX)
		return 0;
	return pskb_expand_head(skb, 0,
				max_t(int, SRTP_TRAILER_LEN_MAX - tailroom, 0),
				GFP_ATOMIC);
}

static struct pp_ip pp_ip_of(const struct srtprelay_addr *addr)
{
	return (struct pp_ip){ (const u8 *)&addr->in6, addr->family };
}

static unsigned int handle_stream(struct net *net, struct srtprelay_net *sn,
				  const struct srtprelay_realm *realm,
				  struct srtprelay_stream *s, bool rtcp_port,
				  struct sk_buff *skb, struct hook_pkt *p)
{
	const struct srtprelay_stream_conf *conf;
	struct srtprelay_addr out_src, out_dst;
	struct srtprelay_route __percpu *route = NULL;
	struct srtprelay_fwd_ip fwd_ip;
	struct srtp_packet_info in_info, out_info;
	struct hook_event latch_ev = { 0 };
	enum latch_verdict source;
	enum srtprelay_stat why;
	struct pp_packet pkt;
	unsigned int len, room;
	enum pp_kind kind;
	unsigned long now;
	bool rtcp, hold;
	u64 cookie;
	u8 *data;
	int ret;

	if (make_room(skb)) {
		count(sn, s, SRTPRELAY_STAT_TX_ERRORS, 1);
		return NF_DROP;
	}
	data = skb->data + p->thoff + sizeof(struct udphdr);
	room = skb_tail_pointer(skb) + skb_tailroom(skb) - data;
	len = p->plen;
	pkt = (struct pp_packet){
		.src = pp_ip_of(&p->src),
		.dst = pp_ip_of(&p->dst),
		.udp = skb->data + p->thoff,
		.udp_len = sizeof(struct udphdr) + p->plen,
		.ttl = p->ttl,
		/* by the device, or made here and not summed yet (PARTIAL) */
		.csum_verified = skb_csum_unnecessary(skb),
	};
	if (!pp_admit(&pkt, &why)) {
		count(sn, s, why, 1);
		return NF_DROP;
	}

	spin_lock(&s->lock);
	/* Read once: every decision below is made on the same conf. */
	conf = rcu_dereference(s->conf);
	kind = pp_classify(conf->flags, rtcp_port, data, len);
	if (kind == PP_NOT_OURS)
		goto unlock_punt;
	rtcp = kind == PP_RTCP;
	source = check_source(s, conf, &p->src, rtcp, srtprelay_now_ms(),
			      &latch_ev);
	if (source == LATCH_REFUSE) {
		cookie = conf->cookie;
		spin_unlock(&s->lock);
		count(sn, s, SRTPRELAY_STAT_SOURCE_REJECTED, 1);
		if (latch_ev.type)
			srtprelay_event(net, latch_ev.type, &s->local, cookie,
					&latch_ev.remote, 0);
		return NF_DROP;
	}

	ret = pp_srtp_receive(conf->flags, conf->in, data, &len, rtcp,
			      &in_info);
	if (ret) {
		spin_unlock(&s->lock);
		count(sn, s, srtp_status_stat(ret), 1);
		/* Not (S)RTP after all: nothing was changed, pass it on. */
		if (ret == -SRTP_ERR_MALFORMED)
			return punt_counted(sn, realm, SRTPRELAY_STAT_PUNTED);
		return NF_DROP;
	}
	if (source == LATCH_LEARN)
		latch_source(s, &p->src, &latch_ev);
	hold = conf->flags & SRTPRELAY_STREAM_F_HOLD;
	if (!hold) {
		out_src = rtcp ? conf->out_rtcp_src : conf->out_src;
		out_dst = rtcp ? conf->out_rtcp_dst : conf->out_dst;
		/* conf outlives the packet: freed after a grace period */
		route = rtcp ? &conf->routes->rtcp : &conf->routes->rtp;
		room = pp_protect_room(out_src.family, room);
		ret = pp_srtp_send(conf->flags, conf->out, data, &len, room,
				   rtcp, &in_info, &out_info);
	}
	cookie = conf->cookie;
	spin_unlock(&s->lock);

	/* 0 means "never": a packet at jiffies 0 is stamped 1 */
	now = jiffies ?: 1;
	WRITE_ONCE(s->last_rx, now);
	WRITE_ONCE(sn->last_rx, now);
	if (READ_ONCE(s->idle_reported))
		WRITE_ONCE(s->idle_reported, false);
	count(sn, s, SRTPRELAY_STAT_RX_PACKETS, 1);
	count(sn, s, SRTPRELAY_STAT_RX_BYTES, p->plen);
	if (rtcp)
		count(sn, s, SRTPRELAY_STAT_RTCP_RX_PACKETS, 1);
	if (in_info.roc_changed)
		count(sn, s, SRTPRELAY_STAT_ROC_CHANGES, 1);
	if (in_info.new_ssrc) {
		count(sn, s, SRTPRELAY_STAT_SSRC_CHANGES, 1);
		srtprelay_event(net, SRTPRELAY_EVENT_SSRC_CHANGED, &s->local,
				cookie, NULL, in_info.ssrc);
	}
	if (latch_ev.type) {
		count(sn, s, SRTPRELAY_STAT_LATCHES, 1);
		srtprelay_event(net, latch_ev.type, &s->local, cookie,
				&latch_ev.remote, 0);
	}

	if (hold) {
		count(sn, s, SRTPRELAY_STAT_HELD, 1);
		consume_skb(skb);
		return NF_STOLEN;
	}
	if (ret) {
		count(sn, s, pp_protect_stat(ret), 1);
		return NF_DROP;
	}

	if (len > p->plen)
		skb_put(skb, len - p->plen);
	else
		skb_trim(skb, skb->len - (p->plen - len));
	fwd_ip = (struct srtprelay_fwd_ip){
		.ttl = pp_out_ttl(p->ttl), .tclass = p->tclass, .df = p->df,
	};
	if (srtprelay_forward(net, skb, p->thoff, len, &out_src, &out_dst,
			      &fwd_ip, route)) {
		count(sn, s, SRTPRELAY_STAT_TX_ERRORS, 1);
		return NF_STOLEN;
	}
	count(sn, s, SRTPRELAY_STAT_TX_PACKETS, 1);
	count(sn, s, SRTPRELAY_STAT_TX_BYTES, len);
	if (rtcp)
		count(sn, s, SRTPRELAY_STAT_RTCP_TX_PACKETS, 1);
	return NF_STOLEN;

unlock_punt:
	spin_unlock(&s->lock);
	return punt_counted(sn, realm, SRTPRELAY_STAT_PUNTED);
}

/* A UDP packet to p->dst with its header at p->thoff: ours or not? */
static unsigned int handle_udp(struct net *net, struct sk_buff *skb,
			       struct hook_pkt *p)
{
	struct srtprelay_net *sn = srtprelay_pernet(net);
	const struct srtprelay_realm *realm;
	struct srtprelay_stream *s;
	struct srtprelay_addr key;
	bool rtcp_port = false;
	u16 port;

	realm = srtprelay_realm_lookup(sn, &p->dst);
	if (!realm)
		return NF_ACCEPT;
	p->plen = ntohs(udp_hdr(skb)->len);
	/* The stack trimmed the skb to the IP length; a UDP length that does
	 * not end there, a GSO (GRO-merged) skb: not a packet we relay.
	 */
	if (p->plen < sizeof(struct udphdr) || p->thoff + p->plen != skb->len ||
	    skb_is_gso(skb))
		return punt_counted(sn, realm, SRTPRELAY_STAT_PUNTED);
	p->plen -= sizeof(struct udphdr);

	s = srtprelay_stream_lookup(sn, &p->dst);
	port = ntohs(p->dst.port);
	if (!s && port > 1) {
		key = p->dst;
		key.port = htons(port - 1);
		s = srtprelay_stream_lookup(sn, &key);
		rtcp_port = true;
	}
	if (!s)
		return punt_counted(sn, realm, SRTPRELAY_STAT_PUNTED);
	/* RTP, RTCP or not ours (RFC 7983): pp_classify() tells. */
	return handle_stream(net, sn, realm, s, rtcp_port, skb, p);
}

static unsigned int punt_fragment(struct net *net,
				  const struct srtprelay_addr *dst)
{
	struct srtprelay_net *sn = srtprelay_pernet(net);
	const struct srtprelay_realm *realm;

	realm = srtprelay_realm_lookup_ip(sn, dst);
	if (!realm)
		return NF_ACCEPT;
	return punt_counted(sn, realm, SRTPRELAY_STAT_FRAGMENTS);
}

static unsigned int inspect_v4(struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct hook_pkt p = {};
	const struct iphdr *iph;
	const struct udphdr *uh;

	iph = ip_hdr(skb);
	if (iph->protocol != IPPROTO_UDP)
		return NF_ACCEPT;
	if (ip_is_fragment(iph)) {
		srtprelay_addr_v4(&p.dst, iph->daddr, 0);
		return punt_fragment(state->net, &p.dst);
	}
	p.thoff = skb_network_offset(skb) + iph->ihl * 4;
	if (!pskb_may_pull(skb, p.thoff + sizeof(*uh)))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	skb_set_transport_header(skb, p.thoff);
	uh = udp_hdr(skb);
	srtprelay_addr_v4(&p.src, iph->saddr, uh->source);
	srtprelay_addr_v4(&p.dst, iph->daddr, uh->dest);
	p.ttl = iph->ttl;
	p.tclass = iph->tos;
	p.df = iph->frag_off & htons(IP_DF);
	return handle_udp(state->net, skb, &p);
}

static unsigned int inspect_v6(struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct srtprelay_net *sn = srtprelay_pernet(state->net);
	struct hook_pkt p = {};
	const struct srtprelay_realm *realm;
	const struct ipv6hdr *ip6h;
	const struct udphdr *uh;
	__be16 frag_off;
	u8 nexthdr, _nh;
	const u8 *nh;
	int off;

	ip6h = ipv6_hdr(skb);
	nexthdr = ip6h->nexthdr;
	p.thoff = skb_network_offset(skb) + sizeof(*ip6h);
	if (nexthdr != IPPROTO_UDP) {
		/* Extension headers: only a fragment header matters to us;
		 * anything else is not media we relay.
		 */
		off = ipv6_skip_exthdr(skb, p.thoff, &nexthdr, &frag_off);
		if (off < 0)
			return NF_ACCEPT;
		/* A later fragment stops the walk at its fragment header,
		 * whose first byte names the upper protocol.
		 */
		if (frag_off && nexthdr == NEXTHDR_FRAGMENT) {
			nh = skb_header_pointer(skb, off, sizeof(_nh), &_nh);
			if (!nh)
				return NF_ACCEPT;
			nexthdr = *nh;
		}
		if (nexthdr != IPPROTO_UDP)
			return NF_ACCEPT;
		srtprelay_addr_v6(&p.dst, &ip6h->daddr, 0);
		/* offset and M flag: 0 without a fragment header, and for an
		 * atomic fragment, which is one whole packet
		 */
		if (frag_off)
			return punt_fragment(state->net, &p.dst);
		realm = srtprelay_realm_lookup_ip(sn, &p.dst);
		if (!realm)
			return NF_ACCEPT;
		return punt_counted(sn, realm, SRTPRELAY_STAT_PUNTED);
	}
	if (!pskb_may_pull(skb, p.thoff + sizeof(*uh)))
		return NF_ACCEPT;
	ip6h = ipv6_hdr(skb);
	skb_set_transport_header(skb, p.thoff);
	uh = udp_hdr(skb);
	srtprelay_addr_v6(&p.src, &ip6h->saddr, uh->source);
	srtprelay_addr_v6(&p.dst, &ip6h->daddr, uh->dest);
	p.ttl = ip6h->hop_limit;
	p.tclass = ipv6_get_dsfield(ip6h);
	return handle_udp(state->net, skb, &p);
}

/*
 * PRE_ROUTING normally runs in softirq context, but a packet a hook queued
 * to userspace comes back through it from process context when the queue's
 * reader answers NF_REPEAT (nf_reinject()). The per-CPU counters and the
 * stream lock, also taken by softirqs, need bottom halves off then; in
 * softirq context this costs a counter increment.
 */
static unsigned int hook_v4(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	unsigned int verdict;

	/* the common case on a host with no realms: one load */
	if (list_empty(&srtprelay_pernet(state->net)->realms))
		return NF_ACCEPT;
	local_bh_disable();
	verdict = inspect_v4(skb, state);
	local_bh_enable();
	return verdict;
}

static unsigned int hook_v6(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	unsigned int verdict;

	if (list_empty(&srtprelay_pernet(state->net)->realms))
		return NF_ACCEPT;
	local_bh_disable();
	verdict = inspect_v6(skb, state);
	local_bh_enable();
	return verdict;
}

/*
 * Before defragmentation (so fragments are seen, counted and passed on as
 * such) and before connection tracking (relayed media needs no conntrack
 * entries); after the raw table's before-defrag chains, so an operator can
 * still drop traffic ahead of the relay.
 */
static const struct nf_hook_ops srtprelay_nf_ops[] = {
	{
		.hook = hook_v4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_CONNTRACK_DEFRAG - 1,
	},
	{
		.hook = hook_v6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_CONNTRACK_DEFRAG - 1,
	},
};

/**
 * srtprelay_hook_net_init() - register the hooks in a namespace
 * @net: the namespace
 *
 * Return: 0 or a negative errno.
 */
int srtprelay_hook_net_init(struct net *net)
{
	return nf_register_net_hooks(net, srtprelay_nf_ops,
				     ARRAY_SIZE(srtprelay_nf_ops));
}

/**
 * srtprelay_hook_net_exit() - unregister the hooks of a namespace
 * @net: the namespace
 *
 * Returns only once no CPU is inside a hook any more (nf_unregister_net_hooks
 * waits for a grace period), so the namespace's streams may then be freed.
 */
void srtprelay_hook_net_exit(struct net *net)
{
	nf_unregister_net_hooks(net, srtprelay_nf_ops,
				ARRAY_SIZE(srtprelay_nf_ops));
}
