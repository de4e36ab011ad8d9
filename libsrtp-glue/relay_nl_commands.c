// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * relay_nl's commands: realms, streams and statistics as requests of the
 * srtprelay family (include/uapi/linux/srtprelay.h), checked before they
 * are sent, and their dump replies handed to the caller's callback. The
 * socket and the exchange are relay_netlink.c's.
 */
#include "relay_nl_private.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

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
	nlh = relay_nl_cmd_start(nl, SRTPRELAY_CMD_REALM_ADD, NLM_F_ACK);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_REALM_ID, realm->id);
	relay_nl_put_sockaddr(nlh, SRTPRELAY_A_REALM_ADDR, &realm->addr);
	mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_PORT_MIN, realm->port_min);
	mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_PORT_MAX, realm->port_max);
	if (realm->has_nfqueue)
		mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_NFQUEUE, realm->nfqueue);
	return relay_nl_transact(nl, NULL, NULL);
}

int relay_nl_realm_del(struct relay_nl *nl, uint32_t id)
{
	struct nlmsghdr *nlh = relay_nl_cmd_start(nl, SRTPRELAY_CMD_REALM_DEL, NLM_F_ACK);

	mnl_attr_put_u32(nlh, SRTPRELAY_A_REALM_ID, id);
	return relay_nl_transact(nl, NULL, NULL);
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

	relay_nl_cmd_start(nl, SRTPRELAY_CMD_REALM_GET, NLM_F_DUMP);
	return relay_nl_transact(nl, realm_dump_cb, &d);
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
	nlh = relay_nl_cmd_start(nl, cmd, NLM_F_ACK);
	relay_nl_stream_put(nlh, s);
	return relay_nl_transact(nl, NULL, NULL);
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
	nlh = relay_nl_cmd_start(nl, SRTPRELAY_CMD_STREAM_DEL, NLM_F_ACK);
	relay_nl_put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, local);
	return relay_nl_transact(nl, NULL, NULL);
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
	nlh = relay_nl_cmd_start(nl, SRTPRELAY_CMD_STREAM_GET, NLM_F_ACK);
	relay_nl_put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, local);
	ret = relay_nl_transact(nl, stream_dump_cb, &d);
	if (ret < 0)
		return ret;
	if (!d.got_one)
		return relay_nl_set_err(&nl->err, ENOENT, "stream get: no reply");
	return 0;
}

int relay_nl_stream_dump(struct relay_nl *nl, relay_nl_stream_cb cb, void *arg)
{
	struct stream_dump d = { cb, arg, false, NULL, false };

	relay_nl_cmd_start(nl, SRTPRELAY_CMD_STREAM_GET, NLM_F_DUMP);
	return relay_nl_transact(nl, stream_dump_cb, &d);
}

int relay_nl_stream_flush(struct relay_nl *nl, const uint64_t *cookie)
{
	struct nlmsghdr *nlh = relay_nl_cmd_start(nl, SRTPRELAY_CMD_STREAM_FLUSH,
					 NLM_F_ACK);

	if (cookie)
		mnl_attr_put_u64(nlh, SRTPRELAY_A_STREAM_COOKIE, *cookie);
	return relay_nl_transact(nl, NULL, NULL);
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

	relay_nl_cmd_start(nl, SRTPRELAY_CMD_STATS_GET, NLM_F_ACK);
	ret = relay_nl_transact(nl, stats_cb, &r);
	if (ret < 0)
		return ret;
	if (!r.got)
		return relay_nl_set_err(&nl->err, EPROTO, "stats get: no reply");
	return 0;
}

/* ---- events --------------------------------------------------------- */
