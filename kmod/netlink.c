// SPDX-License-Identifier: GPL-2.0
/*
 * The "srtprelay" generic netlink family: commands, dumps and events,
 * exactly as include/uapi/linux/srtprelay.h documents them. Requests are
 * validated by netlink_attr.c's policy and readers, once; realm.c and
 * stream.c trust what they get.
 */

#include "netlink.h"
#include "netlink_attr.h"
#include "realm.h"
#include "stats.h"
#include "stream.h"

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

static struct genl_family srtprelay_family;

/* Cleared before the family goes away, so that the packet path stops
 * sending events on it (see srtprelay_genl_exit()).
 */
static bool events_live;

/* An event: header, type, two sockaddr_in6, cookie, SSRC. */
#define EVENT_SIZE 256

enum srtprelay_mcgrp {
	SRTPRELAY_MCGRP_EVENTS_ID,
};

/* stream.c names the attribute and the reason; messages there are string
 * literals, so the pointer may be kept as NL_SET_ERR_MSG() keeps its own.
 */
static void report(struct genl_info *info, const struct srtprelay_stream_err *err)
{
	struct netlink_ext_ack *extack = info->extack;

	if (!extack)
		return;
	extack->_msg = err->msg;
	if (err->attr && info->attrs[err->attr])
		NL_SET_BAD_ATTR(extack, info->attrs[err->attr]);
}

static int realm_add(struct sk_buff *skb, struct genl_info *info)
{
	struct srtprelay_net *sn = srtprelay_pernet(genl_info_net(info));
	struct nlattr **attrs = info->attrs;
	struct srtprelay_realm realm = { .nfqueue = -1 };
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_REALM_ID) ||
	    GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_REALM_ADDR) ||
	    GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_REALM_PORT_MIN) ||
	    GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_REALM_PORT_MAX)) {
		NL_SET_ERR_MSG(info->extack,
			       "REALM_ID, _ADDR, _PORT_MIN and _PORT_MAX are required");
		return -EINVAL;
	}
	realm.id = nla_get_u32(attrs[SRTPRELAY_A_REALM_ID]);
	ret = srtprelay_get_addr(info, SRTPRELAY_A_REALM_ADDR, &realm.addr, true);
	if (ret)
		return ret;
	realm.port_min = nla_get_u16(attrs[SRTPRELAY_A_REALM_PORT_MIN]);
	realm.port_max = nla_get_u16(attrs[SRTPRELAY_A_REALM_PORT_MAX]);
	if (realm.port_max < realm.port_min) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    attrs[SRTPRELAY_A_REALM_PORT_MAX],
				    "PORT_MAX is below PORT_MIN");
		return -EINVAL;
	}
	if (attrs[SRTPRELAY_A_REALM_NFQUEUE])
		realm.nfqueue = nla_get_u16(attrs[SRTPRELAY_A_REALM_NFQUEUE]);

	mutex_lock(&sn->lock);
	ret = srtprelay_realm_add(sn, &realm);
	mutex_unlock(&sn->lock);
	if (ret == -EEXIST)
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[SRTPRELAY_A_REALM_ID],
				    "a realm with this id exists");
	else if (ret == -EADDRINUSE)
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[SRTPRELAY_A_REALM_ADDR],
				    "overlaps another realm");
	else if (ret == -ENOSPC)
		NL_SET_ERR_MSG(info->extack,
			       "realm limit of this network namespace reached (module parameter max_realms)");
	else if (ret)
		NL_SET_ERR_MSG(info->extack, "realm could not be added");
	return ret;
}

static int realm_del(struct sk_buff *skb, struct genl_info *info)
{
	struct srtprelay_net *sn = srtprelay_pernet(genl_info_net(info));
	struct nlattr *id = info->attrs[SRTPRELAY_A_REALM_ID];
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_REALM_ID)) {
		NL_SET_ERR_MSG(info->extack, "REALM_ID is required");
		return -EINVAL;
	}
	mutex_lock(&sn->lock);
	ret = srtprelay_realm_del(sn, nla_get_u32(id));
	mutex_unlock(&sn->lock);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, id, "no realm has this id");
	else if (ret == -EBUSY)
		NL_SET_ERR_MSG_ATTR(info->extack, id, "streams use this realm");
	return ret;
}

static int realm_fill(struct sk_buff *skb, struct netlink_callback *cb,
		      const struct srtprelay_realm *realm)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &srtprelay_family, NLM_F_MULTI,
			  SRTPRELAY_CMD_REALM_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SRTPRELAY_A_REALM_ID, realm->id) ||
	    srtprelay_nla_put_addr(skb, SRTPRELAY_A_REALM_ADDR, &realm->addr) ||
	    nla_put_u16(skb, SRTPRELAY_A_REALM_PORT_MIN, realm->port_min) ||
	    nla_put_u16(skb, SRTPRELAY_A_REALM_PORT_MAX, realm->port_max) ||
	    (realm->nfqueue >= 0 &&
	     nla_put_u16(skb, SRTPRELAY_A_REALM_NFQUEUE, realm->nfqueue))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: realms already sent. Realms are few and rarely change, so
 * counting from the head on each page is fine.
 */
static int realm_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct srtprelay_net *sn = srtprelay_pernet(sock_net(skb->sk));
	struct srtprelay_realm *realm;
	long idx = 0;

	mutex_lock(&sn->lock);
	list_for_each_entry(realm, &sn->realms, list) {
		if (idx++ < cb->args[0])
			continue;
		if (realm_fill(skb, cb, realm)) {
			idx--;
			break;
		}
	}
	mutex_unlock(&sn->lock);
	cb->args[0] = idx;
	return skb->len;
}

/* STREAM_ADD and STREAM_SET: parse, then add or update under the lock. */
static int stream_change(struct genl_info *info, bool add)
{
	struct srtprelay_net *sn = srtprelay_pernet(genl_info_net(info));
	struct srtprelay_stream_err err = { 0 };
	struct srtprelay_stream_spec *spec;
	int ret;

	/* Holds master keys: on the heap and wiped, not left on the stack. */
	spec = kmalloc(sizeof(*spec), GFP_KERNEL);
	if (!spec)
		return -ENOMEM;
	ret = srtprelay_parse_stream(info, spec);
	if (ret)
		goto out;
	if (add && (GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_STREAM_OUT_SRC) ||
		    GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_STREAM_OUT_DST) ||
		    GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_STREAM_IN_CRYPTO) ||
		    GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_STREAM_OUT_CRYPTO))) {
		NL_SET_ERR_MSG(info->extack,
			       "OUT_SRC, OUT_DST, IN_CRYPTO and OUT_CRYPTO are required");
		ret = -EINVAL;
		goto out;
	}
	mutex_lock(&sn->lock);
	if (add)
		ret = srtprelay_stream_add(sn, spec, &err);
	else
		ret = srtprelay_stream_set(sn, spec, &err);
	mutex_unlock(&sn->lock);
	if (ret)
		report(info, &err);
out:
	srtprelay_stream_spec_wipe(spec);
	kfree(spec);
	return ret;
}

static int stream_add(struct sk_buff *skb, struct genl_info *info)
{
	return stream_change(info, true);
}

static int stream_set(struct sk_buff *skb, struct genl_info *info)
{
	return stream_change(info, false);
}

static int stream_del(struct sk_buff *skb, struct genl_info *info)
{
	struct srtprelay_net *sn = srtprelay_pernet(genl_info_net(info));
	struct srtprelay_addr local;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_STREAM_LOCAL)) {
		NL_SET_ERR_MSG(info->extack, "STREAM_LOCAL is required");
		return -EINVAL;
	}
	srtprelay_nla_get_addr(info->attrs[SRTPRELAY_A_STREAM_LOCAL], &local);
	mutex_lock(&sn->lock);
	ret = srtprelay_stream_del(sn, &local);
	mutex_unlock(&sn->lock);
	if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[SRTPRELAY_A_STREAM_LOCAL],
				    "no stream has this LOCAL");
	return ret;
}

static int stream_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct srtprelay_net *sn = srtprelay_pernet(genl_info_net(info));
	struct nlattr *cookie = info->attrs[SRTPRELAY_A_STREAM_COOKIE];

	mutex_lock(&sn->lock);
	srtprelay_stream_flush(sn, cookie, cookie ? nla_get_u64(cookie) : 0);
	mutex_unlock(&sn->lock);
	return 0;
}

static int stream_fill(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		       const struct srtprelay_stream_info *si)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &srtprelay_family, flags,
			  SRTPRELAY_CMD_STREAM_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (srtprelay_nla_put_addr(skb, SRTPRELAY_A_STREAM_LOCAL, &si->local) ||
	    (si->remote.family &&
	     srtprelay_nla_put_addr(skb, SRTPRELAY_A_STREAM_REMOTE,
				    &si->remote)) ||
	    (si->latched.family &&
	     srtprelay_nla_put_addr(skb, SRTPRELAY_A_STREAM_LATCHED,
				    &si->latched)) ||
	    srtprelay_nla_put_addr(skb, SRTPRELAY_A_STREAM_OUT_SRC,
				   &si->out_src) ||
	    srtprelay_nla_put_addr(skb, SRTPRELAY_A_STREAM_OUT_DST,
				   &si->out_dst) ||
	    srtprelay_nla_put_addr(skb, SRTPRELAY_A_STREAM_OUT_RTCP_DST,
			 &si->out_rtcp_dst) ||
	    nla_put_u32(skb, SRTPRELAY_A_STREAM_FLAGS, si->flags) ||
	    nla_put_u32(skb, SRTPRELAY_A_STREAM_LATCH_WINDOW_MS,
			si->latch_window_left_ms) ||
	    nla_put_u64_64bit(skb, SRTPRELAY_A_STREAM_COOKIE, si->cookie,
			      SRTPRELAY_A_PAD) ||
	    srtprelay_put_crypto(skb, SRTPRELAY_A_STREAM_IN_CRYPTO, &si->in) ||
	    srtprelay_put_crypto(skb, SRTPRELAY_A_STREAM_OUT_CRYPTO, &si->out) ||
	    srtprelay_stats_put(skb, SRTPRELAY_A_STREAM_STATS, si->stats,
				si->last_rx)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int stream_get(struct sk_buff *skb, struct genl_info *info)
{
	struct srtprelay_net *sn = srtprelay_pernet(genl_info_net(info));
	struct srtprelay_stream_info *si;
	struct srtprelay_stream *s;
	struct srtprelay_addr local;
	struct sk_buff *msg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_STREAM_LOCAL)) {
		NL_SET_ERR_MSG(info->extack,
			       "STREAM_LOCAL is required (or ask for a dump)");
		return -EINVAL;
	}
	srtprelay_nla_get_addr(info->attrs[SRTPRELAY_A_STREAM_LOCAL], &local);
	si = kmalloc(sizeof(*si), GFP_KERNEL);
	if (!si)
		return -ENOMEM;
	mutex_lock(&sn->lock);
	s = srtprelay_stream_find(sn, &local);
	if (s)
		srtprelay_stream_get_info(s, si);
	mutex_unlock(&sn->lock);
	if (!s) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[SRTPRELAY_A_STREAM_LOCAL],
				    "no stream has this LOCAL");
		ret = -ENOENT;
		goto out;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = stream_fill(msg, info->snd_portid, info->snd_seq, 0, si);
	if (ret) {
		nlmsg_free(msg);
		goto out;
	}
	ret = genlmsg_reply(msg, info);
out:
	kfree(si);
	return ret;
}

/*
 * Stream dumps resume where the previous message stopped:
 * cb->args[0] is the id of the last stream sent, cb->args[1] that stream,
 * held by a reference so that, while it is still listed, the next page
 * starts right after it without a scan. If it was deleted meanwhile, the
 * list (kept in id order) is scanned for the first larger id.
 * cb->args[2] is set once the dump has started.
 */
static int stream_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct srtprelay_net *sn = srtprelay_pernet(sock_net(skb->sk));
	struct srtprelay_stream *cursor, *s, *last = NULL;
	struct srtprelay_stream_info *si;
	int ret = 0;

	si = kmalloc(sizeof(*si), GFP_KERNEL);
	if (!si)
		return -ENOMEM;
	mutex_lock(&sn->lock);
	cursor = (struct srtprelay_stream *)cb->args[1];
	cb->args[1] = 0;
	if (!cb->args[2]) {
		s = list_first_entry(&sn->stream_list, struct srtprelay_stream,
				     list);
	} else if (cursor && !cursor->dead) {
		s = list_next_entry(cursor, list);
	} else {
		list_for_each_entry(s, &sn->stream_list, list)
			if (s->id > (u64)cb->args[0])
				break;
	}
	cb->args[2] = 1;
	list_for_each_entry_from(s, &sn->stream_list, list) {
		srtprelay_stream_get_info(s, si);
		ret = stream_fill(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI, si);
		if (ret)
			break;
		last = s;
	}
	if (last) {
		srtprelay_stream_hold(last);
		cb->args[1] = (long)last;
		cb->args[0] = last->id;
	} else if (cursor) {
		/* nothing fitted after it: keep the old position */
		srtprelay_stream_hold(cursor);
		cb->args[1] = (long)cursor;
	}
	mutex_unlock(&sn->lock);
	if (cursor)
		srtprelay_stream_put(cursor);
	kfree(si);
	/* A stream too large for an empty message is an error, not the end. */
	if (ret && !last)
		return ret;
	return skb->len;
}

static int stream_dump_done(struct netlink_callback *cb)
{
	struct srtprelay_stream *cursor = (struct srtprelay_stream *)cb->args[1];

	if (cursor)
		srtprelay_stream_put(cursor);
	return 0;
}

static int stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct srtprelay_net *sn = srtprelay_pernet(genl_info_net(info));
	u64 sum[SRTPRELAY_STAT_COUNT];
	u32 streams, realms;
	struct sk_buff *msg;
	void *hdr;

	mutex_lock(&sn->lock);
	streams = sn->stream_count;
	realms = sn->realm_count;
	mutex_unlock(&sn->lock);
	srtprelay_stats_sum(sn->stats, sum);

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &srtprelay_family, 0,
				SRTPRELAY_CMD_STATS_GET);
	if (!hdr ||
	    srtprelay_stats_put(msg, SRTPRELAY_A_STATS, sum,
				READ_ONCE(sn->last_rx)) ||
	    nla_put_u32(msg, SRTPRELAY_A_STREAM_COUNT, streams) ||
	    nla_put_u32(msg, SRTPRELAY_A_REALM_COUNT, realms)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * srtprelay_event() - tell listeners of the events group about a stream
 * @net: the stream's namespace
 * @type: what happened
 * @local: the stream's local address and port
 * @cookie: the stream's cookie
 * @remote: the source, for REMOTE_LATCHED, REMOTE_CHANGED and
 *	SOURCE_REJECTED, or NULL
 * @ssrc: the SSRC, for SSRC_CHANGED
 *
 * Costs nothing when nobody listens. Events are best effort: one that
 * cannot be allocated is lost, as netlink multicast may lose them anyway.
 * Allocates atomically: it runs inside an RCU read-side section (see
 * srtprelay_genl_exit()) and is called from the packet path.
 */
void srtprelay_event(struct net *net, enum srtprelay_event type,
		     const struct srtprelay_addr *local, u64 cookie,
		     const struct srtprelay_addr *remote, u32 ssrc)
{
	struct sk_buff *msg;
	void *hdr;

	rcu_read_lock();
	if (!READ_ONCE(events_live) ||
	    !genl_has_listeners(&srtprelay_family, net,
				SRTPRELAY_MCGRP_EVENTS_ID))
		goto out;
	msg = genlmsg_new(EVENT_SIZE, GFP_ATOMIC);
	if (!msg)
		goto out;
	hdr = genlmsg_put(msg, 0, 0, &srtprelay_family, 0, SRTPRELAY_CMD_EVENT);
	if (!hdr ||
	    nla_put_u32(msg, SRTPRELAY_A_EVENT_TYPE, type) ||
	    srtprelay_nla_put_addr(msg, SRTPRELAY_A_STREAM_LOCAL, local) ||
	    nla_put_u64_64bit(msg, SRTPRELAY_A_STREAM_COOKIE, cookie,
			      SRTPRELAY_A_PAD) ||
	    (remote && srtprelay_nla_put_addr(msg, SRTPRELAY_A_EVENT_REMOTE, remote)) ||
	    (type == SRTPRELAY_EVENT_SSRC_CHANGED &&
	     nla_put_u32(msg, SRTPRELAY_A_EVENT_SSRC, ssrc))) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&srtprelay_family, net, msg, 0,
				SRTPRELAY_MCGRP_EVENTS_ID, GFP_ATOMIC);
out:
	rcu_read_unlock();
}

#define ADMIN GENL_UNS_ADMIN_PERM

static const struct genl_ops srtprelay_ops[] = {
	{ .cmd = SRTPRELAY_CMD_REALM_ADD, .doit = realm_add, .flags = ADMIN },
	{ .cmd = SRTPRELAY_CMD_REALM_DEL, .doit = realm_del, .flags = ADMIN },
	{ .cmd = SRTPRELAY_CMD_REALM_GET, .dumpit = realm_dump },
	{ .cmd = SRTPRELAY_CMD_STREAM_ADD, .doit = stream_add, .flags = ADMIN },
	{ .cmd = SRTPRELAY_CMD_STREAM_SET, .doit = stream_set, .flags = ADMIN },
	{ .cmd = SRTPRELAY_CMD_STREAM_DEL, .doit = stream_del, .flags = ADMIN },
	{
		.cmd = SRTPRELAY_CMD_STREAM_GET,
		.doit = stream_get,
		.dumpit = stream_dump,
		.done = stream_dump_done,
	},
	{
		.cmd = SRTPRELAY_CMD_STREAM_FLUSH,
		.doit = stream_flush,
		.flags = ADMIN,
	},
	{ .cmd = SRTPRELAY_CMD_STATS_GET, .doit = stats_get },
};

/*
 * Events name every stream's addresses and latched peers: only for those
 * with CAP_NET_ADMIN over the namespace, as the commands that change
 * streams are (genl_bind() checks it, since 6.7 and in Debian's 6.1).
 */
static const struct genl_multicast_group srtprelay_mcgrps[] = {
	[SRTPRELAY_MCGRP_EVENTS_ID] = {
		.name = SRTPRELAY_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family srtprelay_family __ro_after_init = {
	.name = SRTPRELAY_GENL_NAME,
	.version = SRTPRELAY_GENL_VERSION,
	.maxattr = SRTPRELAY_A_MAX,
	.policy = srtprelay_policy,
	.netnsok = true,
	/* every handler takes its namespace's lock; no need for genl_mutex */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = srtprelay_ops,
	.n_ops = ARRAY_SIZE(srtprelay_ops),
	/* Attributes are validated strictly by every op regardless (validate
	 * is 0). This only leaves the genlmsghdr reserved byte and the nlmsg
	 * flags unchecked, as clients of older families expect.
	 */
	.resv_start_op = SRTPRELAY_CMD_MAX + 1,
	.mcgrps = srtprelay_mcgrps,
	.n_mcgrps = ARRAY_SIZE(srtprelay_mcgrps),
};

/**
 * srtprelay_genl_init() - register the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int __init srtprelay_genl_init(void)
{
	int ret;

	ret = genl_register_family(&srtprelay_family);
	if (!ret)
		WRITE_ONCE(events_live, true);
	return ret;
}

/**
 * srtprelay_genl_exit() - unregister the family
 *
 * Events may be on their way from the packet path or the idle scan; they
 * check events_live under RCU, so after the grace period none is using the
 * family any more.
 */
void srtprelay_genl_exit(void)
{
	WRITE_ONCE(events_live, false);
	synchronize_rcu();
	genl_unregister_family(&srtprelay_family);
}
