// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The module's netlink policy, applied by the userspace datapath to each
 * request before anything is parsed or installed, and the encoding of its
 * replies. Error texts match what the module puts in its extended ACKs.
 */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "datapath_control.h"
#include "srtp_suite.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void put_public_crypto(struct nlmsghdr *nlh, uint16_t type,
			      const struct relay_nl_crypto *crypto)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u32(nlh, SRTPRELAY_A_CRYPTO_SUITE, crypto->suite);
	mnl_attr_put_u8(nlh, SRTPRELAY_A_CRYPTO_MKI_LEN, crypto->mki_len);
	mnl_attr_put_u16(nlh, SRTPRELAY_A_CRYPTO_REPLAY_WINDOW,
			 crypto->replay_window);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_CRYPTO_FLAGS, crypto->flags);
	mnl_attr_nest_end(nlh, nest);
}

void dp_control_put_stream(struct nlmsghdr *nlh,
			   const struct relay_nl_stream *s)
{
	static const struct {
		uint16_t type;
		uint32_t has;
		size_t offset;
	} addrs[] = {
		{ SRTPRELAY_A_STREAM_REMOTE, RELAY_NL_HAS_REMOTE,
		  offsetof(struct relay_nl_stream, remote) },
		{ SRTPRELAY_A_STREAM_LATCHED, RELAY_NL_HAS_LATCHED,
		  offsetof(struct relay_nl_stream, latched) },
		{ SRTPRELAY_A_STREAM_OUT_SRC, 0,
		  offsetof(struct relay_nl_stream, out_src) },
		{ SRTPRELAY_A_STREAM_OUT_DST, 0,
		  offsetof(struct relay_nl_stream, out_dst) },
		{ SRTPRELAY_A_STREAM_OUT_RTCP_DST, RELAY_NL_HAS_OUT_RTCP_DST,
		  offsetof(struct relay_nl_stream, out_rtcp_dst) },
	};
	struct nlattr *stats;

	relay_nl_put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, &s->local);
	for (size_t i = 0; i < ARRAY_SIZE(addrs); i++)
		if (!addrs[i].has || (s->has & addrs[i].has))
			relay_nl_put_sockaddr(nlh, addrs[i].type,
				(const void *)((const char *)s +
					       addrs[i].offset));
	mnl_attr_put_u32(nlh, SRTPRELAY_A_STREAM_FLAGS, s->flags);
	if (s->has & RELAY_NL_HAS_COOKIE)
		mnl_attr_put_u64(nlh, SRTPRELAY_A_STREAM_COOKIE, s->cookie);
	if (s->has & RELAY_NL_HAS_LATCH_WINDOW)
		mnl_attr_put_u32(nlh, SRTPRELAY_A_STREAM_LATCH_WINDOW_MS,
				 s->latch_window_ms);
	put_public_crypto(nlh, SRTPRELAY_A_STREAM_IN_CRYPTO, &s->in);
	put_public_crypto(nlh, SRTPRELAY_A_STREAM_OUT_CRYPTO, &s->out);
	stats = mnl_attr_nest_start(nlh, SRTPRELAY_A_STREAM_STATS);
	for (unsigned int i = 0; i < SRTPRELAY_STAT_COUNT; i++)
		mnl_attr_put_u64(nlh, i + 1, s->stats[i]);
	if (s->has & RELAY_NL_HAS_LAST_RX)
		mnl_attr_put_u64(nlh, SRTPRELAY_A_STATS_LAST_RX_AGE_MS,
				 s->last_rx_age_ms);
	mnl_attr_nest_end(nlh, stats);
}

enum kind { NONE, U8, U16, U32, U64, SOCKADDR, NESTED, BINARY, READ_ONLY };

static const enum kind top_policy[SRTPRELAY_A_MAX + 1] = {
	[SRTPRELAY_A_REALM_ID] = U32,
	[SRTPRELAY_A_REALM_ADDR] = SOCKADDR,
	[SRTPRELAY_A_REALM_PORT_MIN] = U16,
	[SRTPRELAY_A_REALM_PORT_MAX] = U16,
	[SRTPRELAY_A_REALM_NFQUEUE] = U16,
	[SRTPRELAY_A_STREAM_LOCAL] = SOCKADDR,
	[SRTPRELAY_A_STREAM_REMOTE] = SOCKADDR,
	[SRTPRELAY_A_STREAM_LATCHED] = READ_ONLY,
	[SRTPRELAY_A_STREAM_OUT_SRC] = SOCKADDR,
	[SRTPRELAY_A_STREAM_OUT_DST] = SOCKADDR,
	[SRTPRELAY_A_STREAM_OUT_RTCP_DST] = SOCKADDR,
	[SRTPRELAY_A_STREAM_FLAGS] = U32,
	[SRTPRELAY_A_STREAM_COOKIE] = U64,
	[SRTPRELAY_A_STREAM_IN_CRYPTO] = NESTED,
	[SRTPRELAY_A_STREAM_OUT_CRYPTO] = NESTED,
	[SRTPRELAY_A_STREAM_STATS] = READ_ONLY,
	[SRTPRELAY_A_STATS] = READ_ONLY,
	[SRTPRELAY_A_STREAM_COUNT] = READ_ONLY,
	[SRTPRELAY_A_REALM_COUNT] = READ_ONLY,
	[SRTPRELAY_A_EVENT_TYPE] = READ_ONLY,
	[SRTPRELAY_A_EVENT_REMOTE] = READ_ONLY,
	[SRTPRELAY_A_EVENT_SSRC] = READ_ONLY,
	[SRTPRELAY_A_STREAM_LATCH_WINDOW_MS] = U32,
};

static const enum kind crypto_policy[SRTPRELAY_A_CRYPTO_MAX + 1] = {
	[SRTPRELAY_A_CRYPTO_SUITE] = U32,
	[SRTPRELAY_A_CRYPTO_MASTER_KEY] = BINARY,
	[SRTPRELAY_A_CRYPTO_MASTER_SALT] = BINARY,
	[SRTPRELAY_A_CRYPTO_MKI] = BINARY,
	[SRTPRELAY_A_CRYPTO_MKI_LEN] = READ_ONLY,
	[SRTPRELAY_A_CRYPTO_ROC] = U32,
	[SRTPRELAY_A_CRYPTO_SEQ] = U16,
	[SRTPRELAY_A_CRYPTO_REPLAY_WINDOW] = U16,
	[SRTPRELAY_A_CRYPTO_FLAGS] = U32,
};

static const char *check_kind(const struct nlattr *attr, enum kind kind)
{
	uint16_t len = mnl_attr_get_payload_len(attr);
	sa_family_t family;

	switch (kind) {
	case U8:
		return len == 1 ? NULL : "attribute is not a u8";
	case U16:
		return len == 2 ? NULL : "attribute is not a u16";
	case U32:
		return len == 4 ? NULL : "attribute is not a u32";
	case U64:
		return len == 8 ? NULL : "attribute is not a u64";
	case SOCKADDR:
		if (len < sizeof(family))
			return "address too short";
		memcpy(&family, mnl_attr_get_payload(attr), sizeof(family));
		if ((family == AF_INET && len == sizeof(struct sockaddr_in)) ||
		    (family == AF_INET6 && len == sizeof(struct sockaddr_in6)))
			return NULL;
		return "address is not a sockaddr_in or sockaddr_in6";
	case NESTED:
	case BINARY:
		return NULL;
	case READ_ONLY:
		return "attribute is read-only";
	case NONE:
		break;
	}
	return "unknown attribute";
}

static const char *check_crypto(const struct nlattr *nest)
{
	const struct nlattr *tb[SRTPRELAY_A_CRYPTO_MAX + 1] = { NULL };
	const struct nlattr *attr;
	struct srtp_suite_info info;
	const char *why;
	uint32_t suite;

	mnl_attr_for_each_nested(attr, nest) {
		uint16_t type = mnl_attr_get_type(attr);

		if (type > SRTPRELAY_A_CRYPTO_MAX)
			return "unknown crypto attribute";
		why = check_kind(attr, crypto_policy[type]);
		if (why)
			return why;
		tb[type] = attr;
	}
	if (!tb[SRTPRELAY_A_CRYPTO_SUITE])
		return "crypto suite missing";
	suite = mnl_attr_get_u32(tb[SRTPRELAY_A_CRYPTO_SUITE]);
	if (suite > SRTPRELAY_SUITE_MAX)
		return "unknown crypto suite";
	if (suite == SRTPRELAY_SUITE_NONE) {
		for (unsigned int t = SRTPRELAY_A_CRYPTO_MASTER_KEY;
		     t <= SRTPRELAY_A_CRYPTO_MAX; t++)
			if (tb[t])
				return "plain RTP takes no other crypto attribute";
		return NULL;
	}
	info = srtp_suite_info(suite);
	if (!tb[SRTPRELAY_A_CRYPTO_MASTER_KEY] ||
	    mnl_attr_get_payload_len(tb[SRTPRELAY_A_CRYPTO_MASTER_KEY]) !=
	    info.key_len)
		return "master key missing or not the suite's length (16 or 32 bytes)";
	if (!tb[SRTPRELAY_A_CRYPTO_MASTER_SALT] ||
	    mnl_attr_get_payload_len(tb[SRTPRELAY_A_CRYPTO_MASTER_SALT]) !=
	    info.salt_len)
		return "master salt missing or not the suite's length (14 or 12 bytes)";
	if ((attr = tb[SRTPRELAY_A_CRYPTO_MKI]) &&
	    (mnl_attr_get_payload_len(attr) < 1 ||
	     mnl_attr_get_payload_len(attr) > SRTPRELAY_MKI_MAX_LEN))
		return "MKI must be 1 to 4 bytes";
	if ((attr = tb[SRTPRELAY_A_CRYPTO_REPLAY_WINDOW]) &&
	    (mnl_attr_get_u16(attr) < SRTPRELAY_REPLAY_WINDOW_MIN ||
	     mnl_attr_get_u16(attr) > SRTPRELAY_REPLAY_WINDOW_MAX))
		return "replay window must be 64 to 1024";
	if ((attr = tb[SRTPRELAY_A_CRYPTO_FLAGS]) &&
	    (mnl_attr_get_u32(attr) & ~__SRTPRELAY_CRYPTO_F_ALL))
		return "unknown crypto flags";
	if (attr && info.aead &&
	    (mnl_attr_get_u32(attr) & (SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP |
				       SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP)))
		return "AEAD suites always encrypt and authenticate SRTP";
	return NULL;
}

/* Which attributes each command needs. */
static const char *check_required(uint8_t cmd, const struct nlattr **tb)
{
	static const struct {
		uint8_t cmd;
		uint16_t attrs[5];
	} required[] = {
		{ SRTPRELAY_CMD_REALM_ADD, { SRTPRELAY_A_REALM_ID,
		  SRTPRELAY_A_REALM_ADDR, SRTPRELAY_A_REALM_PORT_MIN,
		  SRTPRELAY_A_REALM_PORT_MAX } },
		{ SRTPRELAY_CMD_REALM_DEL, { SRTPRELAY_A_REALM_ID } },
		{ SRTPRELAY_CMD_STREAM_ADD, { SRTPRELAY_A_STREAM_LOCAL,
		  SRTPRELAY_A_STREAM_OUT_SRC, SRTPRELAY_A_STREAM_OUT_DST,
		  SRTPRELAY_A_STREAM_IN_CRYPTO,
		  SRTPRELAY_A_STREAM_OUT_CRYPTO } },
		{ SRTPRELAY_CMD_STREAM_SET, { SRTPRELAY_A_STREAM_LOCAL } },
		{ SRTPRELAY_CMD_STREAM_DEL, { SRTPRELAY_A_STREAM_LOCAL } },
	};

	for (size_t i = 0; i < ARRAY_SIZE(required); i++) {
		if (required[i].cmd != cmd)
			continue;
		for (size_t a = 0; a < ARRAY_SIZE(required[i].attrs); a++)
			if (required[i].attrs[a] && !tb[required[i].attrs[a]])
				return "a required attribute is missing";
	}
	return NULL;
}

int dp_control_validate(const struct nlmsghdr *req, const char **why)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);
	const struct nlattr *tb[SRTPRELAY_A_MAX + 1] = { NULL };
	const struct nlattr *attr;

	mnl_attr_for_each(attr, req, GENL_HDRLEN) {
		uint16_t type = mnl_attr_get_type(attr);

		*why = type > SRTPRELAY_A_MAX ? "unknown attribute" :
			check_kind(attr, top_policy[type]);
		if (!*why && top_policy[type] == NESTED)
			*why = check_crypto(attr);
		if (*why)
			return -EINVAL;
		tb[type] = attr;
	}
	/* The loop stops at the first attribute that does not fit. */
	if ((const char *)attr < (const char *)mnl_nlmsg_get_payload_tail(req)) {
		*why = "truncated attribute";
		return -EINVAL;
	}
	*why = check_required(genl->cmd, tb);
	if (*why)
		return -EINVAL;
	if (tb[SRTPRELAY_A_STREAM_FLAGS] &&
	    (mnl_attr_get_u32(tb[SRTPRELAY_A_STREAM_FLAGS]) &
	     ~__SRTPRELAY_STREAM_F_ALL)) {
		*why = "unknown stream flags";
		return -EINVAL;
	}
	return 0;
}

static const struct nlattr *find_attr(const struct nlmsghdr *req,
				      uint16_t type)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, req, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == type)
			return attr;
	return NULL;
}

uint32_t dp_control_realm_id(const struct nlmsghdr *req)
{
	const struct nlattr *attr = find_attr(req, SRTPRELAY_A_REALM_ID);

	return attr ? mnl_attr_get_u32(attr) : 0;
}

bool dp_control_cookie(const struct nlmsghdr *req, uint64_t *cookie)
{
	const struct nlattr *attr = find_attr(req, SRTPRELAY_A_STREAM_COOKIE);

	if (!attr)
		return false;
	memcpy(cookie, mnl_attr_get_payload(attr), sizeof(*cookie));
	return true;
}

/* The group named in one CTRL_ATTR_MCAST_GROUPS entry, if it is ours. */
static bool is_events_group(const struct nlattr *group)
{
	const struct nlattr *attr;

	if (mnl_attr_validate(group, MNL_TYPE_NESTED) < 0)
		return false;
	mnl_attr_for_each_nested(attr, group)
		if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0 &&
		    mnl_attr_get_u32(attr) == DP_CONTROL_EVENTS_GROUP)
			return true;
	return false;
}

int dp_control_join(const struct nlmsghdr *req, const char **why)
{
	const struct nlattr *attr, *group;
	bool family = false, events = false;

	mnl_attr_for_each(attr, req, GENL_HDRLEN) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_FAMILY_ID:
			family = mnl_attr_validate(attr, MNL_TYPE_U16) == 0 &&
				 mnl_attr_get_u16(attr) == DP_CONTROL_FAMILY_ID;
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
				break;
			mnl_attr_for_each_nested(group, attr)
				events |= is_events_group(group);
			break;
		}
	}
	if (!family) {
		*why = "join: not the srtprelay family";
		return -ENOENT;
	}
	if (!events) {
		*why = "join: the srtprelay family has no such multicast group";
		return -ENOENT;
	}
	return 0;
}

void dp_control_put_event(struct nlmsghdr *nlh,
			  const struct relay_nl_event *event)
{
	mnl_attr_put_u32(nlh, SRTPRELAY_A_EVENT_TYPE, event->type);
	relay_nl_put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, &event->local);
	mnl_attr_put_u64(nlh, SRTPRELAY_A_STREAM_COOKIE, event->cookie);
	if (event->remote.ss_family != AF_UNSPEC)
		relay_nl_put_sockaddr(nlh, SRTPRELAY_A_EVENT_REMOTE,
				      &event->remote);
	if (event->has_ssrc)
		mnl_attr_put_u32(nlh, SRTPRELAY_A_EVENT_SSRC, event->ssrc);
}
