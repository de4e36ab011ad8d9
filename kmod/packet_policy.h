/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The relay's per-packet policy, compiled into srtprelay.ko and into the
 * userspace datapath as srtp.c is, so that both backends take, classify,
 * drop and count a packet the same way: the UDP checksum and the TTL or
 * hop limit of what arrives, RTP or RTCP or not ours (RFC 7983, RFC 5761),
 * the room protect may fill so that the output fits in an IP packet of its
 * family, the TTL or hop limit it leaves with, and whether a stream
 * re-encrypts or passes SRTP through. Who may send is
 * latch.c's, compiled into both the same way.
 *
 * Plain arguments only (bytes, lengths, flags): the backends parse their
 * own headers (an skb, an NFQUEUE message) and a fuzz target can call it.
 */
#ifndef SRTPRELAY_PACKET_POLICY_H
#define SRTPRELAY_PACKET_POLICY_H

#include "srtp.h"
#include <linux/srtprelay.h>

#ifdef __KERNEL__
#include <linux/socket.h>
#else
#include <sys/socket.h>
#endif

/* An IP address: 4 (AF_INET) or 16 (AF_INET6) bytes in network order. */
struct pp_ip {
	const u8 *addr;
	u16 family;		/* AF_INET or AF_INET6 */
};

/* A received UDP datagram, as the backend read its IP header. */
struct pp_packet {
	struct pp_ip src, dst;
	const u8 *udp;		/* the UDP header, the payload after it */
	unsigned int udp_len;	/* header and payload, all present */
	u8 ttl;			/* IPv4 TTL or IPv6 hop limit, as received */
	bool csum_verified;	/* the device or the stack checked it already */
};

enum pp_kind {
	PP_NOT_OURS,		/* STUN, DTLS, ... or RTCP the stream punts */
	PP_RTP,
	PP_RTCP,
};

bool pp_admit(const struct pp_packet *pkt, enum srtprelay_stat *why);
enum pp_kind pp_classify(u32 stream_flags, bool rtcp_port, const u8 *payload,
			 unsigned int len);
unsigned int pp_protect_room(u16 out_family, unsigned int buf_room);
enum srtprelay_stat pp_protect_stat(int status);
u8 pp_out_ttl(u8 in_ttl);
u16 pp_udp_checksum(const struct pp_ip *src, const struct pp_ip *dst,
		    const u8 *udp, unsigned int len);
int pp_srtp_receive(u32 stream_flags, struct srtp_ctx *in, u8 *data,
		    unsigned int *len, bool rtcp, struct srtp_packet_info *info);
int pp_srtp_send(u32 stream_flags, struct srtp_ctx *out, u8 *data,
		 unsigned int *len, unsigned int room, bool rtcp,
		 const struct srtp_packet_info *received,
		 struct srtp_packet_info *info);
const char *pp_pass_through_refusal(u32 stream_flags,
				    const struct srtp_ctx *in,
				    const struct srtp_ctx *out);

#endif /* SRTPRELAY_PACKET_POLICY_H */
