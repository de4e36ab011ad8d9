// SPDX-License-Identifier: GPL-2.0
/*
 * Attributes of the "srtprelay" family: the request policies and the
 * readers and writers of addresses, crypto nests and stream specs. Every
 * input is validated here, once; realm.c and stream.c trust what they get.
 */

#include "netlink_attr.h"

#include <linux/in.h>
#include <linux/in6.h>
#include <net/ipv6.h>

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

/* not const: the policy macro takes a plain pointer */
static struct netlink_range_validation latch_window_range = {
	.max = SRTPRELAY_LATCH_WINDOW_MAX_MS,
};

#define POLICY_SOCKADDR \
	NLA_POLICY_VALIDATE_FN(NLA_BINARY, sockaddr_validate, \
			       sizeof(struct sockaddr_in6))

static const struct nla_policy crypto_policy[SRTPRELAY_A_CRYPTO_MAX + 1] = {
	[SRTPRELAY_A_CRYPTO_SUITE] = NLA_POLICY_MAX(NLA_U32, SRTPRELAY_SUITE_MAX),
	/* exact lengths depend on the suite: parse_crypto_keys() */
	[SRTPRELAY_A_CRYPTO_MASTER_KEY] =
		NLA_POLICY_RANGE(NLA_BINARY, SRTPRELAY_MASTER_KEY_LEN_128,
				 SRTPRELAY_MASTER_KEY_MAX_LEN),
	[SRTPRELAY_A_CRYPTO_MASTER_SALT] =
		NLA_POLICY_RANGE(NLA_BINARY, SRTPRELAY_MASTER_SALT_LEN_GCM,
				 SRTPRELAY_MASTER_SALT_MAX_LEN),
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

const struct nla_policy srtprelay_policy[SRTPRELAY_A_MAX + 1] = {
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
	[SRTPRELAY_A_STREAM_LATCH_WINDOW_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &latch_window_range),
};

void srtprelay_nla_get_addr(const struct nlattr *attr, struct srtprelay_addr *a)
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

int srtprelay_nla_put_addr(struct sk_buff *skb, int type,
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

int srtprelay_get_addr(struct genl_info *info, int type,
		       struct srtprelay_addr *a, bool unicast)
{
	srtprelay_nla_get_addr(info->attrs[type], a);
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

/* Master key and salt, each exactly as long as the suite wants. */
static int parse_crypto_keys(struct netlink_ext_ack *extack,
			     struct nlattr *nest, struct nlattr **tb,
			     struct srtp_params *p)
{
	struct srtp_suite_info suite = srtp_suite_info(p->suite);
	struct nlattr *key = tb[SRTPRELAY_A_CRYPTO_MASTER_KEY];
	struct nlattr *salt = tb[SRTPRELAY_A_CRYPTO_MASTER_SALT];

	if (NL_REQ_ATTR_CHECK(extack, nest, tb, SRTPRELAY_A_CRYPTO_MASTER_KEY)) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "SRTP suite needs MASTER_KEY");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, SRTPRELAY_A_CRYPTO_MASTER_SALT)) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "SRTP suite needs MASTER_SALT");
		return -EINVAL;
	}
	if (nla_len(key) != suite.key_len) {
		NL_SET_ERR_MSG_ATTR(extack, key,
				    "MASTER_KEY is not the suite's key length");
		return -EINVAL;
	}
	if (nla_len(salt) != suite.salt_len) {
		NL_SET_ERR_MSG_ATTR(extack, salt,
				    "MASTER_SALT is not the suite's salt length");
		return -EINVAL;
	}
	nla_memcpy(p->master_key, key, sizeof(p->master_key));
	nla_memcpy(p->master_salt, salt, sizeof(p->master_salt));
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
	ret = parse_crypto_keys(extack, nest, tb, p);
	if (ret)
		return ret;
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
	if (srtp_suite_info(p->suite).aead &&
	    p->flags & (SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP |
			SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SRTPRELAY_A_CRYPTO_FLAGS],
				    "AEAD suites always encrypt and authenticate SRTP");
		return -EINVAL;
	}
	return 0;
}

int srtprelay_parse_stream(struct genl_info *info,
			   struct srtprelay_stream_spec *spec)
{
	struct nlattr **attrs = info->attrs;
	int ret;

	memset(spec, 0, sizeof(*spec));
	if (GENL_REQ_ATTR_CHECK(info, SRTPRELAY_A_STREAM_LOCAL)) {
		NL_SET_ERR_MSG(info->extack, "STREAM_LOCAL is required");
		return -EINVAL;
	}
	ret = srtprelay_get_addr(info, SRTPRELAY_A_STREAM_LOCAL, &spec->local,
				 true);
	if (ret)
		return ret;
	if (attrs[SRTPRELAY_A_STREAM_REMOTE]) {
		ret = srtprelay_get_addr(info, SRTPRELAY_A_STREAM_REMOTE,
					 &spec->remote, false);
		if (ret)
			return ret;
		spec->given |= SRTPRELAY_SPEC_REMOTE;
	}
	if (attrs[SRTPRELAY_A_STREAM_OUT_SRC]) {
		ret = srtprelay_get_addr(info, SRTPRELAY_A_STREAM_OUT_SRC,
					 &spec->out_src, true);
		if (ret)
			return ret;
		spec->given |= SRTPRELAY_SPEC_OUT_SRC;
	}
	if (attrs[SRTPRELAY_A_STREAM_OUT_DST]) {
		ret = srtprelay_get_addr(info, SRTPRELAY_A_STREAM_OUT_DST,
					 &spec->out_dst, false);
		if (ret)
			return ret;
		spec->given |= SRTPRELAY_SPEC_OUT_DST;
	}
	if (attrs[SRTPRELAY_A_STREAM_OUT_RTCP_DST]) {
		ret = srtprelay_get_addr(info, SRTPRELAY_A_STREAM_OUT_RTCP_DST,
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
	if (attrs[SRTPRELAY_A_STREAM_LATCH_WINDOW_MS]) {
		spec->latch_window_ms =
			nla_get_u32(attrs[SRTPRELAY_A_STREAM_LATCH_WINDOW_MS]);
		spec->given |= SRTPRELAY_SPEC_LATCH_WINDOW;
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

int srtprelay_put_crypto(struct sk_buff *skb, int type,
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
