// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * relay_nl: client of the srtprelay generic netlink family over libmnl.
 * The contract is include/uapi/linux/srtprelay.h; this file only encodes
 * and decodes it, and turns the kernel's extended ACKs into text.
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

/*
 * The largest request (a stream add) is under 600 bytes: six sockaddr_in6
 * and two crypto nests. A dump reply may be up to 32 KiB, the most the
 * kernel puts in one dump skb when the reader offers that much.
 */
#define REQ_SIZE 4096
#define RX_SIZE 32768

/*
 * How long one request may take, send to last reply. The module answers
 * in microseconds and the userspace datapath in milliseconds (a dump of
 * 10,000 streams included); a backend that says nothing for this long is
 * stuck or hostile, and srtprelayd's one thread must not wait with it.
 */
#define CALL_TIMEOUT_MS 2000

struct relay_nl {
	struct mnl_socket *sock;	/* kernel backend */
	int fd;				/* either backend's socket */
	bool userspace;			/* the datapath's unix socket */
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t events_group;
	bool has_events_group;
	struct relay_nl_err err;
	char errline[sizeof(((struct relay_nl_err *)0)->msg) + 128];
	/* Aligned for struct nlmsghdr; the request stays here until the reply
	 * is read so that NLMSGERR_ATTR_OFFS can be turned into a name.
	 */
	union {
		struct nlmsghdr hdr;
		char buf[REQ_SIZE];
	} req;
	char *rx;
};

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

static struct nlmsghdr *cmd_start(struct relay_nl *nl, uint8_t cmd,
				  uint16_t flags)
{
	return msg_start(nl, nl->family, cmd, SRTPRELAY_GENL_VERSION, flags);
}

typedef int (*reply_cb)(const struct nlmsghdr *nlh, void *arg);

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
 * The whole exchange has CALL_TIMEOUT_MS: a reply that comes later is
 * skipped by the next call, whose sequence number differs.
 */
static int transact(struct relay_nl *nl, reply_cb cb, void *arg)
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

static int resolve_family(struct relay_nl *nl)
{
	struct family_info info = { 0 };
	struct nlmsghdr *nlh;
	int ret;

	nlh = msg_start(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SRTPRELAY_GENL_NAME);
	ret = transact(nl, family_cb, &info);
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

/* ---- commands ------------------------------------------------------- */

static int check_sockaddr(struct relay_nl *nl, const struct sockaddr_storage *ss,
			  const char *what)
{
	if (ss->ss_family == AF_INET || ss->ss_family == AF_INET6)
		return 0;
	memset(&nl->err, 0, sizeof(nl->err));
	nl->err.code = EAFNOSUPPORT;
	snprintf(nl->err.msg, sizeof(nl->err.msg),
		 "%s: not an IPv4 or IPv6 address", what);
	return -EAFNOSUPPORT;
}

int relay_nl_realm_add(struct relay_nl *nl, const struct relay_nl_realm *realm)
{
	struct nlmsghdr *nlh;

	if (check_sockaddr(nl, &realm->addr, "realm address"))
		return -nl->err.code;
	nlh = cmd_start(nl, SRTPRELAY_CMD_REALM_ADD, NLM_F_ACK);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_REALM_ID, realm->id);
	relay_nl_put_sockaddr(nlh, SRTPRELAY_A_REALM_ADDR, &realm->addr);
	mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_PORT_MIN, realm->port_min);
	mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_PORT_MAX, realm->port_max);
	if (realm->has_nfqueue)
		mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_NFQUEUE, realm->nfqueue);
	return transact(nl, NULL, NULL);
}

int relay_nl_realm_del(struct relay_nl *nl, uint32_t id)
{
	struct nlmsghdr *nlh = cmd_start(nl, SRTPRELAY_CMD_REALM_DEL, NLM_F_ACK);

	mnl_attr_put_u32(nlh, SRTPRELAY_A_REALM_ID, id);
	return transact(nl, NULL, NULL);
}

struct realm_dump {
	relay_nl_realm_cb cb;
	void *arg;
	bool stopped;
};

static int realm_dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct realm_dump *d = arg;
	struct relay_nl_realm realm;

	if (d->stopped)
		return 0;
	if (relay_nl_realm_parse(nlh, &realm) < 0)
		return -EBADMSG;
	if (d->cb(&realm, d->arg))
		d->stopped = true;
	return 0;
}

int relay_nl_realm_dump(struct relay_nl *nl, relay_nl_realm_cb cb, void *arg)
{
	struct realm_dump d = { cb, arg, false };

	cmd_start(nl, SRTPRELAY_CMD_REALM_GET, NLM_F_DUMP);
	return transact(nl, realm_dump_cb, &d);
}

static int check_stream(struct relay_nl *nl, const struct relay_nl_stream *s)
{
	static const struct {
		uint32_t has;
		size_t off;
		const char *what;
	} addrs[] = {
		{ RELAY_NL_HAS_REMOTE, offsetof(struct relay_nl_stream, remote),
		  "remote" },
		{ RELAY_NL_HAS_OUT_SRC, offsetof(struct relay_nl_stream, out_src),
		  "out-src" },
		{ RELAY_NL_HAS_OUT_DST, offsetof(struct relay_nl_stream, out_dst),
		  "out-dst" },
		{ RELAY_NL_HAS_OUT_RTCP_DST,
		  offsetof(struct relay_nl_stream, out_rtcp_dst),
		  "out-rtcp-dst" },
	};
	size_t i;

	if (check_sockaddr(nl, &s->local, "local"))
		return -nl->err.code;
	for (i = 0; i < ARRAY_SIZE(addrs); i++)
		if ((s->has & addrs[i].has) &&
		    check_sockaddr(nl, (const struct sockaddr_storage *)
				   ((const char *)s + addrs[i].off),
				   addrs[i].what))
			return -nl->err.code;
	return 0;
}

static int stream_change(struct relay_nl *nl, uint8_t cmd,
			 const struct relay_nl_stream *s)
{
	struct nlmsghdr *nlh;

	if (check_stream(nl, s))
		return -nl->err.code;
	nlh = cmd_start(nl, cmd, NLM_F_ACK);
	relay_nl_stream_put(nlh, s);
	return transact(nl, NULL, NULL);
}

int relay_nl_stream_add(struct relay_nl *nl, const struct relay_nl_stream *s)
{
	return stream_change(nl, SRTPRELAY_CMD_STREAM_ADD, s);
}

int relay_nl_stream_set(struct relay_nl *nl, const struct relay_nl_stream *s)
{
	return stream_change(nl, SRTPRELAY_CMD_STREAM_SET, s);
}

int relay_nl_stream_del(struct relay_nl *nl,
			const struct sockaddr_storage *local)
{
	struct nlmsghdr *nlh;

	if (check_sockaddr(nl, local, "local"))
		return -nl->err.code;
	nlh = cmd_start(nl, SRTPRELAY_CMD_STREAM_DEL, NLM_F_ACK);
	relay_nl_put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, local);
	return transact(nl, NULL, NULL);
}

struct stream_dump {
	relay_nl_stream_cb cb;
	void *arg;
	bool stopped;
	struct relay_nl_stream *one;	/* STREAM_GET of one stream */
	bool got_one;
};

static int stream_dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct stream_dump *d = arg;
	struct relay_nl_stream s;

	if (d->stopped)
		return 0;
	if (relay_nl_stream_parse(nlh, d->one ? d->one : &s) < 0)
		return -EBADMSG;
	if (d->one) {
		d->got_one = true;
		d->stopped = true;
	} else if (d->cb(&s, d->arg)) {
		d->stopped = true;
	}
	return 0;
}

int relay_nl_stream_get(struct relay_nl *nl,
			const struct sockaddr_storage *local,
			struct relay_nl_stream *out)
{
	struct stream_dump d = { NULL, NULL, false, out, false };
	struct nlmsghdr *nlh;
	int ret;

	if (check_sockaddr(nl, local, "local"))
		return -nl->err.code;
	nlh = cmd_start(nl, SRTPRELAY_CMD_STREAM_GET, NLM_F_ACK);
	relay_nl_put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, local);
	ret = transact(nl, stream_dump_cb, &d);
	if (ret < 0)
		return ret;
	if (!d.got_one)
		return relay_nl_set_err(&nl->err, ENOENT, "stream get: no reply");
	return 0;
}

int relay_nl_stream_dump(struct relay_nl *nl, relay_nl_stream_cb cb, void *arg)
{
	struct stream_dump d = { cb, arg, false, NULL, false };

	cmd_start(nl, SRTPRELAY_CMD_STREAM_GET, NLM_F_DUMP);
	return transact(nl, stream_dump_cb, &d);
}

int relay_nl_stream_flush(struct relay_nl *nl, const uint64_t *cookie)
{
	struct nlmsghdr *nlh = cmd_start(nl, SRTPRELAY_CMD_STREAM_FLUSH,
					 NLM_F_ACK);

	if (cookie)
		mnl_attr_put_u64(nlh, SRTPRELAY_A_STREAM_COOKIE, *cookie);
	return transact(nl, NULL, NULL);
}

struct stats_reply {
	struct relay_nl_stats *out;
	bool got;
};

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[SRTPRELAY_A_MAX + 1] = { NULL };
	struct stats_reply *r = arg;
	const struct nlattr *a;

	memset(r->out, 0, sizeof(*r->out));
	if (relay_nl_parse_top(nlh, tb) < 0)
		return -EBADMSG;
	if ((a = tb[SRTPRELAY_A_STATS]) &&
	    relay_nl_parse_stats(a, r->out->counters, &r->out->last_rx_age_ms,
			&r->out->has_last_rx) < 0)
		return -EBADMSG;
	if ((a = tb[SRTPRELAY_A_STREAM_COUNT])) {
		if (!relay_nl_len_is(a, 4))
			return -EBADMSG;
		r->out->stream_count = mnl_attr_get_u32(a);
	}
	if ((a = tb[SRTPRELAY_A_REALM_COUNT])) {
		if (!relay_nl_len_is(a, 4))
			return -EBADMSG;
		r->out->realm_count = mnl_attr_get_u32(a);
	}
	r->got = true;
	return 0;
}

int relay_nl_stats_get(struct relay_nl *nl, struct relay_nl_stats *out)
{
	struct stats_reply r = { out, false };
	int ret;

	cmd_start(nl, SRTPRELAY_CMD_STATS_GET, NLM_F_ACK);
	ret = transact(nl, stats_cb, &r);
	if (ret < 0)
		return ret;
	if (!r.got)
		return relay_nl_set_err(&nl->err, EPROTO, "stats get: no reply");
	return 0;
}

/* ---- events --------------------------------------------------------- */

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
	return transact(nl, NULL, NULL);
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
	return 0;
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
