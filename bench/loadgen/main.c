// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * loadgen: N concurrent calls through a media relay, and a receiver that
 * checks every packet, to answer "how many encrypted calls does one core
 * carry?".
 *
 * A call is two legs: caller <-> relay (leg A) and relay <-> callee (leg B).
 * Each endpoint sends 50 packets/s of 160-byte G.711 (20 ms ptime) plus an
 * RTCP sender report every 5 s, from one port (RTP) and port + 1 (RTCP),
 * symmetric as real phones do; calls start with random phase ("jitter").
 * The relay decrypts with the sender's key and re-encrypts with its own (or,
 * passing SRTP through, sends with the sender's key), so the receiver
 * authenticates every packet with the relay's out-leg key, checks sequence,
 * SSRC, source address and every payload byte, and measures loss,
 * reordering and one-way latency. Any suite of the SRTP core may be used;
 * keys have the suite's lengths.
 *
 * The generator must never be the limit, so it does no crypto while sending:
 * every packet of a step is built and protected (our SRTP core) before the
 * step starts, with its IP and UDP headers, and sent on one raw socket per
 * endpoint namespace with sendmmsg. The receiver reads both endpoint
 * namespaces' veths through AF_PACKET sockets (the endpoints' own stacks
 * drop the packets in their raw table, so no UDP socket per port is needed)
 * and takes the kernel's receive timestamp, set when the relay's packet
 * entered the endpoint's veth. Latency is from just before the sendmmsg
 * that sent a packet to that timestamp: the relay plus two veth hops.
 *
 * The relay is configured by a coprocess (--setup CMD) speaking a line
 * protocol on its stdin/stdout, so the same generator drives srtprelay
 * (bench/relaysetup.c, netlink) and rtpengine (bench/relaysetup.c, ng):
 *
 *   -> call I CALLER_IP CALLER_PORT CALLEE_IP CALLEE_PORT SUITE_A KEY_A SUITE_B KEY_B
 *   <- ok I RELAY_A_IP RELAY_A_PORT RELAY_B_IP RELAY_B_PORT KEY_TO_CALLER KEY_TO_CALLEE
 *
 *   -> stat
 *   <- stat cpu USER NICE SYSTEM IDLE IOWAIT IRQ SOFTIRQ STEAL
 *
 * KEY_A is what the caller sends with, KEY_TO_CALLER what the relay sends to
 * the caller with (same suite, SUITE_A); "-" with suite NONE. "stat" is the
 * first line of the relay machine's /proc/stat, asked for around each step
 * with --relay-cpu-from-setup (a relay in a guest, whose vCPU is the core
 * measured). --setup tcp:IP:PORT speaks the protocol over a TCP connection
 * instead of a coprocess's pipes (relaysetup --listen in a guest). Calls once
 * set up stay set up: the search for the largest N only adds calls, and a
 * step with fewer calls leaves the rest idle. With --restart CMD, a run
 * that fails is followed by CMD, which starts the relay afresh and prints
 * "relay-pid PID", and every call is set up again before the next run:
 * a relay that does not recover from an overloaded step (rtpengine's
 * userspace did not, on this machine) is not judged on it again.
 *
 * One step runs N calls for --duration seconds and prints loss, latency
 * percentiles, the relay core's utilisation (from /proc/stat), the relay
 * process's CPU time (/proc/PID/stat), and the generator's own CPU use
 * (getrusage), which shows whether the generator was the limit. The search
 * doubles N until a step fails (loss >= 0.1 % or p99 >= 1 ms), then bisects.
 * After each step's media it sends a few forged SRTP packets (send.c): the
 * RESULT line says how many of them the relay delivered, which must be none
 * for a relay that authenticates what it forwards.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "loadgen.h"

struct options opt = {
	.caller_ip = "10.0.1.2", .callee_ip = "10.0.2.2",
	.suite_a = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80,
	.suite_b = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80,
	.start = 100, .max = 16000, .max_steps = 12, .attempts = 3, .duration = 4,
	.budget = 240, .p99_limit = P99_LIMIT_US, .relay_cpu = 0, .gen_cpu = 1, .port_base = 20000,
	.seed = 1,
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: loadgen --setup CMD --caller-if IF --callee-if IF [options]\n"
		"  --caller-ns PATH, --callee-ns PATH  endpoint netns files\n"
		"  --caller-ip A, --callee-ip B        endpoint addresses (10.0.1.2, 10.0.2.2)\n"
		"  --suite-a S, --suite-b S            leg suites (srtprelayctl's names, NONE)\n"
		"  --steps N,N,...                     run these N instead of searching\n"
		"  --start N --max N --max-steps K     search: from N, doubling, then bisect\n"
		"  --duration S                        seconds per step (4)\n"
		"  --warmup S                          unjudged seconds for calls new to the relay (0)\n"
		"  --restart CMD                       after a failed run: restart the relay, set up again\n"
		"  --budget S                          stop searching after S seconds (240)\n"
		"  --relay-cpu C --gen-cpu C           cores (0 and 1)\n"
		"  --relay-pid PID                     relay process for /proc/PID/stat\n"
		"  --relay-cpu-from-setup              relay core: the setup's machine (stat)\n"
		"  --relay-thread TID                  relay core: this host thread (a vCPU);\n"
		"                                      the setup's stat, if asked for, is proc\n"
		"  --label SYSTEM,MODE --csv FILE      CSV rows per step\n"
		"  --port-base P                       endpoint ports P + 2i (20000)\n"
		"  --p99-limit US                      pass needs p99 below this (1000)\n"
		"  --attempts K                        runs of a failing step before it fails (3)\n");
}

/* Fills opt from the command line: -1 to go on, or the exit status. */
static int parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "caller-ns", 1, NULL, 1 }, { "callee-ns", 1, NULL, 2 },
		{ "caller-if", 1, NULL, 3 }, { "callee-if", 1, NULL, 4 },
		{ "caller-ip", 1, NULL, 5 }, { "callee-ip", 1, NULL, 6 },
		{ "setup", 1, NULL, 7 }, { "suite-a", 1, NULL, 8 },
		{ "suite-b", 1, NULL, 9 }, { "steps", 1, NULL, 10 },
		{ "start", 1, NULL, 11 }, { "max", 1, NULL, 12 },
		{ "max-steps", 1, NULL, 13 }, { "duration", 1, NULL, 14 },
		{ "budget", 1, NULL, 15 }, { "relay-cpu", 1, NULL, 16 },
		{ "gen-cpu", 1, NULL, 17 }, { "relay-pid", 1, NULL, 18 },
		{ "label", 1, NULL, 19 }, { "csv", 1, NULL, 20 },
		{ "port-base", 1, NULL, 21 }, { "p99-limit", 1, NULL, 22 },
		{ "attempts", 1, NULL, 23 }, { "warmup", 1, NULL, 24 },
		{ "restart", 1, NULL, 26 },
		{ "relay-cpu-from-setup", 0, NULL, 25 }, { "relay-thread", 1, NULL, 27 },
		{ "help", 0, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 1: opt.caller_ns = optarg; break;
		case 2: opt.callee_ns = optarg; break;
		case 3: opt.caller_if = optarg; break;
		case 4: opt.callee_if = optarg; break;
		case 5: opt.caller_ip = optarg; break;
		case 6: opt.callee_ip = optarg; break;
		case 7: opt.setup = optarg; break;
		case 8: opt.suite_a = suite_parse(optarg); break;
		case 9: opt.suite_b = suite_parse(optarg); break;
		case 10: opt.steps = optarg; break;
		case 11: opt.start = (unsigned int)atoi(optarg); break;
		case 12: opt.max = (unsigned int)atoi(optarg); break;
		case 13: opt.max_steps = (unsigned int)atoi(optarg); break;
		case 14: opt.duration = atof(optarg); break;
		case 15: opt.budget = atof(optarg); break;
		case 16: opt.relay_cpu = atoi(optarg); break;
		case 17: opt.gen_cpu = atoi(optarg); break;
		case 18: opt.relay_pid = atol(optarg); break;
		case 19: opt.label = optarg; break;
		case 20: opt.csv = optarg; break;
		case 21: opt.port_base = (u16)atoi(optarg); break;
		case 22: opt.p99_limit = atof(optarg); break;
		case 23: opt.attempts = (unsigned int)atoi(optarg); break;
		case 24: opt.warmup = atof(optarg); break;
		case 26: opt.restart = optarg; break;
		case 25: opt.relay_stat_from_setup = true; break;
		case 27: opt.relay_thread = atol(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!opt.setup || !opt.caller_if || !opt.callee_if || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (opt.restart && !strncmp(opt.setup, "tcp:", 4)) {
		fprintf(stderr, "loadgen: --restart needs a setup coprocess, not --setup tcp:\n");
		return 2;
	}
	if (!opt.label)
		opt.label = "relay,mode";
	if (opt.max > (65536u - opt.port_base) / 2 - 1)
		opt.max = (65536u - opt.port_base) / 2 - 1;
	if (opt.duration < 0.5)
		opt.duration = 0.5;
	return -1;
}

int main(int argc, char **argv)
{
	struct step_result best = { 0 }, fail = { 0 };
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	int status, home;
	u64 rng;

	status = parse_options(argc, argv);
	if (status >= 0)
		return status;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (getenv("LOADGEN_LATE"))
		late_us = strtoull(getenv("LOADGEN_LATE"), NULL, 10);
	prctl(PR_SET_TIMERSLACK, 1000UL);
	signal(SIGPIPE, SIG_IGN);

	streams = calloc(2 * (size_t)opt.max + 2, sizeof(*streams));
	port_map[0] = calloc(65536, sizeof(u32));
	port_map[1] = calloc(65536, sizeof(u32));
	hist = calloc(HIST_US + 1, sizeof(*hist));
	if (!streams || !port_map[0] || !port_map[1] || !hist)
		die("out of memory");
	rng = opt.seed;
	for (unsigned int i = 0; i < opt.max; i++) {
		stream_init(&streams[2 * i], i, CALLER, &rng);
		stream_init(&streams[2 * i + 1], i, CALLEE, &rng);
	}

	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	open_side(CALLER, opt.caller_ns, opt.caller_if);
	open_side(CALLEE, opt.callee_ns, opt.callee_if);
	if (home >= 0 && setns(home, CLONE_NEWNET))
		die("back to our netns: %s", strerror(errno));
	pin(opt.gen_cpu);
	setup_start();

	printf("loadgen %s: %s / %s, %.1f s per step, relay on CPU %d, generator on CPU %d,"
	       " pass: loss < %.1f %% and p99 < %.0f us\n",
	       opt.label, suite_name(opt.suite_a), suite_name(opt.suite_b),
	       opt.duration, opt.relay_cpu, opt.gen_cpu, 100 * LOSS_LIMIT, opt.p99_limit);
	search(&best, &fail);
	/* One machine-readable line for bench/run.sh. */
	printf("RESULT %s,%u,%.0f,%.0f,%.0f,%.4f,%.0f,%.0f,%" PRIu64 "/%u,%s\n", opt.label,
	       best.calls, best.pps, best.ns_per_packet, best.p99, 100 * best.loss,
	       best.relay_cost, best.gen_cpu, best.c.forged, best.forged_sent,
	       !best.calls ? "no-step-passed" :
	       !fail.calls ? "limit-not-reached" : "ok");
	setup_finish();
	return 0;
}
