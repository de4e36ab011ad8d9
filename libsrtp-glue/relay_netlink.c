// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * relay_nl: client of the srtprelay generic netlink family over libmnl.
 * The contract is include/uapi/linux/srtprelay.h. This file is the
 * transport: the socket to either backend, one request and its replies
 * within a deadline, the family and its events; the commands are built
 * in relay_nl_commands.c, encoded and decoded in relay_nl_codec.c.
 */
#include "relay_nl_private.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <openssl/crypto.h>

/* A dump reply may be up to 32 KiB, the most the kernel puts in one dump
 * skb when the reader offers that much. */
#define RX_SIZE 32768

/*
 * How long a backend may stay silent within one call: to take the request,
 * to send the first reply, and between two replies of a dump. The module
 * answers in microseconds and the userspace datapath in milliseconds; a
 * backend that says nothing for this long is stuck or hostile, and
 * srtprelayd's one thread must not wait with it. A long dump (65,536
 * streams take seconds) is not cut short while it keeps coming.
 */
#define CALL_TIMEOUT_MS 2000

const struct relay_nl_err *relay_nl_error(const struct relay_nl *nl)
{
	return &nl->err;
}

const char *relay_nl_strerror(const struct relay_nl *nl)
{
	struct relay_nl *mut = (struct relay_nl *)nl;

	return relay_nl_err_format(&nl->err, mut->errline, sizeof(mut->errline));
}

/* ---- transport ------------------------------------------------------ */

static struct nlmsghdr *msg_start(struct relay_nl *nl, uint16_t type,
				  uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->req.buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *relay_nl_cmd_start(struct relay_nl *nl, uint8_t cmd,
				    uint16_t flags)
{
	return msg_start(nl, nl->family, cmd, SRTPRELAY_GENL_VERSION, flags);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Waits until @fd is ready for @events or @deadline (now_ms()) passes:
 * 0, or -ETIMEDOUT. A signal does not end the wait early.
 */
static int wait_ready(int fd, short events, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int64_t left;
	int n;

	do {
		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, (int)left);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n ? 0 : -ETIMEDOUT;
}

/* send() that gives up at @deadline instead of waiting on a full peer. */
static ssize_t send_by(int fd, const void *buf, size_t len, int64_t deadline)
{
	for (;;) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		int ret;

		if (n >= 0 || (errno != EAGAIN && errno != EINTR))
			return n;
		ret = wait_ready(fd, POLLOUT, deadline);
		if (ret) {
			errno = -ret;
			return -1;
		}
	}
}

/* recv() that gives up at @deadline: -1 with errno ETIMEDOUT. */
static ssize_t recv_by(int fd, void *buf, size_t len, int64_t deadline)
{
	for (;;) {
		ssize_t n = recv(fd, buf, len, MSG_DONTWAIT);
		int ret;

		if (n >= 0 || (errno != EAGAIN && errno != EINTR))
			return n;
		ret = wait_ready(fd, POLLIN, deadline);
		if (ret) {
			errno = -ret;
			return -1;
		}
	}
}

/*
 * mnl_nlmsg_ok() of libmnl 1.0.4 compares nlmsg_len as an int, so a length
 * of 0x80000000 or more passes; compare unsigned.
 */
static bool msg_ok(const struct nlmsghdr *nlh, int len)
{
	return len >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned int)len;
}

/*
 * Sends the request in nl->req and reads replies until the ACK, the error,
 * or a dump's DONE. @cb sees each data message; when it fails, the rest is
 * still read so the socket stays in step, and its error is returned.
 * The backend may be silent for CALL_TIMEOUT_MS at most, counted anew
 * after each datagram (time in @cb does not count): a reply that comes
 * later is skipped by the next call, whose sequence number differs.
 */
static int transact(struct relay_nl *nl, relay_nl_reply_cb cb, void *arg)
{
	struct nlmsghdr *req = &nl->req.hdr;
	uint32_t seq = req->nlmsg_seq;
	int64_t deadline = now_ms() + CALL_TIMEOUT_MS;
	bool interrupted = false;
	int cb_status = 0;
	ssize_t n;

	memset(&nl->err, 0, sizeof(nl->err));
	/* Unaddressed, a netlink socket sends to the kernel. */
	n = send_by(nl->fd, req, req->nlmsg_len, deadline);
	if (n < 0) {
		int e = errno;

		relay_nl_wipe_secrets(req);
		if (e == ETIMEDOUT)
			return relay_nl_set_err(&nl->err, e,
				       "the %s took no request for %d ms",
				       relay_nl_backend(nl), CALL_TIMEOUT_MS);
		return relay_nl_set_err(&nl->err, e, "sending to the %s",
					relay_nl_backend(nl));
	}
	relay_nl_wipe_secrets(req);

	for (;;) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->rx;

		n = recv_by(nl->fd, nl->rx, RX_SIZE, deadline);
		if (n == 0)
			return relay_nl_set_err(&nl->err, ECONNRESET,
						"the userspace datapath closed the connection");
		if (n < 0 && errno == ETIMEDOUT)
			return relay_nl_set_err(&nl->err, ETIMEDOUT,
				       "the %s did not answer within %d ms",
				       relay_nl_backend(nl), CALL_TIMEOUT_MS);
		if (n < 0)
			return relay_nl_set_err(&nl->err, errno,
				       "reading the %s's answer",
				       relay_nl_backend(nl));
		for (int len = (int)n; msg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			/* Events or stale replies on this socket: not ours. */
			if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != nl->portid)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				interrupted = true;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				int ret = relay_nl_decode_error(nlh, req,
								&nl->err);

				if (ret < 0)
					return ret;
				if (cb_status < 0) {
					relay_nl_set_err(&nl->err, -cb_status,
						"decoding the kernel's answer");
					return cb_status;
				}
				if (interrupted)
					return relay_nl_set_err(&nl->err, EAGAIN,
						       "the dump was interrupted by a concurrent change, try again");
				return 0;
			}
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE || !cb ||
			    cb_status)
				continue;
			cb_status = cb(nlh, arg);
		}
		deadline = now_ms() + CALL_TIMEOUT_MS;
	}
}

/* ---- family resolution ---------------------------------------------- */

struct family_info {
	uint16_t id;
	bool has_id;
	uint32_t events;
	bool has_events;
};

static int parse_mcast_groups(const struct nlattr *groups,
			      struct family_info *info)
{
	const struct nlattr *g, *a;

	mnl_attr_for_each_nested(g, groups) {
		const char *name = NULL;
		uint32_t id = 0;
		bool has_id = false;

		mnl_attr_for_each_nested(a, g) {
			switch (mnl_attr_get_type(a)) {
			case CTRL_ATTR_MCAST_GRP_NAME:
				if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
					name = mnl_attr_get_str(a);
				break;
			case CTRL_ATTR_MCAST_GRP_ID:
				if (mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
					id = mnl_attr_get_u32(a);
					has_id = true;
				}
				break;
			}
		}
		if (name && has_id && !strcmp(name, SRTPRELAY_MCGRP_EVENTS)) {
			info->events = id;
			info->has_events = true;
		}
	}
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct family_info *info = arg;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
				return -EINVAL;
			info->id = mnl_attr_get_u16(a);
			info->has_id = true;
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
				return -EINVAL;
			parse_mcast_groups(a, info);
			break;
		}
	}
	return 0;
}

/* Asks for the family: its id and events group in @info; 0 or -errno. */
static int family_lookup(struct relay_nl *nl, struct family_info *info)
{
	struct nlmsghdr *nlh;

	nlh = msg_start(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SRTPRELAY_GENL_NAME);
	return transact(nl, family_cb, info);
}

static int resolve_family(struct relay_nl *nl)
{
	struct family_info info = { 0 };
	int ret;

	ret = family_lookup(nl, &info);
	if (ret == -ENOENT) {
		memset(&nl->err, 0, sizeof(nl->err));
		nl->err.code = ENOENT;
		snprintf(nl->err.msg, sizeof(nl->err.msg),
			 "srtprelay kernel module is not loaded (generic netlink family '%s' not found)",
			 SRTPRELAY_GENL_NAME);
		return ret;
	}
	if (ret < 0)
		return ret;
	if (!info.has_id)
		return relay_nl_set_err(&nl->err, EPROTO,
			       "resolving generic netlink family '%s'",
			       SRTPRELAY_GENL_NAME);
	nl->family = info.id;
	nl->events_group = info.events;
	nl->has_events_group = info.has_events;
	return 0;
}

/*
 * genetlink answers a request for a family id it no longer knows with
 * ENOENT, and one that another family took since with EOPNOTSUPP or
 * EINVAL: errors a request of ours can also earn on its own merits. The
 * family asked for again tells them apart: gone, or back under another
 * id (the module was unloaded, or unloaded and loaded again), the error
 * becomes ENODEV, which callers take as "the media plane is gone".
 */
static int check_family(struct relay_nl *nl, int ret)
{
	struct relay_nl_err request_err = nl->err;
	struct family_info info = { 0 };
	int lookup;

	if (nl->userspace || (ret != -ENOENT && ret != -EOPNOTSUPP && ret != -EINVAL))
		return ret;
	lookup = family_lookup(nl, &info);
	if (lookup == -ENOENT || (!lookup && info.has_id && info.id != nl->family))
		return relay_nl_set_err(&nl->err, ENODEV,
				"the srtprelay module was unloaded (generic netlink family '%s' %s)",
				SRTPRELAY_GENL_NAME, lookup ? "gone" : "registered anew");
	/* Still there (or no telling): the request's own error stands. */
	nl->err = request_err;
	return ret;
}

int relay_nl_transact(struct relay_nl *nl, relay_nl_reply_cb cb, void *arg)
{
	bool of_family = nl->req.hdr.nlmsg_type == nl->family;
	int ret = transact(nl, cb, arg);

	return ret < 0 && of_family ? check_family(nl, ret) : ret;
}

static struct relay_nl *handle_new(struct relay_nl_err *err)
{
	struct relay_nl *nl = calloc(1, sizeof(*nl));

	/*
	 * libmnl walks attributes up to NLMSG_ALIGN(nlmsg_len): the slack
	 * keeps a datagram that fills the buffer with an unaligned last
	 * message from being read past the end.
	 */
	if (!nl || !(nl->rx = calloc(1, RX_SIZE + NLMSG_ALIGNTO))) {
		relay_nl_set_err(err, ENOMEM, "allocating the netlink handle");
		free(nl);
		return NULL;
	}
	nl->fd = -1;
	nl->seq = (uint32_t)getpid() << 16;
	return nl;
}

static struct relay_nl *open_kernel(struct relay_nl_err *err)
{
	struct relay_nl *nl = handle_new(err);
	int one = 1;

	if (!nl)
		return NULL;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		relay_nl_set_err(err, errno, "opening a generic netlink socket");
		goto fail;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		relay_nl_set_err(err, errno, "binding the generic netlink socket");
		goto fail;
	}
	/* Best effort: old kernels lack them and just give bare errnos. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->fd = mnl_socket_get_fd(nl->sock);
	nl->portid = mnl_socket_get_portid(nl->sock);
	if (resolve_family(nl) < 0) {
		*err = nl->err;
		goto fail;
	}
	return nl;
fail:
	relay_nl_close(nl);
	return NULL;
}

/* The userspace datapath speaks the same messages on a unix socket. */
static struct relay_nl *open_userspace(const char *path,
				       struct relay_nl_err *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct timeval limit = { .tv_sec = CALL_TIMEOUT_MS / 1000,
		.tv_usec = CALL_TIMEOUT_MS % 1000 * 1000 };
	struct relay_nl *nl;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		relay_nl_set_err(err, ENAMETOOLONG, "datapath socket %s", path);
		return NULL;
	}
	nl = handle_new(err);
	if (!nl)
		return NULL;
	strcpy(addr.sun_path, path);
	nl->userspace = true;
	nl->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	/* A unix connect() waits while the server's backlog is full. */
	if (nl->fd >= 0)
		setsockopt(nl->fd, SOL_SOCKET, SO_SNDTIMEO, &limit,
			   sizeof(limit));
	if (nl->fd < 0 ||
	    connect(nl->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		relay_nl_set_err(err, errno,
				 "connecting to the userspace datapath at %s",
				 path);
		goto fail;
	}
	if (resolve_family(nl) < 0) {
		*err = nl->err;
		/* It closes at once on a peer that may not use it. */
		if (err->code == EPIPE || err->code == ECONNRESET)
			relay_nl_set_err(err, EPERM,
					 "the userspace datapath at %s closed the connection: only root and its group (srtprelay-datapath -g) may use it",
					 path);
		goto fail;
	}
	return nl;
fail:
	relay_nl_close(nl);
	return NULL;
}

/**
 * relay_nl_open() - connect to the media plane
 *
 * SRTPRELAY_BACKEND=kernel|userspace chooses; unset (auto), the kernel
 * module is used when its family exists, else the userspace datapath's
 * socket (SRTPRELAY_SOCKET, default RELAY_NL_DEFAULT_SOCKET).
 */
struct relay_nl *relay_nl_open(struct relay_nl_err *err)
{
	const char *backend = getenv("SRTPRELAY_BACKEND");
	const char *path = getenv("SRTPRELAY_SOCKET");
	struct relay_nl_err local, kernel_err;
	struct relay_nl *nl;

	if (!err)
		err = &local;
	memset(err, 0, sizeof(*err));
	if (!path || !*path)
		path = RELAY_NL_DEFAULT_SOCKET;
	if (backend && !strcmp(backend, "userspace"))
		return open_userspace(path, err);
	nl = open_kernel(err);
	if (nl || (backend && !strcmp(backend, "kernel")) ||
	    err->code != ENOENT)
		return nl;
	kernel_err = *err;
	memset(err, 0, sizeof(*err));
	nl = open_userspace(path, err);
	if (!nl && (err->code == ENOENT || err->code == ECONNREFUSED)) {
		*err = kernel_err;
		snprintf(err->msg, sizeof(err->msg),
			 "srtprelay kernel module is not loaded (generic netlink family '%s' not found) and no userspace datapath listens at %s",
			 SRTPRELAY_GENL_NAME, path);
	}
	return nl;
}

const char *relay_nl_backend(const struct relay_nl *nl)
{
	return nl->userspace ? "userspace datapath" : "kernel";
}

void relay_nl_close(struct relay_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	else if (nl->fd >= 0)
		close(nl->fd);
	OPENSSL_cleanse(nl->req.buf, sizeof(nl->req.buf));
	free(nl->rx);
	free(nl);
}

/*
 * A unix socket has no NETLINK_ADD_MEMBERSHIP: the datapath takes the join
 * as a request, CTRL_CMD_NEWMCAST_GRP naming the family and the group as
 * its GETFAMILY answer gave them, and acks it.
 */
static int subscribe_userspace(struct relay_nl *nl)
{
	struct nlmsghdr *nlh;
	struct nlattr *groups, *group;

	nlh = msg_start(nl, GENL_ID_CTRL, CTRL_CMD_NEWMCAST_GRP, 1, NLM_F_ACK);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, nl->family);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	group = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, SRTPRELAY_MCGRP_EVENTS);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, nl->events_group);
	mnl_attr_nest_end(nlh, group);
	mnl_attr_nest_end(nlh, groups);
	return relay_nl_transact(nl, NULL, NULL);
}

int relay_nl_subscribe(struct relay_nl *nl)
{
	int group;

	memset(&nl->err, 0, sizeof(nl->err));
	if (!nl->has_events_group) {
		nl->err.code = ENOENT;
		snprintf(nl->err.msg, sizeof(nl->err.msg),
			 "the srtprelay family has no '%s' multicast group",
			 SRTPRELAY_MCGRP_EVENTS);
		return -ENOENT;
	}
	if (nl->userspace)
		return subscribe_userspace(nl);
	group = (int)nl->events_group;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return relay_nl_set_err(&nl->err, errno, "joining the '%s' group",
			       SRTPRELAY_MCGRP_EVENTS);
	/*
	 * nlctrl's "notify" group tells when the module is unloaded: its
	 * id is GENL_ID_CTRL on every kernel (net/netlink/genetlink.c
	 * assigns it so), and any user may join it.
	 */
	group = GENL_ID_CTRL;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return relay_nl_set_err(&nl->err, errno,
			       "joining generic netlink's 'notify' group");
	return 0;
}

/* A DELFAMILY of nlctrl naming our family: the module is being unloaded. */
static bool is_family_removal(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if (nlh->nlmsg_type != GENL_ID_CTRL ||
	    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN ||
	    genl->cmd != CTRL_CMD_DELFAMILY)
		return false;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
		    !strcmp(mnl_attr_get_str(a), SRTPRELAY_GENL_NAME))
			return true;
	return false;
}

int relay_nl_fd(const struct relay_nl *nl)
{
	return nl->fd;
}

int relay_nl_event_recv(struct relay_nl *nl, relay_nl_event_cb cb, void *arg)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->rx;
	ssize_t n;
	int len;

	memset(&nl->err, 0, sizeof(nl->err));
	n = recv(nl->fd, nl->rx, RX_SIZE, 0);
	if (n == 0)
		return relay_nl_set_err(&nl->err, ECONNRESET,
					"the userspace datapath closed the connection");
	if (n < 0) {
		if (errno == ENOBUFS)
			return relay_nl_set_err(&nl->err, ENOBUFS,
				       "events were lost (socket overrun)");
		return relay_nl_set_err(&nl->err, errno, "reading events");
	}
	for (len = (int)n; msg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		const struct genlmsghdr *genl;
		struct relay_nl_event e;

		/* The datapath's overrun mark: what a netlink socket reports
		 * as ENOBUFS, it sends as an unsolicited error.
		 */
		if (nlh->nlmsg_type == NLMSG_ERROR && !nlh->nlmsg_seq &&
		    mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct nlmsgerr) &&
		    ((const struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->error ==
		    -ENOBUFS)
			return relay_nl_set_err(&nl->err, ENOBUFS,
				       "events were lost (the datapath could not deliver them)");
		if (is_family_removal(nlh))
			return relay_nl_set_err(&nl->err, ENODEV,
				       "the srtprelay module was unloaded (generic netlink family '%s' removed)",
				       SRTPRELAY_GENL_NAME);
		if (nlh->nlmsg_type != nl->family ||
		    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
			continue;
		genl = mnl_nlmsg_get_payload(nlh);
		if (genl->cmd != SRTPRELAY_CMD_EVENT)
			continue;
		if (relay_nl_event_parse(nlh, &e) < 0)
			return relay_nl_set_err(&nl->err, EBADMSG, "decoding an event");
		if (cb(&e, arg))
			break;
	}
	return 0;
}
