// SPDX-License-Identifier: GPL-2.0
/*
 * srtp_fleet: many SRTP endpoints in one process, for tests with hundreds of
 * calls where one srtp_peer per stream would be hundreds of processes.
 *
 *   srtp_fleet ENDPOINTS_FILE STATUS_FILE
 *
 * Each line of ENDPOINTS_FILE is one call leg's phone:
 *   LOCAL_IPv4:PORT REMOTE_IPv4:PORT SEND_KEY RECV_KEY SSRC
 * (keys: base64 of the 30 bytes master key || salt, AES_CM_128_HMAC_SHA1_80,
 * as SDP's inline:). Every 20 ms each endpoint sends one RTP packet from
 * LOCAL to REMOTE, protected by libsrtp2 with SEND_KEY, and unprotects what
 * arrives on LOCAL with RECV_KEY. Every 250 ms STATUS_FILE is rewritten
 * (renamed into place) with one line:
 *   sent N authenticated N failed N endpoints N heard N silent N
 * failed: packets libsrtp2 refused; heard: endpoints that authenticated at
 * least one packet; silent: endpoints that heard nothing in the last second.
 * Runs until SIGTERM or SIGINT.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <srtp2/srtp.h>

#define KEY_SALT_LEN 30
#define MAX_ENDPOINTS 1024
#define TICK_MS 20

struct endpoint {
	int fd;
	struct sockaddr_in remote;
	srtp_t tx, rx;
	uint32_t ssrc;
	uint16_t seq;
	unsigned long long sent, ok, failed;
	long last_ok_ms;
};

struct fleet {
	struct endpoint ep[MAX_ENDPOINTS];
	unsigned int n;
};

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_addr(const char *s, struct sockaddr_in *a)
{
	char ip[64];
	const char *colon = strrchr(s, ':');

	if (!colon || (size_t)(colon - s) >= sizeof(ip))
		return -1;
	memcpy(ip, s, (size_t)(colon - s));
	ip[colon - s] = 0;
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)atoi(colon + 1));
	return inet_pton(AF_INET, ip, &a->sin_addr) == 1 ? 0 : -1;
}

static srtp_t session(const char *b64, uint32_t ssrc, int outbound)
{
	uint8_t key[48];
	srtp_policy_t p;
	srtp_t s;

	if (EVP_DecodeBlock(key, (const unsigned char *)b64, (int)strlen(b64)) < KEY_SALT_LEN)
		return NULL;
	memset(&p, 0, sizeof(p));
	srtp_crypto_policy_set_rtp_default(&p.rtp);
	srtp_crypto_policy_set_rtcp_default(&p.rtcp);
	p.ssrc.type = outbound ? ssrc_specific : ssrc_any_inbound;
	p.ssrc.value = ssrc;
	p.key = key;
	p.window_size = 1024;
	if (srtp_create(&s, &p) != srtp_err_status_ok)
		s = NULL;
	memset(key, 0, sizeof(key));
	return s;
}

static int add_endpoint(struct fleet *f, const char *line)
{
	char local[64], remote[64], tx[64], rx[64];
	struct sockaddr_in la;
	struct endpoint *e;
	unsigned long ssrc;

	if (sscanf(line, "%63s %63s %63s %63s %lu", local, remote, tx, rx, &ssrc) != 5)
		return -1;
	if (f->n == MAX_ENDPOINTS)
		return -1;
	e = &f->ep[f->n];
	memset(e, 0, sizeof(*e));
	e->ssrc = (uint32_t)ssrc;
	if (parse_addr(local, &la) || parse_addr(remote, &e->remote))
		return -1;
	e->tx = session(tx, e->ssrc, 1);
	e->rx = session(rx, 0, 0);
	e->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (!e->tx || !e->rx || e->fd < 0 ||
	    bind(e->fd, (struct sockaddr *)&la, sizeof(la))) {
		fprintf(stderr, "srtp_fleet: endpoint %s: %s\n", local,
			e->fd < 0 || e->tx ? strerror(errno) : "bad key");
		return -1;
	}
	f->n++;
	return 0;
}

static void send_one(struct endpoint *e)
{
	uint8_t pkt[12 + 160 + SRTP_MAX_TRAILER_LEN];
	int len = 12 + 160;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x80;
	pkt[2] = (uint8_t)(e->seq >> 8);
	pkt[3] = (uint8_t)e->seq;
	pkt[4] = (uint8_t)(e->seq >> 8);	/* timestamp: seq * 256 */
	pkt[5] = (uint8_t)e->seq;
	pkt[8] = (uint8_t)(e->ssrc >> 24);
	pkt[9] = (uint8_t)(e->ssrc >> 16);
	pkt[10] = (uint8_t)(e->ssrc >> 8);
	pkt[11] = (uint8_t)e->ssrc;
	memset(pkt + 12, 0xd5, 160);	/* G.711 silence */
	e->seq++;
	if (srtp_protect(e->tx, pkt, &len) != srtp_err_status_ok)
		return;
	if (sendto(e->fd, pkt, (size_t)len, 0, (struct sockaddr *)&e->remote,
		   sizeof(e->remote)) == len)
		e->sent++;
}

static void receive_all(struct endpoint *e, long now)
{
	uint8_t pkt[2048];
	ssize_t n;
	int len;

	while ((n = recv(e->fd, pkt, sizeof(pkt), 0)) > 0) {
		len = (int)n;
		if (n >= 12 && srtp_unprotect(e->rx, pkt, &len) == srtp_err_status_ok) {
			e->ok++;
			e->last_ok_ms = now;
		} else {
			e->failed++;
		}
	}
}

static void write_status(const struct fleet *f, const char *path, long now)
{
	unsigned long long sent = 0, ok = 0, failed = 0;
	unsigned int heard = 0, silent = 0, i;
	char tmp[4096];
	FILE *out;

	for (i = 0; i < f->n; i++) {
		sent += f->ep[i].sent;
		ok += f->ep[i].ok;
		failed += f->ep[i].failed;
		heard += f->ep[i].ok > 0;
		silent += now - f->ep[i].last_ok_ms > 1000;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	out = fopen(tmp, "w");
	if (!out)
		return;
	fprintf(out, "sent %llu authenticated %llu failed %llu endpoints %u heard %u silent %u\n",
		sent, ok, failed, f->n, heard, silent);
	if (!fclose(out))
		rename(tmp, path);
}

static int run(struct fleet *f, const char *status)
{
	static struct pollfd pfd[MAX_ENDPOINTS];
	long next_tick = now_ms(), next_status = next_tick;
	unsigned int i;

	for (i = 0; i < f->n; i++)
		pfd[i] = (struct pollfd){ .fd = f->ep[i].fd, .events = POLLIN };
	while (!stop) {
		long now = now_ms();

		if (now >= next_tick) {
			for (i = 0; i < f->n; i++)
				send_one(&f->ep[i]);
			next_tick += TICK_MS;
		}
		if (now >= next_status) {
			write_status(f, status, now);
			next_status += 250;
		}
		if (poll(pfd, f->n, (int)(next_tick > now ? next_tick - now : 0)) < 0 &&
		    errno != EINTR)
			return 1;
		now = now_ms();
		for (i = 0; i < f->n; i++)
			if (pfd[i].revents & POLLIN)
				receive_all(&f->ep[i], now);
	}
	write_status(f, status, now_ms());
	return 0;
}

int main(int argc, char **argv)
{
	static struct fleet f;
	char line[512];
	FILE *in;

	if (argc != 3) {
		fprintf(stderr, "usage: srtp_fleet ENDPOINTS_FILE STATUS_FILE\n");
		return 2;
	}
	if (srtp_init() != srtp_err_status_ok)
		return 1;
	in = fopen(argv[1], "r");
	if (!in) {
		fprintf(stderr, "srtp_fleet: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), in))
		if (line[0] != '#' && line[0] != '\n' && add_endpoint(&f, line)) {
			fprintf(stderr, "srtp_fleet: bad endpoint line: %s", line);
			return 1;
		}
	fclose(in);
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	return run(&f, argv[2]);
}
