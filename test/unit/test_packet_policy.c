// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The per-packet policy both backends run (kmod/packet_policy.c): UDP
 * checksums against a reference sum written differently, which datagrams
 * it admits, how it tells RTP from RTCP and from what is not ours, the
 * room that keeps the output inside one IP packet, the TTL a packet
 * leaves with, and when a stream may pass SRTP through.
 */
#include <stdlib.h>
#include <arpa/inet.h>

#include "packet_policy.h"
#include "srtp.h"
#include "testing.h"

static const u8 ip4_a[4] = { 10, 0, 1, 2 }, ip4_b[4] = { 10, 0, 1, 1 };
static u8 ip6_a[16], ip6_b[16];

/* RFC 1071 once more, the way RFC 768 reads: a 32-bit sum of the
 * pseudo-header fields, then the datagram, folded at the end.
 */
static u16 reference_checksum(const u8 *src, const u8 *dst, unsigned int alen,
			      const u8 *udp, unsigned int len)
{
	u8 *all = calloc(1, 2 * alen + 4 + len + 1);
	unsigned long sum = 0;
	unsigned int i, n = 2 * alen + 4 + len;

	memcpy(all, src, alen);
	memcpy(all + alen, dst, alen);
	all[2 * alen + 1] = 17;
	all[2 * alen + 2] = len >> 8;
	all[2 * alen + 3] = len & 0xff;
	memcpy(all + 2 * alen + 4, udp, len);
	for (i = 0; i < n; i += 2)
		sum += (unsigned long)all[i] * 256 + all[i + 1];
	free(all);
	while (sum > 0xffff)
		sum = (sum >> 16) + (sum & 0xffff);
	sum = ~sum & 0xffff;
	return sum ? (u16)sum : 0xffff;
}

static unsigned int make_udp(u8 *udp, unsigned int payload, u8 first)
{
	unsigned int len = 8 + payload;

	memset(udp, 0, len);
	udp[0] = 0x17;		/* 6000 */
	udp[1] = 0x70;
	udp[2] = 0x55;		/* 22000 */
	udp[3] = 0xf0;
	udp[4] = len >> 8;
	udp[5] = len & 0xff;
	for (unsigned int i = 0; i < payload; i++)
		udp[8 + i] = (u8)(i * 37 + 11);
	udp[8] = first;
	return len;
}

static struct pp_packet packet(u16 family, const u8 *udp, unsigned int len)
{
	bool v4 = family == AF_INET;

	return (struct pp_packet){
		.src = { v4 ? ip4_a : ip6_a, family },
		.dst = { v4 ? ip4_b : ip6_b, family },
		.udp = udp, .udp_len = len, .ttl = 64,
	};
}

static void fill_checksum(struct pp_packet *pkt, u8 *udp)
{
	u16 check;

	udp[6] = udp[7] = 0;
	check = pp_udp_checksum(&pkt->src, &pkt->dst, udp, pkt->udp_len);
	udp[6] = check >> 8;
	udp[7] = check & 0xff;
}

static void checksum_matches_reference(void)
{
	static const u16 families[] = { AF_INET, AF_INET6 };
	u8 udp[1600];

	for (unsigned int f = 0; f < 2; f++) {
		for (unsigned int payload = 0; payload < 300; payload += 7) {
			unsigned int len = make_udp(udp, payload, 0x80);
			struct pp_packet pkt = packet(families[f], udp, len);
			unsigned int alen = f ? 16 : 4;
			u16 got = pp_udp_checksum(&pkt.src, &pkt.dst, udp, len);
			u16 want = reference_checksum(pkt.src.addr, pkt.dst.addr,
						      alen, udp, len);

			CHECK(got == want, "family %u payload %u: 0x%04x, want 0x%04x",
			      families[f], payload, got, want);
		}
	}
}

static void bad_checksum_dropped_good_admitted(void)
{
	enum srtprelay_stat why = SRTPRELAY_STAT_RX_PACKETS;
	u8 udp[200];
	unsigned int len = make_udp(udp, 172, 0x80);
	struct pp_packet pkt = packet(AF_INET6, udp, len);

	fill_checksum(&pkt, udp);
	CHECK(pp_admit(&pkt, &why), "a right checksum is admitted");
	for (unsigned int bit = 0; bit < len * 8; bit += 13) {
		udp[bit / 8] ^= 1 << (bit % 8);
		why = SRTPRELAY_STAT_RX_PACKETS;
		CHECK(!pp_admit(&pkt, &why) && why == SRTPRELAY_STAT_BAD_CHECKSUM,
		      "bit %u flipped is caught", bit);
		pkt.csum_verified = true;
		CHECK(pp_admit(&pkt, &why), "unless the device verified it");
		pkt.csum_verified = false;
		udp[bit / 8] ^= 1 << (bit % 8);
	}
}

static void zero_checksum_ipv4_only(void)
{
	enum srtprelay_stat why = SRTPRELAY_STAT_RX_PACKETS;
	u8 udp[100];
	unsigned int len = make_udp(udp, 60, 0x80);
	struct pp_packet v4 = packet(AF_INET, udp, len);
	struct pp_packet v6 = packet(AF_INET6, udp, len);

	CHECK(pp_admit(&v4, &why), "IPv4 without a checksum (RFC 768)");
	CHECK(!pp_admit(&v6, &why) && why == SRTPRELAY_STAT_BAD_CHECKSUM,
	      "IPv6 without one (RFC 8200 8.1)");
}

static void ttl_one_expires(void)
{
	enum srtprelay_stat why = SRTPRELAY_STAT_RX_PACKETS;
	u8 udp[100];
	unsigned int len = make_udp(udp, 60, 0x80);
	struct pp_packet pkt = packet(AF_INET, udp, len);

	pkt.ttl = 1;
	CHECK(!pp_admit(&pkt, &why) && why == SRTPRELAY_STAT_TTL_EXPIRED, "TTL 1");
	pkt.ttl = 0;
	CHECK(!pp_admit(&pkt, &why) && why == SRTPRELAY_STAT_TTL_EXPIRED, "TTL 0");
	pkt.ttl = 2;
	CHECK(pp_admit(&pkt, &why) && pp_out_ttl(pkt.ttl) == 1, "TTL 2 leaves with 1");
	CHECK(pp_out_ttl(64) == 63 && pp_out_ttl(255) == 254, "less one");
	pkt.udp_len = 7;
	CHECK(!pp_admit(&pkt, &why) && why == SRTPRELAY_STAT_MALFORMED,
	      "shorter than a UDP header");
}

static void classify_by_port_mux_and_first_byte(void)
{
	const u32 mux = SRTPRELAY_STREAM_F_RTCP_MUX_IN;
	const u32 punt = SRTPRELAY_STREAM_F_PUNT_RTCP;
	u8 rtp[12] = { 0x80, 0x00 }, rtcp[8] = { 0x80, 200 };
	u8 stun[20] = { 0x00, 0x01 }, dtls[13] = { 22, 0xfe };

	CHECK(pp_classify(0, false, rtp, sizeof(rtp)) == PP_RTP, "RTP");
	CHECK(pp_classify(0, false, rtcp, sizeof(rtcp)) == PP_RTP,
	      "RTCP's type on the RTP port without mux is RTP's business");
	CHECK(pp_classify(mux, false, rtcp, sizeof(rtcp)) == PP_RTCP, "muxed RTCP");
	CHECK(pp_classify(0, true, rtp, sizeof(rtp)) == PP_RTCP, "port + 1");
	CHECK(pp_classify(mux, true, rtcp, sizeof(rtcp)) == PP_NOT_OURS,
	      "port + 1 of a muxed stream");
	CHECK(pp_classify(punt, true, rtcp, sizeof(rtcp)) == PP_NOT_OURS, "punted RTCP");
	CHECK(pp_classify(mux | punt, false, rtcp, sizeof(rtcp)) == PP_NOT_OURS,
	      "punted muxed RTCP");
	CHECK(pp_classify(mux | punt, false, rtp, sizeof(rtp)) == PP_RTP,
	      "RTP of a stream that punts RTCP");
	CHECK(pp_classify(0, false, stun, sizeof(stun)) == PP_NOT_OURS, "STUN");
	CHECK(pp_classify(0, false, dtls, sizeof(dtls)) == PP_NOT_OURS, "DTLS");
	CHECK(pp_classify(0, false, rtp, 0) == PP_NOT_OURS, "empty");
	rtp[0] = 0xc0;
	CHECK(pp_classify(0, false, rtp, sizeof(rtp)) == PP_NOT_OURS, "version 3");
}

/* A context with @params; NULL (and a failed check) if it cannot be made. */
static struct srtp_ctx *ctx_new(const struct srtp_params *params)
{
	struct srtp_ctx *ctx = calloc(1, SRTP_CTX_SIZE_MAX);

	if (!ctx || srtp_ctx_init(ctx, params)) {
		CHECK(false, "context");
		free(ctx);
		return NULL;
	}
	return ctx;
}

static void ctx_free(struct srtp_ctx *ctx)
{
	if (ctx)
		srtp_ctx_wipe(ctx);
	free(ctx);
}

/* Protect with the policy's room refuses what would not fit, and that is
 * counted as too_long; the largest that fits goes through.
 */
static void output_fits_one_ip_packet(void)
{
	struct srtp_params params = { .suite = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80 };
	struct srtp_packet_info info;
	struct srtp_ctx *ctx = ctx_new(&params);
	u8 *pkt = calloc(1, 65600);
	unsigned int len;

	CHECK(pp_protect_room(AF_INET, 65600) == 65507, "IPv4: 65535 - 20 - 8");
	CHECK(pp_protect_room(AF_INET6, 65600) == 65527, "IPv6: 65535 - 8");
	CHECK(pp_protect_room(AF_INET6, 1500) == 1500, "the buffer's own room");
	CHECK(pp_protect_stat(-SRTP_ERR_NOSPACE) == SRTPRELAY_STAT_TOO_LONG, "too_long");
	CHECK(pp_protect_stat(-SRTP_ERR_AUTH) == SRTPRELAY_STAT_AUTH_FAILED,
	      "other causes as srtp_status_stat()");
	CHECK(pkt, "packet buffer");
	if (!ctx || !pkt) {
		ctx_free(ctx);
		free(pkt);
		return;
	}
	pkt[0] = 0x80;
	pkt[11] = 1;		/* SSRC 1 */
	len = 65497;
	CHECK(!srtp_ctx_protect(ctx, pkt, &len, pp_protect_room(AF_INET, 65600), &info) &&
	      len == 65507, "65497 + 10 bytes of tag fit IPv4");
	pkt[3] = 2;
	len = 65498;
	CHECK(srtp_ctx_protect(ctx, pkt, &len, pp_protect_room(AF_INET, 65600), &info) ==
	      -SRTP_ERR_NOSPACE, "one byte more does not");
	len = 65498;
	CHECK(!srtp_ctx_protect(ctx, pkt, &len, pp_protect_room(AF_INET6, 65600), &info),
	      "but fits IPv6");
	ctx_free(ctx);
	free(pkt);
}

/* Would a stream with these in and out parameters pass SRTP through? */
static bool pass_through_taken(const struct srtp_params *in,
			       const struct srtp_params *out)
{
	struct srtp_ctx *in_ctx = ctx_new(in), *out_ctx = ctx_new(out);
	bool taken = false;

	if (in_ctx && out_ctx)
		taken = !pp_pass_through_refusal(SRTPRELAY_STREAM_F_PASS_THROUGH,
						 in_ctx, out_ctx);
	ctx_free(in_ctx);
	ctx_free(out_ctx);
	return taken;
}

/*
 * A passed-through packet keeps the index its sender gave it: the out
 * leg's peer can only read it if it starts from the same rollover counter
 * and sequence number as the in leg. Found by fuzz_packet: in ROC 1, out
 * ROC 0, same key; the callee refused the first packet (index 101, not
 * 65,637).
 */
static void pass_through_needs_same_rollover(void)
{
	struct srtp_params in = { .suite = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32,
				  .roc = 1, .seq = 253, .has_seq = true };
	struct srtp_params out;

	memset(in.master_key, 0x64, sizeof(in.master_key));
	memset(in.master_salt, 0x2c, sizeof(in.master_salt));
	out = in;
	CHECK(pass_through_taken(&in, &out), "same key, ROC and SEQ: taken");
	out.replay_window = 512;
	CHECK(pass_through_taken(&in, &out), "the replay window is the relay's own");
	out = in;
	out.roc = 0;
	CHECK(!pass_through_taken(&in, &out), "ROC 1 in, 0 out: refused");
	out = in;
	out.has_seq = false;
	CHECK(!pass_through_taken(&in, &out), "SEQ given in, not out: refused");
	out = in;
	out.seq = 254;
	CHECK(!pass_through_taken(&in, &out), "SEQ 253 in, 254 out: refused");
}

/* 12 bytes of RTP header and 20 of payload in 64: room for any trailer. */
static unsigned int make_rtp(u8 *pkt, u16 seq, u32 ssrc)
{
	memset(pkt, 0, 64);
	pkt[0] = 0x80;
	pkt[2] = seq >> 8;
	pkt[3] = (u8)seq;
	put_unaligned_be32(ssrc, pkt + 8);
	return 32;
}

/*
 * What the relay does with a packet the caller protected at @seq of
 * @ssrc on a PASS_THROUGH stream: check it with @in, send it with @out.
 */
static int pass_rtp(struct srtp_ctx *caller, struct srtp_ctx *in,
		    struct srtp_ctx *out, u16 seq, u32 ssrc)
{
	struct srtp_packet_info received, sent;
	u8 pkt_buf[64];
	unsigned int len = make_rtp(pkt_buf, seq, ssrc);
	int ret;

	ret = srtp_ctx_protect(caller, pkt_buf, &len, sizeof(pkt_buf), &sent);
	if (!ret)
		ret = srtp_ctx_check(in, pkt_buf, len, &received);
	if (!ret)
		ret = pp_srtp_send(SRTPRELAY_STREAM_F_PASS_THROUGH, out, pkt_buf,
				   &len, sizeof(pkt_buf), false, &received,
				   &sent);
	return ret;
}

/*
 * The out leg's peer reads a passed-through packet's index from its own
 * state of the SSRC, which the out context mirrors; the in context mirrors
 * the caller's. An update that keeps the out key keeps that state, so the
 * two can differ. Found by fuzz_packet: re-keyed, the out leg told the
 * callee ROC 1 and sent SRTCP of SSRC 0xb; an update to pass-through with
 * the same out key and ROC 0 both ways; the caller's index 1 would reach
 * a callee reading index 65,537 and fail there, uncounted here.
 */
static void pass_through_refuses_index_read_otherwise(void)
{
	struct srtp_params params = {
		.suite = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, .roc = 1 };
	struct srtp_ctx *old_out, *out, *in, *caller;
	struct srtp_packet_info info;
	unsigned int len = 28;
	u8 pkt_buf[64];
	int ret;

	memset(params.master_key, 0x33, sizeof(params.master_key));
	memset(params.master_salt, 0x45, sizeof(params.master_salt));
	old_out = ctx_new(&params);
	params.roc = 0;
	out = ctx_new(&params);
	in = ctx_new(&params);
	caller = ctx_new(&params);
	if (!old_out || !out || !in || !caller)
		goto done;
	memset(pkt_buf, 0, len);
	pkt_buf[0] = 0x80;
	pkt_buf[1] = 200;
	pkt_buf[3] = 6;
	put_unaligned_be32(0xb, pkt_buf + 4);
	CHECK(!srtp_ctx_protect_rtcp(old_out, pkt_buf, &len, sizeof(pkt_buf),
				     &info), "SRTCP of SSRC 0xb sent at ROC 1");
	srtp_ctx_copy_state(out, old_out);
	CHECK(!pp_pass_through_refusal(SRTPRELAY_STREAM_F_PASS_THROUGH, in,
				       out), "the update may pass through");
	ret = pass_rtp(caller, in, out, 1, 0xb);
	CHECK(ret == -SRTP_ERR_ROC_MISMATCH, "SSRC 0xb index 1, read as "
	      "65537 out: refused (%s)", srtp_status_name(ret));
	CHECK(pp_protect_stat(ret) == SRTPRELAY_STAT_ROC_MISMATCH,
	      "counted as roc_mismatch");
	ret = pass_rtp(caller, in, out, 1, 0xc);
	CHECK(!ret, "SSRC 0xc index 1, new on both legs: sent (%s)",
	      srtp_status_name(ret));
	ret = pass_rtp(caller, in, out, 2, 0xc);
	CHECK(!ret, "SSRC 0xc index 2: sent (%s)", srtp_status_name(ret));
done:
	ctx_free(old_out);
	ctx_free(out);
	ctx_free(in);
	ctx_free(caller);
}

int main(void)
{
	inet_pton(AF_INET6, "fd00:1::2", ip6_a);
	inet_pton(AF_INET6, "fd00:1::1", ip6_b);
	RUN(checksum_matches_reference, "UDP checksums over IPv4 and IPv6, odd lengths too");
	RUN(bad_checksum_dropped_good_admitted, "a flipped bit is bad_checksum");
	RUN(zero_checksum_ipv4_only, "checksum 0: none over IPv4, bad over IPv6");
	RUN(ttl_one_expires, "TTL 1 is ttl_expired; the rest leave with one less");
	RUN(classify_by_port_mux_and_first_byte, "RTP, RTCP or not ours (RFC 5761, 7983)");
	RUN(output_fits_one_ip_packet, "payload + tag never exceed one IP packet");
	RUN(pass_through_needs_same_rollover,
	    "pass-through needs the same ROC and SEQ in and out");
	RUN(pass_through_refuses_index_read_otherwise,
	    "pass-through refuses what the out leg's peer would read otherwise");
	return testing_summary();
}
