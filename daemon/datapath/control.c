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
 * NLMSG_DONE. Who may connect at all (root, the datapath's own user, one
 * group) and how clients are served without ever waiting on one is
 * control_server.c's part.
 *
 * Events (the module's multicast group "events"): a client joins with
 * CTRL_CMD_NEWMCAST_GRP (datapath_control.h), as a netlink socket would
 * with NETLINK_ADD_MEMBERSHIP; control_server.c sends them.
 */
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <openssl/crypto.h>

#include "control_client.h"
#include "datapath.h"
#include "datapath_control.h"

/* Room for a message of up to 4096 bytes in the pending datagram. */
static struct nlmsghdr *reply_start(struct dp_client *client,
				    const struct nlmsghdr *req, uint16_t type,
				    uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	if (client->tx_len > DP_TX_LEN - 4096)
		dp_client_queue_tx(client);
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

static void reply_end(struct dp_client *client, struct nlmsghdr *nlh)
{
	client->tx_len += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* The ack or error, with the reason as NLMSGERR_ATTR_MSG (capped ack). */
static void reply_status(struct dp_client *client, const struct nlmsghdr *req,
			 int error, const char *why)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *err;

	if (client->tx_len > DP_TX_LEN - 1024)
		dp_client_queue_tx(client);
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

static void reply_done(struct dp_client *client, const struct nlmsghdr *req,
		       uint16_t flags)
{
	struct nlmsghdr *nlh;
	int32_t zero = 0;

	if (client->tx_len > DP_TX_LEN - 1024)
		dp_client_queue_tx(client);
	nlh = mnl_nlmsg_put_header(client->tx + client->tx_len);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | flags;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = req->nlmsg_pid;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(zero)), &zero,
	       sizeof(zero));
	reply_end(client, nlh);
}

static void get_family(struct dp_client *client, const struct nlmsghdr *req)
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

static void stream_reply(struct dp_client *client, const struct nlmsghdr *req,
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

/*
 * One slice of @client's dump: entries from where the last slice ended
 * until the queue is full enough, then DONE once the list is through.
 * A table changed since the dump began makes the rest NLM_F_DUMP_INTR,
 * which tells the reader to dump again.
 */
static void dump_continue(struct datapath *dp, struct dp_client *client)
{
	struct dp_dump *dump = &client->dump;
	unsigned int i = 0;
	uint16_t flags = NLM_F_MULTI;
	bool more = false;

	pthread_rwlock_rdlock(&dp->table.lock);
	if (dp->table.generation != dump->generation)
		flags |= NLM_F_DUMP_INTR;
	if (dump->cmd == SRTPRELAY_CMD_REALM_GET) {
		for (struct dp_realm *realm = dp->table.realms; realm;
		     realm = realm->next, i++) {
			struct nlmsghdr *nlh;

			if (i < dump->pos)
				continue;
			if (dp_client_full(client)) {
				more = true;
				break;
			}
			nlh = reply_start(client, &dump->req,
					  DP_CONTROL_FAMILY_ID, flags,
					  SRTPRELAY_CMD_REALM_GET);
			put_realm(nlh, &realm->config);
			reply_end(client, nlh);
			dump->pos++;
		}
	} else {
		for (struct dp_stream *stream = dp->table.all; stream;
		     stream = stream->next_all, i++) {
			if (i < dump->pos)
				continue;
			if (dp_client_full(client)) {
				more = true;
				break;
			}
			stream_reply(client, &dump->req, stream, flags);
			dump->pos++;
		}
	}
	pthread_rwlock_unlock(&dp->table.lock);
	if (more)
		return;
	reply_done(client, &dump->req, flags & NLM_F_DUMP_INTR);
	dump->active = false;
}

static void dump_start(struct datapath *dp, struct dp_client *client,
		       const struct nlmsghdr *req, uint8_t cmd)
{
	client->dump = (struct dp_dump){ .active = true, .cmd = cmd,
					 .req = *req };
	pthread_rwlock_rdlock(&dp->table.lock);
	client->dump.generation = dp->table.generation;
	pthread_rwlock_unlock(&dp->table.lock);
	dump_continue(dp, client);
}

static int stream_get(struct datapath *dp, struct dp_client *client,
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

static void stats_get(struct datapath *dp, struct dp_client *client,
		      const struct nlmsghdr *req)
{
	uint64_t totals[SRTPRELAY_STAT_COUNT] = { 0 }, last_rx = 0;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	for (unsigned int w = 0; w <= DP_MAX_WORKERS; w++) {
		uint64_t t = __atomic_load_n(&dp->counters[w].last_rx_ms,
					     __ATOMIC_RELAXED);

		for (unsigned int s = 0; s < SRTPRELAY_STAT_COUNT; s++)
			totals[s] += __atomic_load_n(&dp->counters[w].stats[s],
						     __ATOMIC_RELAXED);
		if (t > last_rx)
			last_rx = t;
	}
	nlh = reply_start(client, req, DP_CONTROL_FAMILY_ID, 0,
			  SRTPRELAY_CMD_STATS_GET);
	nest = mnl_attr_nest_start(nlh, SRTPRELAY_A_STATS);
	for (unsigned int s = 0; s < SRTPRELAY_STAT_COUNT; s++)
		mnl_attr_put_u64(nlh, s + 1, totals[s]);
	/* As the module: the age of the last authenticated packet, if any. */
	if (last_rx)
		mnl_attr_put_u64(nlh, SRTPRELAY_A_STATS_LAST_RX_AGE_MS,
				 dp_now_ms() - last_rx);
	mnl_attr_nest_end(nlh, nest);
	pthread_rwlock_rdlock(&dp->table.lock);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_STREAM_COUNT, dp->table.stream_count);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_REALM_COUNT, dp->table.realm_count);
	pthread_rwlock_unlock(&dp->table.lock);
	reply_end(client, nlh);
}

/* One request of the srtprelay family; returns the errno for the ack. */
static int handle_command(struct datapath *dp, struct dp_client *client,
			  const struct nlmsghdr *req, const char **why)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);
	struct relay_nl_stream stream;
	struct relay_nl_realm realm;
	int ret;

	ret = dp_control_validate(req, why);
	if (ret)
		return ret;
	switch (genl->cmd) {
	case SRTPRELAY_CMD_REALM_ADD:
		relay_nl_realm_parse(req, &realm);
		return dp_realm_add(&dp->table, &realm, why);
	case SRTPRELAY_CMD_REALM_DEL:
		return dp_realm_del(&dp->table, dp_control_realm_id(req), why);
	case SRTPRELAY_CMD_REALM_GET:
		dump_start(dp, client, req, SRTPRELAY_CMD_REALM_GET);
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
			dump_start(dp, client, req, SRTPRELAY_CMD_STREAM_GET);
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

static void join_events(struct datapath *dp, struct dp_client *client,
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

static void handle_message(struct datapath *dp, struct dp_client *client,
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

/**
 * dp_client_work() - answer what @client sent, as far as its queue allows
 * @dp: the datapath
 * @client: a client whose request datagram (rx) may be partly answered
 *
 * Goes on with a dump under way, then with the requests left in the
 * datagram, stopping whenever the queue is full enough; what is built is
 * queued for the server to send. The datagram is wiped once answered:
 * requests carry keys.
 */
void dp_client_work(struct datapath *dp, struct dp_client *client)
{
	if (client->dump.active && !dp_client_full(client))
		dump_continue(dp, client);
	while (!client->dump.active && !dp_client_full(client) &&
	       client->rx_off < client->rx_len) {
		const struct nlmsghdr *nlh =
			(const void *)(client->rx + client->rx_off);
		int len = (int)(client->rx_len - client->rx_off);

		if (!mnl_nlmsg_ok(nlh, len)) {
			client->rx_off = client->rx_len;
			break;
		}
		handle_message(dp, client, nlh);
		client->rx_off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	if (client->rx_len && client->rx_off >= client->rx_len) {
		OPENSSL_cleanse(client->rx, client->rx_len);
		client->rx_len = 0;
		client->rx_off = 0;
	}
	dp_client_queue_tx(client);
}
