/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Caps on accepted TCP and TLS connections, in all and per peer address,
 * and what to do when the process runs out of file descriptors: without
 * them a few thousand idle sockets hold every descriptor, and accept4()
 * failing with EMFILE on a level-triggered listener spins the loop and
 * the log (issue 15, item 4).
 */
#ifndef SRTPRELAYD_CONN_LIMITS_H
#define SRTPRELAYD_CONN_LIMITS_H

#include <stdbool.h>

#include "base/ip_table.h"
#include "base/log_limit.h"

/*
 * What accepted connections may hold (sip_limits in the configuration,
 * which owns this and keeps its address across reloads: the transports
 * read it at every use, so a reload's values apply to what comes next).
 */
struct conn_caps {
	unsigned int max_connections;	/* TCP and TLS, accepted */
	unsigned int max_connections_per_ip;
	unsigned int tls_handshake_timeout;	/* seconds from accept */
	unsigned int first_message_timeout;	/* seconds from accept */
	unsigned int idle_timeout;	/* seconds without a byte received */
};

/* The defaults (daemon/README.md, "Limits: idle connections"). */
#define CONN_CAPS_DEFAULTS { .max_connections = 4096, \
	.max_connections_per_ip = 64, .tls_handshake_timeout = 5, \
	.first_message_timeout = 10, .idle_timeout = 900 }

struct conn_limits {
	struct ip_table per_ip;		/* of struct ip_count */
	unsigned int total;		/* accepted connections open */
	unsigned int fd_cap;		/* what the file limit leaves for them */
	int reserve_fd;			/* spent to accept-and-close at EMFILE */
	unsigned long long refused_total, refused_per_ip, refused_no_fd;
	unsigned long long refused_policy;	/* by transport_setup's accept */
	unsigned long long closed_handshake, closed_first_message, closed_idle;
	struct log_limit refused_log;
	/* A peer ends connections badly as often as it likes: a failed TLS
	 * handshake, a connection reset while we read or send. */
	struct log_limit handshake_log, broken_log;
};

struct conn_limits_stats {
	unsigned int open, cap;
	unsigned long long refused_total, refused_per_ip, refused_no_fd;
	unsigned long long refused_policy;
	unsigned long long closed_handshake, closed_first_message, closed_idle;
};

/* 0, or -errno (no hash key, no reserve descriptor). */
int conn_limits_init(struct conn_limits *l);
void conn_limits_free(struct conn_limits *l);
/*
 * Room for one more connection from @peer, with at most @max_total open
 * (lowered to what the file limit allows) and @max_per_ip from one
 * address? true: counted, conn_limits_release() when it closes.
 */
bool conn_limits_take(struct conn_limits *l, unsigned int max_total,
		      unsigned int max_per_ip, const struct sockaddr_storage *peer);
void conn_limits_release(struct conn_limits *l,
			 const struct sockaddr_storage *peer);
/*
 * accept4() on @listen_fd failed with EMFILE or ENFILE: the reserve
 * descriptor is given back to accept the oldest pending connection and
 * close it at once, so that the listener is no longer readable for it.
 * false when even that failed (the caller pauses the listener).
 */
bool conn_limits_shed(struct conn_limits *l, int listen_fd);
void conn_limits_stats(const struct conn_limits *l, unsigned int max_total,
		       struct conn_limits_stats *out);

#endif
