// SPDX-License-Identifier: GPL-2.0
/*
 * srtp_peer: an RTP/SRTP endpoint built on libsrtp2, the independent
 * implementation the kernel tests check srtprelay.ko against.
 *
 *   srtp_peer send --dst ADDR:PORT [options] BURST...
 *   srtp_peer recv --listen ADDR:PORT [--listen ...] [options] BURST...
 *
 * A BURST is [rtp:|rtcp:]SSRC:SEQ:COUNT: COUNT packets of SSRC starting at
 * sequence number SEQ (RTP numbers wrap at 65535; RTCP packets carry their
 * number in the body of an APP packet). Every payload byte is a function of
 * (SSRC, number, offset), so the receiver can verify each byte it gets. The
 * sender sends the bursts in order; the receiver expects exactly the packets
 * its bursts describe, each once, and exits 0 only if that set arrived and
 * nothing else (no duplicate, no packet that failed to unprotect, no stranger).
 *
 * Options (both modes unless said):
 *   --suite AES_CM_128_HMAC_SHA1_80|AES_CM_128_HMAC_SHA1_32|NONE
 *   --key BASE64     30 bytes master key || salt, as SDP a=crypto inline:
 *   --mki VALUE:LEN  MKI carried in every packet (RFC 4568 "|1:1" is 1:1)
 *   --roc N          rollover counter of the first packet of every SSRC
 *   --len N          payload bytes (RTP) or application data (RTCP), 160
 *   --rekey-at N --rekey-key BASE64: from the Nth packet of each burst on,
 *                    the new key is used (sender) / required (receiver)
 * send only:
 *   --src ADDR:PORT  bind here first (a chosen source port)
 *   --interval-us N  pause between packets (default 200)
 *   --bad tamper|wrongkey|replay, --bad-every K (default 1), --bad-only:
 *                    every Kth packet also goes out as a bad copy: tampered
 *                    (one payload bit flipped after protection) or wrong-key
 *                    before the genuine one, or replayed (sent again) after
 *                    it. --bad-only sends only the bad copies (not replay).
 *   --junk N         first send N datagrams too short to be RTP (1, 5 and
 *                    11 bytes in turn, the last one with version 2)
 *   --pause-at N --sync-dir DIR: before the Nth packet (0-based, over all
 *                    bursts) create DIR/paused and wait for DIR/go, so a test
 *                    can change the relay at a known point of the stream.
 * recv only:
 *   --listen-rtcp ADDR:PORT  RTCP must arrive here, and RTP on the --listen
 *                    sockets only (without it, either may come on any)
 *   --from ADDR:PORT every packet must come from here (with --from-rtcp:
 *                    every RTP packet)
 *   --from-rtcp ADDR:PORT every RTCP packet must come from here (RFC 3550
 *                    11: a relay sends RTCP from the port above RTP)
 *   --ready-file F   created once the sockets are bound
 *   --timeout-ms N   give up waiting after N ms (default 20000)
 *   --linger-ms N    once all expected packets are in, wait this long for
 *                    extras (default 300). SIGUSR1 ends the wait at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <srtp2/srtp.h>

#define KEY_SALT_LEN 30
#define MAX_BURSTS 16
#define MAX_LISTEN 4
#define MAX_PKT 2048
#define RTCP_APP 204

enum suite { SUITE_NONE, SUITE_80, SUITE_32 };
enum bad { BAD_NONE, BAD_TAMPER, BAD_WRONGKEY, BAD_REPLAY };

struct burst {
	bool rtcp;
	uint32_t ssrc;
	uint32_t first;
	uint32_t count;
	uint8_t *seen;		/* recv: how often each packet arrived */
};

struct config {
	bool send;
	enum suite suite;
	uint8_t key[KEY_SALT_LEN];
	uint8_t rekey[KEY_SALT_LEN];
	bool has_key, has_rekey;
	long rekey_at;
	uint8_t mki[4];
	unsigned int mki_len;
	uint32_t roc;
	bool has_roc;
	size_t len;
	struct sockaddr_storage dst, src, from, from_rtcp;
	socklen_t dst_len, src_len, from_len, from_rtcp_len;
	struct sockaddr_storage listen[MAX_LISTEN];
	socklen_t listen_len[MAX_LISTEN];
	bool listen_rtcp[MAX_LISTEN];	/* this socket takes RTCP only */
	bool split_ports;		/* any --listen-rtcp given */
	int n_listen;
	long interval_us;
	enum bad bad;
	long bad_every;
	bool bad_only;
	long pause_at;
	long junk;
	const char *sync_dir;
	const char *ready_file;
	long timeout_ms, linger_ms;
	struct burst bursts[MAX_BURSTS];
	int n_bursts;
};

static volatile sig_atomic_t stop_requested;

static void on_usr1(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("srtp_peer: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static long parse_long(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		die("bad %s '%s' (want %ld..%ld)", what, s, min, max);
	return v;
}

/* "a.b.c.d:port" or "[v6]:port". */
static socklen_t parse_sockaddr(const char *s, struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon, *h = s;
	size_t hlen;
	long port;

	memset(ss, 0, sizeof(*ss));
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			die("bad address '%s' (want [v6]:port)", s);
		h = s + 1;
		hlen = close - h;
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			die("bad address '%s' (want addr:port)", s);
		hlen = colon - s;
	}
	if (hlen >= sizeof(host))
		die("bad address '%s'", s);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	port = parse_long(colon + 1, 0, 65535, "port");
	if (*s != '[') {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			die("bad IPv4 address '%s'", host);
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			die("bad IPv6 address '%s'", host);
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return sizeof(*sin6);
	}
}

static const char *fmt_sockaddr(const struct sockaddr_storage *ss)
{
	static char buf[2][INET6_ADDRSTRLEN + 10];
	static int which;
	char host[INET6_ADDRSTRLEN];
	char *out = buf[which++ & 1];

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		snprintf(out, sizeof(buf[0]), "[%s]:%u", host, ntohs(sin6->sin6_port));
	} else {
		const struct sockaddr_in *sin = (const void *)ss;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(out, sizeof(buf[0]), "%s:%u", host, ntohs(sin->sin_port));
	}
	return out;
}

static bool same_sockaddr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

		return x->sin6_port == y->sin6_port &&
		       !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
	}
	const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

	return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
}

static void parse_key(const char *b64, uint8_t out[KEY_SALT_LEN])
{
	unsigned char buf[64];
	size_t n = strlen(b64);
	int len;

	/* 30 bytes are exactly 40 base64 characters, without padding. */
	if (n != 40)
		die("key must be 40 base64 characters (30 bytes), got %zu", n);
	len = EVP_DecodeBlock(buf, (const unsigned char *)b64, n);
	if (len != KEY_SALT_LEN)
		die("key '%s' is not valid base64", b64);
	memcpy(out, buf, KEY_SALT_LEN);
}

static enum suite parse_suite(const char *s)
{
	if (!strcmp(s, "AES_CM_128_HMAC_SHA1_80"))
		return SUITE_80;
	if (!strcmp(s, "AES_CM_128_HMAC_SHA1_32"))
		return SUITE_32;
	if (!strcmp(s, "NONE"))
		return SUITE_NONE;
	die("unknown suite '%s'", s);
}

static const char *suite_name(enum suite s)
{
	return s == SUITE_80 ? "AES_CM_128_HMAC_SHA1_80" :
	       s == SUITE_32 ? "AES_CM_128_HMAC_SHA1_32" : "NONE";
}

static void parse_mki(const char *s, struct config *c)
{
	const char *colon = strchr(s, ':');
	char value[32];
	unsigned long v;
	unsigned int i;

	if (!colon || (size_t)(colon - s) >= sizeof(value))
		die("bad MKI '%s' (want VALUE:LEN)", s);
	memcpy(value, s, colon - s);
	value[colon - s] = '\0';
	v = parse_long(value, 0, 0xffffffffL, "MKI value");
	c->mki_len = parse_long(colon + 1, 1, 4, "MKI length");
	if (c->mki_len < 4 && v >> (8 * c->mki_len))
		die("MKI value %lu does not fit in %u bytes", v, c->mki_len);
	for (i = 0; i < c->mki_len; i++)
		c->mki[i] = v >> (8 * (c->mki_len - 1 - i));
}

static void parse_burst(const char *s, struct config *c)
{
	struct burst *b;
	char *copy, *f[3], *save = NULL;
	int i;

	if (c->n_bursts == MAX_BURSTS)
		die("too many bursts");
	b = &c->bursts[c->n_bursts++];
	memset(b, 0, sizeof(*b));
	if (!strncmp(s, "rtcp:", 5)) {
		b->rtcp = true;
		s += 5;
	} else if (!strncmp(s, "rtp:", 4)) {
		s += 4;
	}
	copy = strdup(s);
	if (!copy)
		die("out of memory");
	for (i = 0; i < 3; i++) {
		f[i] = strtok_r(i ? NULL : copy, ":", &save);
		if (!f[i])
			die("bad burst '%s' (want [rtp:|rtcp:]SSRC:SEQ:COUNT)", s);
	}
	if (strtok_r(NULL, ":", &save))
		die("bad burst '%s'", s);
	b->ssrc = parse_long(f[0], 0, 0xffffffffL, "SSRC");
	b->first = parse_long(f[1], 0, b->rtcp ? 0xffffffffL : 65535, "sequence number");
	b->count = parse_long(f[2], 0, 65536, "count");
	free(copy);
}

/* The payload is a function of (ssrc, number, offset) only. */
static uint8_t pattern(uint32_t ssrc, uint32_t num, size_t i)
{
	return (uint8_t)((ssrc >> (8 * (i & 3))) ^ (num * 131) ^ (num >> 8) ^ (i * 29) ^ 0x5a);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static size_t rtcp_data_len(size_t len)
{
	return (len + 3) & ~(size_t)3;
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

static srtp_t make_session(const struct config *c, const uint8_t *key, bool outbound)
{
	srtp_policy_t policies[MAX_BURSTS];
	srtp_master_key_t mk, *mkp = &mk;
	uint8_t keybuf[KEY_SALT_LEN], mki[4];
	srtp_err_status_t err;
	srtp_t session;
	int n = 0, i, j;

	memcpy(keybuf, key, KEY_SALT_LEN);
	memcpy(mki, c->mki, sizeof(mki));
	mk.key = keybuf;
	mk.mki_id = mki;
	mk.mki_size = c->mki_len;
	memset(policies, 0, sizeof(policies));
	for (i = 0; i < c->n_bursts; i++) {
		srtp_policy_t *p;

		for (j = 0; j < i; j++)
			if (c->bursts[j].ssrc == c->bursts[i].ssrc)
				break;
		if (j < i)
			continue;
		p = &policies[n++];
		if (c->suite == SUITE_32)
			srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p->rtp);
		else
			srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtp);
		/* RFC 4568 6.2.2: SRTCP keeps the 80-bit tag under _32. */
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtcp);
		p->ssrc.type = ssrc_specific;
		p->ssrc.value = c->bursts[i].ssrc;
		if (c->mki_len) {
			p->keys = &mkp;
			p->num_master_keys = 1;
		} else {
			p->key = keybuf;
		}
		p->window_size = 1024;
		p->allow_repeat_tx = outbound;
		if (n > 1)
			policies[n - 2].next = p;
	}
	if (!n) {
		/* Nothing expected: still unprotect, to tell why a packet is bad. */
		n = 1;
		if (c->suite == SUITE_32)
			srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policies[0].rtp);
		else
			srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policies[0].rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policies[0].rtcp);
		policies[0].ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
		if (c->mki_len) {
			policies[0].keys = &mkp;
			policies[0].num_master_keys = 1;
		} else {
			policies[0].key = keybuf;
		}
		policies[0].window_size = 1024;
	}
	err = srtp_create(&session, policies);
	if (err)
		die("srtp_create failed: error %d", err);
	if (c->has_roc)
		for (i = 0; i < c->n_bursts; i++)
			if (srtp_set_stream_roc(session, c->bursts[i].ssrc, c->roc))
				die("srtp_set_stream_roc failed");
	memset(keybuf, 0, sizeof(keybuf));
	return session;
}

static int protect(const struct config *c, srtp_t s, uint8_t *pkt, int *len, bool rtcp)
{
	if (c->suite == SUITE_NONE)
		return 0;
	if (rtcp)
		return c->mki_len ? srtp_protect_rtcp_mki(s, pkt, len, 1, 0) :
				    srtp_protect_rtcp(s, pkt, len);
	return c->mki_len ? srtp_protect_mki(s, pkt, len, 1, 0) : srtp_protect(s, pkt, len);
}

static int unprotect(const struct config *c, srtp_t s, uint8_t *pkt, int *len, bool rtcp)
{
	if (rtcp)
		return c->mki_len ? srtp_unprotect_rtcp_mki(s, pkt, len, 1) :
				    srtp_unprotect_rtcp(s, pkt, len);
	return c->mki_len ? srtp_unprotect_mki(s, pkt, len, 1) : srtp_unprotect(s, pkt, len);
}

static int open_socket(const struct sockaddr_storage *ss)
{
	int fd = socket(ss->ss_family, SOCK_DGRAM, 0);
	int one = 1;

	if (fd < 0)
		die("socket: %s", strerror(errno));
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	return fd;
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

static int do_send(struct config *c)
{
	srtp_t session, rekeyed = NULL, wrong = NULL;
	unsigned long genuine = 0, bad = 0;
	uint8_t wrongkey[KEY_SALT_LEN];
	long index = 0;
	int fd, i;

	if (!c->dst_len)
		die("send needs --dst");
	if (c->suite != SUITE_NONE && !c->has_key)
		die("suite %s needs --key", suite_name(c->suite));
	if (c->suite == SUITE_NONE && (c->bad == BAD_TAMPER || c->bad == BAD_WRONGKEY))
		die("--bad tamper/wrongkey need an SRTP suite");
	/* Tampering flips a bit of the payload's sixth byte (RTP) or of the
	 * encrypted RTCP body: there must be one. */
	if (c->bad == BAD_TAMPER && c->len < 6)
		die("--bad tamper needs --len 6 or more");
	fd = open_socket(&c->dst);
	if (c->src_len) {
		int one = 1;

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&c->src, c->src_len))
			die("bind %s: %s", fmt_sockaddr(&c->src), strerror(errno));
	}
	session = c->suite == SUITE_NONE ? NULL : make_session(c, c->key, true);
	if (c->has_rekey)
		rekeyed = make_session(c, c->rekey, true);
	if (c->bad == BAD_WRONGKEY) {
		memcpy(wrongkey, c->key, KEY_SALT_LEN);
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
		       c->bad == BAD_WRONGKEY ? "wrong-key" : "replayed");
	close(fd);
	if (session)
		srtp_dealloc(session);
	if (rekeyed)
		srtp_dealloc(rekeyed);
	if (wrong)
		srtp_dealloc(wrong);
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct tally {
	unsigned long ok, dup, stranger, bad_payload, auth_fail, replay_fail, no_ctx,
		other_fail, wrong_source, wrong_key_era, malformed, wrong_port;
};

/*
 * Checks one packet that unprotected (or plain). Returns the burst it belongs
 * to and its position there, or NULL with the reason tallied.
 */
static struct burst *match(struct config *c, const uint8_t *p, int len, bool rtcp,
			   uint32_t *pos, struct tally *t)
{
	uint32_t ssrc, num;
	size_t plen, i;
	const uint8_t *payload;
	int b;

	if (len < (rtcp ? 16 : 12) || (p[0] & 0xc0) != 0x80) {
		t->malformed++;
		return NULL;
	}
	ssrc = get32(p + (rtcp ? 4 : 8));
	if (rtcp) {
		if (p[1] != RTCP_APP || memcmp(p + 8, "SRPR", 4)) {
			t->malformed++;
			return NULL;
		}
		num = get32(p + 12);
		payload = p + 16;
		plen = len - 16;
	} else {
		num = (uint32_t)p[2] << 8 | p[3];
		payload = p + 12;
		plen = len - 12;
	}
	for (b = 0; b < c->n_bursts; b++) {
		struct burst *bu = &c->bursts[b];
		uint32_t off = rtcp ? num - bu->first : (uint16_t)(num - bu->first);

		if (bu->rtcp != rtcp || bu->ssrc != ssrc || off >= bu->count)
			continue;
		if (plen != (rtcp ? rtcp_data_len(c->len) : c->len)) {
			t->bad_payload++;
			return NULL;
		}
		for (i = 0; i < plen; i++)
			if (payload[i] != pattern(ssrc, num, i)) {
				t->bad_payload++;
				if (t->bad_payload <= 3)
					fprintf(stderr, "recv: %s ssrc 0x%08x #%u: byte %zu is 0x%02x, want 0x%02x\n",
						rtcp ? "rtcp" : "rtp", ssrc, num, i, payload[i],
						pattern(ssrc, num, i));
				return NULL;
			}
		*pos = off;
		return bu;
	}
	t->stranger++;
	if (t->stranger <= 3)
		fprintf(stderr, "recv: unexpected %s ssrc 0x%08x #%u\n", rtcp ? "rtcp" : "rtp",
			ssrc, num);
	return NULL;
}

static void handle_packet(struct config *c, srtp_t session, srtp_t rekeyed, uint8_t *p,
			  int len, struct tally *t)
{
	bool rtcp = len >= 2 && p[1] >= 192 && p[1] <= 223;
	bool used_rekey = false;
	struct burst *b;
	uint32_t pos;

	if (c->suite != SUITE_NONE) {
		uint8_t copy[MAX_PKT];
		int clen = len;
		int err;

		memcpy(copy, p, len);
		err = unprotect(c, session, p, &len, rtcp);
		if (err == srtp_err_status_auth_fail && rekeyed) {
			memcpy(p, copy, clen);
			len = clen;
			err = unprotect(c, rekeyed, p, &len, rtcp);
			used_rekey = true;
		}
		switch (err) {
		case srtp_err_status_ok:
			break;
		case srtp_err_status_auth_fail:
			t->auth_fail++;
			return;
		case srtp_err_status_replay_fail:
		case srtp_err_status_replay_old:
			t->replay_fail++;
			return;
		case srtp_err_status_no_ctx:
			t->no_ctx++;
			return;
		default:
			t->other_fail++;
			fprintf(stderr, "recv: unprotect error %d\n", err);
			return;
		}
	}
	b = match(c, p, len, rtcp, &pos, t);
	if (!b)
		return;
	if (rekeyed && used_rekey != (pos >= (uint32_t)c->rekey_at)) {
		t->wrong_key_era++;
		return;
	}
	if (b->seen[pos]++)
		t->dup++;
	else
		t->ok++;
}

static unsigned long expected_total(const struct config *c)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < c->n_bursts; i++)
		n += c->bursts[i].count;
	return n;
}

static int do_recv(struct config *c)
{
	struct pollfd pfd[MAX_LISTEN];
	srtp_t session = NULL, rekeyed = NULL;
	struct tally t = { 0 };
	unsigned long want = expected_total(c);
	long deadline, all_in_at = -1;
	struct sigaction sa;
	bool fail = false;
	int i;

	if (!c->n_listen)
		die("recv needs --listen");
	if (c->suite != SUITE_NONE && !c->has_key)
		die("suite %s needs --key", suite_name(c->suite));
	for (i = 0; i < c->n_bursts; i++) {
		/*
		 * libsrtp2 2.5.0 takes the SRTCP tag length from the RTP policy
		 * when it looks for the MKI, so it cannot unprotect SRTCP with
		 * an MKI under _32 (fixed upstream by cisco/libsrtp#733).
		 */
		if (c->bursts[i].rtcp && c->mki_len && c->suite == SUITE_32)
			die("libsrtp2 2.5 cannot unprotect SRTCP with MKI under _32");
		c->bursts[i].seen = calloc(c->bursts[i].count + 1, 1);
		if (!c->bursts[i].seen)
			die("out of memory");
	}
	if (c->suite != SUITE_NONE) {
		session = make_session(c, c->key, false);
		if (c->has_rekey)
			rekeyed = make_session(c, c->rekey, false);
	}
	for (i = 0; i < c->n_listen; i++) {
		int size = 4 << 20;

		pfd[i].fd = open_socket(&c->listen[i]);
		pfd[i].events = POLLIN;
		/* Bursts arrive faster than a TCG guest schedules us. */
		if (setsockopt(pfd[i].fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
			setsockopt(pfd[i].fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
		if (bind(pfd[i].fd, (struct sockaddr *)&c->listen[i], c->listen_len[i]))
			die("bind %s: %s", fmt_sockaddr(&c->listen[i]), strerror(errno));
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	if (c->ready_file) {
		FILE *f = fopen(c->ready_file, "w");

		if (!f)
			die("cannot create %s: %s", c->ready_file, strerror(errno));
		fclose(f);
	}

	deadline = now_ms() + c->timeout_ms;
	for (;;) {
		long now = now_ms(), wait = deadline - now;
		int n;

		if (want && t.ok == want && all_in_at < 0)
			all_in_at = now;
		if (all_in_at >= 0 && all_in_at + c->linger_ms - now < wait)
			wait = all_in_at + c->linger_ms - now;
		if (stop_requested)
			wait = 0;
		if (wait < 0)
			wait = 0;
		n = poll(pfd, c->n_listen, wait);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("poll: %s", strerror(errno));
		if (n == 0)
			break;
		for (i = 0; i < c->n_listen; i++) {
			struct sockaddr_storage from;
			const struct sockaddr_storage *source;
			socklen_t source_len, flen = sizeof(from);
			uint8_t pkt[MAX_PKT];
			ssize_t len;

			if (!(pfd[i].revents & POLLIN))
				continue;
			len = recvfrom(pfd[i].fd, pkt, sizeof(pkt), MSG_DONTWAIT,
				       (struct sockaddr *)&from, &flen);
			if (len < 0)
				continue;
			source = &c->from;
			source_len = c->from_len;
			if (c->from_rtcp_len && len >= 2 && pkt[1] >= 192 &&
			    pkt[1] <= 223) {
				source = &c->from_rtcp;
				source_len = c->from_rtcp_len;
			}
			if (source_len && !same_sockaddr(&from, source)) {
				t.wrong_source++;
				if (t.wrong_source <= 3)
					fprintf(stderr, "recv: packet from %s, want %s\n",
						fmt_sockaddr(&from), fmt_sockaddr(source));
				continue;
			}
			if (c->split_ports && len >= 2 &&
			    (pkt[1] >= 192 && pkt[1] <= 223) != c->listen_rtcp[i]) {
				t.wrong_port++;
				continue;
			}
			handle_packet(c, session, rekeyed, pkt, len, &t);
		}
	}

	for (i = 0; i < c->n_bursts; i++) {
		struct burst *b = &c->bursts[i];
		uint32_t k, got = 0, first_missing = 0;

		for (k = 0; k < b->count; k++) {
			if (b->seen[k])
				got++;
			else if (got == k)
				first_missing = b->first + k;
		}
		printf("recv: %s ssrc 0x%08x #%u..#%u (%u packets%s): %u arrived, payload verified%s",
		       b->rtcp ? "rtcp" : "rtp", b->ssrc, b->first,
		       b->rtcp ? b->first + b->count - 1 : (b->first + b->count - 1) & 0xffff,
		       b->count,
		       !b->rtcp && b->first + b->count > 65536 ? ", crossing 65535->0" : "",
		       got, c->rekey_at >= 0 && c->has_rekey ? ", key switch honoured" : "");
		if (got != b->count) {
			printf("; MISSING %u, first #%u", b->count - got, first_missing);
			fail = true;
		}
		printf("\n");
	}
	printf("recv: %s on", suite_name(c->suite));
	for (i = 0; i < c->n_listen; i++)
		printf(" %s%s", fmt_sockaddr(&c->listen[i]),
		       !c->split_ports ? "" : c->listen_rtcp[i] ? " (rtcp)" : " (rtp)");
	printf(": %lu/%lu expected packets", t.ok, want);
	if (c->from_len)
		printf(", all from %s", fmt_sockaddr(&c->from));
	if (c->from_rtcp_len)
		printf(" (rtcp from %s)", fmt_sockaddr(&c->from_rtcp));
#define REPORT(field, what) \
	do { \
		if (t.field) { \
			printf(", %lu " what, t.field); \
			fail = true; \
		} \
	} while (0)
	REPORT(dup, "duplicates");
	REPORT(stranger, "unexpected");
	REPORT(bad_payload, "with wrong bytes");
	REPORT(auth_fail, "failing authentication");
	REPORT(replay_fail, "rejected as replays");
	REPORT(no_ctx, "of unknown SSRC");
	REPORT(other_fail, "failing to unprotect");
	REPORT(wrong_source, "from a wrong source");
	REPORT(wrong_key_era, "under the wrong key for their place");
	REPORT(malformed, "malformed");
	REPORT(wrong_port, "on the wrong port for their kind");
#undef REPORT
	printf("%s\n", fail ? " -> FAIL" : " -> OK");
	for (i = 0; i < c->n_listen; i++)
		close(pfd[i].fd);
	if (session)
		srtp_dealloc(session);
	if (rekeyed)
		srtp_dealloc(rekeyed);
	return fail ? 1 : 0;
}

static void log_handler(srtp_log_level_t level, const char *msg, void *data)
{
	(void)data;
	if (level <= srtp_log_level_warning)
		fprintf(stderr, "libsrtp2: %s\n", msg);
}

static void usage(void)
{
	fputs("usage: srtp_peer send --dst ADDR:PORT [options] [rtp:|rtcp:]SSRC:SEQ:COUNT...\n"
	      "       srtp_peer recv --listen ADDR:PORT [options] [rtp:|rtcp:]SSRC:SEQ:COUNT...\n"
	      "see the comment at the top of srtp_peer.c for the options\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "suite", required_argument, NULL, 'S' },
		{ "key", required_argument, NULL, 'k' },
		{ "mki", required_argument, NULL, 'M' },
		{ "roc", required_argument, NULL, 'r' },
		{ "len", required_argument, NULL, 'L' },
		{ "rekey-at", required_argument, NULL, 'A' },
		{ "rekey-key", required_argument, NULL, 'K' },
		{ "dst", required_argument, NULL, 'd' },
		{ "src", required_argument, NULL, 's' },
		{ "interval-us", required_argument, NULL, 'i' },
		{ "bad", required_argument, NULL, 'b' },
		{ "bad-every", required_argument, NULL, 'e' },
		{ "bad-only", no_argument, NULL, 'o' },
		{ "pause-at", required_argument, NULL, 'p' },
		{ "junk", required_argument, NULL, 'J' },
		{ "sync-dir", required_argument, NULL, 'y' },
		{ "listen", required_argument, NULL, 'l' },
		{ "listen-rtcp", required_argument, NULL, 'R' },
		{ "from", required_argument, NULL, 'f' },
		{ "from-rtcp", required_argument, NULL, 'F' },
		{ "ready-file", required_argument, NULL, 'w' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "linger-ms", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct config c;
	int opt, ret;

	memset(&c, 0, sizeof(c));
	c.suite = SUITE_80;
	c.len = 160;
	c.interval_us = 200;
	c.bad_every = 1;
	c.pause_at = -1;
	c.rekey_at = -1;
	c.timeout_ms = 20000;
	c.linger_ms = 300;
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "send"))
		c.send = true;
	else if (strcmp(argv[1], "recv"))
		usage();
	optind = 2;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'S': c.suite = parse_suite(optarg); break;
		case 'k': parse_key(optarg, c.key); c.has_key = true; break;
		case 'M': parse_mki(optarg, &c); break;
		case 'r': c.roc = parse_long(optarg, 0, 0xffffffffL, "ROC"); c.has_roc = true; break;
		case 'L': c.len = parse_long(optarg, 0, 1200, "payload length"); break;
		case 'A': c.rekey_at = parse_long(optarg, 0, 65535, "rekey point"); break;
		case 'K': parse_key(optarg, c.rekey); c.has_rekey = true; break;
		case 'd': c.dst_len = parse_sockaddr(optarg, &c.dst); break;
		case 's': c.src_len = parse_sockaddr(optarg, &c.src); break;
		case 'i': c.interval_us = parse_long(optarg, 0, 10000000, "interval"); break;
		case 'b':
			if (!strcmp(optarg, "tamper"))
				c.bad = BAD_TAMPER;
			else if (!strcmp(optarg, "wrongkey"))
				c.bad = BAD_WRONGKEY;
			else if (!strcmp(optarg, "replay"))
				c.bad = BAD_REPLAY;
			else
				die("unknown --bad '%s' (tamper, wrongkey, replay)", optarg);
			break;
		case 'e': c.bad_every = parse_long(optarg, 1, 65536, "--bad-every"); break;
		case 'o': c.bad_only = true; break;
		case 'p': c.pause_at = parse_long(optarg, 0, 1L << 30, "--pause-at"); break;
		case 'y': c.sync_dir = optarg; break;
		case 'J': c.junk = parse_long(optarg, 0, 1000, "--junk"); break;
		case 'l':
		case 'R':
			if (c.n_listen == MAX_LISTEN)
				die("at most %d --listen", MAX_LISTEN);
			c.listen_len[c.n_listen] = parse_sockaddr(optarg, &c.listen[c.n_listen]);
			c.listen_rtcp[c.n_listen] = opt == 'R';
			c.split_ports |= opt == 'R';
			c.n_listen++;
			break;
		case 'f': c.from_len = parse_sockaddr(optarg, &c.from); break;
		case 'F': c.from_rtcp_len = parse_sockaddr(optarg, &c.from_rtcp); break;
		case 'w': c.ready_file = optarg; break;
		case 't': c.timeout_ms = parse_long(optarg, 0, 3600000, "timeout"); break;
		case 'g': c.linger_ms = parse_long(optarg, 0, 3600000, "linger"); break;
		default: usage();
		}
	}
	for (; optind < argc; optind++)
		parse_burst(argv[optind], &c);
	if (c.has_rekey != (c.rekey_at >= 0))
		die("--rekey-at and --rekey-key go together");
	if (c.suite != SUITE_NONE) {
		srtp_err_status_t err;

		srtp_install_log_handler(log_handler, NULL);
		err = srtp_init();
		if (err)
			die("srtp_init failed: error %d", err);
	}
	ret = c.send ? do_send(&c) : do_recv(&c);
	memset(c.key, 0, sizeof(c.key));
	memset(c.rekey, 0, sizeof(c.rekey));
	return ret;
}
