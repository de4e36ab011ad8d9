// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Connection caps, in all and per address, and the reserve descriptor. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "sip/conn_limits.h"
#include "sip/sip_types.h"

/* Descriptors kept for everything else: listeners, the control socket
 * and its clients, the media plane, outgoing connections, log files. */
#define FDS_KEPT 128

struct ip_count {
	struct ip_entry entry;		/* first: the table links it */
	unsigned int n;
};

int conn_limits_init(struct conn_limits *l)
{
	struct rlimit r;
	int rc;

	memset(l, 0, sizeof(*l));
	l->reserve_fd = -1;
	rc = ip_table_init(&l->per_ip);
	if (rc)
		return rc;
	l->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (l->reserve_fd < 0)
		return -errno;
	l->fd_cap = 1000000;
	if (!getrlimit(RLIMIT_NOFILE, &r) && r.rlim_cur != RLIM_INFINITY)
		l->fd_cap = r.rlim_cur > 2 * FDS_KEPT ? (unsigned int)r.rlim_cur - FDS_KEPT :
			    (unsigned int)r.rlim_cur / 2;
	return 0;
}

void conn_limits_free(struct conn_limits *l)
{
	unsigned int i;

	for (i = 0; i < IP_TABLE_BUCKETS; i++) {
		while (l->per_ip.buckets[i]) {
			struct ip_entry *e = l->per_ip.buckets[i];

			ip_table_remove(&l->per_ip, e);
			free(e);
		}
	}
	if (l->reserve_fd >= 0)
		close(l->reserve_fd);
	l->reserve_fd = -1;
}

static unsigned int cap_of(const struct conn_limits *l, unsigned int max_total)
{
	return max_total < l->fd_cap ? max_total : l->fd_cap;
}

bool conn_limits_take(struct conn_limits *l, unsigned int max_total,
		      unsigned int max_per_ip, const struct sockaddr_storage *peer)
{
	struct ip_key ip;
	struct ip_count *c;
	char a[64];

	if (l->total >= cap_of(l, max_total)) {
		l->refused_total++;
		log_limited(&l->refused_log, LOG_LVL_WARN,
			    "connection from %s refused: %u connections open, the limit",
			    sockaddr_str(peer, a, sizeof(a)), l->total);
		return false;
	}
	ip_key_of(peer, &ip);
	c = (struct ip_count *)ip_table_find(&l->per_ip, &ip);
	if (c && c->n >= max_per_ip) {
		l->refused_per_ip++;
		log_limited(&l->refused_log, LOG_LVL_WARN,
			    "connection from %s refused: %u open from that address, the limit",
			    sockaddr_str(peer, a, sizeof(a)), c->n);
		return false;
	}
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c) {
			l->refused_total++;
			return false;
		}
		c->entry.ip = ip;
		ip_table_insert(&l->per_ip, &c->entry);
	}
	c->n++;
	l->total++;
	return true;
}

void conn_limits_release(struct conn_limits *l,
			 const struct sockaddr_storage *peer)
{
	struct ip_key ip;
	struct ip_count *c;

	ip_key_of(peer, &ip);
	c = (struct ip_count *)ip_table_find(&l->per_ip, &ip);
	if (l->total)
		l->total--;
	if (!c)
		return;
	if (--c->n == 0) {
		ip_table_remove(&l->per_ip, &c->entry);
		free(c);
	}
}

bool conn_limits_shed(struct conn_limits *l, int listen_fd)
{
	int fd;

	l->refused_no_fd++;
	log_limited(&l->refused_log, LOG_LVL_WARN,
		    "accept: out of file descriptors (%s): connection closed at once",
		    strerror(errno));
	if (l->reserve_fd < 0)
		return false;
	close(l->reserve_fd);
	fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0)
		close(fd);
	l->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return fd >= 0 && l->reserve_fd >= 0;
}

void conn_limits_stats(const struct conn_limits *l, unsigned int max_total,
		       struct conn_limits_stats *out)
{
	out->open = l->total;
	out->cap = cap_of(l, max_total);
	out->refused_total = l->refused_total;
	out->refused_per_ip = l->refused_per_ip;
	out->refused_no_fd = l->refused_no_fd;
	out->refused_policy = l->refused_policy;
	out->closed_handshake = l->closed_handshake;
	out->closed_first_message = l->closed_first_message;
	out->closed_idle = l->closed_idle;
}
