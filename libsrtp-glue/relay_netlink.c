// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * relay_nl: client of the srtprelay generic netlink family over libmnl.
 * The contract is include/uapi/linux/srtprelay.h; this file only encodes
 * and decodes it, and turns the kernel's extended ACKs into text.
 */
#include "relay_netlink.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
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

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct relay_nl {
	struct mnl_socket *sock;
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

/* ---- names ---------------------------------------------------------- */

static const char *const stat_names[SRTPRELAY_STAT_COUNT] = {
	[SRTPRELAY_STAT_RX_PACKETS] = "rx_packets",
	[SRTPRELAY_STAT_RX_BYTES] = "rx_bytes",
	[SRTPRELAY_STAT_TX_PACKETS] = "tx_packets",
	[SRTPRELAY_STAT_TX_BYTES] = "tx_bytes",
	[SRTPRELAY_STAT_RTCP_RX_PACKETS] = "rtcp_rx_packets",
	[SRTPRELAY_STAT_RTCP_TX_PACKETS] = "rtcp_tx_packets",
	[SRTPRELAY_STAT_AUTH_FAILED] = "auth_failed",
	[SRTPRELAY_STAT_REPLAYED] = "replayed",
	[SRTPRELAY_STAT_TOO_OLD] = "too_old",
	[SRTPRELAY_STAT_MKI_MISMATCH] = "mki_mismatch",
	[SRTPRELAY_STAT_MALFORMED] = "malformed",
	[SRTPRELAY_STAT_SOURCE_REJECTED] = "source_rejected",
	[SRTPRELAY_STAT_HELD] = "held",
	[SRTPRELAY_STAT_SSRC_CHANGES] = "ssrc_changes",
	[SRTPRELAY_STAT_ROC_CHANGES] = "roc_changes",
	[SRTPRELAY_STAT_TX_ERRORS] = "tx_errors",
	[SRTPRELAY_STAT_PUNTED] = "punted",
	[SRTPRELAY_STAT_FRAGMENTS] = "fragments",
};

static const char *const suite_names[] = {
	[SRTPRELAY_SUITE_NONE] = "NONE",
	[SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80] = "AES_CM_128_HMAC_SHA1_80",
	[SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32] = "AES_CM_128_HMAC_SHA1_32",
};

static const char *const event_names[] = {
	[SRTPRELAY_EVENT_REMOTE_LATCHED] = "remote_latched",
	[SRTPRELAY_EVENT_REMOTE_CHANGED] = "remote_changed",
	[SRTPRELAY_EVENT_SSRC_CHANGED] = "ssrc_changed",
	[SRTPRELAY_EVENT_IDLE] = "idle",
};

static const char *const stream_flag_names[] = {
	"latch", "lock_on_sdp", "rtcp_mux_in", "rtcp_mux_out", "hold",
	"punt_rtcp",
};

static const char *const crypto_flag_names[] = {
	"unencrypted_srtp", "unencrypted_srtcp", "unauthenticated_srtp",
};

static const char *const attr_names[SRTPRELAY_A_MAX + 1] = {
	[SRTPRELAY_A_PAD] = "pad",
	[SRTPRELAY_A_REALM_ID] = "realm_id",
	[SRTPRELAY_A_REALM_ADDR] = "realm_addr",
	[SRTPRELAY_A_REALM_PORT_MIN] = "realm_port_min",
	[SRTPRELAY_A_REALM_PORT_MAX] = "realm_port_max",
	[SRTPRELAY_A_REALM_NFQUEUE] = "realm_nfqueue",
	[SRTPRELAY_A_STREAM_LOCAL] = "stream_local",
	[SRTPRELAY_A_STREAM_REMOTE] = "stream_remote",
	[SRTPRELAY_A_STREAM_LATCHED] = "stream_latched",
	[SRTPRELAY_A_STREAM_OUT_SRC] = "stream_out_src",
	[SRTPRELAY_A_STREAM_OUT_DST] = "stream_out_dst",
	[SRTPRELAY_A_STREAM_OUT_RTCP_DST] = "stream_out_rtcp_dst",
	[SRTPRELAY_A_STREAM_FLAGS] = "stream_flags",
	[SRTPRELAY_A_STREAM_COOKIE] = "stream_cookie",
	[SRTPRELAY_A_STREAM_IN_CRYPTO] = "stream_in_crypto",
	[SRTPRELAY_A_STREAM_OUT_CRYPTO] = "stream_out_crypto",
	[SRTPRELAY_A_STREAM_STATS] = "stream_stats",
	[SRTPRELAY_A_STATS] = "stats",
	[SRTPRELAY_A_STREAM_COUNT] = "stream_count",
	[SRTPRELAY_A_REALM_COUNT] = "realm_count",
	[SRTPRELAY_A_EVENT_TYPE] = "event_type",
	[SRTPRELAY_A_EVENT_REMOTE] = "event_remote",
	[SRTPRELAY_A_EVENT_SSRC] = "event_ssrc",
};

static const char *const crypto_attr_names[SRTPRELAY_A_CRYPTO_MAX + 1] = {
	[SRTPRELAY_A_CRYPTO_SUITE] = "suite",
	[SRTPRELAY_A_CRYPTO_MASTER_KEY] = "master_key",
	[SRTPRELAY_A_CRYPTO_MASTER_SALT] = "master_salt",
	[SRTPRELAY_A_CRYPTO_MKI] = "mki",
	[SRTPRELAY_A_CRYPTO_MKI_LEN] = "mki_len",
	[SRTPRELAY_A_CRYPTO_ROC] = "roc",
	[SRTPRELAY_A_CRYPTO_SEQ] = "seq",
	[SRTPRELAY_A_CRYPTO_REPLAY_WINDOW] = "replay_window",
	[SRTPRELAY_A_CRYPTO_FLAGS] = "flags",
};

const char *relay_nl_stat_name(unsigned int stat)
{
	return stat < SRTPRELAY_STAT_COUNT ? stat_names[stat] : NULL;
}

const char *relay_nl_suite_name(uint32_t suite)
{
	return suite < ARRAY_SIZE(suite_names) ? suite_names[suite] : NULL;
}

int relay_nl_suite_parse(const char *name, uint32_t *suite)
{
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(suite_names); i++) {
		if (!strcmp(name, suite_names[i])) {
			*suite = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *relay_nl_event_name(uint32_t type)
{
	return type < ARRAY_SIZE(event_names) ? event_names[type] : NULL;
}

static const char *bit_name(const char *const *names, size_t count,
			    uint32_t flag)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (flag == 1U << i)
			return names[i];
	return NULL;
}

const char *relay_nl_stream_flag_name(uint32_t flag)
{
	return bit_name(stream_flag_names, ARRAY_SIZE(stream_flag_names), flag);
}

const char *relay_nl_crypto_flag_name(uint32_t flag)
{
	return bit_name(crypto_flag_names, ARRAY_SIZE(crypto_flag_names), flag);
}

/* ---- errors --------------------------------------------------------- */

static int set_err(struct relay_nl_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A local failure: @fmt says what was being done; strerror is appended. */
static int set_err(struct relay_nl_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	memset(err, 0, sizeof(*err));
	err->code = code;
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s",
			 strerror(code));
	return -code;
}

const char *relay_nl_err_format(const struct relay_nl_err *err, char *buf,
				size_t size)
{
	if (!err->code) {
		snprintf(buf, size, "no error");
		return buf;
	}
	if (!err->from_kernel && err->msg[0]) {
		snprintf(buf, size, "%s", err->msg);
		return buf;
	}
	snprintf(buf, size, "%s%s%s%s%s%s", strerror(err->code),
		 err->msg[0] ? ": " : "", err->msg,
		 err->attr[0] ? " (attribute " : "", err->attr,
		 err->attr[0] ? ")" : "");
	return buf;
}

const struct relay_nl_err *relay_nl_error(const struct relay_nl *nl)
{
	return &nl->err;
}

const char *relay_nl_strerror(const struct relay_nl *nl)
{
	struct relay_nl *mut = (struct relay_nl *)nl;

	return relay_nl_err_format(&nl->err, mut->errline, sizeof(mut->errline));
}

/* Names the attribute of @req that starts @offs bytes into it. */
static void name_attr_at(const struct nlmsghdr *req, uint32_t offs,
			 char *name, size_t size)
{
	const struct nlattr *a, *c;

	if (offs < NLMSG_HDRLEN + GENL_HDRLEN || offs >= req->nlmsg_len)
		return;
	mnl_attr_for_each(a, req, GENL_HDRLEN) {
		uint16_t type = mnl_attr_get_type(a);
		const char *top = type <= SRTPRELAY_A_MAX ? attr_names[type] : NULL;
		uint32_t at = (uint32_t)((const char *)a - (const char *)req);

		if (!top)
			top = "unknown";
		if (at == offs) {
			snprintf(name, size, "%s", top);
			return;
		}
		if (type != SRTPRELAY_A_STREAM_IN_CRYPTO &&
		    type != SRTPRELAY_A_STREAM_OUT_CRYPTO)
			continue;
		mnl_attr_for_each_nested(c, a) {
			uint16_t ct = mnl_attr_get_type(c);

			at = (uint32_t)((const char *)c - (const char *)req);
			if (at == offs) {
				snprintf(name, size, "%s.%s", top,
					 ct <= SRTPRELAY_A_CRYPTO_MAX &&
					 crypto_attr_names[ct] ?
					 crypto_attr_names[ct] : "unknown");
				return;
			}
		}
	}
}

/* Names attribute @type missing from the nest at @nest_offs (0: top). */
static void name_missing(const struct nlmsghdr *req, uint32_t type,
			 uint32_t nest_offs, bool in_nest, char *name,
			 size_t size)
{
	char nest[48] = "";

	if (in_nest && req)
		name_attr_at(req, nest_offs, nest, sizeof(nest));
	if (in_nest && (!strcmp(nest, "stream_in_crypto") ||
			!strcmp(nest, "stream_out_crypto")))
		snprintf(name, size, "%s.%s", nest,
			 type <= SRTPRELAY_A_CRYPTO_MAX &&
			 crypto_attr_names[type] ?
			 crypto_attr_names[type] : "unknown");
	else if (!in_nest && type <= SRTPRELAY_A_MAX && attr_names[type])
		snprintf(name, size, "%s", attr_names[type]);
	else
		snprintf(name, size, "type %u", type);
}

struct ext_ack {
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
};

static int ext_ack_attr(const struct nlattr *attr, void *data)
{
	struct ext_ack *ack = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type > NLMSGERR_ATTR_MAX)
		return MNL_CB_OK;
	switch (type) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_OK;
		break;
	case NLMSGERR_ATTR_OFFS:
	case NLMSGERR_ATTR_MISS_TYPE:
	case NLMSGERR_ATTR_MISS_NEST:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_OK;
		break;
	}
	ack->tb[type] = attr;
	return MNL_CB_OK;
}

int relay_nl_decode_error(const struct nlmsghdr *nlh,
			  const struct nlmsghdr *req, struct relay_nl_err *err)
{
	const char *payload = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	struct ext_ack ack = { { NULL } };
	size_t off;
	int code;

	memset(err, 0, sizeof(*err));
	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return set_err(err, EBADMSG, "reading the kernel's answer");
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* Very old kernels end a dump with an empty DONE. */
		if (len < sizeof(int))
			return 0;
		memcpy(&code, payload, sizeof(code));
		off = sizeof(int);
	} else {
		struct nlmsgerr e;

		if (len < sizeof(e))
			return set_err(err, EBADMSG,
				       "reading the kernel's answer");
		memcpy(&e, payload, sizeof(e));
		code = e.error;
		off = sizeof(e);
		/* Without NETLINK_CAP_ACK the request is echoed first. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e.msg.nlmsg_len >= NLMSG_HDRLEN)
			off = NLMSG_ALIGN(off + e.msg.nlmsg_len - NLMSG_HDRLEN);
	}
	if (code >= 0)
		return 0;
	/* The kernel's errnos are 1..4095 (MAX_ERRNO); anything else is noise. */
	if (code < -4095)
		code = -EPROTO;
	err->code = -code;
	err->from_kernel = true;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < len)
		mnl_attr_parse_payload(payload + off, len - off, ext_ack_attr,
				       &ack);
	if (ack.tb[NLMSGERR_ATTR_MSG])
		snprintf(err->msg, sizeof(err->msg), "%s",
			 mnl_attr_get_str(ack.tb[NLMSGERR_ATTR_MSG]));
	if (ack.tb[NLMSGERR_ATTR_OFFS] && req)
		name_attr_at(req, mnl_attr_get_u32(ack.tb[NLMSGERR_ATTR_OFFS]),
			     err->attr, sizeof(err->attr));
	if (ack.tb[NLMSGERR_ATTR_MISS_TYPE]) {
		const struct nlattr *nest = ack.tb[NLMSGERR_ATTR_MISS_NEST];

		name_missing(req, mnl_attr_get_u32(ack.tb[NLMSGERR_ATTR_MISS_TYPE]),
			     nest ? mnl_attr_get_u32(nest) : 0, nest != NULL,
			     err->attr, sizeof(err->attr));
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg),
				 "missing attribute");
	}
	return code;
}

/* ---- codec ---------------------------------------------------------- */

static void put_sockaddr(struct nlmsghdr *nlh, uint16_t type,
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

	mnl_attr_put_u32(nlh, SRTPRELAY_A_CRYPTO_SUITE, c->suite);
	if (c->suite != SRTPRELAY_SUITE_NONE) {
		mnl_attr_put(nlh, SRTPRELAY_A_CRYPTO_MASTER_KEY,
			     sizeof(c->key), c->key);
		mnl_attr_put(nlh, SRTPRELAY_A_CRYPTO_MASTER_SALT,
			     sizeof(c->salt), c->salt);
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
	put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, &s->local);
	if (s->has & RELAY_NL_HAS_REMOTE)
		put_sockaddr(nlh, SRTPRELAY_A_STREAM_REMOTE, &s->remote);
	if (s->has & RELAY_NL_HAS_OUT_SRC)
		put_sockaddr(nlh, SRTPRELAY_A_STREAM_OUT_SRC, &s->out_src);
	if (s->has & RELAY_NL_HAS_OUT_DST)
		put_sockaddr(nlh, SRTPRELAY_A_STREAM_OUT_DST, &s->out_dst);
	if (s->has & RELAY_NL_HAS_OUT_RTCP_DST)
		put_sockaddr(nlh, SRTPRELAY_A_STREAM_OUT_RTCP_DST,
			     &s->out_rtcp_dst);
	if (s->has & RELAY_NL_HAS_FLAGS)
		mnl_attr_put_u32(nlh, SRTPRELAY_A_STREAM_FLAGS, s->flags);
	if (s->has & RELAY_NL_HAS_COOKIE)
		mnl_attr_put_u64(nlh, SRTPRELAY_A_STREAM_COOKIE, s->cookie);
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

static bool len_is(const struct nlattr *a, size_t len)
{
	return mnl_attr_get_payload_len(a) == len;
}

static int parse_crypto(const struct nlattr *nest, struct relay_nl_crypto *c)
{
	const struct nlattr *tb[SRTPRELAY_A_CRYPTO_MAX + 1] = { NULL };
	struct attr_table t = { tb, SRTPRELAY_A_CRYPTO_MAX };
	const struct nlattr *a;

	if (mnl_attr_parse_nested(nest, collect_attr, &t) < 0)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	if ((a = tb[SRTPRELAY_A_CRYPTO_SUITE])) {
		if (!len_is(a, 4))
			return -EINVAL;
		c->suite = mnl_attr_get_u32(a);
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_MASTER_KEY])) {
		if (!len_is(a, sizeof(c->key)))
			return -EINVAL;
		memcpy(c->key, mnl_attr_get_payload(a), sizeof(c->key));
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_MASTER_SALT])) {
		if (!len_is(a, sizeof(c->salt)))
			return -EINVAL;
		memcpy(c->salt, mnl_attr_get_payload(a), sizeof(c->salt));
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_MKI])) {
		uint16_t len = mnl_attr_get_payload_len(a);

		if (len < 1 || len > sizeof(c->mki))
			return -EINVAL;
		memcpy(c->mki, mnl_attr_get_payload(a), len);
		c->mki_len = (uint8_t)len;
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_MKI_LEN])) {
		if (!len_is(a, 1) || mnl_attr_get_u8(a) > SRTPRELAY_MKI_MAX_LEN)
			return -EINVAL;
		c->mki_len = mnl_attr_get_u8(a);
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_ROC])) {
		if (!len_is(a, 4))
			return -EINVAL;
		c->roc = mnl_attr_get_u32(a);
		c->has_roc = true;
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_SEQ])) {
		if (!len_is(a, 2))
			return -EINVAL;
		c->seq = mnl_attr_get_u16(a);
		c->has_seq = true;
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_REPLAY_WINDOW])) {
		if (!len_is(a, 2))
			return -EINVAL;
		c->replay_window = mnl_attr_get_u16(a);
	}
	if ((a = tb[SRTPRELAY_A_CRYPTO_FLAGS])) {
		if (!len_is(a, 4))
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
static int parse_stats(const struct nlattr *nest, uint64_t *counters,
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
		if (!len_is(a, sizeof(uint64_t)))
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

static int parse_top(const struct nlmsghdr *nlh, const struct nlattr **tb)
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
	if (parse_top(nlh, tb) < 0)
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
		if (!len_is(a, 4))
			return -EINVAL;
		s->flags = mnl_attr_get_u32(a);
		s->has |= RELAY_NL_HAS_FLAGS;
	}
	if ((a = tb[SRTPRELAY_A_STREAM_COOKIE])) {
		if (!len_is(a, 8))
			return -EINVAL;
		s->cookie = get_u64(a);
		s->has |= RELAY_NL_HAS_COOKIE;
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
		if (parse_stats(a, s->stats, &s->last_rx_age_ms, &has_age) < 0)
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
	if (parse_top(nlh, tb) < 0)
		return -EINVAL;
	if (!tb[SRTPRELAY_A_REALM_ID] || !len_is(tb[SRTPRELAY_A_REALM_ID], 4) ||
	    !tb[SRTPRELAY_A_REALM_ADDR] ||
	    get_sockaddr(tb[SRTPRELAY_A_REALM_ADDR], &r->addr) < 0 ||
	    !tb[SRTPRELAY_A_REALM_PORT_MIN] ||
	    !len_is(tb[SRTPRELAY_A_REALM_PORT_MIN], 2) ||
	    !tb[SRTPRELAY_A_REALM_PORT_MAX] ||
	    !len_is(tb[SRTPRELAY_A_REALM_PORT_MAX], 2))
		return -EINVAL;
	r->id = mnl_attr_get_u32(tb[SRTPRELAY_A_REALM_ID]);
	r->port_min = mnl_attr_get_u16(tb[SRTPRELAY_A_REALM_PORT_MIN]);
	r->port_max = mnl_attr_get_u16(tb[SRTPRELAY_A_REALM_PORT_MAX]);
	if ((a = tb[SRTPRELAY_A_REALM_NFQUEUE])) {
		if (!len_is(a, 2))
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
	if (parse_top(nlh, tb) < 0)
		return -EINVAL;
	if (!(a = tb[SRTPRELAY_A_EVENT_TYPE]) || !len_is(a, 4))
		return -EINVAL;
	e->type = mnl_attr_get_u32(a);
	if ((a = tb[SRTPRELAY_A_STREAM_LOCAL]) && get_sockaddr(a, &e->local) < 0)
		return -EINVAL;
	if ((a = tb[SRTPRELAY_A_STREAM_COOKIE])) {
		if (!len_is(a, 8))
			return -EINVAL;
		e->cookie = get_u64(a);
		e->has_cookie = true;
	}
	if ((a = tb[SRTPRELAY_A_EVENT_REMOTE]) && get_sockaddr(a, &e->remote) < 0)
		return -EINVAL;
	if ((a = tb[SRTPRELAY_A_EVENT_SSRC])) {
		if (!len_is(a, 4))
			return -EINVAL;
		e->ssrc = mnl_attr_get_u32(a);
		e->has_ssrc = true;
	}
	return 0;
}

/* Zeroes key, salt and MKI value in a request once it has been sent. */
static void wipe_secrets(struct nlmsghdr *nlh)
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
 */
static int transact(struct relay_nl *nl, reply_cb cb, void *arg)
{
	struct nlmsghdr *req = &nl->req.hdr;
	uint32_t seq = req->nlmsg_seq;
	bool interrupted = false;
	int cb_status = 0;
	ssize_t n;

	memset(&nl->err, 0, sizeof(nl->err));
	n = mnl_socket_sendto(nl->sock, req, req->nlmsg_len);
	if (n < 0) {
		int e = errno;

		wipe_secrets(req);
		return set_err(&nl->err, e, "sending to the kernel");
	}
	wipe_secrets(req);

	for (;;) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->rx;

		n = mnl_socket_recvfrom(nl->sock, nl->rx, RX_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return set_err(&nl->err, errno,
				       "reading the kernel's answer");
		}
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
					set_err(&nl->err, -cb_status,
						"decoding the kernel's answer");
					return cb_status;
				}
				if (interrupted)
					return set_err(&nl->err, EAGAIN,
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
		return set_err(&nl->err, EPROTO,
			       "resolving generic netlink family '%s'",
			       SRTPRELAY_GENL_NAME);
	nl->family = info.id;
	nl->events_group = info.events;
	nl->has_events_group = info.has_events;
	return 0;
}

struct relay_nl *relay_nl_open(struct relay_nl_err *err)
{
	struct relay_nl_err local;
	struct relay_nl *nl;
	int one = 1;

	if (!err)
		err = &local;
	memset(err, 0, sizeof(*err));
	nl = calloc(1, sizeof(*nl));
	/*
	 * libmnl walks attributes up to NLMSG_ALIGN(nlmsg_len): the slack
	 * keeps a datagram that fills the buffer with an unaligned last
	 * message from being read past the end.
	 */
	if (!nl || !(nl->rx = calloc(1, RX_SIZE + NLMSG_ALIGNTO))) {
		set_err(err, ENOMEM, "allocating the netlink handle");
		free(nl);
		return NULL;
	}
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		set_err(err, errno, "opening a generic netlink socket");
		goto fail;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		set_err(err, errno, "binding the generic netlink socket");
		goto fail;
	}
	/* Best effort: old kernels lack them and just give bare errnos. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)getpid() << 16;
	if (resolve_family(nl) < 0) {
		*err = nl->err;
		goto fail;
	}
	return nl;
fail:
	relay_nl_close(nl);
	return NULL;
}

void relay_nl_close(struct relay_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
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
	put_sockaddr(nlh, SRTPRELAY_A_REALM_ADDR, &realm->addr);
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
	put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, local);
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
	put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, local);
	ret = transact(nl, stream_dump_cb, &d);
	if (ret < 0)
		return ret;
	if (!d.got_one)
		return set_err(&nl->err, ENOENT, "stream get: no reply");
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
	if (parse_top(nlh, tb) < 0)
		return -EBADMSG;
	if ((a = tb[SRTPRELAY_A_STATS]) &&
	    parse_stats(a, r->out->counters, &r->out->last_rx_age_ms,
			&r->out->has_last_rx) < 0)
		return -EBADMSG;
	if ((a = tb[SRTPRELAY_A_STREAM_COUNT])) {
		if (!len_is(a, 4))
			return -EBADMSG;
		r->out->stream_count = mnl_attr_get_u32(a);
	}
	if ((a = tb[SRTPRELAY_A_REALM_COUNT])) {
		if (!len_is(a, 4))
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
		return set_err(&nl->err, EPROTO, "stats get: no reply");
	return 0;
}

/* ---- events --------------------------------------------------------- */

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
	group = (int)nl->events_group;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return set_err(&nl->err, errno, "joining the '%s' group",
			       SRTPRELAY_MCGRP_EVENTS);
	return 0;
}

int relay_nl_fd(const struct relay_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

int relay_nl_event_recv(struct relay_nl *nl, relay_nl_event_cb cb, void *arg)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->rx;
	ssize_t n;
	int len;

	memset(&nl->err, 0, sizeof(nl->err));
	n = mnl_socket_recvfrom(nl->sock, nl->rx, RX_SIZE);
	if (n < 0) {
		if (errno == ENOBUFS)
			return set_err(&nl->err, ENOBUFS,
				       "events were lost (socket overrun)");
		return set_err(&nl->err, errno, "reading events");
	}
	for (len = (int)n; msg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		const struct genlmsghdr *genl;
		struct relay_nl_event e;

		if (nlh->nlmsg_type != nl->family ||
		    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
			continue;
		genl = mnl_nlmsg_get_payload(nlh);
		if (genl->cmd != SRTPRELAY_CMD_EVENT)
			continue;
		if (relay_nl_event_parse(nlh, &e) < 0)
			return set_err(&nl->err, EBADMSG, "decoding an event");
		if (cb(&e, arg))
			break;
	}
	return 0;
}
