// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * loadgen: one packet as an endpoint sends it: IPv4 and UDP headers, then
 * RTP (PCMU, PAYLOAD bytes the receiver can check) or an RTCP sender report
 * carrying its slot, protected with the endpoint's key.
 */
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>

#include "loadgen.h"

static u16 ip_checksum(const u8 *hdr)
{
	u32 sum = 0;

	for (unsigned int i = 0; i < 20; i += 2)
		sum += (u32)hdr[i] << 8 | hdr[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

static void put_ipudp(u8 *pkt, const struct stream *s, bool rtcp,
		      unsigned int udp_payload)
{
	struct iphdr *ip = (struct iphdr *)pkt;
	struct udphdr *udp = (struct udphdr *)(pkt + 20);

	memset(pkt, 0, IPUDP);
	ip->version = 4;
	ip->ihl = 5;
	ip->tos = 0xb8;		/* EF, as phones mark voice */
	ip->tot_len = htons((u16)(IPUDP + udp_payload));
	ip->frag_off = htons(IP_DF);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = s->src.sin_addr.s_addr;
	ip->daddr = s->dst.sin_addr.s_addr;
	ip->check = htons(ip_checksum(pkt));
	udp->source = htons((u16)(ntohs(s->src.sin_port) + rtcp));
	udp->dest = htons((u16)(ntohs(s->dst.sin_port) + rtcp));
	udp->len = htons((u16)(8 + udp_payload));
	udp->check = 0;		/* allowed for IPv4 UDP */
}

void build_rtp(struct stream *s, unsigned int id, u64 index, u8 *pkt,
		      u16 *len)
{
	struct srtp_packet_info info;
	unsigned int n = SRTP_RTP_HEADER_LEN + PAYLOAD;
	u8 *rtp = pkt + IPUDP;

	rtp[0] = 0x80;
	rtp[1] = 0;			/* PCMU */
	rtp[2] = (u8)(index >> 8);
	rtp[3] = (u8)index;
	put_unaligned_be32((u32)(index * 160), rtp + 4);
	put_unaligned_be32(s->ssrc, rtp + 8);
	for (unsigned int i = 0; i < PAYLOAD; i++)
		rtp[12 + i] = payload_byte(index, id, i);
	if (s->tx && srtp_ctx_protect(s->tx, rtp, &n, PKT_STRIDE - IPUDP, &info))
		die("protect failed");
	put_ipudp(pkt, s, false, n);
	*len = (u16)(IPUDP + n);
}

void build_rtcp(struct stream *s, unsigned int id, u64 slot, u8 *pkt,
		       u16 *len)
{
	struct srtp_packet_info info;
	unsigned int n = RTCP_SR_LEN;
	u8 *rtcp = pkt + IPUDP;

	memset(rtcp, 0, RTCP_SR_LEN);
	rtcp[0] = 0x80;
	rtcp[1] = 200;			/* SR */
	rtcp[3] = RTCP_SR_LEN / 4 - 1;
	put_unaligned_be32(s->ssrc, rtcp + 4);
	put_unaligned_be32((u32)slot, rtcp + 8);	/* NTP msw: our slot */
	put_unaligned_be32(SR_MAGIC, rtcp + 12);
	put_unaligned_be32(id, rtcp + 16);
	if (s->tx && srtp_ctx_protect_rtcp(s->tx, rtcp, &n, PKT_STRIDE - IPUDP,
					   &info))
		die("protect (RTCP) failed");
	put_ipudp(pkt, s, true, n);
	*len = (u16)(IPUDP + n);
}
