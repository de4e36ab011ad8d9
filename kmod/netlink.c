// SPDX-License-Identifier: GPL-2.0
/*
 * The "srtprelay" generic netlink family: commands, policies, dumps and
 * events, exactly as include/uapi/linux/srtprelay.h documents them. Every
 * input is validated here, once; realm.c and stream.c trust what they get.
 */

#include "netlink.h"
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

static int sockaddr_validate(const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	const struct sockaddr *sa = nla_data(attr);
	int len = nla_len(attr);

	if (len == sizeof(struct sockaddr_in) && sa->sa_family == AF_INET)
		return 0;
	if (len == sizeof(struct sockaddr_in6) && sa->sa_family == AF_INET6)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "not a sockaddr_in or sockaddr_in6 of exact length");
	return -EINVAL;
}

#define POLICY_SOCKADDR \
	NLA_POLICY_VALIDATE_FN(NLA_BINARY, sockaddr_validate, \
			       sizeof(struct sockaddr_in6))

static const struct nla_policy crypto_policy[SRTPRELAY_A_CRYPTO_MAX + 1] = {
	[SRTPRELAY_A_CRYPTO_SUITE] = NLA_POLICY_MAX(NLA_U32, SRTPRELAY_SUITE_MAX),
	[SRTPRELAY_A_CRYPTO_MASTER_KEY] =
		NLA_POLICY_EXACT_LEN(SRTPRELAY_MASTER_KEY_LEN),
	[SRTPRELAY_A_CRYPTO_MASTER_SALT] =
		NLA_POLICY_EXACT_LEN(SRTPRELAY_MASTER_SALT_LEN),
	[SRTPRELAY_A_CRYPTO_MKI] =
		NLA_POLICY_RANGE(NLA_BINARY, 1, SRTPRELAY_MKI_MAX_LEN),
	[SRTPRELAY_A_CRYPTO_MKI_LEN] = { .type = NLA_REJECT },
	[SRTPRELAY_A_CRYPTO_ROC] = { .type = NLA_U32 },
	[SRTPRELAY_A_CRYPTO_SEQ] = { .type = NLA_U16 },
	[SRTPRELAY_A_CRYPTO_REPLAY_WINDOW] =
		NLA_POLICY_RANGE(NLA_U16, SRTPRELAY_REPLAY_WINDOW_MIN,
				 SRTPRELAY_REPLAY_WINDOW_MAX),
	[SRTPRELAY_A_CRYPTO_FLAGS] =
		NLA_POLICY_MASK(NLA_U32, __SRTPRELAY_CRYPTO_F_ALL),
};

static const struct nla_policy srtprelay_policy[SRTPRELAY_A_MAX + 1] = {
	[SRTPRELAY_A_PAD] = { .type = NLA_REJECT },
	[SRTPRELAY_A_REALM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRTPRELAY_A_REALM_ADDR] = POLICY_SOCKADDR,
	[SRTPRELAY_A_REALM_PORT_MIN] = NLA_POLICY_MIN(NLA_U16, 1),
	[SRTPRELAY_A_REALM_PORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1),
	[SRTPRELAY_A_REALM_NFQUEUE] = { .type = NLA_U16 },
	[SRTPRELAY_A_STREAM_LOCAL] = POLICY_SOCKADDR,
	[SRTPRELAY_A_STREAM_REMOTE] = POLICY_SOCKADDR,
	[SRTPRELAY_A_STREAM_LATCHED] = { .type = NLA_REJECT },
	[SRTPRELAY_A_STREAM_OUT_SRC] = POLICY_SOCKADDR,
	[SRTPRELAY_A_STREAM_OUT_DST] = POLICY_SOCKADDR,
	[SRTPRELAY_A_STREAM_OUT_RTCP_DST] = POLICY_SOCKADDR,
	[SRTPRELAY_A_STREAM_FLAGS] =
		NLA_POLICY_MASK(NLA_U32, __SRTPRELAY_STREAM_F_ALL),
	[SRTPRELAY_A_STREAM_COOKIE] = { .type = NLA_U64 },
	[SRTPRELAY_A_STREAM_IN_CRYPTO] = NLA_POLICY_NESTED(crypto_policy),
	[SRTPRELAY_A_STREAM_OUT_CRYPTO] = NLA_POLICY_NESTED(crypto_policy),
	[SRTPRELAY_A_STREAM_STATS] = { .type = NLA_REJECT },
	[SRTPRELAY_A_STATS] = { .type = NLA_REJECT },
	[SRTPRELAY_A_STREAM_COUNT] = { .type = NLA_REJECT },
	[SRTPRELAY_A_REALM_COUNT] = { .type = NLA_REJECT },
	[SRTPRELAY_A_EVENT_TYPE] = { .type = NLA_REJECT },
	[SRTPRELAY_A_EVENT_REMOTE] = { .type = NLA_REJECT },
	[SRTPRELAY_A_EVENT_SSRC] = { .type = NLA_REJECT },
};

static void nla_get_addr(const struct nlattr *attr, struct srtprelay_addr *a)
{
	const struct sockaddr *sa = nla_data(attr);

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = nla_data(attr);

		srtprelay_addr_v4(a, sin->sin_addr.s_addr, sin->sin_port);
	} else {
		const struct sockaddr_in6 *sin6 = nla_data(attr);

		srtprelay_addr_v6(a, &sin6->sin6_addr, sin6->sin6_port);
	}
}

static int nla_put_addr(struct sk_buff *skb, int type,
			const struct srtprelay_addr *a)
{
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = a->port,
		.sin6_addr = a->in6,
	};
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = a->port,
		.sin_addr.s_addr = a->in4,
	};

	if (a->family == AF_INET)
		return nla_put(skb, type, sizeof(sin), &sin);
	return nla_put(skb, type, sizeof(sin6), &sin6);
}

static bool addr_is_unicast(const struct srtprelay_addr *a)
{
	if (a->family == AF_INET)
		return !ipv4_is_zeronet(a->in4) && !ipv4_is_multicast(a->in4) &&
		       !ipv4_is_lbcast(a->in4);
	return !(ipv6_addr_type(&a->in6) &
		 (IPV6_ADDR_ANY | IPV6_ADDR_MULTICAST | IPV6_ADDR_MAPPED));
}

static bool addr_is_any(const struct srtprelay_addr *a)
{
	if (a->family == AF_INET)
		return ipv4_is_zeronet(a->in4);
	return ipv6_addr_any(&a->in6) || ipv6_addr_v4mapped(&a->in6);
}

/*
 * Reads a sockaddr attribute: a realm, LOCAL or OUT_SRC must be a specific
 * unicast address (@unicast), a destination at least not the any address.
 */
static int get_addr(struct genl_info *info, int type, struct srtprelay_addr *a,
		    bool unicast)
{
	nla_get_addr(info->attrs[type], a);
	if (unicast && !addr_is_unicast(a)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[type],
				    "must be a unicast address");
		return -EINVAL;
	}
	if (!unicast && addr_is_any(a)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[type],
				    "must not be the any address or v4-mapped");
		return -EINVAL;
	}
	return 0;
}

static int parse_crypto(struct genl_info *info, struct nlattr *nest,
			struct srtp_params *p)
{
	struct nlattr *tb[SRTPRELAY_A_CRYPTO_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	int ret, i;

	memset(p, 0, sizeof(*p));
	ret = nla_parse_nested(tb, SRTPRELAY_A_CRYPTO_MAX, nest, crypto_policy,
			       extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, SRTPRELAY_A_CRYPTO_SUITE)) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "crypto needs a SUITE");
		return -EINVAL;
	}
	p->suite = nla_get_u32(tb[SRTPRELAY_A_CRYPTO_SUITE]);
	if (p->suite == SRTPRELAY_SUITE_NONE) {
		for (i = SRTPRELAY_A_CRYPTO_SUITE + 1; i <= SRTPRELAY_A_CRYPTO_MAX;
		     i++) {
			if (!tb[i])
				continue;
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "SUITE_NONE takes no other crypto attribute");
			return -EINVAL;
		}
		return 0;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, SRTPRELAY_A_CRYPTO_MASTER_KEY)) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "SRTP suite needs MASTER_KEY");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, SRTPRELAY_A_CRYPTO_MASTER_SALT)) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "SRTP suite needs MASTER_SALT");
		return -EINVAL;
	}
	nla_memcpy(p->master_key, tb[SRTPRELAY_A_CRYPTO_MASTER_KEY],
		   sizeof(p->master_key));
	nla_memcpy(p->master_salt, tb[SRTPRELAY_A_CRYPTO_MASTER_SALT],
		   sizeof(p->master_salt));
	if (tb[SRTPRELAY_A_CRYPTO_MKI]) {
		p->mki_len = nla_len(tb[SRTPRELAY_A_CRYPTO_MKI]);
		nla_memcpy(p->mki, tb[SRTPRELAY_A_CRYPTO_MKI], sizeof(p->mki));
	}
	if (tb[SRTPRELAY_A_CRYPTO_ROC])
		p->roc = nla_get_u32(tb[SRTPRELAY_A_CRYPTO_ROC]);
	if (tb[SRTPRELAY_A_CRYPTO_SEQ]) {
		p->seq = nla_get_u16(tb[SRTPRELAY_A_CRYPTO_SEQ]);
		p->has_seq = true;
	}
	if (tb[SRTPRELAY_A_CRYPTO_REPLAY_WINDOW])
		p->replay_window =
			nla_get_u16(tb[SRTPRELAY_A_CRYPTO_REPLAY_WINDOW]);
	if (tb[SRTPRELAY_A_CRYPTO_FLAGS])
		p->flags = nla_get_u32(tb[SRTPRELAY_A_CRYPTO_FLAGS]);
	return 0;
}

/* Parses what STREAM_ADD and STREAM_SET may carry; the caller checks which
 * of it is required.
 */
static int parse_stream(struct genl_info *info,
			struct srtprelay_stream_spec *spec)
{
	struct nlattr **attrs = info->attrs;
	int ret;

	memset(spec, 0, sizeof(*spec));
	if (GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_STREAM_LOCAL)) {
		NL_SET_ERR_MSG(info->extack, "STREAM_LOCAL is required");
		return -EINVAL;
	}
	ret = get_addr(info, SRTPRELAY_A_STREAM_LOCAL, &spec->local, true);
	if (ret)
		return ret;
	if (attrs[SRTPRELAY_A_STREAM_REMOTE]) {
		ret = get_addr(info, SRTPRELAY_A_STREAM_REMOTE, &spec->remote,
			       false);
		if (ret)
			return ret;
		spec->given |= SRTPRELAY_SPEC_REMOTE;
	}
	if (attrs[SRTPRELAY_A_STREAM_OUT_SRC]) {
		ret = get_addr(info, SRTPRELAY_A_STREAM_OUT_SRC, &spec->out_src,
			       true);
		if (ret)
			return ret;
		spec->given |= SRTPRELAY_SPEC_OUT_SRC;
	}
	if (attrs[SRTPRELAY_A_STREAM_OUT_DST]) {
		ret = get_addr(info, SRTPRELAY_A_STREAM_OUT_DST, &spec->out_dst,
			       false);
		if (ret)
			return ret;
		spec->given |= SRTPRELAY_SPEC_OUT_DST;
	}
	if (attrs[SRTPRELAY_A_STREAM_OUT_RTCP_DST]) {
		ret = get_addr(info, SRTPRELAY_A_STREAM_OUT_RTCP_DST,
			       &spec->out_rtcp_dst, false);
		if (ret)
			return ret;
		spec->given |= SRTPRELAY_SPEC_OUT_RTCP_DST;
	}
	if (attrs[SRTPRELAY_A_STREAM_FLAGS]) {
		spec->flags = nla_get_u32(attrs[SRTPRELAY_A_STREAM_FLAGS]);
		spec->given |= SRTPRELAY_SPEC_FLAGS;
	}
	if (attrs[SRTPRELAY_A_STREAM_COOKIE]) {
		spec->cookie = nla_get_u64(attrs[SRTPRELAY_A_STREAM_COOKIE]);
		spec->given |= SRTPRELAY_SPEC_COOKIE;
	}
	if (attrs[SRTPRELAY_A_STREAM_IN_CRYPTO]) {
		ret = parse_crypto(info, attrs[SRTPRELAY_A_STREAM_IN_CRYPTO],
				   &spec->in);
		if (ret)
			return ret;
		spec->given |= SRTPRELAY_SPEC_IN_CRYPTO;
	}
	if (attrs[SRTPRELAY_A_STREAM_OUT_CRYPTO]) {
		ret = parse_crypto(info, attrs[SRTPRELAY_A_STREAM_OUT_CRYPTO],
				   &spec->out);
		if (ret)
			return ret;
		spec->given |= SRTPRELAY_SPEC_OUT_CRYPTO;
	}
	return 0;
}

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
	ret = get_addr(info, SRTPRELAY_A_REALM_ADDR, &realm.addr, true);
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
	    nla_put_addr(skb, SRTPRELAY_A_REALM_ADDR, &realm->addr) ||
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
	ret = parse_stream(info, spec);
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
	nla_get_addr(info->attrs[SRTPRELAY_A_STREAM_LOCAL], &local);
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

static int put_crypto(struct sk_buff *skb, int type,
		      const struct srtprelay_crypto_info *c)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SRTPRELAY_A_CRYPTO_SUITE, c->suite) ||
	    nla_put_u8(skb, SRTPRELAY_A_CRYPTO_MKI_LEN, c->mki_len) ||
	    nla_put_u16(skb, SRTPRELAY_A_CRYPTO_REPLAY_WINDOW,
			c->replay_window) ||
	    nla_put_u32(skb, SRTPRELAY_A_CRYPTO_FLAGS, c->flags)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
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
	if (nla_put_addr(skb, SRTPRELAY_A_STREAM_LOCAL, &si->local) ||
	    (si->remote.family &&
	     nla_put_addr(skb, SRTPRELAY_A_STREAM_REMOTE, &si->remote)) ||
	    (si->latched.family &&
	     nla_put_addr(skb, SRTPRELAY_A_STREAM_LATCHED, &si->latched)) ||
	    nla_put_addr(skb, SRTPRELAY_A_STREAM_OUT_SRC, &si->out_src) ||
	    nla_put_addr(skb, SRTPRELAY_A_STREAM_OUT_DST, &si->out_dst) ||
	    nla_put_addr(skb, SRTPRELAY_A_STREAM_OUT_RTCP_DST,
			 &si->out_rtcp_dst) ||
	    nla_put_u32(skb, SRTPRELAY_A_STREAM_FLAGS, si->flags) ||
	    nla_put_u64_64bit(skb, SRTPRELAY_A_STREAM_COOKIE, si->cookie,
			      SRTPRELAY_A_PAD) ||
	    put_crypto(skb, SRTPRELAY_A_STREAM_IN_CRYPTO, &si->in) ||
	    put_crypto(skb, SRTPRELAY_A_STREAM_OUT_CRYPTO, &si->out) ||
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
	nla_get_addr(info->attrs[SRTPRELAY_A_STREAM_LOCAL], &local);
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
 * @remote: the source, for REMOTE_LATCHED and REMOTE_CHANGED, or NULL
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
	    nla_put_addr(msg, SRTPRELAY_A_STREAM_LOCAL, local) ||
	    nla_put_u64_64bit(msg, SRTPRELAY_A_STREAM_COOKIE, cookie,
			      SRTPRELAY_A_PAD) ||
	    (remote && nla_put_addr(msg, SRTPRELAY_A_EVENT_REMOTE, remote)) ||
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

static const struct genl_multicast_group srtprelay_mcgrps[] = {
	[SRTPRELAY_MCGRP_EVENTS_ID] = { .name = SRTPRELAY_MCGRP_EVENTS },
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
