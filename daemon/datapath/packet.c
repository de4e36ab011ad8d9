// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * One packet through the userspace datapath: the kernel module's receive
 * path (kmod/hook.c) for a datagram received on a stream's socket, or for
 * a packet handed over by NFQUEUE once its IP and UDP headers are parsed.
 * Find the stream, apply the policy both backends share
 * (kmod/packet_policy.c: checksum, TTL, RTP or RTCP, source, room),
 * unprotect with the in-leg's keys, protect with the out-leg's, and say
 * where the result goes (NFQUEUE mode: build the IP packet to send).
 */
#include <errno.h>
#include <string.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>

#include "datapath.h"
#include "packet_policy.h"

/* Any UDP payload and the largest trailer fit: no length is punted. */
_Static_assert(DP_BUF_LEN - DP_HEADROOM >= 65535 - 8 + SRTP_TRAILER_LEN_MAX,
	       "the send buffer holds the largest datagram, protected");

static struct pp_ip pp_ip_of(const struct dp_addr *addr)
{
	return (struct pp_ip){ addr->addr, addr->family };
}

/*
 * IPv4 or IPv6 + UDP. Returns 1 for a fragment, -1 for anything else.
 * @csum_verified: NFQUEUE says the kernel needs no check of the checksum.
 */
static int parse_ip_udp(const uint8_t *ip, unsigned int len,
			bool csum_verified, struct dp_rx *p)
{
	const struct udphdr *udp;
	unsigned int header;

	memset(p, 0, sizeof(*p));
	if (len >= sizeof(struct iphdr) && ip[0] >> 4 == 4) {
		const struct iphdr *iph = (const void *)ip;

		header = iph->ihl * 4u;
		if (header < sizeof(*iph) || len < header + sizeof(*udp) ||
		    iph->protocol != IPPROTO_UDP)
			return -1;
		if (ntohs(iph->frag_off) & (IP_MF | IP_OFFMASK))
			return 1;
		p->src.family = p->dst.family = AF_INET;
		memcpy(p->src.addr, &iph->saddr, 4);
		memcpy(p->dst.addr, &iph->daddr, 4);
		p->pkt.ttl = iph->ttl;
	} else if (len >= sizeof(struct ip6_hdr) && ip[0] >> 4 == 6) {
		const struct ip6_hdr *ip6 = (const void *)ip;

		header = sizeof(*ip6);
		if (ip6->ip6_nxt == IPPROTO_FRAGMENT)
			return 1;
		if (ip6->ip6_nxt != IPPROTO_UDP || len < header + sizeof(*udp))
			return -1;
		p->src.family = p->dst.family = AF_INET6;
		memcpy(p->src.addr, &ip6->ip6_src, 16);
		memcpy(p->dst.addr, &ip6->ip6_dst, 16);
		p->pkt.ttl = ip6->ip6_hlim;
	} else {
		return -1;
	}
	udp = (const void *)(ip + header);
	if (ntohs(udp->len) < sizeof(*udp) || ntohs(udp->len) > len - header)
		return -1;
	p->src.port = ntohs(udp->source);
	p->dst.port = ntohs(udp->dest);
	p->payload = ip + header + sizeof(*udp);
	p->payload_len = ntohs(udp->len) - sizeof(*udp);
	p->pkt.src = pp_ip_of(&p->src);
	p->pkt.dst = pp_ip_of(&p->dst);
	p->pkt.udp = ip + header;
	p->pkt.udp_len = ntohs(udp->len);
	p->pkt.csum_verified = csum_verified;
	return 0;
}

/*
 * Writes IP + UDP headers in front of the payload at buf + DP_HEADROOM,
 * with the TTL or hop limit @ttl; the payload fits (pp_protect_room()).
 */
static void build_headers(uint8_t *buf, struct dp_send *send)
{
	const struct dp_addr *src = &send->src, *dst = &send->dst;
	unsigned int payload_len = send->payload_len;
	uint8_t ttl = send->ttl;
	unsigned int ip_len = src->family == AF_INET ? 20 : 40;
	uint8_t *ip = buf + DP_HEADROOM - 8 - ip_len;
	struct udphdr *udp = (void *)(buf + DP_HEADROOM - 8);
	unsigned int udp_len = payload_len + 8;
	struct pp_ip from = pp_ip_of(src), to = pp_ip_of(dst);

	udp->source = htons(src->port);
	udp->dest = htons(dst->port);
	udp->len = htons((uint16_t)udp_len);
	udp->check = 0;
	udp->check = htons(pp_udp_checksum(&from, &to, (const uint8_t *)udp,
					   udp_len));

	if (src->family == AF_INET) {
		struct iphdr *iph = (void *)ip;

		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = ttl;
		iph->protocol = IPPROTO_UDP;
		iph->tot_len = htons((uint16_t)(ip_len + udp_len));
		memcpy(&iph->saddr, src->addr, 4);
		memcpy(&iph->daddr, dst->addr, 4);
		iph->check = 0;	/* the kernel fills it for IP_HDRINCL */
	} else {
		struct ip6_hdr *ip6 = (void *)ip;

		memset(ip6, 0, sizeof(*ip6));
		ip6->ip6_flow = htonl(6U << 28);
		ip6->ip6_plen = htons((uint16_t)udp_len);
		ip6->ip6_nxt = IPPROTO_UDP;
		ip6->ip6_hlim = ttl;
		memcpy(&ip6->ip6_src, src->addr, 16);
		memcpy(&ip6->ip6_dst, dst->addr, 16);
	}
	send->ip = ip;
	send->len = ip_len + udp_len;
	dp_addr_to_sockaddr(dst, &send->sa);
	/* Raw sockets take the port from the header, not the address. */
	((struct sockaddr_in *)&send->sa)->sin_port = 0;
}

/* What the packet path reports once the stream lock is dropped. */
struct report {
	/* REMOTE_LATCHED / _CHANGED / SOURCE_REJECTED about the source */
	uint32_t source_event;
	bool new_ssrc;
	uint32_t ssrc;
	uint64_t cookie;
};

/* Per stream and for the whole datapath (this worker's block). */
#define COUNT(stat, n)                                                 \
	do {                                                           \
		stream->stats[stat] += (n);                            \
		global->stats[stat] += (n);                            \
	} while (0)

/* The stream lock is held: decrypt, re-encrypt, account. */
static enum dp_verdict transform(struct dp_stream *stream,
				 struct dp_counters *global,
				 bool rtcp, const struct dp_rx *p,
				 uint8_t *data, unsigned int *len,
				 struct report *report)
{
	const struct dp_addr *out = rtcp ? &stream->out_rtcp_src :
					   &stream->out_src;
	struct latch_addr src = dp_latch_addr(&p->src);
	struct latch_addr remote = dp_latch_addr(&stream->remote);
	enum latch_verdict source;
	struct srtp_packet_info info, sent;
	uint64_t now = dp_now_ms();
	unsigned int room;
	int ret;

	/* The source policy the module runs too (kmod/latch.c). */
	source = latch_check(&stream->latch, stream->config.flags, &remote,
			     &src, rtcp, now);
	if (source == LATCH_REFUSE) {
		COUNT(SRTPRELAY_STAT_SOURCE_REJECTED, 1);
		report->cookie = stream->config.cookie;
		if (latch_report_refusal(&stream->latch, now))
			report->source_event = SRTPRELAY_EVENT_SOURCE_REJECTED;
		return DP_DROP;
	}
	ret = pp_srtp_receive(stream->config.flags, stream->in, data, len, rtcp,
			      &info);
	if (ret) {
		COUNT(srtp_status_stat(ret), 1);
		/* Not (S)RTP after all, as the module: nothing changed, pass. */
		return ret == -SRTP_ERR_MALFORMED ? DP_PASS : DP_DROP;
	}
	COUNT(SRTPRELAY_STAT_RX_PACKETS, 1);
	COUNT(SRTPRELAY_STAT_RX_BYTES, p->payload_len);
	COUNT(SRTPRELAY_STAT_RTCP_RX_PACKETS, rtcp);
	COUNT(SRTPRELAY_STAT_SSRC_CHANGES, info.new_ssrc);
	COUNT(SRTPRELAY_STAT_ROC_CHANGES, info.roc_changed);
	stream->last_rx_ms = now;
	__atomic_store_n(&global->last_rx_ms, now, __ATOMIC_RELAXED);
	report->new_ssrc = info.new_ssrc;
	report->ssrc = info.ssrc;
	report->cookie = stream->config.cookie;
	/* Only now that it authenticated may its source latch. */
	if (source == LATCH_LEARN) {
		report->source_event = latch_commit(&stream->latch, &src);
		COUNT(SRTPRELAY_STAT_LATCHES, report->source_event != 0);
	}
	if (stream->config.flags & SRTPRELAY_STREAM_F_HOLD) {
		COUNT(SRTPRELAY_STAT_HELD, 1);
		return DP_DROP;
	}

	room = pp_protect_room(out->family, DP_BUF_LEN - DP_HEADROOM);
	ret = pp_srtp_send(stream->config.flags, stream->out, data, len, room,
			   rtcp, &info, &sent);
	if (ret) {
		COUNT(pp_protect_stat(ret), 1);
		return DP_DROP;
	}
	COUNT(SRTPRELAY_STAT_TX_PACKETS, 1);
	COUNT(SRTPRELAY_STAT_TX_BYTES, *len);
	COUNT(SRTPRELAY_STAT_RTCP_TX_PACKETS, rtcp);
	return DP_SEND;
}

/* Where the transformed packet goes; the stream lock is held. */
static void send_from(struct dp_stream *stream, bool rtcp, uint8_t ttl,
		      uint8_t *data, unsigned int len, struct dp_send *send)
{
	struct dp_sock *sock = rtcp ? stream->sock_out_rtcp : stream->sock_out;

	send->payload = data;
	send->payload_len = len;
	send->src = rtcp ? stream->out_rtcp_src : stream->out_src;
	send->dst = rtcp ? stream->out_rtcp_dst : stream->out_dst;
	send->ttl = ttl;
	send->fd = sock ? sock->fd : -1;
	send->stream = stream;
	send->rtcp = rtcp;
}

/**
 * dp_tx_refused() - count a packet the kernel refused to send
 * @dp: the datapath; its table read lock is held by the caller, as it
 *	was when the packet was handled
 * @worker: index of the calling worker, for global counters
 * @send: the packet
 *
 * transform() counted the packet sent, so that the common case takes the
 * stream's lock once; a refusal (no route, a full buffer) takes that back
 * and counts a tx error on the stream, as the module counts what it could
 * not send.
 */
void dp_tx_refused(struct datapath *dp, unsigned int worker,
		   const struct dp_send *send)
{
	struct dp_counters *global = &dp->counters[worker];
	struct dp_stream *stream = send->stream;

	pthread_mutex_lock(&stream->lock);
	COUNT(SRTPRELAY_STAT_TX_PACKETS, -1);
	COUNT(SRTPRELAY_STAT_TX_BYTES, -(uint64_t)send->payload_len);
	COUNT(SRTPRELAY_STAT_RTCP_TX_PACKETS, -(uint64_t)send->rtcp);
	COUNT(SRTPRELAY_STAT_TX_ERRORS, 1);
	pthread_mutex_unlock(&stream->lock);
}

/**
 * dp_rx_handle() - take one received datagram through its stream
 * @dp: the datapath; its table read lock is held by the caller
 * @worker: index of the calling worker, for global counters
 * @d: the datagram; its payload may already be at @buf + DP_HEADROOM
 *	(socket mode receives it there), else it is copied there
 * @buf: DP_BUF_LEN bytes of scratch; the payload to send is left here
 * @send: filled when the verdict is DP_SEND
 */
enum dp_verdict dp_rx_handle(struct datapath *dp, unsigned int worker,
			     const struct dp_rx *d, uint8_t *buf,
			     struct dp_send *send)
{
	struct dp_counters *global = &dp->counters[worker];
	uint8_t *data = buf + DP_HEADROOM;
	struct report report = { 0 };
	struct dp_stream *stream;
	enum srtprelay_stat why;
	enum dp_verdict verdict;
	enum pp_kind kind;
	unsigned int data_len;
	bool rtcp;

	stream = dp_stream_find(&dp->table, &d->dst, &rtcp);
	if (!stream) {
		global->stats[SRTPRELAY_STAT_PUNTED]++;
		return DP_PASS;
	}
	if (!pp_admit(&d->pkt, &why)) {
		COUNT(why, 1);
		return DP_DROP;
	}
	kind = pp_classify(stream->config.flags, rtcp, d->payload,
			   d->payload_len);
	if (kind == PP_NOT_OURS) {
		global->stats[SRTPRELAY_STAT_PUNTED]++;
		return DP_PASS;
	}
	rtcp = kind == PP_RTCP;

	if (d->payload != data)
		memcpy(data, d->payload, d->payload_len);
	data_len = d->payload_len;
	pthread_mutex_lock(&stream->lock);
	verdict = transform(stream, global, rtcp, d, data, &data_len,
			    &report);
	if (verdict == DP_SEND)
		send_from(stream, rtcp, pp_out_ttl(d->pkt.ttl), data, data_len,
			  send);
	pthread_mutex_unlock(&stream->lock);
	if (report.new_ssrc)
		dp_event_push(&dp->events, &(struct dp_event){
			.type = SRTPRELAY_EVENT_SSRC_CHANGED,
			.ssrc = report.ssrc, .cookie = report.cookie,
			.local = stream->local_rtp });
	if (report.source_event)
		dp_event_push(&dp->events, &(struct dp_event){
			.type = report.source_event, .cookie = report.cookie,
			.local = stream->local_rtp, .remote = d->src });
	return verdict;
}

/**
 * dp_count_socket_drops() - count what a stream's socket dropped
 * @dp: the datapath; its table read lock is held by the caller
 * @worker: index of the calling worker, for global counters
 * @local: the socket's address
 * @drops: datagrams it dropped since it was last asked
 *
 * In socket mode the kernel's UDP stack verifies the checksum before the
 * datagram reaches us and drops a wrong one, counting it only in the
 * socket's drop count (SO_RXQ_OVFL, which also counts a full receive
 * buffer; the kernel does not tell the two apart). They are counted as
 * the module counts a wrong checksum, on the stream the socket receives
 * for, so that both modes report the same attack the same way.
 */
void dp_count_socket_drops(struct datapath *dp, unsigned int worker,
			   const struct dp_addr *local, uint32_t drops)
{
	struct dp_counters *global = &dp->counters[worker];
	struct dp_stream *stream;
	bool rtcp;

	stream = dp_stream_find(&dp->table, local, &rtcp);
	if (!stream) {
		global->stats[SRTPRELAY_STAT_BAD_CHECKSUM] += drops;
		return;
	}
	pthread_mutex_lock(&stream->lock);
	COUNT(SRTPRELAY_STAT_BAD_CHECKSUM, drops);
	pthread_mutex_unlock(&stream->lock);
}

/**
 * dp_packet_handle() - take one packet queued by NFQUEUE through its stream
 * @dp: the datapath; its table read lock is held by the caller
 * @worker: index of the calling worker, for global counters
 * @ip: the packet as queued, from its IP header on
 * @len: its length
 * @csum_verified: the kernel has verified its checksum, or it was made on
 *	this host and has none yet (NFQUEUE's NFQA_SKB_INFO)
 * @buf: DP_BUF_LEN bytes of scratch; the packet to send is built here
 * @send: filled when the verdict is DP_SEND
 */
enum dp_verdict dp_packet_handle(struct datapath *dp, unsigned int worker,
				 const uint8_t *ip, unsigned int len,
				 bool csum_verified, uint8_t *buf,
				 struct dp_send *send)
{
	struct dp_rx d;
	enum dp_verdict verdict;
	int ret;

	ret = parse_ip_udp(ip, len, csum_verified, &d);
	if (ret) {
		dp->counters[worker].stats[ret > 0 ? SRTPRELAY_STAT_FRAGMENTS :
						     SRTPRELAY_STAT_PUNTED]++;
		return DP_PASS;
	}
	verdict = dp_rx_handle(dp, worker, &d, buf, send);
	if (verdict == DP_SEND)
		build_headers(buf, send);
	return verdict;
}
