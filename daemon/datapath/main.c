// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelay-datapath: the userspace datapath as a process of its own, so
 * that media keeps flowing when the signalling daemon restarts, as it does
 * with the kernel module. Wiring only: options, steering rules, workers,
 * control socket, clean exit on SIGTERM (stop.c).
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
		"Usage: srtprelay-datapath [-s SOCKET] [-g GROUP] [-q QUEUE] [-w WORKERS]\n"
		"                          [-m MAX_STREAMS] [-C]\n"
		"  -s SOCKET   control socket (default %s)\n"
		"  -g GROUP    group that may use it besides root and our own user\n"
		"              (name or number; default: none)\n"
		"  -q QUEUE    first NFQUEUE number (default %u)\n"
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

int main(int argc, char **argv)
{
	const char *socket_path = DEFAULT_SOCKET;
	long workers = sysconf(_SC_NPROCESSORS_ONLN), queue = DEFAULT_QUEUE;
	bool core_dumps = false;
	long max_streams = DEFAULT_MAX_STREAMS;
	gid_t group, *has_group = NULL;
	int opt, listen_fd, ret;
	char err[128];

	while ((opt = getopt(argc, argv, "s:g:q:w:m:Ch")) != -1) {
		switch (opt) {
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
	ret = dp_table_init(&datapath.table, (uint16_t)queue,
			    (unsigned int)workers, (unsigned int)max_streams);
	if (ret) {
		fprintf(stderr, "srtprelay-datapath: %s\n", strerror(-ret));
		return 1;
	}
	if (dp_steering_setup((uint16_t)queue)) {
		fprintf(stderr, "srtprelay-datapath: cannot install the "
			"SRTPRELAY_DP_%ld chain (iptables, raw table); root needed\n", queue);
		return 1;
	}
	ret = dp_workers_start(&datapath, (unsigned int)workers);
	if (!ret) {
		listen_fd = dp_control_listen(socket_path, has_group);
		ret = listen_fd < 0 ? listen_fd : 0;
		if (ret)
			fprintf(stderr, "srtprelay-datapath: control socket %s: %s\n",
				socket_path, strerror(-ret));
	}
	if (!ret) {
		fprintf(stderr, "srtprelay-datapath: %ld workers on NFQUEUE %ld-%ld, control at %s\n",
			workers, queue, queue + workers - 1, socket_path);
		dp_notify_ready(&datapath.notify, "%ld workers on NFQUEUE %ld-%ld, control at %s",
				workers, queue, queue + workers - 1, socket_path);
		ret = dp_control_serve(&datapath, listen_fd, has_group);
		dp_notify_stopping(&datapath.notify);
		close(listen_fd);
		unlink(socket_path);
	}
	dp_workers_stop(&datapath);
	dp_steering_teardown();
	dp_table_destroy(&datapath.table);
	return ret ? 1 : 0;
}
