// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * loadgen: the setup coprocess (--setup CMD), which configures the relay
 * under test, and what each call needs from it: addresses, ports and keys.
 * The protocol is described in main.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "loadgen.h"
#include "relay_netlink.h"
#include "sdes.h"

struct stream *streams;
u32 *port_map[2];			/* port -> stream * 2 + rtcp, + 1 */
static unsigned int calls_ready;		/* calls the relay knows */
static FILE *setup_in, *setup_out;
static pid_t setup_pid;

static u64 splitmix(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u32 suite_parse(const char *name)
{
	u32 suite;

	if (relay_nl_suite_parse(name, &suite))
		die("unknown suite %s", name);
	return suite;
}

const char *suite_name(u32 suite)
{
	const char *name = relay_nl_suite_name(suite);

	return name ? name : "NONE";
}

/* A context for @b64 (key || salt of @suite, as in a=crypto inline:), or
 * NULL for suite NONE. Read as an SDES line, so that rtpengine's keys
 * (base64 without padding) and every suite's lengths need nothing of
 * their own here.
 */
static struct srtp_ctx *ctx_from_b64(u32 suite, const char *b64)
{
	char line[SDES_LINE_MAX], err[SDES_ERR_MAX];
	struct sdes_crypto crypto;
	struct srtp_params params;
	struct srtp_ctx *ctx;

	if (suite == SRTPRELAY_SUITE_NONE)
		return NULL;
	snprintf(line, sizeof(line), "1 %s inline:%s", suite_name(suite), b64);
	if (sdes_parse(line, strlen(line), &crypto, err, sizeof(err)) != SDES_OK ||
	    sdes_to_srtp_params(&crypto, &params, err, sizeof(err)) != SDES_OK)
		die("key of suite %s: %s", suite_name(suite), err);
	sdes_crypto_wipe(&crypto);
	OPENSSL_cleanse(line, sizeof(line));
	params.replay_window = 1024;
	ctx = calloc(1, srtp_ctx_size(&params));
	if (!ctx || srtp_ctx_init(ctx, &params))
		die("srtp_ctx_init failed");
	OPENSSL_cleanse(&params, sizeof(params));
	return ctx;
}

/* A key || salt of @suite's lengths from @seed, in base64. */
static void key_b64(u64 seed, u32 suite, char out[KEY_B64_MAX])
{
	struct srtp_suite_info info = srtp_suite_info(suite);
	u8 raw[SDES_KEY_SALT_MAX + 8];

	for (unsigned int i = 0; i + 8 <= sizeof(raw); i += 8) {
		u64 v = splitmix(&seed);

		memcpy(raw + i, &v, 8);
	}
	EVP_EncodeBlock((u8 *)out, raw, info.key_len + info.salt_len);
	OPENSSL_cleanse(raw, sizeof(raw));
}

/*
 * "tcp:IP:PORT": the relay runs in another machine (bench/vm.sh's guest),
 * where relaysetup --listen waits for one connection. The guest may still
 * be starting its relay, so connecting is retried for a minute. A guest
 * that dies must not hang the benchmark: every connect and every answer
 * is bounded (the slowest answer, a batch of calls set up by rtpengine
 * under TCG, takes seconds).
 */
static int setup_connect(const char *where)
{
	struct timeval bound = { .tv_sec = 60 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	u64 deadline = clock_ns(CLOCK_MONOTONIC) + 60000000000ULL;
	char ip[64], *colon;

	snprintf(ip, sizeof(ip), "%s", where);
	colon = strrchr(ip, ':');
	if (!colon)
		die("--setup tcp:IP:PORT, not tcp:%s", where);
	*colon = 0;
	sin.sin_port = htons((u16)atoi(colon + 1));
	if (inet_pton(AF_INET, ip, &sin.sin_addr) != 1)
		die("--setup tcp: bad address %s", ip);
	for (;;) {
		struct timespec pause = { 0, 100000000 };
		struct timeval connect_bound = { .tv_sec = 5 };
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			die("socket: %s", strerror(errno));
		/* SO_SNDTIMEO bounds a blocking connect too. */
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &connect_bound, sizeof(connect_bound));
		if (!connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
			if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof(bound)) ||
			    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &bound, sizeof(bound)))
				die("bounding the setup's answers: %s", strerror(errno));
			return fd;
		}
		if (clock_ns(CLOCK_MONOTONIC) > deadline ||
		    (errno != ECONNREFUSED && errno != EHOSTUNREACH && errno != ETIMEDOUT &&
		     errno != EINPROGRESS))
			die("connecting to the setup at %s: %s", where, strerror(errno));
		close(fd);
		nanosleep(&pause, NULL);
	}
}

void setup_start(void)
{
	int to_child[2], from_child[2];

	if (!strncmp(opt.setup, "tcp:", 4)) {
		int fd = setup_connect(opt.setup + 4);

		setup_in = fdopen(fd, "w");
		setup_out = fdopen(dup(fd), "r");
		if (!setup_in || !setup_out)
			die("fdopen: %s", strerror(errno));
		return;
	}
	if (pipe(to_child) || pipe(from_child))
		die("pipe: %s", strerror(errno));
	setup_pid = fork();
	if (setup_pid < 0)
		die("fork: %s", strerror(errno));
	if (!setup_pid) {
		dup2(to_child[0], 0);
		dup2(from_child[1], 1);
		close(to_child[1]);
		close(from_child[0]);
		execl("/bin/sh", "sh", "-c", opt.setup, (char *)NULL);
		_exit(127);
	}
	close(to_child[0]);
	close(from_child[1]);
	setup_in = fdopen(to_child[1], "w");
	setup_out = fdopen(from_child[0], "r");
	if (!setup_in || !setup_out)
		die("fdopen: %s", strerror(errno));
}

/*
 * The relay machine's busy and total jiffies, all of its CPUs, from the
 * "cpu" line of its /proc/stat as the coprocess reads it: with the relay in
 * a one-vCPU guest, that vCPU's utilisation is what the relay cost.
 */
void setup_cpu_stat(u64 *busy, u64 *total)
{
	unsigned long long v[8] = { 0 };
	char line[512];

	fputs("stat\n", setup_in);
	fflush(setup_in);
	if (!fgets(line, sizeof(line), setup_out))
		die("setup command ended before answering stat");
	if (sscanf(line, "stat cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		die("setup's answer to stat: %s", line);
	*total = 0;
	for (int k = 0; k < 8; k++)
		*total += v[k];
	*busy = *total - v[3] - v[4];
}

void stream_init(struct stream *s, unsigned int call, enum side from,
			u64 *rng)
{
	s->from = from;
	s->ssrc = (u32)splitmix(rng);
	if (s->ssrc == FORGED_SSRC)	/* the receiver would take it for one */
		s->ssrc++;
	s->next_index = splitmix(rng) & 0xffff;
	/* A stream that starts over (setup_restart()) has seen nothing yet:
	 * its new indexes are no reordering of the old ones.
	 */
	s->highest = 0;
	s->seen = false;
	s->phase_ns = splitmix(rng) % PTIME_NS;
	s->rtcp_phase_ns = splitmix(rng) % RTCP_INTERVAL_NS;
	(void)call;
}

static void sin_set(struct sockaddr_in *sin, const char *ip, unsigned int port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((u16)port);
	if (inet_pton(AF_INET, ip, &sin->sin_addr) != 1)
		die("bad address %s", ip);
}

/* Sets up calls [calls_ready, want) through the coprocess, in batches small
 * enough that neither side blocks on a full pipe.
 */
void setup_calls(unsigned int want)
{
	while (calls_ready < want) {
		unsigned int from = calls_ready, to = want, i;

		if (to - from > 200)
			to = from + 200;
		for (i = from; i < to; i++) {
			char key_a[KEY_B64_MAX] = "-", key_b[KEY_B64_MAX] = "-";
			unsigned int port = opt.port_base + 2 * i;

			if (opt.suite_a)
				key_b64(opt.seed * 1000003ULL + 4 * i, opt.suite_a, key_a);
			if (opt.suite_b)
				key_b64(opt.seed * 1000003ULL + 4 * i + 1, opt.suite_b, key_b);
			fprintf(setup_in, "call %u %s %u %s %u %s %s %s %s\n", i,
				opt.caller_ip, port, opt.callee_ip, port,
				suite_name(opt.suite_a), key_a,
				suite_name(opt.suite_b), key_b);
			sin_set(&streams[2 * i].src, opt.caller_ip, port);
			sin_set(&streams[2 * i + 1].src, opt.callee_ip, port);
			streams[2 * i].tx = ctx_from_b64(opt.suite_a, key_a);
			streams[2 * i + 1].tx = ctx_from_b64(opt.suite_b, key_b);
			OPENSSL_cleanse(key_a, sizeof(key_a));
			OPENSSL_cleanse(key_b, sizeof(key_b));
		}
		fflush(setup_in);
		for (i = from; i < to; i++) {
			char line[512], a_ip[64], b_ip[64];
			char to_caller[KEY_B64_MAX], to_callee[KEY_B64_MAX];
			unsigned int n, a_port, b_port;
			struct stream *up = &streams[2 * i], *down = &streams[2 * i + 1];

			if (!fgets(line, sizeof(line), setup_out))
				die("setup command ended before call %u", i);
			if (sscanf(line, "ok %u %63s %u %63s %u %95s %95s", &n, a_ip,
				   &a_port, b_ip, &b_port, to_caller, to_callee) != 7 ||
			    n != i)
				die("setup of call %u failed: %s", i, line);
			/* Caller -> relay A; relay B -> callee. And back. */
			sin_set(&up->dst, a_ip, a_port);
			sin_set(&up->relay_src, b_ip, b_port);
			up->rx_port = ntohs(down->src.sin_port);
			up->rx = ctx_from_b64(opt.suite_b, to_callee);
			sin_set(&down->dst, b_ip, b_port);
			sin_set(&down->relay_src, a_ip, a_port);
			down->rx_port = ntohs(up->src.sin_port);
			down->rx = ctx_from_b64(opt.suite_a, to_caller);
			/* The callee receives stream 2i, the caller 2i + 1. */
			port_map[CALLEE][up->rx_port] = (2 * i) * 2 + 1;
			port_map[CALLEE][up->rx_port + 1] = (2 * i) * 2 + 2;
			port_map[CALLER][down->rx_port] = (2 * i + 1) * 2 + 1;
			port_map[CALLER][down->rx_port + 1] = (2 * i + 1) * 2 + 2;
			OPENSSL_cleanse(line, sizeof(line));
			OPENSSL_cleanse(to_caller, sizeof(to_caller));
			OPENSSL_cleanse(to_callee, sizeof(to_callee));
		}
		calls_ready = to;
	}
}

/* How many calls the relay knows: the largest N of a step so far. */
unsigned int setup_calls_ready(void)
{
	return calls_ready;
}

static void stream_ctx_free(struct srtp_ctx **ctx)
{
	if (!*ctx)
		return;
	srtp_ctx_wipe(*ctx);
	free(*ctx);
	*ctx = NULL;
}

/* Runs --restart CMD; its last line names the relay's new process. */
static void restart_relay(void)
{
	char line[256], pid_line[256] = "";
	FILE *cmd;
	long pid;

	cmd = popen(opt.restart, "r");
	if (!cmd)
		die("--restart: %s", strerror(errno));
	while (fgets(line, sizeof(line), cmd))
		snprintf(pid_line, sizeof(pid_line), "%s", line);
	if (pclose(cmd) != 0 || sscanf(pid_line, "relay-pid %ld", &pid) != 1)
		die("--restart did not restart the relay (last line: %s)", pid_line);
	if (opt.relay_pid > 0)
		opt.relay_pid = pid;
}

/**
 * setup_restart() - the relay starts afresh, and so does every call
 *
 * After a failed run (--restart): the setup coprocess is ended, the relay
 * restarted, the coprocess started again, and the next step sets up its
 * calls anew. The streams start over too, with new SSRCs and indexes in
 * their first ROC: a relay that starts afresh guesses ROC 0, as it does
 * for a new call, and the old keys' contexts would carry the old indexes.
 *
 * Return: the seconds it took, for the log.
 */
double setup_restart(void)
{
	static unsigned int restarts;
	u64 began = clock_ns(CLOCK_MONOTONIC);
	u64 rng = opt.seed + 1000003ULL * ++restarts;

	setup_finish();
	restart_relay();
	for (unsigned int i = 0; i < 2 * calls_ready; i++) {
		stream_ctx_free(&streams[i].tx);
		stream_ctx_free(&streams[i].rx);
	}
	for (unsigned int i = 0; i < opt.max; i++) {
		stream_init(&streams[2 * i], i, CALLER, &rng);
		stream_init(&streams[2 * i + 1], i, CALLEE, &rng);
	}
	calls_ready = 0;
	setup_pid = 0;
	setup_start();
	return (clock_ns(CLOCK_MONOTONIC) - began) / 1e9;
}

void setup_finish(void)
{
	fclose(setup_in);
	fclose(setup_out);
	if (setup_pid > 0)
		waitpid(setup_pid, NULL, 0);
}
