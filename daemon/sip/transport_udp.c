// SPDX-License-Identifier: GPL-2.0 OR MIT
/* SIP over UDP: one socket per interface; a datagram is one message. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "base/evloop.h"
#include "base/log.h"
#include "sip/transport.h"

static int udp_fds[SIP_MAX_IFACES] = { [0 ... SIP_MAX_IFACES - 1] = -1 };
static transport_rx_cb rx_cb;
static void *rx_arg;

static void udp_readable(int fd, uint32_t events, void *arg)
{
	char buf[SIP_MAX_MESSAGE + 1];	/* 64 KiB of the one thread's stack */
	int iface = (int)(long)arg;
	struct sip_peer from = { .proto = SIP_UDP, .iface = iface };
	socklen_t alen;
	ssize_t n;
	int budget = 64;

	while (budget--) {
		alen = sizeof(from.addr);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from.addr, &alen);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("udp receive on interface %d: %s", iface,
					 strerror(errno));
			return;
		}
		if (n > SIP_MAX_MESSAGE) {
			log_warn("udp: dropped a datagram over %d bytes", SIP_MAX_MESSAGE);
			continue;
		}
		buf[n] = 0;
		/* Keep-alives (RFC 5626 4.4.1 and common "\r\n\r\n" pings). */
		if (n <= 4 && strspn(buf, "\r\n") >= (size_t)n)
			continue;
		rx_cb(rx_arg, &from, buf, (size_t)n);
		/* The stack copy held SDP keys: gone once handled. */
		explicit_bzero(buf, (size_t)n);
	}
}

int transport_udp_start(const struct transport_setup *setup)
{
	unsigned int i;
	char a[64];

	rx_cb = setup->rx;
	rx_arg = setup->rx_arg;
	for (i = 0; i < setup->n_ifaces; i++) {
		const struct sip_iface *f = &setup->ifaces[i];
		struct sockaddr_storage sa = f->addr;
		int fd, one = 1;

		if (!f->udp_port)
			continue;
		sockaddr_set_port(&sa, f->udp_port);
		fd = socket(sa.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			log_err("udp socket: %s", strerror(errno));
			return -errno;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&sa, sockaddr_len(&sa)) < 0) {
			int e = errno;

			log_err("interface %s: bind UDP %s: %s", f->name,
				sockaddr_str(&sa, a, sizeof(a)), strerror(e));
			close(fd);
			return -e;
		}
		if (ev_fd_add(fd, EPOLLIN, udp_readable, (void *)(long)i) < 0) {
			close(fd);
			return -EIO;
		}
		udp_fds[i] = fd;
		log_info("interface %s: listening on UDP %s", f->name,
			 sockaddr_str(&sa, a, sizeof(a)));
	}
	return 0;
}

int transport_udp_send(const struct sip_peer *to, const char *buf, size_t len)
{
	int fd = (to->iface >= 0 && to->iface < SIP_MAX_IFACES) ? udp_fds[to->iface] : -1;
	char a[64];
	int i;

	for (i = 0; fd < 0 && i < SIP_MAX_IFACES; i++)
		fd = udp_fds[i];
	if (fd < 0) {
		log_warn("udp send to %s: no UDP socket on any interface",
			 sockaddr_str(&to->addr, a, sizeof(a)));
		return -ENOTCONN;
	}
	if (sendto(fd, buf, len, 0, (const struct sockaddr *)&to->addr,
		   sockaddr_len(&to->addr)) < 0) {
		int e = errno;

		log_warn("udp send to %s: %s", sockaddr_str(&to->addr, a, sizeof(a)),
			 strerror(e));
		return -e;
	}
	return 0;
}

void transport_udp_stop(void)
{
	int i;

	for (i = 0; i < SIP_MAX_IFACES; i++) {
		if (udp_fds[i] >= 0) {
			ev_fd_del(udp_fds[i]);
			close(udp_fds[i]);
			udp_fds[i] = -1;
		}
	}
}
