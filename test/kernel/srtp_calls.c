// SPDX-License-Identifier: GPL-2.0
/*
 * srtp_calls: SRTP media of many B2BUA calls at once, both ways, checked
 * with libsrtp2 (srtp_peer does one stream per process; a crash test has
 * fifty or two hundred calls, each with keys of its own on both legs).
 *
 *   srtp_calls [options] RELAY_IP CALLER_ADDR:PORT CALLEE_ADDR:PORT \
 *              CALLER_KEY CALLEE_KEY SEQ < CALLS
 *
 * CALLS has one line per call: "CP EP KEY_TO_CALLER KEY_TO_CALLEE", the
 * relay's port on the caller's leg (its 200's m= line) and on the
 * callee's (its INVITE's), and the keys srtprelayd gave each side (base64
 * of key || salt, AES_CM_128_HMAC_SHA1_80). All callers send from
 * CALLER_ADDR with CALLER_KEY (what their SDP offered), all callees from
 * CALLEE_ADDR with CALLEE_KEY, as a SIPp scenario with one CSV line does;
 * call i's caller uses SSRC 0x1000 + i, its callee 0x2000 + i, 5 packets
 * each (--packets) from RTP sequence number SEQ. Each side reads until every packet is
 * in or the wait passes, and unprotects each with the key of its SSRC's
 * call. Prints one line per round:
 *
 *   calls N both-ways M to-callee X to-caller Y bad Z
 *
 * M counts the calls whose packets all arrived both ways; Z the packets
 * that did not authenticate, came on the wrong side, carried a wrong
 * payload or arrived twice. Exits 0 only if a round had M == N and Z == 0.
 *
 * Options:
 *   --wait-ms N       how long a round waits for its packets (400)
 *   --packets N       packets per call and direction in a round, 1 to 5
 *                     (5); 1 makes short rounds, to time a relay's return
 *   --until-ms N      rounds again (SEQ + 10 each time, a relay must never
 *                     see an index twice) until one passes or N ms passed
 *                     since the start; "after T ms" ends the passing line:
 *                     when that round's last packet went out (every one
 *                     of them came through, so the relay carried them
 *                     then; reading and checking them is our own time)
 *   --callee-relay IP the callee sends to this relay address (RELAY_IP)
 *   --caller-ns PATH, --callee-ns PATH: each side's socket lives in this
 *                     network namespace (a /run/netns file)
 *   --ready-file F, --go-file F: once the sessions and sockets are made
 *                     (slow under TCG), create F (ready) and wait until
 *                     the other F exists (go); --until-ms and "after T ms"
 *                     count from then, so a test can time the relay alone
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdbool.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <openssl/evp.h>
#include <srtp2/srtp.h>

#define KEY_SALT_LEN 30
#define MAX_CALLS 1024
#define MAX_PACKETS 5
#define PAYLOAD 160
#define SSRC_TO_CALLEE 0x1000u
#define SSRC_TO_CALLER 0x2000u

struct call {
	uint16_t cp, ep;		/* the relay's ports on each leg */
	srtp_t to_caller, to_callee;	/* inbound sessions of each side */
	uint8_t got_caller[MAX_PACKETS], got_callee[MAX_PACKETS];
};

struct run {
	struct call calls[MAX_CALLS];
	unsigned int n;
	struct sockaddr_in relay, callee_relay, caller, callee;
	uint16_t seq;
	unsigned int packets;	/* per call and direction, up to MAX_PACKETS */
	unsigned int bad;
};

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "srtp_calls: %s\n", what);
	exit(2);
}

static void parse_key(const char *b64, uint8_t *key)
{
	uint8_t buf[48];

	if (strlen(b64) != 40 || EVP_DecodeBlock(buf, (const uint8_t *)b64, 40) != 30)
		die("a key is not 40 characters of base64");
	memcpy(key, buf, KEY_SALT_LEN);
	memset(buf, 0, sizeof(buf));
}

static void parse_addr(const char *s, struct sockaddr_in *sin)
{
	char host[INET_ADDRSTRLEN];
	const char *colon = strrchr(s, ':');

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (!colon) {
		if (inet_pton(AF_INET, s, &sin->sin_addr) != 1)
			die("bad IPv4 address");
		return;
	}
	if ((size_t)(colon - s) >= sizeof(host))
		die("bad IPv4 address");
	memcpy(host, s, colon - s);
	host[colon - s] = '\0';
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		die("bad IPv4 address");
	sin->sin_port = htons((uint16_t)atoi(colon + 1));
}

/* A session of @key for @ssrc only, or for any SSRC sent (@ssrc 0). */
static srtp_t session(const uint8_t *key, uint32_t ssrc)
{
	uint8_t keybuf[KEY_SALT_LEN];
	srtp_policy_t p;
	srtp_t s;

	memcpy(keybuf, key, KEY_SALT_LEN);
	memset(&p, 0, sizeof(p));
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtp);
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
	p.ssrc.type = ssrc ? ssrc_specific : ssrc_any_outbound;
	p.ssrc.value = ssrc;
	p.key = keybuf;
	p.window_size = 1024;
	if (srtp_create(&s, &p))
		die("srtp_create failed");
	memset(keybuf, 0, sizeof(keybuf));
	return s;
}

/* A socket bound to @at, made in network namespace @ns if not NULL. */
static int bound_socket(const struct sockaddr_in *at, const char *ns)
{
	int one = 1, buf = 4 << 20, fd;

	if (ns) {
		int nsfd = open(ns, O_RDONLY | O_CLOEXEC);

		if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0) {
			perror(ns);
			exit(2);
		}
		close(nsfd);
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (bind(fd, (const struct sockaddr *)at, sizeof(*at)) < 0) {
		perror("srtp_calls: bind");
		exit(2);
	}
	return fd;
}

static uint8_t pattern(uint32_t ssrc, unsigned int k, size_t i)
{
	return (uint8_t)(ssrc ^ (k * 131) ^ (i * 29) ^ 0x5a);
}

static void send_one(struct run *r, int fd, srtp_t tx, uint32_t ssrc,
		     unsigned int k, const struct sockaddr_in *relay, uint16_t port)
{
	uint8_t pkt[12 + PAYLOAD + SRTP_MAX_TRAILER_LEN];
	uint16_t seq = (uint16_t)(r->seq + k);
	uint32_t ts = htonl((uint32_t)seq * 160);
	struct sockaddr_in to = *relay;
	int len = 12 + PAYLOAD;
	size_t i;

	pkt[0] = 0x80;
	pkt[1] = 0;
	pkt[2] = (uint8_t)(seq >> 8);
	pkt[3] = (uint8_t)seq;
	memcpy(pkt + 4, &ts, 4);
	ssrc = htonl(ssrc);
	memcpy(pkt + 8, &ssrc, 4);
	for (i = 0; i < PAYLOAD; i++)
		pkt[12 + i] = pattern(ntohl(ssrc), k, i);
	if (srtp_protect(tx, pkt, &len))
		die("srtp_protect failed");
	to.sin_port = htons(port);
	if (sendto(fd, pkt, (size_t)len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		perror("srtp_calls: sendto");
}

/* One datagram that arrived at the caller (@at_caller) or the callee. */
static void receive_one(struct run *r, uint8_t *pkt, int len, bool at_caller)
{
	uint32_t ssrc, base = at_caller ? SSRC_TO_CALLER : SSRC_TO_CALLEE;
	uint16_t seq;
	unsigned int i, k;
	struct call *c;
	uint8_t *got;
	int j;

	if (len < 12 + PAYLOAD) {
		r->bad++;
		return;
	}
	memcpy(&ssrc, pkt + 8, 4);
	ssrc = ntohl(ssrc);
	seq = (uint16_t)(pkt[2] << 8 | pkt[3]);
	i = ssrc - base;
	k = (uint16_t)(seq - r->seq);
	/* A late packet of an earlier round: not this round's business. */
	if (k >= r->packets && (uint16_t)(r->seq - seq) <= 1000)
		return;
	if (ssrc < base || i >= r->n || k >= r->packets) {
		r->bad++;
		return;
	}
	c = &r->calls[i];
	if (srtp_unprotect(at_caller ? c->to_caller : c->to_callee, pkt, &len) ||
	    len != 12 + PAYLOAD) {
		r->bad++;
		return;
	}
	for (j = 0; j < PAYLOAD; j++)
		if (pkt[12 + j] != pattern(ssrc, k, (size_t)j)) {
			r->bad++;
			return;
		}
	got = at_caller ? c->got_caller : c->got_callee;
	if (got[k]++)
		r->bad++;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned int arrived(const struct run *r, bool at_caller)
{
	unsigned int i, k, n = 0;

	for (i = 0; i < r->n; i++)
		for (k = 0; k < r->packets; k++)
			n += !!(at_caller ? r->calls[i].got_caller[k] :
				r->calls[i].got_callee[k]);
	return n;
}

static void read_calls(struct run *r)
{
	char line[256], kc[64], ke[64];
	uint8_t key[KEY_SALT_LEN];
	unsigned int cp, ep;

	while (fgets(line, sizeof(line), stdin)) {
		struct call *c = &r->calls[r->n];

		if (sscanf(line, "%u %u %63s %63s", &cp, &ep, kc, ke) != 4)
			continue;
		if (r->n == MAX_CALLS)
			die("too many calls");
		c->cp = (uint16_t)cp;
		c->ep = (uint16_t)ep;
		parse_key(kc, key);
		c->to_caller = session(key, SSRC_TO_CALLER + r->n);
		parse_key(ke, key);
		c->to_callee = session(key, SSRC_TO_CALLEE + r->n);
		memset(key, 0, sizeof(key));
		r->n++;
	}
}

/* One round: every call's packets both ways, then the count; 0 if it passed. */
static int round_trip(struct run *r, int caller, int callee, srtp_t from_caller,
		      srtp_t from_callee, long wait_ms, long started)
{
	struct pollfd pfd[2] = { { .fd = caller, .events = POLLIN },
				 { .fd = callee, .events = POLLIN } };
	unsigned int i, k, both = 0;
	uint8_t pkt[2048];
	long end, sent;

	r->bad = 0;
	for (i = 0; i < r->n; i++) {
		memset(r->calls[i].got_caller, 0, MAX_PACKETS);
		memset(r->calls[i].got_callee, 0, MAX_PACKETS);
	}
	for (k = 0; k < r->packets; k++)
		for (i = 0; i < r->n; i++) {
			send_one(r, caller, from_caller, SSRC_TO_CALLEE + i, k,
				 &r->relay, r->calls[i].cp);
			send_one(r, callee, from_callee, SSRC_TO_CALLER + i, k,
				 &r->callee_relay, r->calls[i].ep);
		}
	sent = now_ms();
	end = sent + wait_ms;
	while (now_ms() < end && (arrived(r, true) < r->n * r->packets ||
				  arrived(r, false) < r->n * r->packets)) {
		int side;

		if (poll(pfd, 2, (int)(end - now_ms())) <= 0)
			continue;
		for (side = 0; side < 2; side++) {
			int len;

			while ((len = (int)recv(pfd[side].fd, pkt, sizeof(pkt), 0)) > 0)
				receive_one(r, pkt, len, side == 0);
		}
	}
	for (i = 0; i < r->n; i++) {
		unsigned int a = 0, b = 0;

		for (k = 0; k < r->packets; k++) {
			a += !!r->calls[i].got_callee[k];
			b += !!r->calls[i].got_caller[k];
		}
		both += a == r->packets && b == r->packets;
	}
	printf("calls %u both-ways %u to-callee %u to-caller %u bad %u", r->n,
	       both, arrived(r, false), arrived(r, true), r->bad);
	if (both == r->n && !r->bad) {
		printf(" after %ld ms\n", sent - started);
		return 0;
	}
	printf("\n");
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wait-ms", required_argument, NULL, 'w' },
		{ "packets", required_argument, NULL, 'p' },
		{ "until-ms", required_argument, NULL, 'u' },
		{ "callee-relay", required_argument, NULL, 'r' },
		{ "caller-ns", required_argument, NULL, 'c' },
		{ "callee-ns", required_argument, NULL, 'e' },
		{ "ready-file", required_argument, NULL, 'R' },
		{ "go-file", required_argument, NULL, 'G' },
		{ NULL, 0, NULL, 0 }
	};
	const char *caller_ns = NULL, *callee_ns = NULL, *callee_relay = NULL;
	const char *ready_file = NULL, *go_file = NULL;
	long wait_ms = 400, until_ms = 0, started = now_ms();
	static struct run r;
	uint8_t key[KEY_SALT_LEN];
	srtp_t from_caller, from_callee;
	int caller, callee, o, ret;

	r.packets = MAX_PACKETS;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'w': wait_ms = atol(optarg); break;
		case 'p': r.packets = (unsigned int)atoi(optarg); break;
		case 'u': until_ms = atol(optarg); break;
		case 'r': callee_relay = optarg; break;
		case 'c': caller_ns = optarg; break;
		case 'e': callee_ns = optarg; break;
		case 'R': ready_file = optarg; break;
		case 'G': go_file = optarg; break;
		default: exit(2);
		}
	}
	argv += optind - 1;
	if (r.packets < 1 || r.packets > MAX_PACKETS)
		die("--packets takes 1 to 5");
	if (argc - optind != 6)
		die("usage: srtp_calls [options] RELAY_IP CALLER_ADDR:PORT CALLEE_ADDR:PORT CALLER_KEY CALLEE_KEY SEQ < CALLS");
	if (srtp_init())
		die("srtp_init failed");
	parse_addr(argv[1], &r.relay);
	parse_addr(callee_relay ? callee_relay : argv[1], &r.callee_relay);
	parse_addr(argv[2], &r.caller);
	parse_addr(argv[3], &r.callee);
	parse_key(argv[4], key);
	from_caller = session(key, 0);
	parse_key(argv[5], key);
	from_callee = session(key, 0);
	memset(key, 0, sizeof(key));
	r.seq = (uint16_t)atoi(argv[6]);
	read_calls(&r);
	caller = bound_socket(&r.caller, caller_ns);
	callee = bound_socket(&r.callee, callee_ns);
	if (ready_file) {
		int fd = open(ready_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

		if (fd < 0) {
			perror(ready_file);
			exit(2);
		}
		close(fd);
	}
	if (go_file) {
		while (access(go_file, F_OK))
			usleep(5000);
		started = now_ms();
	}
	while ((ret = round_trip(&r, caller, callee, from_caller, from_callee,
				 wait_ms, started)) && now_ms() - started < until_ms) {
		fflush(stdout);
		r.seq = (uint16_t)(r.seq + 10);
	}
	return ret;
}
