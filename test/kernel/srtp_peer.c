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
 *   --suite AES_CM_128_HMAC_SHA1_80|_32|AES_256_CM_HMAC_SHA1_80|_32|
 *           AEAD_AES_128_GCM|AEAD_AES_256_GCM|NONE
 *   --key BASE64     master key || salt (30, 46, 28 or 44 bytes as the
 *                    suite wants), as SDP a=crypto inline:
 *   --mki VALUE:LEN  MKI carried in every packet (RFC 4568 "|1:1" is 1:1)
 *   --roc N          rollover counter of the first packet of every SSRC
 *   --len N          payload bytes (RTP) or application data (RTCP), 160
 *   --rekey-at N --rekey-key BASE64: from the Nth packet of each burst on,
 *                    the new key is used (sender) / required (receiver)
 * send only:
 *   --src ADDR:PORT  bind here first (a chosen source port)
 *   --interval-us N  pause between packets (default 200)
 *   --bad tamper|wrongkey|replay|csum, --bad-every K (default 1), --bad-only:
 *                    every Kth packet also goes out as a bad copy: tampered
 *                    (one payload bit flipped after protection), wrong-key
 *                    or with a wrong UDP checksum (raw socket, needs --src)
 *                    before the genuine one, or replayed (sent again) after
 *                    it. --bad-only sends only the bad copies (not replay).
 *   --ttl N          send with this IPv4 TTL / IPv6 hop limit
 *   --no-checksum    IPv4: send with UDP checksum 0, "none" (RFC 768)
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
 *   --ttl N          every packet must arrive with this TTL / hop limit
 *   --ready-file F   created once the sockets are bound
 *   --timeout-ms N   give up waiting after N ms (default 20000)
 *   --linger-ms N    once all expected packets are in, wait this long for
 *                    extras (default 300). SIGUSR1 ends the wait at once.
 *
 * This file parses the options; srtp_peer_send.c and srtp_peer_recv.c are
 * the two modes, srtp_peer_common.c what they share (libsrtp2 sessions,
 * sockets, errors).
 */
#include <errno.h>
#include <getopt.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relay_netlink.h"
#include "srtp_peer.h"

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

/* Padded base64 (as base64(1) writes it); the length is checked later. */
static unsigned int parse_key(const char *b64, uint8_t out[KEY_SALT_MAX])
{
	unsigned char buf[72];
	size_t n = strlen(b64);
	int len;

	if (n % 4 || n > 64)
		die("key must be padded base64 of at most 46 bytes, got %zu characters", n);
	len = EVP_DecodeBlock(buf, (const unsigned char *)b64, n);
	if (len < 0)
		die("key '%s' is not valid base64", b64);
	len -= (n && b64[n - 1] == '=') + (n > 1 && b64[n - 2] == '=');
	if (len > KEY_SALT_MAX)
		die("key is %d bytes, at most %d", len, KEY_SALT_MAX);
	memcpy(out, buf, (size_t)len);
	return (unsigned int)len;
}

static uint32_t parse_suite(const char *s)
{
	uint32_t suite;

	if (relay_nl_suite_parse(s, &suite))
		die("unknown suite '%s'", s);
	return suite;
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
		{ "ttl", required_argument, NULL, 'T' },
		{ "no-checksum", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct config c;
	int opt, ret;

	memset(&c, 0, sizeof(c));
	c.suite = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80;
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
		case 'k': c.key_len = parse_key(optarg, c.key); c.has_key = true; break;
		case 'M': parse_mki(optarg, &c); break;
		case 'r': c.roc = parse_long(optarg, 0, 0xffffffffL, "ROC"); c.has_roc = true; break;
		case 'L': c.len = parse_long(optarg, 0, MAX_PKT - 28, "payload length"); break;
		case 'A': c.rekey_at = parse_long(optarg, 0, 65535, "rekey point"); break;
		case 'K': c.rekey_len = parse_key(optarg, c.rekey); c.has_rekey = true; break;
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
			else if (!strcmp(optarg, "csum"))
				c.bad = BAD_CSUM;
			else
				die("unknown --bad '%s' (tamper, wrongkey, replay, csum)", optarg);
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
		case 'T': c.ttl = parse_long(optarg, 1, 255, "--ttl"); break;
		case 'N': c.no_checksum = true; break;
		case 'g': c.linger_ms = parse_long(optarg, 0, 3600000, "linger"); break;
		default: usage();
		}
	}
	for (; optind < argc; optind++)
		parse_burst(argv[optind], &c);
	if (c.has_rekey != (c.rekey_at >= 0))
		die("--rekey-at and --rekey-key go together");
	if ((c.has_key && c.key_len != suite_key_salt_len(c.suite)) ||
	    (c.has_rekey && c.rekey_len != suite_key_salt_len(c.suite)))
		die("%s needs a key||salt of %u bytes", suite_name(c.suite),
		    suite_key_salt_len(c.suite));
	if (c.suite != SRTPRELAY_SUITE_NONE) {
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
