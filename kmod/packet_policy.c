// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The per-packet policy both backends run (see packet_policy.h).
 *
 * TTL and hop limit: the relay forwards as a router would, with the value
 * the packet came with less one, across families too (IPv4 TTL into IPv6
 * hop limit and back, as SIIT does, RFC 7915 4.1 and 5.1). A fixed value
 * would be simpler, but a stream whose output reaches a stream of this
 * host again (a loopback misconfiguration, two relays pointing at each
 * other; plain RTP has no replay check to stop it) would then circle
 * forever; with the decrement it dies out. A packet that arrives with 1
 * left would leave with 0: dropped before any crypto, counted.
 *
 * UDP checksum: plain RTP has nothing else protecting it, so the checksum
 * of every packet is verified unless the device or the stack already did
 * (the module reads that from the skb, the userspace datapath from
 * NFQUEUE's packet info). IPv4 allows none (0, RFC 768); IPv6 does not
 * (RFC 8200 8.1). The sum is computed here, in portable C, in both
 * backends: on the packet sizes of media it costs well under a microsecond.
 */
#include "packet_policy.h"
#include "srtp.h"

#define UDP_PROTOCOL 17		/* IPPROTO_UDP */
#define UDP_HEADER_LEN 8
#define IPV4_HEADER_LEN 20	/* what a relayed IPv4 packet carries */
#define IP_LEN_MAX 65535	/* IPv4 total length, IPv6 payload length */
#define TTL_MIN 2		/* leaves with at least 1 */

/*
 * RFC 1071 in the host's byte order, 32 bits at a time into 64: once
 * folded the sum is the same in either order, byte-swapped (RFC 1071
 * 2(B)), and words instead of byte pairs halve the loop. Every chunk but
 * the last has an even length, so the words of a chunk line up with the
 * 16-bit words of the whole.
 */
static u64 sum_native(u64 sum, const u8 *p, unsigned int len)
{
	u32 word;
	u16 half;

	for (; len >= 4; p += 4, len -= 4) {
		memcpy(&word, p, 4);
		sum += word;
	}
	if (len >= 2) {
		memcpy(&half, p, 2);
		sum += half;
		p += 2;
		len -= 2;
	}
	if (len) {
		u8 last[2] = { p[0], 0 };	/* padded with zero */

		memcpy(&half, last, 2);
		sum += half;
	}
	return sum;
}

/* Folds to 16 bits; returns them read in network order. */
static u16 fold(u64 sum)
{
	u16 folded;
	u8 bytes[2];

	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	folded = (u16)sum;
	memcpy(bytes, &folded, 2);
	return (u16)(bytes[0] << 8 | bytes[1]);
}

/* Ones' complement sum of the pseudo-header (RFC 768, RFC 8200 8.1) and
 * the datagram as it is, checksum field included.
 */
static u16 udp_sum(const struct pp_ip *src, const struct pp_ip *dst,
		   const u8 *udp, unsigned int len)
{
	unsigned int alen = src->family == AF_INET ? 4 : 16;
	/* protocol and length: as IPv4 has them; over IPv6 (32-bit length,
	 * 24 zero bits, next header) the sum is the same
	 */
	const u8 tail[4] = { 0, UDP_PROTOCOL, len >> 8, len & 0xff };
	u64 sum;

	sum = sum_native(0, src->addr, alen);
	sum = sum_native(sum, dst->addr, alen);
	sum = sum_native(sum, tail, sizeof(tail));
	return fold(sum_native(sum, udp, len));
}

/**
 * pp_udp_checksum() - the UDP checksum to send a datagram with
 * @src: source address
 * @dst: destination address, same family
 * @udp: UDP header and payload, checksum field zero
 * @len: their length
 *
 * Return: the checksum in host order, never 0 (RFC 768: 0 is "none").
 */
u16 pp_udp_checksum(const struct pp_ip *src, const struct pp_ip *dst,
		    const u8 *udp, unsigned int len)
{
	u16 check = (u16)~udp_sum(src, dst, udp, len);

	return check ? check : 0xffff;
}

static bool checksum_ok(const struct pp_packet *pkt)
{
	u16 field = (u16)(pkt->udp[6] << 8 | pkt->udp[7]);

	if (pkt->csum_verified)
		return true;
	if (!field)
		return pkt->src.family == AF_INET;
	return udp_sum(&pkt->src, &pkt->dst, pkt->udp, pkt->udp_len) == 0xffff;
}

/**
 * pp_admit() - may a received datagram go on to its stream at all?
 * @pkt: the datagram
 * @why: set to the counter of the drop when it may not
 *
 * Looks at nothing of the stream: the module calls it before taking the
 * stream's lock.
 *
 * Return: true to go on; false to drop and count *@why.
 */
bool pp_admit(const struct pp_packet *pkt, enum srtprelay_stat *why)
{
	if (pkt->udp_len < UDP_HEADER_LEN) {
		*why = SRTPRELAY_STAT_MALFORMED;
		return false;
	}
	if (!checksum_ok(pkt)) {
		*why = SRTPRELAY_STAT_BAD_CHECKSUM;
		return false;
	}
	if (pkt->ttl < TTL_MIN) {
		*why = SRTPRELAY_STAT_TTL_EXPIRED;
		return false;
	}
	return true;
}

/**
 * pp_classify() - RTP, RTCP, or for someone else
 * @stream_flags: the stream's SRTPRELAY_STREAM_F_*
 * @rtcp_port: it came to the stream's RTP port + 1
 * @payload: the UDP payload
 * @len: its length
 *
 * RFC 7983: RTP and RTCP start with 128..191; STUN (0..3), ZRTP (16..19),
 * DTLS (20..63) and TURN channels (64..79) are userspace's. Port + 1 is the
 * stream's RTCP port only without RTCP-mux; on a muxed port RTCP is told
 * by its packet type (RFC 5761 4). RTCP of a PUNT_RTCP stream is passed on.
 *
 * Return: the kind of packet.
 */
enum pp_kind pp_classify(u32 stream_flags, bool rtcp_port, const u8 *payload,
			 unsigned int len)
{
	bool mux_in = stream_flags & SRTPRELAY_STREAM_F_RTCP_MUX_IN;
	bool rtcp;

	if (!len || payload[0] < 0x80 || payload[0] > 0xbf)
		return PP_NOT_OURS;
	if (rtcp_port && mux_in)
		return PP_NOT_OURS;
	rtcp = rtcp_port || (mux_in && srtp_is_rtcp(payload, len));
	if (rtcp && (stream_flags & SRTPRELAY_STREAM_F_PUNT_RTCP))
		return PP_NOT_OURS;
	return rtcp ? PP_RTCP : PP_RTP;
}

/**
 * pp_protect_room() - how far protect may grow a payload
 * @out_family: family of the output leg
 * @buf_room: bytes the backend's buffer has from the payload on
 *
 * The output must fit in one IP packet of its family: 65535 bytes of IPv4
 * with a 20-byte header, 65535 bytes of IPv6 payload. A 64K-MTU loopback
 * carries IPv4 packets that big, so payload plus tag can exceed it; protect
 * then fails with -SRTP_ERR_NOSPACE, counted by pp_protect_stat().
 *
 * Return: the room to give protect.
 */
unsigned int pp_protect_room(u16 out_family, unsigned int buf_room)
{
	unsigned int limit = IP_LEN_MAX - UDP_HEADER_LEN;

	if (out_family == AF_INET)
		limit -= IPV4_HEADER_LEN;
	return buf_room < limit ? buf_room : limit;
}

/**
 * pp_protect_stat() - the counter of a failed protect
 * @status: what srtp_ctx_protect() or _protect_rtcp() returned
 *
 * Both backends give protect a buffer with room for the largest trailer,
 * so no room means the output would not fit its IP packet.
 *
 * Return: SRTPRELAY_STAT_TOO_LONG or srtp_status_stat()'s counter.
 */
enum srtprelay_stat pp_protect_stat(int status)
{
	if (status == -SRTP_ERR_NOSPACE)
		return SRTPRELAY_STAT_TOO_LONG;
	return srtp_status_stat(status);
}

/**
 * pp_out_ttl() - the TTL or hop limit a relayed packet leaves with
 * @in_ttl: what it arrived with; pp_admit() took only 2 or more
 *
 * Return: @in_ttl less one (see the top of this file).
 */
u8 pp_out_ttl(u8 in_ttl)
{
	return in_ttl - 1;
}

/**
 * pp_srtp_receive() - authenticate (and decrypt) what a stream received
 * @stream_flags: the stream's SRTPRELAY_STREAM_F_*
 * @in: its input crypto context
 * @data: the UDP payload, writable
 * @len: its length in; the length to send on out
 * @rtcp: whether it is RTCP
 * @info: filled as srtp_ctx_unprotect() fills it
 *
 * A PASS_THROUGH stream checks the packet and leaves it as it came.
 *
 * Return: 0 or a negated enum srtp_status.
 */
int pp_srtp_receive(u32 stream_flags, struct srtp_ctx *in, u8 *data,
		    unsigned int *len, bool rtcp, struct srtp_packet_info *info)
{
	if (stream_flags & SRTPRELAY_STREAM_F_PASS_THROUGH)
		return rtcp ? srtp_ctx_check_rtcp(in, data, *len, info) :
			      srtp_ctx_check(in, data, *len, info);
	return rtcp ? srtp_ctx_unprotect_rtcp(in, data, len, info) :
		      srtp_ctx_unprotect(in, data, len, info);
}

/**
 * pp_srtp_send() - protect what a stream sends on
 * @stream_flags: the stream's SRTPRELAY_STREAM_F_*
 * @out: its output crypto context
 * @data: the payload pp_srtp_receive() left, writable
 * @len: its length in; the length to send out
 * @room: what pp_protect_room() gave
 * @rtcp: whether it is RTCP
 * @received: what pp_srtp_receive() filled in for it
 * @info: filled as srtp_ctx_protect() fills it
 *
 * A PASS_THROUGH stream sends the packet as it came, under the key @out
 * has, which counts it as sent or refuses it as srtp_ctx_protect() would
 * (srtp_ctx_note_sent()).
 *
 * Return: 0 or a negated enum srtp_status.
 */
int pp_srtp_send(u32 stream_flags, struct srtp_ctx *out, u8 *data,
		 unsigned int *len, unsigned int room, bool rtcp,
		 const struct srtp_packet_info *received,
		 struct srtp_packet_info *info)
{
	if (stream_flags & SRTPRELAY_STREAM_F_PASS_THROUGH) {
		memset(info, 0, sizeof(*info));
		return srtp_ctx_note_sent(out, rtcp, received);
	}
	return rtcp ? srtp_ctx_protect_rtcp(out, data, len, room, info) :
		      srtp_ctx_protect(out, data, len, room, info);
}

/**
 * pp_pass_through_refusal() - why a stream may not pass SRTP through
 * @stream_flags: the stream's SRTPRELAY_STREAM_F_* as they will be
 * @in: its input crypto context as it will be
 * @out: its output crypto context as it will be
 *
 * Return: NULL when the stream does not ask for it or may have it, else
 * the reason, for the backend's error message.
 */
const char *pp_pass_through_refusal(u32 stream_flags,
				    const struct srtp_ctx *in,
				    const struct srtp_ctx *out)
{
	if (!(stream_flags & SRTPRELAY_STREAM_F_PASS_THROUGH))
		return NULL;
	if (in->params.suite == SRTPRELAY_SUITE_NONE || in->suite.aead)
		return "PASS_THROUGH needs an AES-CM suite";
	/* A check that checks nothing would forward anyone's packets. */
	if (!in->rtp_tag_len)
		return "PASS_THROUGH needs authenticated SRTP";
	if (!srtp_ctx_same_key(in, &out->params))
		return "PASS_THROUGH needs the same suite, key, salt, MKI and parameters in and out";
	/* The out leg's peer reads each index as the in leg's sender gave it. */
	if (in->params.roc != out->params.roc ||
	    in->params.has_seq != out->params.has_seq ||
	    (in->params.has_seq && in->params.seq != out->params.seq))
		return "PASS_THROUGH needs the same ROC and SEQ in and out";
	return NULL;
}
