// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Steering realm traffic to our NFQUEUEs. One chain, SRTPRELAY_DP_<queue>, in the
 * raw table's PREROUTING (before conntrack: media needs no connection
 * state), with one NFQUEUE rule per realm. With --queue-bypass a packet
 * is accepted when no worker listens, so a crashed datapath leaves the
 * host's networking as it was.
 *
 * The rules go in through iptables, which on Debian 12 is iptables-nft:
 * nftables rules using the xt NFQUEUE target. nftables' own queue
 * expression (CONFIG_NFT_QUEUE) is missing from some kernels (this CI
 * host's among them) while the xt target is built in everywhere we run.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <spawn.h>
#include <sys/wait.h>
#include <arpa/inet.h>

#include "datapath.h"

/* One chain per datapath instance, named by its first queue, so that two
 * instances in one namespace never flush each other's rules.
 */
static char chain[32] = "SRTPRELAY_DP";

extern char **environ;

/* Runs a command without a shell; 0 when it exits 0. */
static int run(const char *const *argv, bool quiet)
{
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	sigset_t none;
	int status, ret;
	pid_t pid;

	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
	if (quiet)
		posix_spawn_file_actions_addopen(&actions, 2, "/dev/null",
						 O_WRONLY, 0);
	/* We block SIGTERM (stop.c); iptables must not inherit that. */
	sigemptyset(&none);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	ret = posix_spawnp(&pid, argv[0], &actions, &attr, (char **)argv,
			   environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&actions);
	if (ret) {
		fprintf(stderr, "datapath: cannot run %s: %s\n", argv[0],
			strerror(ret));
		return -ret;
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

static void chain_reset(const char *tool, bool create)
{
	const char *unlink[] = { tool, "-w", "-t", "raw", "-D", "PREROUTING",
				 "-j", chain, NULL };
	const char *flush[] = { tool, "-w", "-t", "raw", "-F", chain, NULL };
	const char *remove[] = { tool, "-w", "-t", "raw", "-X", chain, NULL };
	const char *add[] = { tool, "-w", "-t", "raw", "-N", chain, NULL };
	const char *link[] = { tool, "-w", "-t", "raw", "-I", "PREROUTING",
			       "-j", chain, NULL };

	while (!run(unlink, true))
		;
	run(flush, true);
	run(remove, true);
	if (create) {
		run(add, false);
		run(link, false);
	}
}

/**
 * dp_steering_setup() - start from an empty SRTPRELAY_DP_<queue> chain
 * @queue_base: first NFQUEUE of this instance, which names its chain
 *
 * Whatever a previous run left behind (it may have been killed) is
 * removed first, so realms never steer to queues nobody serves.
 */
int dp_steering_setup(uint16_t queue_base)
{
	const char *probe[] = { "iptables", "-w", "-t", "raw", "-L", chain,
				NULL };

	snprintf(chain, sizeof(chain), "SRTPRELAY_DP_%u", queue_base);
	chain_reset("iptables", true);
	chain_reset("ip6tables", true);
	return run(probe, false);
}

void dp_steering_teardown(void)
{
	chain_reset("iptables", false);
	chain_reset("ip6tables", false);
}

int dp_steering_realm(const struct relay_nl_realm *realm, bool add,
		      uint16_t queue_base, unsigned int queue_count)
{
	char addr[INET6_ADDRSTRLEN + 4], ports[16], queues[16];
	const struct sockaddr_in *sin = (const void *)&realm->addr;
	const struct sockaddr_in6 *sin6 = (const void *)&realm->addr;
	bool v4 = realm->addr.ss_family == AF_INET;
	const char *argv[] = {
		v4 ? "iptables" : "ip6tables", "-w", "-t", "raw",
		add ? "-A" : "-D", chain, "-d", addr, "-p", "udp",
		"--dport", ports, "-j", "NFQUEUE",
		queue_count > 1 ? "--queue-balance" : "--queue-num", queues,
		"--queue-bypass", queue_count > 1 ? "--queue-cpu-fanout" : NULL,
		NULL
	};

	inet_ntop(realm->addr.ss_family,
		  v4 ? (const void *)&sin->sin_addr : (const void *)&sin6->sin6_addr,
		  addr, sizeof(addr));
	strcat(addr, v4 ? "/32" : "/128");
	snprintf(ports, sizeof(ports), "%u:%u", realm->port_min,
		 realm->port_max);
	if (queue_count > 1)
		snprintf(queues, sizeof(queues), "%u:%u", queue_base,
			 queue_base + queue_count - 1);
	else
		snprintf(queues, sizeof(queues), "%u", queue_base);
	return run(argv, !add);
}
