// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target of the per-packet path: the userspace datapath's entry
 * dp_packet_handle() (daemon/datapath/packet.c) with the stream table of
 * streams.c and the per-packet code both backends run (kmod/srtp.c, the
 * SRTP core; kmod/packet_policy.c, checksum, TTL, RTCP detection, lengths;
 * kmod/latch.c, the source policy): IP/UDP parsing, stream lookup,
 * admission, classification, source policy and latch, unprotect, protect,
 * and the headers of the packet sent.
 *
 * Input: CONFIG_LEN bytes that configure one stream through the control
 * plane's own dp_stream_add() (suites, crypto flags, MKI, replay windows,
 * ROC/SEQ, stream flags, family, signalled remote), then packets, each a
 * control byte, a 16-bit length and that many bytes.
 *
 * Two things carry it past authentication and check what it sends. A
 * packet may first be protected by a sender holding the in-leg's key, so
 * that unprotect succeeds and protect runs. And a receiver holding the
 * out-leg's key takes every packet the relay sends: it must authenticate,
 * and its (SSRC, index) must be new, for one sent twice under one key is
 * keystream reuse. The receiver's own replay window cannot tell: it has as
 * few SSRC slots as the relay, so the harness remembers every pair sent.
 * Either failure aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>

#include "datapath.h"
#include "packet_policy.h"

#define CONFIG_LEN 16
#define LOCAL_PORT 20000
#define REMOTE_PORT 6000
#define OUT_DST_PORT 7000
#define SENT_SLOTS 4096	/* > packets in a 4 KB input: 3 bytes each */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzzer installs no firewall rules: realms only need to exist. */
int dp_steering_realm(const struct relay_nl_realm *realm, bool add,
		      uint16_t queue_base, unsigned int queue_count)
{
	(void)realm, (void)add, (void)queue_base, (void)queue_count;
	return 0;
}

/* A (SSRC, SRTP or SRTCP index) the relay sent; index bit 63: SRTCP. */
struct sent_pair {
	uint32_t ssrc;
	bool used;
	uint64_t index;
};

/* One endpoint on each side of the stream, and the stream's addresses. */
struct harness {
	struct datapath dp;
	struct relay_nl_stream config;
	struct srtp_ctx *sender;	/* in-leg key: the caller */
	struct srtp_ctx *receiver;	/* out-leg key: the callee */
	struct dp_addr remote, stranger;
	struct dp_addr local;
	uint8_t buf[DP_BUF_LEN];
	uint8_t pkt[DP_BUF_LEN];
	struct sent_pair sent[SENT_SLOTS];	/* open addressing */
};

static void set_addr(struct sockaddr_storage *ss, bool v6, const char *v4a,
		     const char *v6a, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (v6) {
		struct sockaddr_in6 *sin6 = (void *)ss;

		sin6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, v6a, &sin6->sin6_addr);
		sin6->sin6_port = htons(port);
	} else {
		struct sockaddr_in *sin = (void *)ss;

		sin->sin_family = AF_INET;
		inet_pton(AF_INET, v4a, &sin->sin_addr);
		sin->sin_port = htons(port);
	}
}

/* Created once: the table's hash buckets are a megabyte. */
static struct harness *harness_get(void)
{
	static struct harness *h;
	struct relay_nl_realm realm = { .id = 1, .port_min = LOCAL_PORT,
					.port_max = LOCAL_PORT + 9 };
	const char *why = NULL;

	if (h)
		return h;
	h = calloc(1, sizeof(*h));
	if (!h || dp_table_init(&h->dp.table, 0, 1, 1, NULL) ||
	    dp_events_init(&h->dp.events))
		abort();
	set_addr(&realm.addr, false, "10.0.1.1", NULL, 0);
	if (dp_realm_add(&h->dp.table, &realm, &why))
		abort();
	realm.id = 2;
	set_addr(&realm.addr, true, NULL, "fd00:1::1", 0);
	if (dp_realm_add(&h->dp.table, &realm, &why))
		abort();
	return h;
}

static uint16_t window_of(uint8_t b)
{
	/* 0 (the default) or SRTPRELAY_REPLAY_WINDOW_MIN..MAX */
	return b < 32 ? 0 : 64 + (uint16_t)(b * 4 % 961);
}

static void crypto_of(struct relay_nl_crypto *c, const uint8_t *cfg,
		      uint8_t seed)
{
	memset(c, 0, sizeof(*c));
	c->suite = cfg[0] % (SRTPRELAY_SUITE_MAX + 1);
	c->flags = cfg[1] & __SRTPRELAY_CRYPTO_F_ALL;
	/* The control plane refuses clear or untagged SRTP with AEAD. */
	if (srtp_suite_info(c->suite).aead)
		c->flags &= SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP;
	c->mki_len = cfg[2] % (SRTPRELAY_MKI_MAX_LEN + 1);
	c->replay_window = window_of(cfg[3]);
	c->roc = cfg[4] & 3;
	c->has_roc = cfg[4] & 4;
	c->has_seq = cfg[4] & 8;
	c->seq = (uint16_t)(cfg[5] << 8 | cfg[4]);
	for (unsigned int i = 0; i < sizeof(c->key); i++)
		c->key[i] = (uint8_t)(seed + i);
	for (unsigned int i = 0; i < sizeof(c->salt); i++)
		c->salt[i] = (uint8_t)(seed * 7 + i);
	for (unsigned int i = 0; i < c->mki_len; i++)
		c->mki[i] = (uint8_t)(seed + cfg[5] + i);
}

/*
 * The SRTP core context a peer holding @c's key would have. With @keep
 * (the peer's context so far, freed here) and the same key, the peer
 * carries its per-SSRC state over, as the relay does on an update; *@same
 * says which happened.
 */
static struct srtp_ctx *peer_ctx(const struct relay_nl_crypto *c,
				 struct srtp_ctx *keep, bool *same)
{
	struct srtp_params params = {
		.suite = c->suite, .flags = c->flags, .mki_len = c->mki_len,
		.replay_window = c->replay_window, .roc = c->roc,
		.seq = c->seq, .has_seq = c->has_seq,
	};
	struct srtp_ctx *ctx = calloc(1, srtp_ctx_size(&params));

	memcpy(params.master_key, c->key, sizeof(params.master_key));
	memcpy(params.master_salt, c->salt, sizeof(params.master_salt));
	memcpy(params.mki, c->mki, sizeof(params.mki));
	if (!ctx || srtp_ctx_init(ctx, &params))
		abort();
	*same = keep && srtp_ctx_same_key(keep, &params);
	if (*same)
		srtp_ctx_copy_state(ctx, keep);
	if (keep) {
		srtp_ctx_wipe(keep);
		free(keep);
	}
	return ctx;
}

/*
 * Config bytes: in crypto 0-5, out crypto 6-11, stream flags 12-13; 14:
 * bit 0 IPv6, bit 1 signalled remote, bit 2 RTCP destination of its own;
 * 15: cookie, bit 7 the learning window closed from the start.
 */
static bool stream_add(struct harness *h, const uint8_t *cfg)
{
	struct relay_nl_stream *c = &h->config;
	struct sockaddr_storage ss;
	bool v6 = cfg[14] & 1;
	const char *why = NULL;
	bool same;

	memset(c, 0, sizeof(*c));
	crypto_of(&c->in, cfg, 0x10);
	crypto_of(&c->out, cfg + 6, 0x80);
	c->flags = (uint32_t)(cfg[12] | cfg[13] << 8) & __SRTPRELAY_STREAM_F_ALL;
	c->cookie = cfg[15] & 0x7f;
	c->has = RELAY_NL_HAS_COOKIE;
	if (cfg[15] & 0x80)	/* learning window closed from the start */
		c->has |= RELAY_NL_HAS_LATCH_WINDOW;
	set_addr(&c->local, v6, "10.0.1.1", "fd00:1::1", LOCAL_PORT);
	set_addr(&c->out_src, v6, "10.0.2.1", "fd00:2::1", LOCAL_PORT);
	set_addr(&c->out_dst, v6, "10.0.2.2", "fd00:2::2", OUT_DST_PORT);
	set_addr(&ss, v6, "10.0.1.2", "fd00:1::2", REMOTE_PORT);
	dp_addr_from_sockaddr(&h->remote, &ss);
	if (cfg[14] & 2) {
		c->remote = ss;
		c->has |= RELAY_NL_HAS_REMOTE;
	}
	if (cfg[14] & 4) {
		set_addr(&c->out_rtcp_dst, v6, "10.0.2.2", "fd00:2::2",
			 OUT_DST_PORT + 5);
		c->has |= RELAY_NL_HAS_OUT_RTCP_DST;
	}
	set_addr(&ss, v6, "10.0.9.9", "fd00:9::9", 40000);
	dp_addr_from_sockaddr(&h->stranger, &ss);
	dp_addr_from_sockaddr(&h->local, &c->local);
	h->sender = peer_ctx(&c->in, NULL, &same);
	h->receiver = peer_ctx(&c->out, NULL, &same);
	return !dp_stream_add(&h->dp.table, c, &why);
}

/*
 * STREAM_SET of both crypto sides and the flags, from 16 bytes: crypto
 * as in the configuration, key seeds 12 and 13, flags 14 and 15's low
 * bits, 15's bit 7 closes the learning window, bit 6 re-opens it. The
 * peers follow: a new out key is a new keystream, so what was sent under
 * the old one no longer counts.
 */
static void stream_set(struct harness *h, const uint8_t *cfg)
{
	struct relay_nl_stream set = { .local = h->config.local,
		.has = RELAY_NL_HAS_IN_CRYPTO | RELAY_NL_HAS_OUT_CRYPTO |
		       RELAY_NL_HAS_FLAGS };
	const char *why = NULL;
	bool same;

	crypto_of(&set.in, cfg, cfg[12]);
	crypto_of(&set.out, cfg + 6, cfg[13]);
	set.flags = (uint32_t)(cfg[14] | (cfg[15] & 0x3f) << 8) &
		    __SRTPRELAY_STREAM_F_ALL;
	if (cfg[15] & 0xc0) {	/* close or re-open the learning window */
		set.has |= RELAY_NL_HAS_LATCH_WINDOW;
		set.latch_window_ms = cfg[15] & 0x40 ?
				      SRTPRELAY_LATCH_WINDOW_DEFAULT_MS : 0;
	}
	if (dp_stream_set(&h->dp.table, &set, &why))
		return;
	h->config.in = set.in;
	h->config.out = set.out;
	h->config.flags = set.flags;
	h->sender = peer_ctx(&h->config.in, h->sender, &same);
	h->receiver = peer_ctx(&h->config.out, h->receiver, &same);
	if (!same)
		memset(h->sent, 0, sizeof(h->sent));
}

/*
 * IP and UDP headers around @len bytes at h->pkt + DP_HEADROOM, with the
 * right UDP checksum or, if @bad_csum, a wrong one, and TTL @ttl.
 */
static unsigned int wrap_ip(struct harness *h, const struct dp_addr *src,
			    uint16_t dport, unsigned int len, bool bad_csum,
			    uint8_t ttl)
{
	bool v6 = src->family == AF_INET6;
	unsigned int ip_len = v6 ? 40 : 20;
	uint8_t *ip = h->pkt + DP_HEADROOM - 8 - ip_len;
	struct udphdr *udp = (void *)(ip + ip_len);
	struct pp_ip from = { .addr = src->addr, .family = src->family };
	struct pp_ip to = { .addr = h->local.addr, .family = src->family };

	memset(ip, 0, ip_len + 8);
	if (v6) {
		struct ip6_hdr *ip6 = (void *)ip;

		ip6->ip6_flow = htonl(6U << 28);
		ip6->ip6_plen = htons((uint16_t)(len + 8));
		ip6->ip6_nxt = IPPROTO_UDP;
		ip6->ip6_hlim = ttl;
		memcpy(&ip6->ip6_src, src->addr, 16);
		memcpy(&ip6->ip6_dst, h->local.addr, 16);
	} else {
		struct iphdr *iph = (void *)ip;

		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = ttl;
		iph->protocol = IPPROTO_UDP;
		iph->tot_len = htons((uint16_t)(ip_len + 8 + len));
		memcpy(&iph->saddr, src->addr, 4);
		memcpy(&iph->daddr, h->local.addr, 4);
	}
	udp->source = htons(src->port);
	udp->dest = htons(dport);
	udp->len = htons((uint16_t)(len + 8));
	udp->check = htons(pp_udp_checksum(&from, &to, (const uint8_t *)udp,
					   len + 8) ^ bad_csum);
	return ip_len + 8 + len;
}

/* Records a pair; false if it was sent before. */
static bool sent_first_time(struct harness *h, uint32_t ssrc, uint64_t index)
{
	uint64_t hash = (index ^ (uint64_t)ssrc << 20) * 0x9e3779b97f4a7c15ULL;
	unsigned int slot = (unsigned int)(hash >> 52) % SENT_SLOTS;

	while (h->sent[slot].used) {
		if (h->sent[slot].ssrc == ssrc && h->sent[slot].index == index)
			return false;
		slot = (slot + 1) % SENT_SLOTS;
	}
	h->sent[slot] = (struct sent_pair){ .ssrc = ssrc, .used = true,
					    .index = index };
	return true;
}

/* The callee takes what the relay sent: it must authenticate, once. */
static void receive_sent(struct harness *h, const struct dp_send *send,
			 bool rtcp)
{
	unsigned int header = send->src.family == AF_INET6 ? 48 : 28;
	struct srtp_packet_info info;
	unsigned int len;
	uint8_t copy[DP_BUF_LEN];
	int ret;

	if (send->ip < h->buf || send->ip + send->len > h->buf + DP_BUF_LEN ||
	    send->len < header)
		abort();
	if (h->config.out.suite == SRTPRELAY_SUITE_NONE)
		return;
	len = send->len - header;
	memcpy(copy, send->ip + header, len);
	ret = rtcp ? srtp_ctx_unprotect_rtcp(h->receiver, copy, &len, &info) :
		     srtp_ctx_unprotect(h->receiver, copy, &len, &info);
	/*
	 * Passed through, a packet was checked against the relay's in-leg
	 * window. The callee's is its own, configured apart, and one widened
	 * by an update counts what lay below its old edge as received
	 * (srtp_ctx_copy_state()): what it finds too old or replayed is late
	 * for it, neither forged nor encrypted again: a replay is judged below
	 * by what the relay really sent. Re-keyed, the relay's own window of
	 * what it sent refuses such a packet, so there it stays a fault.
	 */
	if (h->config.flags & SRTPRELAY_STREAM_F_PASS_THROUGH) {
		if (ret == -SRTP_ERR_TOO_OLD)
			return;
		if (ret == -SRTP_ERR_REPLAY)
			ret = 0;
	}
	if (ret) {
		fprintf(stderr, "callee refused what the relay sent: %s "
			"(%s, SSRC %08x, index %llu)\n", srtp_status_name(ret),
			rtcp ? "SRTCP" : "SRTP", info.ssrc,
			(unsigned long long)info.index);
		abort();
	}
	if (!sent_first_time(h, info.ssrc, info.index | (uint64_t)rtcp << 63)) {
		fprintf(stderr, "keystream reused: %s SSRC %08x index %llu "
			"sent twice\n", rtcp ? "SRTCP" : "SRTP", info.ssrc,
			(unsigned long long)info.index);
		abort();
	}
}

/*
 * One packet. Control byte: bit 0 to the RTCP port (local + 1), bit 1
 * protect first with the in-leg's key, bits 2-3 the source (signalled
 * remote, its port + 1, its address with another port, a stranger), bit
 * 4 the bytes are the whole IP packet as received (and then bit 6 that
 * the kernel verified its UDP checksum, else packet_policy.c sums it),
 * bit 5 they are no packet but a STREAM_SET (stream_set()). A packet the
 * harness wraps carries its UDP checksum, which packet_policy.c checks;
 * bit 6 makes it wrong, bit 7 makes the TTL 1.
 */
static void one_packet(struct harness *h, uint8_t ctl, const uint8_t *bytes,
		       unsigned int len)
{
	struct dp_addr src = (ctl & 12) == 12 ? h->stranger : h->remote;
	bool to_rtcp_port = ctl & 1;
	uint16_t dport = LOCAL_PORT + to_rtcp_port;
	uint8_t *payload = h->pkt + DP_HEADROOM;
	unsigned int room = DP_BUF_LEN - DP_HEADROOM, ip_len;
	const uint8_t *ip = payload;
	struct srtp_packet_info info;
	struct dp_send send;
	bool rtcp;

	if ((ctl & 12) == 4)
		src.port++;
	else if ((ctl & 12) == 8)
		src.port += 1000;
	if (ctl & 32) {
		if (len >= CONFIG_LEN)
			stream_set(h, bytes);
		return;
	}
	if (ctl & 16) {
		memcpy(payload, bytes, len);
		dp_packet_handle(&h->dp, 0, payload, len, ctl & 64, h->buf,
				 &send);
		return;
	}
	if (len > room - SRTP_TRAILER_LEN_MAX)
		len = room - SRTP_TRAILER_LEN_MAX;
	memcpy(payload, bytes, len);
	/* RTCP as the relay will see it: the shared policy says. */
	rtcp = pp_classify(h->config.flags, to_rtcp_port, payload, len) ==
	       PP_RTCP;
	if (ctl & 2) {
		unsigned int plain_len = len;
		int ret = rtcp ? srtp_ctx_protect_rtcp(h->sender, payload, &len,
						       room, &info) :
				 srtp_ctx_protect(h->sender, payload, &len,
						  room, &info);

		if (ret)	/* not (S)RTP, or refused: send it as it is */
			len = plain_len;
	}
	ip_len = wrap_ip(h, &src, dport, len, ctl & 64, ctl & 128 ? 1 : 64);
	ip = payload - (ip_len - len);
	if (dp_packet_handle(&h->dp, 0, ip, ip_len, false, h->buf,
			     &send) == DP_SEND)
		receive_sent(h, &send, rtcp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct harness *h = harness_get();
	size_t pos = CONFIG_LEN;

	if (size < CONFIG_LEN)
		return 0;
	memset(h->sent, 0, sizeof(h->sent));
	if (stream_add(h, data)) {
		while (pos + 3 <= size) {
			uint8_t ctl = data[pos];
			unsigned int len = data[pos + 1] << 8 | data[pos + 2];

			pos += 3;
			if (len > size - pos)
				len = (unsigned int)(size - pos);
			if (len > DP_BUF_LEN - DP_HEADROOM)
				len = DP_BUF_LEN - DP_HEADROOM;
			one_packet(h, ctl, data + pos, len);
			pos += len;
		}
		dp_stream_flush(&h->dp.table, NULL);
	}
	srtp_ctx_wipe(h->sender);
	srtp_ctx_wipe(h->receiver);
	free(h->sender);
	free(h->receiver);
	return 0;
}
