// SPDX-License-Identifier: GPL-2.0
/*
 * srtp_peer send: builds each burst's RTP or RTCP packets, protects them with
 * libsrtp2 and sends them, with the bad copies, junk and pause that the
 * options ask for (see srtp_peer.c).
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "srtp_peer.h"

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* RTP: version 2, payload type 0, timestamp 160 per packet (20 ms of G.711). */
static int build_rtp(uint8_t *p, uint32_t ssrc, uint16_t seq, size_t len)
{
	size_t i;

	p[0] = 0x80;
	p[1] = 0;
	p[2] = seq >> 8;
	p[3] = seq;
	put32(p + 4, (uint32_t)seq * 160);
	put32(p + 8, ssrc);
	for (i = 0; i < len; i++)
		p[12 + i] = pattern(ssrc, seq, i);
	return 12 + len;
}

/*
 * RTCP: an APP packet (RFC 3550 section 6.7), name "SRPR", whose data is the
 * packet's number followed by the pattern. Its type, 204, is inside the
 * 192..223 range RFC 5761 uses to tell RTCP from RTP on a muxed port.
 */
static int build_rtcp(uint8_t *p, uint32_t ssrc, uint32_t num, size_t len)
{
	size_t dlen = rtcp_data_len(len), total = 16 + dlen, i;

	p[0] = 0x80;
	p[1] = RTCP_APP;
	p[2] = (total / 4 - 1) >> 8;
	p[3] = total / 4 - 1;
	put32(p + 4, ssrc);
	memcpy(p + 8, "SRPR", 4);
	put32(p + 12, num);
	for (i = 0; i < dlen; i++)
		p[16 + i] = pattern(ssrc, num, i);
	return total;
}

static int protect(const struct config *c, srtp_t s, uint8_t *pkt, int *len, bool rtcp)
{
	if (c->suite == SRTPRELAY_SUITE_NONE)
		return 0;
	if (rtcp)
		return c->mki_len ? srtp_protect_rtcp_mki(s, pkt, len, 1, 0) :
				    srtp_protect_rtcp(s, pkt, len);
	return c->mki_len ? srtp_protect_mki(s, pkt, len, 1, 0) : srtp_protect(s, pkt, len);
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	if (us > 0)
		nanosleep(&ts, NULL);
}

static void wait_for_go(const char *dir)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/paused", dir);
	f = fopen(path, "w");
	if (!f)
		die("cannot create %s: %s", path, strerror(errno));
	fclose(f);
	snprintf(path, sizeof(path), "%s/go", dir);
	while (access(path, F_OK))
		sleep_us(10000);
}

static void send_one(int fd, const struct config *c, const uint8_t *pkt, int len)
{
	for (;;) {
		if (sendto(fd, pkt, len, 0, (const struct sockaddr *)&c->dst, c->dst_len) == len)
			return;
		/* A full queue on a slow (TCG) guest is not a test failure. */
		if (errno != ENOBUFS && errno != EAGAIN)
			die("sendto %s: %s", fmt_sockaddr(&c->dst), strerror(errno));
		sleep_us(1000);
	}
}

/* RFC 1071 over the UDP pseudo-header, header and payload. */
static uint16_t udp_checksum(const struct config *c, const uint8_t *udp, int len)
{
	const uint8_t *src, *dst;
	uint32_t sum = IPPROTO_UDP + (uint32_t)len;
	int alen, i;

	if (c->dst.ss_family == AF_INET6) {
		src = (const uint8_t *)&((const struct sockaddr_in6 *)&c->src)->sin6_addr;
		dst = (const uint8_t *)&((const struct sockaddr_in6 *)&c->dst)->sin6_addr;
		alen = 16;
	} else {
		src = (const uint8_t *)&((const struct sockaddr_in *)&c->src)->sin_addr;
		dst = (const uint8_t *)&((const struct sockaddr_in *)&c->dst)->sin_addr;
		alen = 4;
	}
	for (i = 0; i < alen; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) + (uint32_t)(dst[i] << 8 | dst[i + 1]);
	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(udp[i] << 8 | udp[i + 1]);
	if (len & 1)
		sum += (uint32_t)udp[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * The packet as the UDP socket would send it, from the same address and
 * port, but with a checksum that is wrong (and not 0, which IPv4 reads as
 * "none"): through a raw socket, which leaves the UDP header to us.
 */
static void send_bad_checksum(int raw, const struct config *c, const uint8_t *pkt, int len)
{
	struct sockaddr_storage dst = c->dst;
	uint8_t dgram[MAX_PKT + 8];
	uint16_t sum;

	dgram[0] = ntohs(((const struct sockaddr_in *)&c->src)->sin_port) >> 8;
	dgram[1] = ntohs(((const struct sockaddr_in *)&c->src)->sin_port);
	dgram[2] = ntohs(((const struct sockaddr_in *)&c->dst)->sin_port) >> 8;
	dgram[3] = ntohs(((const struct sockaddr_in *)&c->dst)->sin_port);
	dgram[4] = (len + 8) >> 8;
	dgram[5] = len + 8;
	dgram[6] = dgram[7] = 0;
	memcpy(dgram + 8, pkt, len);
	sum = udp_checksum(c, dgram, len + 8) ^ 0x0101;
	dgram[6] = (sum ?: 0x0101) >> 8;
	dgram[7] = sum ?: 0x0101;
	/* A raw IPv6 socket reads a port as the protocol: none given. */
	((struct sockaddr_in *)&dst)->sin_port = 0;
	if (sendto(raw, dgram, len + 8, 0, (struct sockaddr *)&dst, c->dst_len) != len + 8)
		die("sendto (raw) %s: %s", fmt_sockaddr(&c->dst), strerror(errno));
}

static int open_raw(const struct config *c)
{
	struct sockaddr_storage src = c->src;
	int fd;

	if (!c->src_len)
		die("--bad csum needs --src");
	fd = socket(c->dst.ss_family, SOCK_RAW, IPPROTO_UDP);
	if (fd < 0)
		die("raw socket: %s", strerror(errno));
	((struct sockaddr_in *)&src)->sin_port = 0;
	if (bind(fd, (struct sockaddr *)&src, c->src_len))
		die("bind (raw) %s: %s", fmt_sockaddr(&src), strerror(errno));
	return fd;
}

static void set_socket_options(int fd, const struct config *c)
{
	int one = 1;

	if (c->ttl && c->dst.ss_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &c->ttl, sizeof(c->ttl)))
		die("IPV6_UNICAST_HOPS: %s", strerror(errno));
	if (c->ttl && c->dst.ss_family == AF_INET &&
	    setsockopt(fd, IPPROTO_IP, IP_TTL, &c->ttl, sizeof(c->ttl)))
		die("IP_TTL: %s", strerror(errno));
	if (c->no_checksum && (c->dst.ss_family != AF_INET ||
			       setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &one, sizeof(one))))
		die("--no-checksum: IPv4 only (%s)", strerror(errno));
}

int do_send(struct config *c)
{
	int raw = -1;
	srtp_t session, rekeyed = NULL, wrong = NULL;
	unsigned long genuine = 0, bad = 0;
	uint8_t wrongkey[KEY_SALT_MAX];
	long index = 0;
	int fd, i;

	if (!c->dst_len)
		die("send needs --dst");
	if (c->suite != SRTPRELAY_SUITE_NONE && !c->has_key)
		die("suite %s needs --key", suite_name(c->suite));
	if (c->suite == SRTPRELAY_SUITE_NONE && (c->bad == BAD_TAMPER || c->bad == BAD_WRONGKEY))
		die("--bad tamper/wrongkey need an SRTP suite");
	/* Tampering flips a bit of the payload's sixth byte (RTP) or of the
	 * encrypted RTCP body: there must be one. */
	if (c->bad == BAD_TAMPER && c->len < 6)
		die("--bad tamper needs --len 6 or more");
	fd = open_socket(&c->dst);
	set_socket_options(fd, c);
	if (c->bad == BAD_CSUM)
		raw = open_raw(c);
	if (c->src_len) {
		int one = 1;

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&c->src, c->src_len))
			die("bind %s: %s", fmt_sockaddr(&c->src), strerror(errno));
	}
	session = c->suite == SRTPRELAY_SUITE_NONE ? NULL : make_session(c, c->key, true);
	if (c->has_rekey)
		rekeyed = make_session(c, c->rekey, true);
	if (c->bad == BAD_WRONGKEY) {
		memcpy(wrongkey, c->key, KEY_SALT_MAX);
		for (i = 0; i < 16; i++)
			wrongkey[i] ^= 0xa5;
		wrong = make_session(c, wrongkey, true);
	}

	for (i = 0; i < c->junk; i++) {
		static const uint8_t junk[11] = { 0x80, 0x00, 0x00, 0x01 };
		static const int lens[3] = { 1, 5, 11 };

		send_one(fd, c, junk, lens[i % 3]);
	}
	if (c->junk)
		printf("send: %ld datagrams too short for RTP\n", c->junk);
	for (i = 0; i < c->n_bursts; i++) {
		struct burst *b = &c->bursts[i];
		uint32_t k;

		for (k = 0; k < b->count; k++, index++) {
			uint8_t pkt[MAX_PKT], copy[MAX_PKT];
			uint32_t num = b->first + k;
			bool is_bad = c->bad != BAD_NONE && k % c->bad_every == 0;
			srtp_t s = rekeyed && k >= (uint32_t)c->rekey_at ? rekeyed : session;
			int len, clen;

			if (index == c->pause_at && c->sync_dir)
				wait_for_go(c->sync_dir);
			len = b->rtcp ? build_rtcp(pkt, b->ssrc, num, c->len) :
					build_rtp(pkt, b->ssrc, num & 0xffff, c->len);
			memcpy(copy, pkt, len);
			clen = len;
			if (protect(c, s, pkt, &len, b->rtcp))
				die("protect failed");
			if (is_bad && c->bad == BAD_TAMPER) {
				memcpy(copy, pkt, len);
				clen = len;
				copy[b->rtcp ? 16 : 12 + 5] ^= 0x01;
				send_one(fd, c, copy, clen);
				bad++;
			} else if (is_bad && c->bad == BAD_WRONGKEY) {
				if (protect(c, wrong, copy, &clen, b->rtcp))
					die("protect (wrong key) failed");
				send_one(fd, c, copy, clen);
				bad++;
			} else if (is_bad && c->bad == BAD_CSUM) {
				send_bad_checksum(raw, c, pkt, len);
				bad++;
			}
			if (!c->bad_only || c->bad == BAD_REPLAY) {
				send_one(fd, c, pkt, len);
				genuine++;
			}
			if (is_bad && c->bad == BAD_REPLAY) {
				send_one(fd, c, pkt, len);
				bad++;
			}
			sleep_us(c->interval_us);
		}
		printf("send: %u %s packets ssrc 0x%08x from %u to %s, %s%s\n", b->count,
		       b->rtcp ? "rtcp" : "rtp", b->ssrc, b->first, fmt_sockaddr(&c->dst),
		       suite_name(c->suite), c->mki_len ? " with MKI" : "");
	}
	if (bad)
		printf("send: %lu genuine, %lu %s copies\n", genuine, bad,
		       c->bad == BAD_TAMPER ? "tampered" :
		       c->bad == BAD_WRONGKEY ? "wrong-key" :
		       c->bad == BAD_CSUM ? "bad-checksum" : "replayed");
	close(fd);
	if (raw >= 0)
		close(raw);
	if (session)
		srtp_dealloc(session);
	if (rekeyed)
		srtp_dealloc(rekeyed);
	if (wrong)
		srtp_dealloc(wrong);
	return 0;
}
