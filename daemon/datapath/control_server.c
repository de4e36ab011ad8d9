// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The userspace datapath's control socket as a server: who may connect,
 * and serving every client without ever waiting on one.
 *
 * The socket is the module's netlink family in userspace, so it guards
 * what CAP_NET_ADMIN guards there: root may connect, and so may the user
 * the datapath runs as (the service user the systemd units share with
 * srtprelayd) and the members of one group given with -g (the socket is
 * then mode 0660 with that group; without -g, 0600). The peer's credentials are checked again at accept
 * (SO_PEERCRED, SO_PEERGROUPS), so a socket file opened up by hand or a
 * process in a user namespace that maps itself to root gains nothing:
 * the kernel reports the peer's ids as this process's namespace sees
 * them.
 *
 * Every client socket is non-blocking; replies are queued per client
 * (control_client.h) and sent as the client reads them. Events (the
 * module's multicast group "events") go out with MSG_DONTWAIT: a client
 * that does not read fast enough loses events and is then sent an
 * NLMSG_ERROR of -ENOBUFS with sequence 0, what a netlink socket would
 * report as ENOBUFS, so it knows to re-read.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "control_client.h"
#include "datapath.h"
#include "datapath_control.h"
#include "peer_cred.h"

#define MAX_CLIENTS 64
#define EVENT_BATCH 64

struct server {
	struct datapath *dp;
	gid_t group;		/* -g: may connect besides root */
	bool has_group;
	struct dp_client *clients[MAX_CLIENTS];
	unsigned int count;
	uint64_t refused;	/* connections of others, for the log */
};

/* ---- clients -------------------------------------------------------------- */

static void client_close(struct server *srv, unsigned int i)
{
	struct dp_client *client = srv->clients[i];

	if (client->events)
		__atomic_sub_fetch(&srv->dp->events.listeners, 1,
				   __ATOMIC_RELAXED);
	close(client->fd);
	while (client->txq) {
		struct dp_datagram *d = client->txq;

		client->txq = d->next;
		free(d);
	}
	/* The buffers held requests with keys. */
	explicit_bzero(client, sizeof(*client));
	free(client);
	srv->clients[i] = srv->clients[--srv->count];
}

static void accept_client(struct server *srv, int listen_fd)
{
	struct dp_client *client;
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (!peer_cred_allowed(fd, srv->has_group ? &srv->group : NULL)) {
		/* Logged at powers of two: a loop of connects is no flood. */
		if (!(srv->refused & (srv->refused + 1)))
			fprintf(stderr, "srtprelay-datapath: %llu control connections refused: not root nor our user%s\n",
				(unsigned long long)srv->refused + 1,
				srv->has_group ? " nor in the -g group" : "");
		srv->refused++;
		close(fd);
		return;
	}
	client = srv->count < MAX_CLIENTS ? calloc(1, sizeof(*client)) : NULL;
	if (!client) {
		close(fd);
		return;
	}
	client->fd = fd;
	client->txq_tail = &client->txq;
	srv->clients[srv->count++] = client;
}

/* Reads a request datagram when the client may send one; -1: gone. */
static int client_read(struct dp_client *client)
{
	ssize_t n = recv(client->fd, client->rx, sizeof(client->rx),
			 MSG_DONTWAIT);

	if (n == 0)
		return -1;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	client->rx_len = (size_t)n;
	client->rx_off = 0;
	return 0;
}

static bool client_wants_input(const struct dp_client *client)
{
	return !client->rx_len && !client->dump.active &&
	       !dp_client_full(client);
}

/* ---- events --------------------------------------------------------------- */

static int send_event(struct dp_client *client, const struct dp_event *event)
{
	char buf[512] __attribute__((aligned(8)));
	struct relay_nl_event e = {
		.type = event->type, .cookie = event->cookie, .has_cookie = true,
		.ssrc = event->ssrc,
		.has_ssrc = event->type == SRTPRELAY_EVENT_SSRC_CHANGED,
	};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	dp_addr_to_sockaddr(&event->local, &e.local);
	if (event->remote.family)
		dp_addr_to_sockaddr(&event->remote, &e.remote);
	nlh->nlmsg_type = DP_CONTROL_FAMILY_ID;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = SRTPRELAY_CMD_EVENT;
	genl->version = SRTPRELAY_GENL_VERSION;
	dp_control_put_event(nlh, &e);
	if (send(client->fd, buf, nlh->nlmsg_len,
		 MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

/* What a netlink socket reports as ENOBUFS: events were lost. */
static int send_overrun(struct dp_client *client)
{
	char buf[NLMSG_HDRLEN + sizeof(struct nlmsgerr)]
		__attribute__((aligned(8)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *err;

	nlh->nlmsg_type = NLMSG_ERROR;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = -ENOBUFS;
	if (send(client->fd, buf, nlh->nlmsg_len,
		 MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

/* Sends @client the mark it is owed, if any: false while one is owed. */
static bool settle_overrun(struct dp_client *client)
{
	if (client->events_lost && send_overrun(client) < 0)
		return false;
	client->events_lost = false;
	return true;
}

static void send_events_to(struct dp_client *client,
			   const struct dp_event *batch, unsigned int n)
{
	if (!settle_overrun(client))
		return;
	for (unsigned int i = 0; i < n; i++) {
		if (send_event(client, &batch[i]) < 0) {
			/* Full (or gone: poll says so next). */
			client->events_lost = true;
			return;
		}
	}
}

/* The workers' events, to every client that joined. Never waits. */
static void send_events(struct server *srv)
{
	struct dp_event batch[EVENT_BATCH];
	uint64_t dropped;
	unsigned int n;

	do {
		n = dp_events_take(&srv->dp->events, batch, EVENT_BATCH,
				   &dropped);
		if (dropped)
			fprintf(stderr, "srtprelay-datapath: %llu events dropped: the queue was full\n",
				(unsigned long long)dropped);
		for (unsigned int i = 0; i < srv->count; i++) {
			struct dp_client *client = srv->clients[i];

			if (!client->events)
				continue;
			if (dropped)
				client->events_lost = true;
			send_events_to(client, batch, n);
		}
	} while (n == EVENT_BATCH);
}

/* ---- the socket and its loop ---------------------------------------------- */

/**
 * dp_control_listen() - create the control socket
 * @path: where
 * @group: the group that may connect besides root, or NULL for root only
 *
 * Return: the listening fd, or -errno.
 */
int dp_control_listen(const char *path, const gid_t *group)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char dir[sizeof(addr.sun_path)];
	char *slash;
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    (group && chown(path, (uid_t)-1, *group) < 0) ||
	    chmod(path, group ? 0660 : 0600) < 0 || listen(fd, 16) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* One pass over the clients after poll: read, answer, send, or drop. */
static void serve_clients(struct server *srv, const struct pollfd *fds)
{
	uint64_t now = dp_now_ms();

	for (unsigned int i = srv->count; i-- > 0;) {
		struct dp_client *client = srv->clients[i];
		short revents = fds[i].revents;
		bool gone = revents & (POLLHUP | POLLERR);

		/* A client that was full is owed its mark once it reads. */
		settle_overrun(client);
		if (!gone && (revents & POLLIN) && client_wants_input(client))
			gone = client_read(client) < 0;
		if (!gone) {
			dp_client_work(srv->dp, client);
			gone = client->broken || dp_client_send(client) < 0;
		}
		/* Answer what the sent part made room for. */
		if (!gone && !dp_client_full(client)) {
			dp_client_work(srv->dp, client);
			gone = client->broken || dp_client_send(client) < 0;
		}
		if (!gone && client->txq &&
		    now - client->txq_moved_ms > DP_CLIENT_STALL_MS) {
			fprintf(stderr, "srtprelay-datapath: dropped a control client that read nothing for %d ms\n",
				DP_CLIENT_STALL_MS);
			gone = true;
		}
		if (gone)
			client_close(srv, i);
	}
}

/**
 * dp_control_serve() - serve the control socket until SIGTERM
 * @dp: the datapath
 * @listen_fd: from dp_control_listen()
 * @group: the group that may connect besides root, or NULL
 *
 * Return: 0, or -errno if polling failed.
 */
int dp_control_serve(struct datapath *dp, int listen_fd, const gid_t *group)
{
	struct pollfd fds[MAX_CLIENTS + 3];
	struct server *srv = calloc(1, sizeof(*srv));
	int ret = srv ? dp_events_init(&dp->events) : -ENOMEM;

	if (ret) {
		free(srv);
		return ret;
	}
	srv->dp = dp;
	if (group) {
		srv->group = *group;
		srv->has_group = true;
	}
	while (!dp_stop_requested(dp)) {
		unsigned int count = srv->count;

		for (unsigned int i = 0; i < count; i++) {
			const struct dp_client *client = srv->clients[i];

			fds[i] = (struct pollfd){ .fd = client->fd,
				.events = (client_wants_input(client) ? POLLIN : 0) |
					  (client->txq ? POLLOUT : 0) };
		}
		fds[count] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
		fds[count + 1] = (struct pollfd){ .fd = dp->events.wake_fd,
						  .events = POLLIN };
		/* Readable once SIGTERM is pending: the loop's test sees it. */
		fds[count + 2] = (struct pollfd){ .fd = dp->stop_fd,
						  .events = POLLIN };
		if (poll(fds, count + 3, dp_notify_watchdog(&dp->notify)) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (fds[count + 1].revents & POLLIN)
			send_events(srv);
		serve_clients(srv, fds);
		if (fds[count].revents & POLLIN)
			accept_client(srv, listen_fd);
	}
	while (srv->count)
		client_close(srv, srv->count - 1);
	free(srv);
	return ret;
}
