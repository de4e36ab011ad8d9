// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * relay_nl: encoding and decoding of the srtprelay generic netlink
 * attributes (include/uapi/linux/srtprelay.h), shared by the client and by
 * anything that must read or write the same messages.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <openssl/crypto.h>

#include "relay_nl_private.h"
#include "srtp_suite.h"

/* ---- codec ---------------------------------------------------------- */

void relay_nl_put_sockaddr(struct nlmsghdr *nlh, uint16_t type,
			 const struct sockaddr_storage *ss)
{
	size_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
						 sizeof(struct sockaddr_in);

	mnl_attr_put(nlh, type, len, ss);
}

static void put_crypto(struct nlmsghdr *nlh, uint16_t type,
		       const struct relay_nl_crypto *c)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	struct srtp_suite_info suite = srtp_suite_info(c->suite);

	mnl_attr_put_u32(nlh, SRTPRELAY_A_CRYPTO_SUITE, c->suite);
	if (suite.key_len) {
		mnl_attr_put(nlh, SRTPRELAY_A_CRYPTO_MASTER_KEY,
			     suite.key_len, c->key);
		mnl_attr_put(nlh, SRTPRELAY_A_CRYPTO_MASTER_SALT,
			     suite.salt_len, c->salt);
	}
	if (c->mki_len)
		mnl_attr_put(nlh, SRTPRELAY_A_CRYPTO_MKI, c->mki_len, c->mki);
	if (c->has_roc)
		mnl_attr_put_u32(nlh, SRTPRELAY_A_CRYPTO_ROC, c->roc);
	if (c->has_seq)
		mnl_attr_put_u16(nlh, SRTPRELAY_A_CRYPTO_SEQ, c->seq);
	if (c->replay_window)
		mnl_attr_put_u16(nlh, SRTPRELAY_A_CRYPTO_REPLAY_WINDOW,
				 c->replay_window);
	if (c->flags)
		mnl_attr_put_u32(nlh, SRTPRELAY_A_CRYPTO_FLAGS, c->flags);
	mnl_attr_nest_end(nlh, nest);
}

void relay_nl_stream_put(struct nlmsghdr *nlh, const struct relay_nl_stream *s)
{
	relay_nl_put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, &s->local);
	if (s->has & RELAY_NL_HAS_REMOTE)
		relay_nl_put_sockaddr(nlh, SRTPRELAY_A_STREAM_REMOTE, &s->remote);
	if (s->has & RELAY_NL_HAS_OUT_SRC)
		relay_nl_put_sockaddr(nlh, SRTPRELAY_A_STREAM_OUT_SRC, &s->out_src);
	if (s->has & RELAY_NL_HAS_OUT_DST)
		relay_nl_put_sockaddr(nlh, SRTPRELAY_A_STREAM_OUT_DST, &s->out_dst);
	if (s->has & RELAY_NL_HAS_OUT_RTCP_DST)
		relay_nl_put_sockaddr(nlh, SRTPRELAY_A_STREAM_OUT_RTCP_DST,
			     &s->out_rtcp_dst);
	if (s->has & RELAY_NL_HAS_FLAGS)
		mnl_attr_put_u32(nlh, SRTPRELAY_A_STREAM_FLAGS, s->flags);
	if (s->has & RELAY_NL_HAS_COOKIE)
		mnl_attr_put_u64(nlh, SRTPRELAY_A_STREAM_COOKIE, s->cookie);
	if (s->has & RELAY_NL_HAS_LATCH_WINDOW)
		mnl_attr_put_u32(nlh, SRTPRELAY_A_STREAM_LATCH_WINDOW_MS,
				 s->latch_window_ms);
	if (s->has & RELAY_NL_HAS_IN_CRYPTO)
		put_crypto(nlh, SRTPRELAY_A_STREAM_IN_CRYPTO, &s->in);
	if (s->has & RELAY_NL_HAS_OUT_CRYPTO)
		put_crypto(nlh, SRTPRELAY_A_STREAM_OUT_CRYPTO, &s->out);
}

static uint64_t get_u64(const struct nlattr *a)
{
	uint64_t v;

	/* Attributes are only 4-byte aligned. */
	memcpy(&v, mnl_attr_get_payload(a), sizeof(v));
	return v;
}

static int get_sockaddr(const struct nlattr *a, struct sockaddr_storage *ss)
{
	uint16_t len = mnl_attr_get_payload_len(a);
	sa_family_t family;

	if (len < sizeof(family))
		return -EINVAL;
	memcpy(&family, mnl_attr_get_payload(a), sizeof(family));
	if (!(family == AF_INET && len == sizeof(struct sockaddr_in)) &&
	    !(family == AF_INET6 && len == sizeof(struct sockaddr_in6)))
		return -EINVAL;
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, mnl_attr_get_payload(a), len);
	return 0;
}

struct attr_table {
	const struct nlattr **tb;
	uint16_t max;
};

static int collect_attr(const struct nlattr *attr, void *data)
{
	struct attr_table *t = data;
	uint16_t type = mnl_attr_get_type(attr);

	/* Newer modules may add attributes: skip what we do not know. */
	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

bool relay_nl_len_is(const struct nlattr *a, size_t len)
{
	return mnl_attr_get_payload_len(a) == len;
}

static int parse_crypto(const struct nlattr *nest, struct relay_nl_crypto *c)
{
	const struct nlattr *tb[SRTPRELAY_A_CRYPTO_MAX + 1] = { NULL };
	struct attr_table t = { tb, SRTPRELAY_A_CRYPTO_MAX };
	struct srtp_suite_info suite;
	const struct nlattr *a;

	if (mnl_attr_parse_nested(nest, collect_attr, &t) < 0)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	if ((a = tb[SRTPRELAY_A_CRYPTO_SUITE])) {
		if (!relay_nl_len_is(a, 4))
			return -EINVAL;
		c->suite = mnl_attr_get_u32(a);
	}
	suite = srtp_suite_info(c->suite);
	if ((a = tb[SRTPRELAY_A_CRYPTO_MASTER_KEY])) {
		if (!suite.key_len || !relay_nl_len_is(a, suite.key_len))
			return -EINVAL;
		memcpy(c->key, mnl_attr_get_payload(a), suite.key_len);
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_MASTER_SALT])) {
		if (!suite.salt_len || !relay_nl_len_is(a, suite.salt_len))
			return -EINVAL;
		memcpy(c->salt, mnl_attr_get_payload(a), suite.salt_len);
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_MKI])) {
		uint16_t len = mnl_attr_get_payload_len(a);

		if (len < 1 || len > sizeof(c->mki))
			return -EINVAL;
		memcpy(c->mki, mnl_attr_get_payload(a), len);
		c->mki_len = (uint8_t)len;
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_MKI_LEN])) {
		if (!relay_nl_len_is(a, 1) || mnl_attr_get_u8(a) > SRTPRELAY_MKI_MAX_LEN)
			return -EINVAL;
		c->mki_len = mnl_attr_get_u8(a);
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_ROC])) {
		if (!relay_nl_len_is(a, 4))
			return -EINVAL;
		c->roc = mnl_attr_get_u32(a);
		c->has_roc = true;
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_SEQ])) {
		if (!relay_nl_len_is(a, 2))
			return -EINVAL;
		c->seq = mnl_attr_get_u16(a);
		c->has_seq = true;
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_REPLAY_WINDOW])) {
		if (!relay_nl_len_is(a, 2))
			return -EINVAL;
		c->replay_window = mnl_attr_get_u16(a);
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_FLAGS])) {
		if (!relay_nl_len_is(a, 4))
			return -EINVAL;
		c->flags = mnl_attr_get_u32(a);
	}
	return 0;
}

/*
 * A counters nest: type stat + 1, u64 each, and LAST_RX_AGE_MS. Empty
 * attributes are alignment padding (nla_put_u64_64bit on architectures
 * without efficient unaligned access) and are skipped.
 */
int relay_nl_parse_stats(const struct nlattr *nest, uint64_t *counters,
		       uint64_t *age, bool *has_age)
{
	const struct nlattr *a;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EINVAL;
	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);

		if (!mnl_attr_get_payload_len(a))
			continue;
		if (type < 1 || type > SRTPRELAY_A_STATS_MAX)
			continue;
		if (!relay_nl_len_is(a, sizeof(uint64_t)))
			return -EINVAL;
		if (type == SRTPRELAY_A_STATS_LAST_RX_AGE_MS) {
			if (age)
				*age = get_u64(a);
			if (has_age)
				*has_age = true;
		} else {
			counters[type - 1] = get_u64(a);
		}
	}
	return 0;
}

int relay_nl_parse_top(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	struct attr_table t = { tb, SRTPRELAY_A_MAX };

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EINVAL;
	if (mnl_attr_parse(nlh, GENL_HDRLEN, collect_attr, &t) < 0)
		return -EINVAL;
	return 0;
}

int relay_nl_stream_parse(const struct nlmsghdr *nlh, struct relay_nl_stream *s)
{
	const struct nlattr *tb[SRTPRELAY_A_MAX + 1] = { NULL };
	static const struct {
		uint16_t type;
		uint32_t has;
		size_t off;
	} addrs[] = {
		{ SRTPRELAY_A_STREAM_REMOTE, RELAY_NL_HAS_REMOTE,
		  offsetof(struct relay_nl_stream, remote) },
		{ SRTPRELAY_A_STREAM_LATCHED, RELAY_NL_HAS_LATCHED,
		  offsetof(struct relay_nl_stream, latched) },
		{ SRTPRELAY_A_STREAM_OUT_SRC, RELAY_NL_HAS_OUT_SRC,
		  offsetof(struct relay_nl_stream, out_src) },
		{ SRTPRELAY_A_STREAM_OUT_DST, RELAY_NL_HAS_OUT_DST,
		  offsetof(struct relay_nl_stream, out_dst) },
		{ SRTPRELAY_A_STREAM_OUT_RTCP_DST, RELAY_NL_HAS_OUT_RTCP_DST,
		  offsetof(struct relay_nl_stream, out_rtcp_dst) },
	};
	const struct nlattr *a;
	bool has_age = false;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (relay_nl_parse_top(nlh, tb) < 0)
		return -EINVAL;
	if (!tb[SRTPRELAY_A_STREAM_LOCAL] ||
	    get_sockaddr(tb[SRTPRELAY_A_STREAM_LOCAL], &s->local) < 0)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		a = tb[addrs[i].type];
		if (!a)
			continue;
		if (get_sockaddr(a, (struct sockaddr_storage *)
				 ((char *)s + addrs[i].off)) < 0)
			return -EINVAL;
		s->has |= addrs[i].has;
	}
	if ((a = tb[SRTPRELAY_A_STREAM_FLAGS])) {
		if (!relay_nl_len_is(a, 4))
			return -EINVAL;
		s->flags = mnl_attr_get_u32(a);
		s->has |= RELAY_NL_HAS_FLAGS;
	}
	if ((a = tb[SRTPRELAY_A_STREAM_COOKIE])) {
		if (!relay_nl_len_is(a, 8))
			return -EINVAL;
		s->cookie = get_u64(a);
		s->has |= RELAY_NL_HAS_COOKIE;
	}
	if ((a = tb[SRTPRELAY_A_STREAM_LATCH_WINDOW_MS])) {
		if (!relay_nl_len_is(a, 4))
			return -EINVAL;
		s->latch_window_ms = mnl_attr_get_u32(a);
		s->has |= RELAY_NL_HAS_LATCH_WINDOW;
	}
	if ((a = tb[SRTPRELAY_A_STREAM_IN_CRYPTO])) {
		if (parse_crypto(a, &s->in) < 0)
			return -EINVAL;
		s->has |= RELAY_NL_HAS_IN_CRYPTO;
	}
	if ((a = tb[SRTPRELAY_A_STREAM_OUT_CRYPTO])) {
		if (parse_crypto(a, &s->out) < 0)
			return -EINVAL;
		s->has |= RELAY_NL_HAS_OUT_CRYPTO;
	}
	if ((a = tb[SRTPRELAY_A_STREAM_STATS])) {
		if (relay_nl_parse_stats(a, s->stats, &s->last_rx_age_ms, &has_age) < 0)
			return -EINVAL;
		s->has |= RELAY_NL_HAS_STATS;
		if (has_age)
			s->has |= RELAY_NL_HAS_LAST_RX;
	}
	return 0;
}

int relay_nl_realm_parse(const struct nlmsghdr *nlh, struct relay_nl_realm *r)
{
	const struct nlattr *tb[SRTPRELAY_A_MAX + 1] = { NULL };
	const struct nlattr *a;

	memset(r, 0, sizeof(*r));
	if (relay_nl_parse_top(nlh, tb) < 0)
		return -EINVAL;
	if (!tb[SRTPRELAY_A_REALM_ID] || !relay_nl_len_is(tb[SRTPRELAY_A_REALM_ID], 4) ||
	    !tb[SRTPRELAY_A_REALM_ADDR] ||
	    get_sockaddr(tb[SRTPRELAY_A_REALM_ADDR], &r->addr) < 0 ||
	    !tb[SRTPRELAY_A_REALM_PORT_MIN] ||
	    !relay_nl_len_is(tb[SRTPRELAY_A_REALM_PORT_MIN], 2) ||
	    !tb[SRTPRELAY_A_REALM_PORT_MAX] ||
	    !relay_nl_len_is(tb[SRTPRELAY_A_REALM_PORT_MAX], 2))
		return -EINVAL;
	r->id = mnl_attr_get_u32(tb[SRTPRELAY_A_REALM_ID]);
	r->port_min = mnl_attr_get_u16(tb[SRTPRELAY_A_REALM_PORT_MIN]);
	r->port_max = mnl_attr_get_u16(tb[SRTPRELAY_A_REALM_PORT_MAX]);
	if ((a = tb[SRTPRELAY_A_REALM_NFQUEUE])) {
		if (!relay_nl_len_is(a, 2))
			return -EINVAL;
		r->nfqueue = mnl_attr_get_u16(a);
		r->has_nfqueue = true;
	}
	return 0;
}

int relay_nl_event_parse(const struct nlmsghdr *nlh, struct relay_nl_event *e)
{
	const struct nlattr *tb[SRTPRELAY_A_MAX + 1] = { NULL };
	const struct nlattr *a;

	memset(e, 0, sizeof(*e));
	if (relay_nl_parse_top(nlh, tb) < 0)
		return -EINVAL;
	if (!(a = tb[SRTPRELAY_A_EVENT_TYPE]) || !relay_nl_len_is(a, 4))
		return -EINVAL;
	e->type = mnl_attr_get_u32(a);
	if ((a = tb[SRTPRELAY_A_STREAM_LOCAL]) && get_sockaddr(a, &e->local) < 0)
		return -EINVAL;
	if ((a = tb[SRTPRELAY_A_STREAM_COOKIE])) {
		if (!relay_nl_len_is(a, 8))
			return -EINVAL;
		e->cookie = get_u64(a);
		e->has_cookie = true;
	}
	if ((a = tb[SRTPRELAY_A_EVENT_REMOTE]) && get_sockaddr(a, &e->remote) < 0)
		return -EINVAL;
	if ((a = tb[SRTPRELAY_A_EVENT_SSRC])) {
		if (!relay_nl_len_is(a, 4))
			return -EINVAL;
		e->ssrc = mnl_attr_get_u32(a);
		e->has_ssrc = true;
	}
	return 0;
}

/* Zeroes key, salt and MKI value in a request once it has been sent. */
void relay_nl_wipe_secrets(struct nlmsghdr *nlh)
{
	struct nlattr *a, *c;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		uint16_t type = mnl_attr_get_type(a);

		if (type != SRTPRELAY_A_STREAM_IN_CRYPTO &&
		    type != SRTPRELAY_A_STREAM_OUT_CRYPTO)
			continue;
		mnl_attr_for_each_nested(c, a) {
			switch (mnl_attr_get_type(c)) {
			case SRTPRELAY_A_CRYPTO_MASTER_KEY:
			case SRTPRELAY_A_CRYPTO_MASTER_SALT:
			case SRTPRELAY_A_CRYPTO_MKI:
				OPENSSL_cleanse(mnl_attr_get_payload(c),
						mnl_attr_get_payload_len(c));
				break;
			}
		}
	}
}
