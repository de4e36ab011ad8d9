// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * relaysetup: the coprocess bench/loadgen runs to set calls up in the relay
 * under test. It reads one line per call on stdin and answers one line on
 * stdout (the protocol is described at the top of bench/loadgen/main.c):
 *
 *   relaysetup srtprelay [--realm-a IP] [--realm-b IP] [--port-base P]
 *		      [--pass-through]
 *	Two streams per call through the srtprelay netlink client (relay_nl):
 *	the kernel module when it is loaded in this netns, otherwise whatever
 *	transport relay_nl falls back to (the userspace datapath's socket).
 *	The relay's own keys are derived from the call number. With
 *	--pass-through each stream sends with the key it receives with
 *	(SRTPRELAY_STREAM_F_PASS_THROUGH): the relay checks tag and replay
 *	window and forwards the packet as it came.
 *
 *   relaysetup rtpengine [--ng IP:PORT] [--iface-a NAME] [--iface-b NAME]
 *	An SDES offer/answer per call over rtpengine's ng protocol (bencode
 *	over UDP): the caller's SDP offers its key on leg A, rtpengine offers
 *	its own key to the callee on leg B, the callee answers with its key,
 *	rtpengine answers the caller with another key of its own. The keys
 *	rtpengine chose are what loadgen's receiver must verify with.
 *	rtpengine offers the callee the caller's own key when the caller
 *	offered that suite (and answers the caller with the callee's), and
 *	then forwards SRTP without decrypting it (its SDES pass-through, no
 *	tag check). The offer asks for "recrypt" (rtpengine 13.4 and later);
 *	older ones decrypt and re-encrypt only when something else needs the
 *	plain packet, which bench/netns.sh arranges (DTMF logging). With
 *	--pass-through the keys must be the caller's and the callee's own, or
 *	the call fails: rtpengine would not be passing SRTP through.
 *
 * Both answer "stat" with the first line of this machine's /proc/stat. With
 * --listen PORT the protocol runs over the first TCP connection to PORT
 * instead of stdin and stdout: bench/vm.sh's guest, driven from the host.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "relay_netlink.h"
#include "sdes.h"
#include "srtp_suite.h"

/* base64 of key || salt of any suite (46 bytes for AES_256_CM), NUL */
#define KEY_B64_MAX 96

struct call {
	unsigned int id;
	char caller_ip[64], callee_ip[64];
	unsigned int caller_port, callee_port;
	char suite_a[32], key_a[KEY_B64_MAX], suite_b[32], key_b[KEY_B64_MAX];
};

static struct {
	const char *realm_a, *realm_b, *ng, *iface_a, *iface_b;
	unsigned int port_base, listen_port;
	bool pass_through;
} opt = {
	.realm_a = "10.0.1.1", .realm_b = "10.0.2.1", .ng = "127.0.0.1:2223",
	.iface_a = "a", .iface_b = "b", .port_base = 30000,
};

static void die(const char *what, const char *why)
{
	fprintf(stderr, "relaysetup: %s: %s\n", what, why);
	exit(1);
}

/* ---- srtprelay ---- */

static void addr_set(struct sockaddr_storage *ss, const char *ip, unsigned int port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, ip, &sin->sin_addr) != 1)
		die("bad address", ip);
}

/* @b64 is key || salt as in a=crypto inline:, read as an SDES line. */
static void crypto_set(struct relay_nl_crypto *c, const char *suite,
		       const char *b64)
{
	char line[SDES_LINE_MAX], err[SDES_ERR_MAX];
	struct sdes_crypto crypto;
	struct srtp_suite_info info;

	memset(c, 0, sizeof(*c));
	if (relay_nl_suite_parse(suite, &c->suite))
		die("unknown suite", suite);
	if (c->suite == SRTPRELAY_SUITE_NONE)
		return;
	snprintf(line, sizeof(line), "1 %s inline:%s", suite, b64);
	if (sdes_parse(line, strlen(line), &crypto, err, sizeof(err)) != SDES_OK)
		die("bad key", err);
	info = srtp_suite_info(c->suite);
	memcpy(c->key, crypto.keys[0].key_salt, info.key_len);
	memcpy(c->salt, crypto.keys[0].key_salt + info.key_len, info.salt_len);
	sdes_crypto_wipe(&crypto);
	OPENSSL_cleanse(line, sizeof(line));
}

/* The relay's key toward one endpoint; "-" for plain RTP. */
static void relay_key(unsigned int id, unsigned int which, const char *suite,
		      char out[KEY_B64_MAX])
{
	uint8_t raw[SDES_KEY_SALT_MAX];
	struct srtp_suite_info info;
	uint32_t s;

	if (relay_nl_suite_parse(suite, &s))
		die("unknown suite", suite);
	if (s == SRTPRELAY_SUITE_NONE) {
		strcpy(out, "-");
		return;
	}
	info = srtp_suite_info(s);
	for (unsigned int i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)((id * 2654435761u >> (i % 24)) + which * 97 + i * 13);
	EVP_EncodeBlock((uint8_t *)out, raw, info.key_len + info.salt_len);
	OPENSSL_cleanse(raw, sizeof(raw));
}

static void srtprelay_realm(struct relay_nl *nl, uint32_t id, const char *ip)
{
	struct relay_nl_realm realm = {
		.id = id, .port_min = (uint16_t)opt.port_base, .port_max = 65535,
	};

	addr_set(&realm.addr, ip, 0);
	if (relay_nl_realm_add(nl, &realm) < 0 &&
	    relay_nl_error(nl)->code != EEXIST)
		die("realm add", relay_nl_strerror(nl));
}

static int srtprelay_call(struct relay_nl *nl, const struct call *c,
			  char to_caller[KEY_B64_MAX], char to_callee[KEY_B64_MAX])
{
	unsigned int port = opt.port_base + 2 * c->id;
	struct relay_nl_stream up, down;

	if (opt.pass_through) {
		/* Each leg's packets go on with the sender's own key. */
		snprintf(to_caller, KEY_B64_MAX, "%s", c->key_b);
		snprintf(to_callee, KEY_B64_MAX, "%s", c->key_a);
	} else {
		relay_key(c->id, 1, c->suite_a, to_caller);
		relay_key(c->id, 2, c->suite_b, to_callee);
	}
	memset(&up, 0, sizeof(up));
	up.has = RELAY_NL_HAS_OUT_SRC | RELAY_NL_HAS_OUT_DST | RELAY_NL_HAS_COOKIE |
		 RELAY_NL_HAS_IN_CRYPTO | RELAY_NL_HAS_OUT_CRYPTO;
	if (opt.pass_through) {
		up.has |= RELAY_NL_HAS_FLAGS;
		up.flags = SRTPRELAY_STREAM_F_PASS_THROUGH;
	}
	down = up;
	up.cookie = down.cookie = c->id;
	/* caller -> A:port, decrypt with the caller's key; B:port -> callee. */
	addr_set(&up.local, opt.realm_a, port);
	addr_set(&up.out_src, opt.realm_b, port);
	addr_set(&up.out_dst, c->callee_ip, c->callee_port);
	crypto_set(&up.in, c->suite_a, c->key_a);
	crypto_set(&up.out, c->suite_b, to_callee);
	addr_set(&down.local, opt.realm_b, port);
	addr_set(&down.out_src, opt.realm_a, port);
	addr_set(&down.out_dst, c->caller_ip, c->caller_port);
	crypto_set(&down.in, c->suite_b, c->key_b);
	crypto_set(&down.out, c->suite_a, to_caller);
	if (relay_nl_stream_add(nl, &up) < 0 || relay_nl_stream_add(nl, &down) < 0) {
		OPENSSL_cleanse(&up, sizeof(up));
		OPENSSL_cleanse(&down, sizeof(down));
		return -1;
	}
	OPENSSL_cleanse(&up, sizeof(up));
	OPENSSL_cleanse(&down, sizeof(down));
	return 0;
}

/* ---- rtpengine ng ---- */

static int ng_fd;
static unsigned long ng_cookie;

struct buf {
	char data[8192];
	size_t len;
};

static void put(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n >= sizeof(b->data))
		die("ng", "message too long");
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

/* A bencode string. */
static void put_str(struct buf *b, const char *s)
{
	char len[24];

	snprintf(len, sizeof(len), "%zu:", strlen(s));
	put(b, len);
	put(b, s);
}

static void ng_open(void)
{
	char host[64], *colon;
	struct sockaddr_in sin = { .sin_family = AF_INET };

	snprintf(host, sizeof(host), "%s", opt.ng);
	colon = strrchr(host, ':');
	if (!colon)
		die("--ng", "want IP:PORT");
	*colon = 0;
	sin.sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
		die("--ng", opt.ng);
	ng_fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (ng_fd < 0 || connect(ng_fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("ng socket", strerror(errno));
}

/*
 * Sends @msg (a bencoded dictionary) and copies the reply's "sdp" string
 * into @sdp. Retries on silence, as a SIP proxy's rtpengine module does.
 */
static int ng_request(const struct buf *msg, char *sdp, size_t sdp_size)
{
	char cookie[32], reply[16384];
	struct buf out = { .len = 0 };

	snprintf(cookie, sizeof(cookie), "%lu_%d ", ++ng_cookie, getpid());
	put(&out, cookie);
	memcpy(out.data + out.len, msg->data, msg->len);
	out.len += msg->len;
	for (int attempt = 0; attempt < 5; attempt++) {
		struct pollfd pfd = { .fd = ng_fd, .events = POLLIN };
		ssize_t n;
		char *p, *end;
		size_t len;

		if (send(ng_fd, out.data, out.len, 0) < 0)
			die("ng send", strerror(errno));
		while (poll(&pfd, 1, 1000) > 0) {
			n = recv(ng_fd, reply, sizeof(reply) - 1, 0);
			if (n <= 0)
				break;
			reply[n] = 0;
			if (strncmp(reply, cookie, strlen(cookie)))
				continue;	/* a late reply to an earlier try */
			if (!strstr(reply, "6:result2:ok")) {
				fprintf(stderr, "relaysetup: rtpengine said: %s\n", reply);
				return -1;
			}
			p = strstr(reply, "3:sdp");
			if (!p)
				return -1;
			len = strtoul(p + 5, &end, 10);
			if (*end != ':' || len >= sdp_size || end + 1 + len > reply + n)
				return -1;
			memcpy(sdp, end + 1, len);
			sdp[len] = 0;
			return 0;
		}
	}
	fprintf(stderr, "relaysetup: no answer from rtpengine at %s\n", opt.ng);
	return -1;
}

static void make_sdp(char *sdp, size_t size, const char *ip, unsigned int port,
		     const char *suite, const char *tag, const char *key)
{
	bool plain = !strcmp(suite, "NONE");
	int n;

	n = snprintf(sdp, size,
		     "v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
		     "m=audio %u RTP/%s 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n",
		     ip, ip, port, plain ? "AVP" : "SAVP");
	if (!plain)
		snprintf(sdp + n, size - (size_t)n,
			 "a=crypto:%s %s inline:%s\r\n", tag, suite, key);
}

/*
 * From rtpengine's SDP: its address and port, and the key of the first
 * a=crypto line with @suite (with its tag, when @tag is not NULL).
 */
static int parse_sdp(const char *sdp, const char *suite, char ip[64],
		     unsigned int *port, char key[KEY_B64_MAX], char tag[16])
{
	const char *line;
	bool plain = !strcmp(suite, "NONE");

	*port = 0;
	ip[0] = key[0] = 0;
	strcpy(key, "-");
	for (line = sdp; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		char s[64], k[KEY_B64_MAX], t[16];

		if (sscanf(line, "c=IN IP4 %63[0-9.]", ip) == 1)
			continue;
		if (sscanf(line, "m=audio %u", port) == 1)
			continue;
		if (!plain && !strcmp(key, "-") &&
		    sscanf(line, "a=crypto:%15s %63s inline:%95[A-Za-z0-9+/=]", t, s, k) == 3 &&
		    !strcmp(s, suite)) {
			memcpy(key, k, KEY_B64_MAX);
			if (tag)
				snprintf(tag, 16, "%s", t);
		}
	}
	return *port && ip[0] && (plain || strcmp(key, "-")) ? 0 : -1;
}

/* Base64 keys, equal but for padding (rtpengine leaves it off). */
static bool same_key(const char *a, const char *b)
{
	size_t la = strcspn(a, "="), lb = strcspn(b, "=");

	return la == lb && !memcmp(a, b, la);
}

static int rtpengine_call(const struct call *c, char relay_a[64],
			  unsigned int *port_a, char relay_b[64],
			  unsigned int *port_b, char to_caller[KEY_B64_MAX],
			  char to_callee[KEY_B64_MAX])
{
	char sdp[8192], reply[8192], call_id[64], from_tag[64], to_tag[64];
	char tag[16] = "1";
	struct buf msg = { .len = 0 };

	snprintf(call_id, sizeof(call_id), "bench-%u-%d", c->id, getppid());
	snprintf(from_tag, sizeof(from_tag), "caller-%u", c->id);
	snprintf(to_tag, sizeof(to_tag), "callee-%u", c->id);

	make_sdp(sdp, sizeof(sdp), c->caller_ip, c->caller_port, c->suite_a, "1",
		 c->key_a);
	put(&msg, "d");
	put_str(&msg, "command");
	put_str(&msg, "offer");
	put_str(&msg, "call-id");
	put_str(&msg, call_id);
	put_str(&msg, "from-tag");
	put_str(&msg, from_tag);
	put_str(&msg, "sdp");
	put_str(&msg, sdp);
	put_str(&msg, "direction");
	put(&msg, "l");
	put_str(&msg, opt.iface_a);
	put_str(&msg, opt.iface_b);
	put(&msg, "e");
	put_str(&msg, "ICE");
	put_str(&msg, "remove");
	put_str(&msg, "DTLS");
	put_str(&msg, "off");
	if (!opt.pass_through) {
		put_str(&msg, "flags");
		put(&msg, "l");
		put_str(&msg, "recrypt");
		put(&msg, "e");
	}
	put(&msg, "e");
	if (ng_request(&msg, reply, sizeof(reply)) ||
	    parse_sdp(reply, c->suite_b, relay_b, port_b, to_callee, tag)) {
		fprintf(stderr, "relaysetup: offer of call %u: unusable reply:\n%s\n",
			c->id, reply);
		return -1;
	}

	make_sdp(sdp, sizeof(sdp), c->callee_ip, c->callee_port, c->suite_b, tag,
		 c->key_b);
	msg.len = 0;
	put(&msg, "d");
	put_str(&msg, "command");
	put_str(&msg, "answer");
	put_str(&msg, "call-id");
	put_str(&msg, call_id);
	put_str(&msg, "from-tag");
	put_str(&msg, from_tag);
	put_str(&msg, "to-tag");
	put_str(&msg, to_tag);
	put_str(&msg, "sdp");
	put_str(&msg, sdp);
	put_str(&msg, "ICE");
	put_str(&msg, "remove");
	put(&msg, "e");
	if (ng_request(&msg, reply, sizeof(reply)) ||
	    parse_sdp(reply, c->suite_a, relay_a, port_a, to_caller, NULL)) {
		fprintf(stderr, "relaysetup: answer of call %u: unusable reply:\n%s\n",
			c->id, reply);
		return -1;
	}
	/*
	 * Whether a row re-keys: with the endpoints' own keys on the far
	 * legs, rtpengine needs no crypto of its own to carry the call.
	 */
	if (!c->id && strcmp(c->suite_a, "NONE"))
		fprintf(stderr, "relaysetup: call 0: rtpengine sends to the callee with %s,"
			" to the caller with %s\n",
			same_key(to_callee, c->key_a) ? "the caller's own key" : "a key of its own",
			same_key(to_caller, c->key_b) ? "the callee's own key" : "a key of its own");
	if (opt.pass_through &&
	    (!same_key(to_callee, c->key_a) || !same_key(to_caller, c->key_b))) {
		fprintf(stderr, "relaysetup: call %u: rtpengine chose keys of its own,"
			" it would not pass SRTP through\n", c->id);
		return -1;
	}
	OPENSSL_cleanse(sdp, sizeof(sdp));
	OPENSSL_cleanse(reply, sizeof(reply));
	OPENSSL_cleanse(&msg, sizeof(msg));
	return 0;
}

/* Serves the first connection to @port on stdin and stdout. */
static void listen_once(unsigned int port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int one = 1, lfd, fd;

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		die("socket", strerror(errno));
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(lfd, 1))
		die("--listen", strerror(errno));
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept", strerror(errno));
	close(lfd);
	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
		die("dup2", strerror(errno));
	close(fd);
}

/* The "cpu" line of /proc/stat, for loadgen's --relay-cpu-from-setup. */
static void answer_stat(void)
{
	char line[512] = "";
	FILE *f = fopen("/proc/stat", "r");

	if (!f || !fgets(line, sizeof(line), f))
		die("/proc/stat", strerror(errno));
	fclose(f);
	printf("stat %s", line);
	fflush(stdout);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: relaysetup srtprelay [--realm-a IP] [--realm-b IP] [--port-base P]\n"
		"                            [--pass-through]\n"
		"       relaysetup rtpengine [--ng IP:PORT] [--iface-a NAME] [--iface-b NAME]\n"
		"                            [--pass-through]\n"
		"  --listen PORT  serve the first TCP connection to PORT, not stdin/stdout\n"
		"Reads \"call I CALLER_IP PORT CALLEE_IP PORT SUITE_A KEY_A SUITE_B KEY_B\"\n"
		"lines, answers \"ok I RELAY_A_IP PORT RELAY_B_IP PORT KEY_TO_CALLER KEY_TO_CALLEE\".\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "realm-a", 1, NULL, 1 }, { "realm-b", 1, NULL, 2 },
		{ "port-base", 1, NULL, 3 }, { "ng", 1, NULL, 4 },
		{ "iface-a", 1, NULL, 5 }, { "iface-b", 1, NULL, 6 },
		{ "pass-through", 0, NULL, 7 }, { "listen", 1, NULL, 8 },
		{ "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	struct relay_nl *nl = NULL;
	struct relay_nl_err err;
	char line[1024];
	bool rtpengine;
	int ch;

	if (argc < 2 || (strcmp(argv[1], "srtprelay") && strcmp(argv[1], "rtpengine"))) {
		usage(stderr);
		return 2;
	}
	rtpengine = !strcmp(argv[1], "rtpengine");
	optind = 2;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 1: opt.realm_a = optarg; break;
		case 2: opt.realm_b = optarg; break;
		case 3: opt.port_base = (unsigned int)atoi(optarg); break;
		case 4: opt.ng = optarg; break;
		case 5: opt.iface_a = optarg; break;
		case 6: opt.iface_b = optarg; break;
		case 7: opt.pass_through = true; break;
		case 8: opt.listen_port = (unsigned int)atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (opt.listen_port)
		listen_once(opt.listen_port);
	if (rtpengine) {
		ng_open();
	} else {
		nl = relay_nl_open(&err);
		if (!nl) {
			char why[400];

			die("opening the srtprelay control", relay_nl_err_format(&err, why, sizeof(why)));
		}
		if (relay_nl_stream_flush(nl, NULL) < 0)
			die("stream flush", relay_nl_strerror(nl));
		srtprelay_realm(nl, 1, opt.realm_a);
		srtprelay_realm(nl, 2, opt.realm_b);
	}

	while (fgets(line, sizeof(line), stdin)) {
		char to_caller[KEY_B64_MAX], to_callee[KEY_B64_MAX];
		char relay_a[64], relay_b[64];
		unsigned int port_a, port_b;
		struct call c;
		int ret;

		if (!strcmp(line, "stat\n")) {
			answer_stat();
			continue;
		}
		if (sscanf(line, "call %u %63s %u %63s %u %31s %95s %31s %95s", &c.id,
			   c.caller_ip, &c.caller_port, c.callee_ip, &c.callee_port,
			   c.suite_a, c.key_a, c.suite_b, c.key_b) != 9) {
			fprintf(stderr, "relaysetup: bad line: %s", line);
			return 2;
		}
		if (rtpengine) {
			ret = rtpengine_call(&c, relay_a, &port_a, relay_b, &port_b,
					     to_caller, to_callee);
		} else {
			snprintf(relay_a, sizeof(relay_a), "%s", opt.realm_a);
			snprintf(relay_b, sizeof(relay_b), "%s", opt.realm_b);
			port_a = port_b = opt.port_base + 2 * c.id;
			ret = srtprelay_call(nl, &c, to_caller, to_callee);
			if (ret)
				fprintf(stderr, "relaysetup: call %u: %s\n", c.id,
					relay_nl_strerror(nl));
		}
		if (ret)
			printf("err %u\n", c.id);
		else
			printf("ok %u %s %u %s %u %s %s\n", c.id, relay_a, port_a,
			       relay_b, port_b, to_caller, to_callee);
		fflush(stdout);
		OPENSSL_cleanse(&c, sizeof(c));
		OPENSSL_cleanse(line, sizeof(line));
		OPENSSL_cleanse(to_caller, sizeof(to_caller));
		OPENSSL_cleanse(to_callee, sizeof(to_callee));
	}
	if (nl)
		relay_nl_close(nl);
	return 0;
}
