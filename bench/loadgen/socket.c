// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * loadgen: the endpoints' sockets. One raw socket per endpoint netns sends
 * the pre-built packets; one AF_PACKET socket on its veth receives them.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "loadgen.h"

int raw_fd[2], cap_fd[2];

static void enter_ns(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || setns(fd, CLONE_NEWNET))
		die("entering netns %s: %s", path, strerror(errno));
	close(fd);
}

void open_side(enum side side, const char *ns, const char *ifname)
{
	int one = 1, size = 64 << 20;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
	};

	if (ns)
		enter_ns(ns);
	raw_fd[side] = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (raw_fd[side] < 0)
		die("raw socket: %s", strerror(errno));
	setsockopt(raw_fd[side], SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));

	cap_fd[side] = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	if (cap_fd[side] < 0)
		die("packet socket: %s", strerror(errno));
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		die("no interface %s in %s", ifname, ns ? ns : "this netns");
	if (bind(cap_fd[side], (struct sockaddr *)&sll, sizeof(sll)))
		die("bind to %s: %s", ifname, strerror(errno));
	/* Our own sends leave through the same veth: do not read them. */
	if (setsockopt(cap_fd[side], SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		       sizeof(one)))
		die("PACKET_IGNORE_OUTGOING: %s", strerror(errno));
	setsockopt(cap_fd[side], SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	setsockopt(cap_fd[side], SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
}
