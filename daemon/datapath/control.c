// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The userspace datapath's control socket: the srtprelay generic netlink
 * protocol (include/uapi/linux/srtprelay.h), byte for byte, over a unix
 * SOCK_SEQPACKET socket. The controller's own netlink client connects here
 * when the kernel family does not exist, and everything above it —
 * srtprelayd, srtprelayctl, the tests — works unchanged.
 *
 * The server answers CTRL_CMD_GETFAMILY itself, replies with NLMSG_ERROR
 * acks carrying extended-ACK text as the kernel does, ends dumps with
 * NLMSG_DONE, and allows state changes only to root and to the datapath's
 * own user (the kernel's GENL_ADMIN_PERM asks for CAP_NET_ADMIN, which
 * srtprelayd holds as the service user both units run as).
 *
 * Events (the module's multicast group "events"): a client joins with
 * CTRL_CMD_NEWMCAST_GRP (datapath_control.h), as a netlink socket would
 * with NETLINK_ADD_MEMBERSHIP, and from then on gets SRTPRELAY_CMD_EVENT
 * messages (port id and sequence 0) exactly as the module multicasts
 * them. A client that does not read fast enough loses events; it is then
 * sent an NLMSG_ERROR of -ENOBUFS with sequence 0, what a netlink socket
 * would report as ENOBUFS, so it knows to re-read.
 */
#include <errno.h>
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
#include <openssl/crypto.h>

#include "datapath.h"
#include "datapath_control.h"

#define MAX_CLIENTS 64
#define RX_LEN 8192
#define TX_LEN 16384
#define EVENT_BATCH 64

struct client {
	int fd;
	bool admin;
	bool events;		/* joined the events group */
	bool events_lost;	/* owes the client an ENOBUFS mark */
	char tx[TX_LEN];
	size_t tx_len;
};

static int send_flush(struct client *client)
{
	ssize_t n;

	if (!client->tx_len)
		return 0;
	n = send(client->fd, client->tx, client->tx_len, MSG_NOSIGNAL);
	client->tx_len = 0;
	return n < 0 ? -errno : 0;
}

/* Room for a message of up to @len bytes in the pending datagram. */
static struct nlmsghdr *reply_start(struct client *client,
				    const struct nlmsghdr *req, uint16_t type,
				    uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	if (client->tx_len > TX_LEN - 4096)
		send_flush(client);
	nlh = mnl_nlmsg_put_header(client->tx + client->tx_len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = req->nlmsg_pid;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = SRTPRELAY_GENL_VERSION;
	return nlh;
}

static void reply_end(struct client *client, struct nlmsghdr *nlh)
{
	client->tx_len += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* The ack or error, with the reason as NLMSGERR_ATTR_MSG (capped ack). */
static void reply_status(struct client *client, const struct nlmsghdr *req,
			 int error, const char *why)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *err;

	if (client->tx_len > TX_LEN - 1024)
		send_flush(client);
	nlh = mnl_nlmsg_put_header(client->tx + client->tx_len);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = req->nlmsg_pid;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = error;
	err->msg = *req;
	if (error && why) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, why);
	}
	reply_end(client, nlh);
}

static void reply_done(struct client *client, const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(client->tx +
						    client->tx_len);
	int32_t zero = 0;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = req->nlmsg_pid;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(zero)), &zero,
	       sizeof(zero));
	reply_end(client, nlh);
}

static void get_family(struct client *client, const struct nlmsghdr *req)
{
	const struct nlattr *attr;
	struct nlmsghdr *nlh;
	struct nlattr *groups, *group;
	bool ours = false;

	mnl_attr_for_each(attr, req, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_NAME &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0 &&
		    !strcmp(mnl_attr_get_str(attr), SRTPRELAY_GENL_NAME))
			ours = true;
	if (!ours) {
		reply_status(client, req, -ENOENT, "unknown family");
		return;
	}
	nlh = reply_start(client, req, GENL_ID_CTRL, 0, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, DP_CONTROL_FAMILY_ID);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SRTPRELAY_GENL_NAME);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	group = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, SRTPRELAY_MCGRP_EVENTS);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, DP_CONTROL_EVENTS_GROUP);
	mnl_attr_nest_end(nlh, group);
	mnl_attr_nest_end(nlh, groups);
	reply_end(client, nlh);
	if (req->nlmsg_flags & NLM_F_ACK)
		reply_status(client, req, 0, NULL);
}

static void put_realm(struct nlmsghdr *nlh, const struct relay_nl_realm *realm)
{
	mnl_attr_put_u32(nlh, SRTPRELAY_A_REALM_ID, realm->id);
	relay_nl_put_sockaddr(nlh, SRTPRELAY_A_REALM_ADDR, &realm->addr);
	mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_PORT_MIN, realm->port_min);
	mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_PORT_MAX, realm->port_max);
	if (realm->has_nfqueue)
		mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_NFQUEUE, realm->nfqueue);
}

static void realm_dump(struct datapath *dp, struct client *client,
		       const struct nlmsghdr *req)
{
	pthread_rwlock_rdlock(&dp->table.lock);
	for (struct dp_realm *realm = dp->table.realms; realm;
	     realm = realm->next) {
		struct nlmsghdr *nlh = reply_start(client, req,
			DP_CONTROL_FAMILY_ID, NLM_F_MULTI,
			SRTPRELAY_CMD_REALM_GET);

		put_realm(nlh, &realm->config);
		reply_end(client, nlh);
	}
	pthread_rwlock_unlock(&dp->table.lock);
	reply_done(client, req);
}

static void stream_reply(struct client *client, const struct nlmsghdr *req,
			 struct dp_stream *stream, uint16_t flags)
{
	struct relay_nl_stream snapshot;
	struct nlmsghdr *nlh;

	dp_stream_snapshot(stream, &snapshot);
	nlh = reply_start(client, req, DP_CONTROL_FAMILY_ID, flags,
			  SRTPRELAY_CMD_STREAM_GET);
	dp_control_put_stream(nlh, &snapshot);
	reply_end(client, nlh);
}

static void stream_dump(struct datapath *dp, struct client *client,
			const struct nlmsghdr *req)
{
	pthread_rwlock_rdlock(&dp->table.lock);
	for (struct dp_stream *stream = dp->table.all; stream;
	     stream = stream->next_all)
		stream_reply(client, req, stream, NLM_F_MULTI);
	pthread_rwlock_unlock(&dp->table.lock);
	reply_done(client, req);
}

static int stream_get(struct datapath *dp, struct client *client,
		      const struct nlmsghdr *req,
		      const struct sockaddr_storage *local, const char **why)
{
	struct dp_stream *stream;
	struct dp_addr addr;
	bool is_rtcp;

	dp_addr_from_sockaddr(&addr, local);
	pthread_rwlock_rdlock(&dp->table.lock);
	stream = dp_stream_find(&dp->table, &addr, &is_rtcp);
	if (stream && !is_rtcp)
		stream_reply(client, req, stream, 0);
	pthread_rwlock_unlock(&dp->table.lock);
	if (!stream || is_rtcp) {
		*why = "no stream at this local address and port";
		return -ENOENT;
	}
	return 0;
}

static void stats_get(struct datapath *dp, struct client *client,
		      const struct nlmsghdr *req)
{
	uint64_t totals[SRTPRELAY_STAT_COUNT] = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	for (unsigned int w = 0; w <= DP_MAX_WORKERS; w++)
		for (unsigned int s = 0; s < SRTPRELAY_STAT_COUNT; s++)
			totals[s] += __atomic_load_n(&dp->counters[w].stats[s],
						     __ATOMIC_RELAXED);
	nlh = reply_start(client, req, DP_CONTROL_FAMILY_ID, 0,
			  SRTPRELAY_CMD_STATS_GET);
	nest = mnl_attr_nest_start(nlh, SRTPRELAY_A_STATS);
	for (unsigned int s = 0; s < SRTPRELAY_STAT_COUNT; s++)
		mnl_attr_put_u64(nlh, s + 1, totals[s]);
	mnl_attr_nest_end(nlh, nest);
	pthread_rwlock_rdlock(&dp->table.lock);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_STREAM_COUNT, dp->table.stream_count);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_REALM_COUNT, dp->table.realm_count);
	pthread_rwlock_unlock(&dp->table.lock);
	reply_end(client, nlh);
}

/* One request of the srtprelay family; returns the errno for the ack. */
static int handle_command(struct datapath *dp, struct client *client,
			  const struct nlmsghdr *req, const char **why)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);
	struct relay_nl_stream stream;
	struct relay_nl_realm realm;
	int ret;

	ret = dp_control_validate(req, why);
	if (ret)
		return ret;
	if (dp_control_is_admin_command(genl->cmd) && !client->admin) {
		*why = "changing the datapath needs root or the datapath's user";
		return -EPERM;
	}
	switch (genl->cmd) {
	case SRTPRELAY_CMD_REALM_ADD:
		relay_nl_realm_parse(req, &realm);
		return dp_realm_add(&dp->table, &realm, why);
	case SRTPRELAY_CMD_REALM_DEL:
		return dp_realm_del(&dp->table, dp_control_realm_id(req), why);
	case SRTPRELAY_CMD_REALM_GET:
		realm_dump(dp, client, req);
		return 1;
	case SRTPRELAY_CMD_STREAM_ADD:
	case SRTPRELAY_CMD_STREAM_SET:
	case SRTPRELAY_CMD_STREAM_DEL:
		relay_nl_stream_parse(req, &stream);
		ret = genl->cmd == SRTPRELAY_CMD_STREAM_ADD ?
			dp_stream_add(&dp->table, &stream, why) :
		      genl->cmd == SRTPRELAY_CMD_STREAM_SET ?
			dp_stream_set(&dp->table, &stream, why) :
			dp_stream_del(&dp->table, &stream.local, why);
		OPENSSL_cleanse(&stream, sizeof(stream));
		return ret;
	case SRTPRELAY_CMD_STREAM_GET:
		if (req->nlmsg_flags & NLM_F_DUMP) {
			stream_dump(dp, client, req);
			return 1;
		}
		relay_nl_stream_parse(req, &stream);
		return stream_get(dp, client, req, &stream.local, why);
	case SRTPRELAY_CMD_STREAM_FLUSH: {
		uint64_t cookie;
		bool has_cookie = dp_control_cookie(req, &cookie);

		dp_stream_flush(&dp->table, has_cookie ? &cookie : NULL);
		return 0;
	}
	case SRTPRELAY_CMD_STATS_GET:
		stats_get(dp, client, req);
		return 0;
	}
	*why = "unknown command";
	return -EOPNOTSUPP;
}

static void join_events(struct datapath *dp, struct client *client,
			const struct nlmsghdr *req)
{
	const char *why = NULL;
	int ret = dp_control_join(req, &why);

	if (!ret && !client->events) {
		client->events = true;
		__atomic_add_fetch(&dp->events.listeners, 1, __ATOMIC_RELAXED);
	}
	if (ret || (req->nlmsg_flags & NLM_F_ACK))
		reply_status(client, req, ret, why);
}

static void client_close(struct datapath *dp, struct client *client)
{
	if (client->events)
		__atomic_sub_fetch(&dp->events.listeners, 1, __ATOMIC_RELAXED);
	close(client->fd);
}

static int send_event(struct client *client, const struct dp_event *event)
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
static int send_overrun(struct client *client)
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
static bool settle_overrun(struct client *client)
{
	if (client->events_lost && send_overrun(client) < 0)
		return false;
	client->events_lost = false;
	return true;
}

static void send_events_to(struct client *client,
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
static void send_events(struct datapath *dp, struct client *clients,
			unsigned int count)
{
	struct dp_event batch[EVENT_BATCH];
	uint64_t dropped;
	unsigned int n;

	do {
		n = dp_events_take(&dp->events, batch, EVENT_BATCH, &dropped);
		if (dropped)
			fprintf(stderr, "srtprelay-datapath: %llu events dropped: the queue was full\n",
				(unsigned long long)dropped);
		for (unsigned int i = 0; i < count; i++) {
			if (!clients[i].events)
				continue;
			if (dropped)
				clients[i].events_lost = true;
			send_events_to(&clients[i], batch, n);
		}
	} while (n == EVENT_BATCH);
}

static void handle_message(struct datapath *dp, struct client *client,
			   const struct nlmsghdr *req)
{
	const char *why = NULL;
	int ret;

	if (req->nlmsg_type == GENL_ID_CTRL && req->nlmsg_len >=
	    NLMSG_HDRLEN + GENL_HDRLEN &&
	    ((const struct genlmsghdr *)mnl_nlmsg_get_payload(req))->cmd ==
	    CTRL_CMD_GETFAMILY) {
		get_family(client, req);
		return;
	}
	if (req->nlmsg_type == GENL_ID_CTRL && req->nlmsg_len >=
	    NLMSG_HDRLEN + GENL_HDRLEN &&
	    ((const struct genlmsghdr *)mnl_nlmsg_get_payload(req))->cmd ==
	    CTRL_CMD_NEWMCAST_GRP) {
		join_events(dp, client, req);
		return;
	}
	if (req->nlmsg_type != DP_CONTROL_FAMILY_ID ||
	    req->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
		reply_status(client, req, -EOPNOTSUPP, "not a srtprelay request");
		return;
	}
	ret = handle_command(dp, client, req, &why);
	/* Dumps end with DONE; everything else gets its ack or error. */
	if (ret > 0)
		return;
	if (ret || (req->nlmsg_flags & NLM_F_ACK))
		reply_status(client, req, ret, why);
}

static int serve_client(struct datapath *dp, struct client *client)
{
	char rx[RX_LEN] __attribute__((aligned(8)));
	const struct nlmsghdr *nlh = (const void *)rx;
	ssize_t n = recv(client->fd, rx, sizeof(rx), 0);
	int len;

	if (n <= 0)
		return -1;
	for (len = (int)n; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len))
		handle_message(dp, client, nlh);
	OPENSSL_cleanse(rx, (size_t)n);
	return send_flush(client) ? -1 : 0;
}

int dp_control_listen(const char *path)
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
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    chmod(path, 0666) < 0 || listen(fd, 16) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* Root, or a process of the user we run as: the service user of the
 * systemd units, which srtprelayd shares. */
static bool peer_is_admin(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	return !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) &&
	       (cred.uid == 0 || cred.uid == geteuid());
}

int dp_control_serve(struct datapath *dp, int listen_fd)
{
	static struct client clients[MAX_CLIENTS];
	struct pollfd fds[MAX_CLIENTS + 3];
	unsigned int count = 0;
	int ret = dp_events_init(&dp->events);

	if (ret)
		return ret;
	while (!dp_stop_requested(dp)) {
		fds[0] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
		for (unsigned int i = 0; i < count; i++)
			fds[i + 1] = (struct pollfd){ .fd = clients[i].fd,
						      .events = POLLIN };
		/* Last, so the clients' indices stay i + 1. */
		fds[count + 1] = (struct pollfd){ .fd = dp->events.wake_fd,
						  .events = POLLIN };
		/* Readable once SIGTERM is pending: the loop's test sees it. */
		fds[count + 2] = (struct pollfd){ .fd = dp->stop_fd,
						  .events = POLLIN };
		if (poll(fds, count + 3, dp_notify_watchdog(&dp->notify)) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (fds[count + 1].revents & POLLIN)
			send_events(dp, clients, count);
		/* A client that was full is owed its mark once it reads. */
		for (unsigned int i = 0; i < count; i++)
			settle_overrun(&clients[i]);
		for (unsigned int i = count; i-- > 0;) {
			if (!(fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (serve_client(dp, &clients[i]) < 0) {
				client_close(dp, &clients[i]);
				clients[i] = clients[--count];
			}
		}
		if (fds[0].revents & POLLIN) {
			int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

			if (fd < 0)
				continue;
			if (count == MAX_CLIENTS) {
				close(fd);
				continue;
			}
			clients[count] = (struct client){ .fd = fd,
				.admin = peer_is_admin(fd) };
			count++;
		}
	}
	for (unsigned int i = 0; i < count; i++)
		client_close(dp, &clients[i]);
	return 0;
}
