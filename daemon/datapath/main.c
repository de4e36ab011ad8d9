// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelay-datapath: the userspace datapath as a process of its own, so
 * that media keeps flowing when the signalling daemon restarts, as it does
 * with the kernel module. Wiring only: options, the mode's workers (and
 * in NFQUEUE mode its steering rules), control socket, clean exit on
 * SIGTERM (stop.c).
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "datapath.h"
#include "core_dumps.h"

#define DEFAULT_SOCKET RELAY_NL_DEFAULT_SOCKET
#define DEFAULT_QUEUE 8600
/* As the module's max_streams: 32,768 calls of two streams. */
#define DEFAULT_MAX_STREAMS 65536

static struct datapath datapath;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: srtprelay-datapath [--mode socket|nfqueue] [--io uring|syscalls]\n"
		"                          [-s SOCKET] [-g GROUP] [-q QUEUE] [-w WORKERS]\n"
		"                          [-m MAX_STREAMS] [-C]\n"
		"  --mode M    socket (default): a UDP socket per stream port;\n"
		"              nfqueue: NFQUEUE rules per realm and raw sockets\n"
		"  --io I      socket mode: uring (default) makes a round's reads one\n"
		"              system call and its sends another (io_uring; without\n"
		"              it, syscalls); syscalls: a call per socket\n"
		"  -s SOCKET   control socket (default %s)\n"
		"  -g GROUP    group that may use it besides root and our own user\n"
		"              (name or number; default: none)\n"
		"  -q QUEUE    nfqueue mode: first NFQUEUE number (default %u)\n"
		"  -w WORKERS  worker threads, one per core (default: cores)\n"
		"  -m MAX      streams at most (default %u)\n"
		"  -C          allow core dumps (they may hold SRTP keys); by default\n"
		"              the process is not dumpable and RLIMIT_CORE is 0\n",
		DEFAULT_SOCKET, DEFAULT_QUEUE, DEFAULT_MAX_STREAMS);
}

/* A group name, or a number (a group /etc/group need not know). */
static int parse_group(const char *arg, gid_t *gid)
{
	const struct group *gr = getgrnam(arg);
	char *end;
	long n;

	if (gr) {
		*gid = gr->gr_gid;
		return 0;
	}
	n = strtol(arg, &end, 10);
	if (!*arg || *end || n < 0 || n > 0x7fffffff)
		return -EINVAL;
	*gid = (gid_t)n;
	return 0;
}

static int parse_mode(const char *arg, enum dp_mode *mode)
{
	if (!strcmp(arg, "socket"))
		*mode = DP_MODE_SOCKET;
	else if (!strcmp(arg, "nfqueue"))
		*mode = DP_MODE_NFQUEUE;
	else
		return -EINVAL;
	return 0;
}

/*
 * Socket mode holds a descriptor per stream port, two per stream (a call's
 * two streams share theirs): far past the soft limit systemd and shells
 * start with (1024). Raised to the hard limit, and said when even that is
 * short of the stream cap, so that the cap an operator set is not cut to a
 * few hundred calls by EMFILE without a word.
 */
static void raise_fd_limit(long max_streams)
{
	rlim_t want = 2 * (rlim_t)max_streams + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_max < want)
		fprintf(stderr, "srtprelay-datapath: %llu descriptors at most "
			"(RLIMIT_NOFILE): fewer than %ld streams' sockets\n",
			(unsigned long long)rl.rlim_max, max_streams);
}

/* The mode's packet path: sockets and workers, or rules and workers. */
static int packets_start(struct datapath *dp, long queue, long workers)
{
	if (dp->mode == DP_MODE_SOCKET)
		return dp_sock_workers_start(dp, (unsigned int)workers);
	if (dp_steering_setup((uint16_t)queue)) {
		fprintf(stderr, "srtprelay-datapath: cannot install the "
			"SRTPRELAY_DP_%ld chain (iptables, raw table); root needed\n", queue);
		return -EPERM;
	}
	return dp_workers_start(dp, (unsigned int)workers);
}

static void packets_stop(struct datapath *dp)
{
	if (dp->mode == DP_MODE_SOCKET) {
		dp_sock_workers_stop(dp);
		return;
	}
	dp_workers_stop(dp);
	dp_steering_teardown();
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "mode", required_argument, NULL, 'M' },
		{ "io", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char where[96];
	const char *socket_path = DEFAULT_SOCKET;
	long workers = sysconf(_SC_NPROCESSORS_ONLN), queue = DEFAULT_QUEUE;
	bool core_dumps = false;
	long max_streams = DEFAULT_MAX_STREAMS;
	gid_t group, *has_group = NULL;
	int opt, listen_fd, ret = 0;
	char err[128];

	datapath.io_uring = true;

	while ((opt = getopt_long(argc, argv, "s:g:q:w:m:Ch", options,
				  NULL)) != -1) {
		switch (opt) {
		case 'M':
			if (parse_mode(optarg, &datapath.mode)) {
				fprintf(stderr, "srtprelay-datapath: --mode is socket or nfqueue\n");
				return 2;
			}
			break;
		case 'I':
			if (strcmp(optarg, "uring") && strcmp(optarg, "syscalls")) {
				fprintf(stderr, "srtprelay-datapath: --io is uring or syscalls\n");
				return 2;
			}
			datapath.io_uring = !strcmp(optarg, "uring");
			break;
		case 's':
			socket_path = optarg;
			break;
		case 'g':
			if (parse_group(optarg, &group)) {
				fprintf(stderr, "srtprelay-datapath: no group %s\n",
					optarg);
				return 2;
			}
			has_group = &group;
			break;
		case 'm':
			max_streams = strtol(optarg, NULL, 10);
			break;
		case 'q':
			queue = strtol(optarg, NULL, 10);
			break;
		case 'w':
			workers = strtol(optarg, NULL, 10);
			break;
		case 'C':
			core_dumps = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || workers < 1 || workers > DP_MAX_WORKERS ||
	    queue < 0 || queue + workers > 65535 || max_streams < 1 ||
	    max_streams > 1L << 24) {
		usage(stderr);
		return 2;
	}
	/* Before any key arrives. */
	if (core_dumps_forbid(core_dumps, err, sizeof(err))) {
		fprintf(stderr, "srtprelay-datapath: %s\n", err);
		return 1;
	}
	if (core_dumps)
		fprintf(stderr, "srtprelay-datapath: core dumps allowed (-C): a core file may hold SRTP keys\n");
	signal(SIGPIPE, SIG_IGN);
	dp_notify_init(&datapath.notify);
	/* Before any thread starts: each inherits the blocked signals. */
	ret = dp_stop_init(&datapath);
	if (ret) {
		fprintf(stderr, "srtprelay-datapath: signals: %s\n", strerror(-ret));
		return 1;
	}
	if (datapath.mode == DP_MODE_SOCKET) {
		raise_fd_limit(max_streams);
		ret = dp_socks_init(&datapath.socks, (unsigned int)workers);
	}
	if (!ret)
		ret = dp_table_init(&datapath.table, (uint16_t)queue,
				    (unsigned int)workers, (unsigned int)max_streams,
				    datapath.mode == DP_MODE_SOCKET ?
				    &datapath.socks : NULL);
	if (ret) {
		fprintf(stderr, "srtprelay-datapath: %s\n", strerror(-ret));
		return 1;
	}
	ret = packets_start(&datapath, queue, workers);
	if (datapath.mode == DP_MODE_SOCKET)
		snprintf(where, sizeof(where), "UDP sockets (%s)",
			 dp_sock_workers_with_ring(&datapath) == datapath.worker_count ?
			 "io_uring" : "a call per socket");
	else
		snprintf(where, sizeof(where), "NFQUEUE %ld-%ld", queue,
			 queue + workers - 1);
	if (!ret) {
		listen_fd = dp_control_listen(socket_path, has_group);
		ret = listen_fd < 0 ? listen_fd : 0;
		if (ret)
			fprintf(stderr, "srtprelay-datapath: control socket %s: %s\n",
				socket_path, strerror(-ret));
	}
	if (!ret) {
		fprintf(stderr, "srtprelay-datapath: %ld workers on %s, control at %s\n",
			workers, where, socket_path);
		dp_notify_ready(&datapath.notify, "%ld workers on %s, control at %s",
				workers, where, socket_path);
		ret = dp_control_serve(&datapath, listen_fd, has_group);
		dp_notify_stopping(&datapath.notify);
		close(listen_fd);
		unlink(socket_path);
	}
	packets_stop(&datapath);
	dp_table_destroy(&datapath.table);
	if (datapath.mode == DP_MODE_SOCKET)
		dp_socks_destroy(&datapath.socks);
	return ret ? 1 : 0;
}
