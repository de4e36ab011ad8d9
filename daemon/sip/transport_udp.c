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
#include "sip/transport_internal.h"

/* @arg: the struct udp_socket. */
static void udp_readable(int fd, uint32_t events, void *arg)
{
	char buf[SIP_MAX_MESSAGE + 1];	/* 64 KiB of the one thread's stack */
	const struct udp_socket *u = arg;
	int iface = u->iface;
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
		transport_deliver(u->tp, &from, buf, (size_t)n);
		/* The stack copy held SDP keys: gone once handled. */
		explicit_bzero(buf, (size_t)n);
	}
}

void transport_udp_init(struct transport *tp)
{
	int i;

	for (i = 0; i < SIP_MAX_IFACES; i++)
		tp->udp[i] = (struct udp_socket){ .tp = tp, .fd = -1, .iface = i };
}

int transport_udp_start(struct transport *tp, const struct transport_setup *setup)
{
	unsigned int i;
	char a[64];

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
		if (ev_fd_add(fd, EPOLLIN, udp_readable, &tp->udp[i]) < 0) {
			close(fd);
			return -EIO;
		}
		tp->udp[i].fd = fd;
		log_info("interface %s: listening on UDP %s", f->name,
			 sockaddr_str(&sa, a, sizeof(a)));
	}
	return 0;
}

int transport_udp_send(struct transport *tp, const struct sip_peer *to,
		       const char *buf, size_t len)
{
	int fd = (to->iface >= 0 && to->iface < SIP_MAX_IFACES) ? tp->udp[to->iface].fd : -1;
	char a[64];
	int i;

	for (i = 0; fd < 0 && i < SIP_MAX_IFACES; i++)
		fd = tp->udp[i].fd;
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

void transport_udp_stop(struct transport *tp)
{
	int i;

	for (i = 0; i < SIP_MAX_IFACES; i++) {
		struct udp_socket *u = &tp->udp[i];

		if (u->fd >= 0) {
			ev_fd_del(u->fd);
			close(u->fd);
			u->fd = -1;
		}
	}
}
