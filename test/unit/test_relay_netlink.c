// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * relay_netlink's codec and error path without the module: what a stream
 * add puts on the wire is what the UAPI header says (checked attribute by
 * attribute with libmnl, not with our own parser), dumps are decoded as the
 * header documents them, malformed replies are refused, and the kernel's
 * extended ACK becomes errno + text + the name of the attribute it points
 * at. relay_nl_open() is run for real: the family is absent on this host.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "relay_netlink.h"
#include "relay_nl_private.h"
#include "testing.h"

#define BUF_SIZE 8192

static union {
	struct nlmsghdr hdr;
	char buf[BUF_SIZE];
} msg, reply;

static struct nlmsghdr *start(void *buf, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = SRTPRELAY_GENL_VERSION;
	return nlh;
}

static void v4(struct sockaddr_storage *ss, const char *addr, uint16_t port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	inet_pton(AF_INET, addr, &sin->sin_addr);
}

static void v6(struct sockaddr_storage *ss, const char *addr, uint16_t port)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	inet_pton(AF_INET6, addr, &sin6->sin6_addr);
}

static void full_stream(struct relay_nl_stream *s)
{
	memset(s, 0, sizeof(*s));
	v6(&s->local, "fd00:1::1", 30000);
	v6(&s->remote, "fd00:3::3", 4000);
	v6(&s->out_src, "fd00:1::1", 40000);
	v6(&s->out_dst, "fd00:2::2", 5000);
	v6(&s->out_rtcp_dst, "fd00:2::2", 5003);
	s->flags = SRTPRELAY_STREAM_F_LATCH | SRTPRELAY_STREAM_F_HOLD;
	s->cookie = 0x0123456789abcdefULL;
	s->has = RELAY_NL_HAS_REMOTE | RELAY_NL_HAS_OUT_SRC |
		 RELAY_NL_HAS_OUT_DST | RELAY_NL_HAS_OUT_RTCP_DST |
		 RELAY_NL_HAS_FLAGS | RELAY_NL_HAS_COOKIE |
		 RELAY_NL_HAS_IN_CRYPTO | RELAY_NL_HAS_OUT_CRYPTO;
	s->in.suite = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80;
	for (unsigned int i = 0; i < sizeof(s->in.key); i++)
		s->in.key[i] = (uint8_t)(0xa0 + i);
	for (unsigned int i = 0; i < sizeof(s->in.salt); i++)
		s->in.salt[i] = (uint8_t)(0x50 + i);
	s->in.mki[0] = 0x01;
	s->in.mki_len = 1;
	s->in.roc = 7;
	s->in.has_roc = true;
	s->in.seq = 65535;
	s->in.has_seq = true;
	s->in.replay_window = 1024;
	s->in.flags = SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP;
	s->out.suite = SRTPRELAY_SUITE_NONE;
}

struct seen {
	const struct nlattr *tb[SRTPRELAY_A_MAX + 1];
	int count[SRTPRELAY_A_MAX + 1];
};

static int collect(const struct nlattr *a, void *data)
{
	struct seen *s = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= SRTPRELAY_A_MAX) {
		s->tb[type] = a;
		s->count[type]++;
	}
	return MNL_CB_OK;
}

static void stream_add_encodes_uapi_attributes(void)
{
	const struct nlattr *c, *in_tb[SRTPRELAY_A_CRYPTO_MAX + 1] = { NULL };
	struct relay_nl_stream s;
	struct seen seen = { { NULL }, { 0 } };
	struct nlmsghdr *nlh;
	int out_attrs = 0;

	full_stream(&s);
	nlh = start(msg.buf, 0x42, SRTPRELAY_CMD_STREAM_ADD);
	relay_nl_stream_put(nlh, &s);
	mnl_attr_parse(nlh, GENL_HDRLEN, collect, &seen);

	CHECK(seen.tb[SRTPRELAY_A_STREAM_LOCAL] &&
	      mnl_attr_get_payload_len(seen.tb[SRTPRELAY_A_STREAM_LOCAL]) ==
	      sizeof(struct sockaddr_in6), "LOCAL is a sockaddr_in6");
	CHECK(!memcmp(mnl_attr_get_payload(seen.tb[SRTPRELAY_A_STREAM_LOCAL]),
		      &s.local, sizeof(struct sockaddr_in6)), "LOCAL bytes");
	CHECK(seen.tb[SRTPRELAY_A_STREAM_FLAGS] &&
	      mnl_attr_get_u32(seen.tb[SRTPRELAY_A_STREAM_FLAGS]) == s.flags,
	      "FLAGS u32");
	CHECK(seen.tb[SRTPRELAY_A_STREAM_COOKIE] &&
	      mnl_attr_get_payload_len(seen.tb[SRTPRELAY_A_STREAM_COOKIE]) == 8,
	      "COOKIE u64");
	CHECK(!seen.tb[SRTPRELAY_A_STREAM_LATCHED] &&
	      !seen.tb[SRTPRELAY_A_STREAM_STATS], "read-only attributes sent");
	for (int t = 0; t <= SRTPRELAY_A_MAX; t++)
		CHECK(seen.count[t] <= 1, "attribute %d sent %d times", t,
		      seen.count[t]);

	mnl_attr_for_each_nested(c, seen.tb[SRTPRELAY_A_STREAM_IN_CRYPTO])
		if (mnl_attr_get_type(c) <= SRTPRELAY_A_CRYPTO_MAX)
			in_tb[mnl_attr_get_type(c)] = c;
	CHECK(in_tb[SRTPRELAY_A_CRYPTO_SUITE] &&
	      mnl_attr_get_u32(in_tb[SRTPRELAY_A_CRYPTO_SUITE]) ==
	      SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80, "in suite");
	CHECK(in_tb[SRTPRELAY_A_CRYPTO_MASTER_KEY] &&
	      mnl_attr_get_payload_len(in_tb[SRTPRELAY_A_CRYPTO_MASTER_KEY]) ==
	      SRTPRELAY_MASTER_KEY_LEN_128 &&
	      !memcmp(mnl_attr_get_payload(in_tb[SRTPRELAY_A_CRYPTO_MASTER_KEY]),
		      s.in.key, SRTPRELAY_MASTER_KEY_LEN_128), "in master key");
	CHECK(in_tb[SRTPRELAY_A_CRYPTO_MASTER_SALT] &&
	      mnl_attr_get_payload_len(in_tb[SRTPRELAY_A_CRYPTO_MASTER_SALT]) ==
	      SRTPRELAY_MASTER_SALT_LEN_CM, "in master salt length");
	CHECK(in_tb[SRTPRELAY_A_CRYPTO_MKI] &&
	      mnl_attr_get_payload_len(in_tb[SRTPRELAY_A_CRYPTO_MKI]) == 1,
	      "MKI value in mki_len bytes");
	CHECK(!in_tb[SRTPRELAY_A_CRYPTO_MKI_LEN], "read-only MKI_LEN sent");
	CHECK(in_tb[SRTPRELAY_A_CRYPTO_SEQ] &&
	      mnl_attr_get_payload_len(in_tb[SRTPRELAY_A_CRYPTO_SEQ]) == 2 &&
	      mnl_attr_get_u16(in_tb[SRTPRELAY_A_CRYPTO_SEQ]) == 65535,
	      "SEQ u16");
	CHECK(in_tb[SRTPRELAY_A_CRYPTO_REPLAY_WINDOW] &&
	      mnl_attr_get_u16(in_tb[SRTPRELAY_A_CRYPTO_REPLAY_WINDOW]) == 1024,
	      "REPLAY_WINDOW u16");
	CHECK(in_tb[SRTPRELAY_A_CRYPTO_ROC] &&
	      mnl_attr_get_u32(in_tb[SRTPRELAY_A_CRYPTO_ROC]) == 7, "ROC u32");

	/* RFC 4568 NONE: "no other attribute is allowed". */
	mnl_attr_for_each_nested(c, seen.tb[SRTPRELAY_A_STREAM_OUT_CRYPTO])
		out_attrs++;
	CHECK(out_attrs == 1, "NONE carries %d attributes, want only SUITE",
	      out_attrs);
}

static void stream_set_sends_only_what_changes(void)
{
	struct relay_nl_stream s = { 0 };
	struct seen seen = { { NULL }, { 0 } };
	struct nlmsghdr *nlh;
	int total = 0;

	v4(&s.local, "10.0.1.1", 30000);
	s.has = RELAY_NL_HAS_FLAGS;
	s.flags = 0;
	nlh = start(msg.buf, 0x42, SRTPRELAY_CMD_STREAM_SET);
	relay_nl_stream_put(nlh, &s);
	mnl_attr_parse(nlh, GENL_HDRLEN, collect, &seen);
	for (int t = 0; t <= SRTPRELAY_A_MAX; t++)
		total += seen.count[t];
	CHECK(total == 2, "%d attributes, want LOCAL and FLAGS", total);
	CHECK(seen.tb[SRTPRELAY_A_STREAM_LOCAL] &&
	      mnl_attr_get_payload_len(seen.tb[SRTPRELAY_A_STREAM_LOCAL]) ==
	      sizeof(struct sockaddr_in), "LOCAL is a sockaddr_in");
	CHECK(seen.tb[SRTPRELAY_A_STREAM_FLAGS] &&
	      mnl_attr_get_u32(seen.tb[SRTPRELAY_A_STREAM_FLAGS]) == 0,
	      "FLAGS 0 is sent when given (clears flags)");
}

static const struct nlattr *find(const struct nlattr *parent,
				 const struct nlmsghdr *nlh, uint16_t type);

/* What transact() does to a request right after send(). */
static void sent_request_keeps_no_key_material(void)
{
	const struct nlattr *in, *a;
	struct relay_nl_stream s, back;
	struct nlmsghdr *nlh;
	size_t i;

	full_stream(&s);
	nlh = start(msg.buf, 0x42, SRTPRELAY_CMD_STREAM_ADD);
	relay_nl_stream_put(nlh, &s);
	relay_nl_wipe_secrets(nlh);
	for (i = 0; i + sizeof(s.in.key) <= nlh->nlmsg_len; i++)
		CHECK(memcmp(msg.buf + i, s.in.key, sizeof(s.in.key)),
		      "master key still at offset %zu", i);
	in = find(NULL, nlh, SRTPRELAY_A_STREAM_IN_CRYPTO);
	mnl_attr_for_each_nested(a, in) {
		uint16_t type = mnl_attr_get_type(a);
		const uint8_t *p = mnl_attr_get_payload(a);

		if (type != SRTPRELAY_A_CRYPTO_MASTER_KEY &&
		    type != SRTPRELAY_A_CRYPTO_MASTER_SALT &&
		    type != SRTPRELAY_A_CRYPTO_MKI)
			continue;
		for (i = 0; i < mnl_attr_get_payload_len(a); i++)
			CHECK(p[i] == 0, "attr %u byte %zu not wiped", type, i);
	}
	/* Only the secrets: the rest still names what was sent. */
	CHECK(relay_nl_stream_parse(nlh, &back) == 0 &&
	      back.in.suite == s.in.suite && back.in.roc == 7 &&
	      back.cookie == s.cookie, "request damaged by the wipe");
}

static void put_sockaddr(struct nlmsghdr *nlh, uint16_t type,
			 const struct sockaddr_storage *ss)
{
	mnl_attr_put(nlh, type, ss->ss_family == AF_INET6 ?
		     sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in), ss);
}

/* A STREAM_GET reply as the header describes it, built by hand. */
static struct nlmsghdr *dump_reply(bool pad_stats)
{
	struct sockaddr_storage a;
	struct nlmsghdr *nlh = start(reply.buf, 0x42, SRTPRELAY_CMD_STREAM_GET);
	struct nlattr *nest;

	v4(&a, "10.0.1.1", 30000);
	put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, &a);
	v4(&a, "10.0.3.3", 4002);
	put_sockaddr(nlh, SRTPRELAY_A_STREAM_LATCHED, &a);
	v4(&a, "10.0.2.1", 40000);
	put_sockaddr(nlh, SRTPRELAY_A_STREAM_OUT_SRC, &a);
	v4(&a, "10.0.2.2", 5000);
	put_sockaddr(nlh, SRTPRELAY_A_STREAM_OUT_DST, &a);
	v4(&a, "10.0.2.2", 5001);
	put_sockaddr(nlh, SRTPRELAY_A_STREAM_OUT_RTCP_DST, &a);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_STREAM_FLAGS,
			 SRTPRELAY_STREAM_F_RTCP_MUX_IN);
	mnl_attr_put_u64(nlh, SRTPRELAY_A_STREAM_COOKIE, 42);
	nest = mnl_attr_nest_start(nlh, SRTPRELAY_A_STREAM_IN_CRYPTO);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_CRYPTO_SUITE,
			 SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32);
	mnl_attr_put_u8(nlh, SRTPRELAY_A_CRYPTO_MKI_LEN, 2);
	mnl_attr_put_u16(nlh, SRTPRELAY_A_CRYPTO_REPLAY_WINDOW, 128);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, SRTPRELAY_A_STREAM_OUT_CRYPTO);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_CRYPTO_SUITE, SRTPRELAY_SUITE_NONE);
	mnl_attr_nest_end(nlh, nest);
	/* An attribute from a newer module: must be skipped. */
	mnl_attr_put_u32(nlh, SRTPRELAY_A_MAX + 5, 1);
	nest = mnl_attr_nest_start(nlh, SRTPRELAY_A_STREAM_STATS);
	for (unsigned int i = 0; i < SRTPRELAY_STAT_COUNT; i++) {
		if (pad_stats)	/* what nla_put_u64_64bit adds on some arches */
			mnl_attr_put(nlh, 0, 0, NULL);
		mnl_attr_put_u64(nlh, (uint16_t)(i + 1), 1000 + i);
	}
	mnl_attr_put_u64(nlh, SRTPRELAY_A_STATS_LAST_RX_AGE_MS, 1234);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void stream_dump_is_decoded(void)
{
	struct relay_nl_stream s;

	for (int pad = 0; pad <= 1; pad++) {
		CHECK(relay_nl_stream_parse(dump_reply(pad), &s) == 0,
		      "parse failed (pad %d)", pad);
		CHECK(s.local.ss_family == AF_INET &&
		      ntohs(((struct sockaddr_in *)&s.local)->sin_port) == 30000,
		      "local");
		CHECK((s.has & RELAY_NL_HAS_LATCHED) &&
		      ntohs(((struct sockaddr_in *)&s.latched)->sin_port) == 4002,
		      "latched");
		CHECK(!(s.has & RELAY_NL_HAS_REMOTE), "remote absent");
		CHECK(s.flags == SRTPRELAY_STREAM_F_RTCP_MUX_IN && s.cookie == 42,
		      "flags %u cookie %llu", s.flags,
		      (unsigned long long)s.cookie);
		CHECK(s.in.suite == SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32 &&
		      s.in.mki_len == 2 && s.in.replay_window == 128,
		      "in crypto");
		CHECK(s.out.suite == SRTPRELAY_SUITE_NONE, "out crypto");
		for (unsigned int i = 0; i < SRTPRELAY_STAT_COUNT; i++)
			CHECK(s.stats[i] == 1000 + i, "stat %s = %llu",
			      relay_nl_stat_name(i),
			      (unsigned long long)s.stats[i]);
		CHECK((s.has & RELAY_NL_HAS_LAST_RX) && s.last_rx_age_ms == 1234,
		      "last rx age");
	}
}

static void malformed_replies_are_refused(void)
{
	struct relay_nl_stream s;
	struct relay_nl_realm r;
	struct sockaddr_storage a;
	struct nlmsghdr *nlh;

	/* sockaddr_in length with the AF_INET6 family */
	v6(&a, "fd00::1", 1);
	nlh = start(reply.buf, 0x42, SRTPRELAY_CMD_STREAM_GET);
	mnl_attr_put(nlh, SRTPRELAY_A_STREAM_LOCAL, sizeof(struct sockaddr_in),
		     &a);
	CHECK(relay_nl_stream_parse(nlh, &s) == -EINVAL, "short sockaddr_in6");

	nlh = start(reply.buf, 0x42, SRTPRELAY_CMD_STREAM_GET);
	CHECK(relay_nl_stream_parse(nlh, &s) == -EINVAL, "no LOCAL");

	v4(&a, "10.0.0.1", 1);
	nlh = start(reply.buf, 0x42, SRTPRELAY_CMD_STREAM_GET);
	put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, &a);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_STREAM_COOKIE, 1);
	CHECK(relay_nl_stream_parse(nlh, &s) == -EINVAL, "u32 cookie");

	nlh = start(reply.buf, 0x42, SRTPRELAY_CMD_REALM_GET);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_REALM_ID, 1);
	put_sockaddr(nlh, SRTPRELAY_A_REALM_ADDR, &a);
	mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_PORT_MIN, 1000);
	CHECK(relay_nl_realm_parse(nlh, &r) == -EINVAL, "realm without max");
	mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_PORT_MAX, 2000);
	CHECK(relay_nl_realm_parse(nlh, &r) == 0 && r.id == 1 &&
	      r.port_min == 1000 && r.port_max == 2000 && !r.has_nfqueue,
	      "complete realm");
	mnl_attr_put_u32(nlh, SRTPRELAY_A_REALM_NFQUEUE, 3);
	CHECK(relay_nl_realm_parse(nlh, &r) == -EINVAL, "u32 nfqueue");
}

static void events_are_decoded(void)
{
	struct relay_nl_event e;
	struct sockaddr_storage a;
	struct nlmsghdr *nlh = start(reply.buf, 0x42, SRTPRELAY_CMD_EVENT);

	mnl_attr_put_u32(nlh, SRTPRELAY_A_EVENT_TYPE,
			 SRTPRELAY_EVENT_SSRC_CHANGED);
	v4(&a, "10.0.1.1", 30000);
	put_sockaddr(nlh, SRTPRELAY_A_STREAM_LOCAL, &a);
	mnl_attr_put_u64(nlh, SRTPRELAY_A_STREAM_COOKIE, 9);
	mnl_attr_put_u32(nlh, SRTPRELAY_A_EVENT_SSRC, 0xdeadbeef);
	CHECK(relay_nl_event_parse(nlh, &e) == 0, "parse");
	CHECK(e.type == SRTPRELAY_EVENT_SSRC_CHANGED && e.has_cookie &&
	      e.cookie == 9 && e.has_ssrc && e.ssrc == 0xdeadbeef &&
	      e.remote.ss_family == AF_UNSPEC, "fields");
	CHECK(!strcmp(relay_nl_event_name(e.type), "ssrc_changed"), "name");
}

/* An NLMSG_ERROR as the kernel sends it with NETLINK_EXT_ACK. */
static struct nlmsghdr *error_reply(const struct nlmsghdr *req, int error,
				    bool capped, const char *text,
				    const struct nlattr *at, int miss_type,
				    const struct nlattr *miss_nest)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(reply.buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = (capped ? NLM_F_CAPPED : 0) | NLM_F_ACK_TLVS;
	if (capped) {
		e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
		e->msg = *req;
	} else {
		e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e) - NLMSG_HDRLEN +
					       req->nlmsg_len);
		memcpy(&e->msg, req, req->nlmsg_len);
	}
	e->error = error;
	if (text)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	if (at)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS,
				 (uint32_t)((const char *)at - (const char *)req));
	if (miss_type)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, miss_type);
	if (miss_nest)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_NEST,
				 (uint32_t)((const char *)miss_nest -
					    (const char *)req));
	return nlh;
}

static const struct nlattr *find(const struct nlattr *parent,
				 const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	if (parent) {
		mnl_attr_for_each_nested(a, parent)
			if (mnl_attr_get_type(a) == type)
				return a;
		return NULL;
	}
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static void extack_becomes_errno_text_and_attribute(void)
{
	struct relay_nl_stream s;
	struct relay_nl_err err;
	struct nlmsghdr *req;
	const struct nlattr *in, *key;
	char line[512];

	full_stream(&s);
	req = start(msg.buf, 0x42, SRTPRELAY_CMD_STREAM_ADD);
	relay_nl_stream_put(req, &s);
	in = find(NULL, req, SRTPRELAY_A_STREAM_IN_CRYPTO);
	key = find(in, req, SRTPRELAY_A_CRYPTO_MASTER_KEY);

	for (int capped = 1; capped >= 0; capped--) {
		CHECK(relay_nl_decode_error(error_reply(req, -EINVAL, capped,
							"master key rejected",
							key, 0, NULL),
					    req, &err) == -EINVAL,
		      "errno (capped %d)", capped);
		CHECK(err.code == EINVAL && err.from_kernel, "code");
		CHECK(!strcmp(err.msg, "master key rejected"), "msg '%s'",
		      err.msg);
		CHECK(!strcmp(err.attr, "stream_in_crypto.master_key"),
		      "attr '%s' (capped %d)", err.attr, capped);
	}
	relay_nl_err_format(&err, line, sizeof(line));
	CHECK(!strcmp(line, "Invalid argument: master key rejected (attribute stream_in_crypto.master_key)"),
	      "line '%s'", line);

	relay_nl_decode_error(error_reply(req, -EEXIST, true, NULL,
					  find(NULL, req, SRTPRELAY_A_STREAM_LOCAL),
					  0, NULL), req, &err);
	relay_nl_err_format(&err, line, sizeof(line));
	CHECK(!strcmp(line, "File exists (attribute stream_local)"), "line '%s'",
	      line);

	relay_nl_decode_error(error_reply(req, -EINVAL, true, NULL, NULL,
					  SRTPRELAY_A_CRYPTO_MASTER_SALT,
					  find(NULL, req,
					       SRTPRELAY_A_STREAM_OUT_CRYPTO)),
			      req, &err);
	relay_nl_err_format(&err, line, sizeof(line));
	CHECK(!strcmp(line, "Invalid argument: missing attribute (attribute stream_out_crypto.master_salt)"),
	      "line '%s'", line);

	relay_nl_decode_error(error_reply(req, -EINVAL, true, NULL, NULL,
					  SRTPRELAY_A_STREAM_OUT_DST, NULL),
			      req, &err);
	CHECK(!strcmp(err.attr, "stream_out_dst"), "missing top '%s'", err.attr);

	/* A plain ACK is success, whatever follows it. */
	CHECK(relay_nl_decode_error(error_reply(req, 0, true, "warning", NULL,
						0, NULL), req, &err) == 0 &&
	      err.code == 0, "ack");
}

static void dump_done_carries_errors(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(reply.buf);
	struct relay_nl_err err;
	int *code;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	code = mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	*code = -EPERM;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "not allowed");
	CHECK(relay_nl_decode_error(nlh, NULL, &err) == -EPERM, "errno");
	CHECK(!strcmp(err.msg, "not allowed"), "msg '%s'", err.msg);
	*code = 0;
	CHECK(relay_nl_decode_error(nlh, NULL, &err) == 0, "done ok");
}

static void names_follow_the_uapi_enums(void)
{
	uint32_t suite;

	for (unsigned int i = 0; i < SRTPRELAY_STAT_COUNT; i++)
		CHECK(relay_nl_stat_name(i), "stat %u unnamed", i);
	CHECK(!relay_nl_stat_name(SRTPRELAY_STAT_COUNT), "past the end");
	CHECK(!strcmp(relay_nl_stat_name(SRTPRELAY_STAT_AUTH_FAILED),
		      "auth_failed") &&
	      !strcmp(relay_nl_stat_name(SRTPRELAY_STAT_REPLAYED), "replayed"),
	      "names");
	for (suite = 0; suite <= SRTPRELAY_SUITE_MAX; suite++) {
		uint32_t back = 99;

		CHECK(relay_nl_suite_parse(relay_nl_suite_name(suite), &back) == 0 &&
		      back == suite, "suite %u round trip", suite);
	}
	CHECK(relay_nl_suite_parse("AES_CM_128_HMAC_SHA1_81", &suite) == -EINVAL,
	      "unknown suite");
	CHECK(!strcmp(relay_nl_stream_flag_name(SRTPRELAY_STREAM_F_LOCK_ON_SDP),
		      "lock_on_sdp"), "flag name");
	CHECK(relay_nl_stream_flag_name(__SRTPRELAY_STREAM_F_ALL + 1) == NULL,
	      "unknown flag");
}

static void open_without_module_says_so(void)
{
	struct relay_nl_err err;
	struct relay_nl *nl = relay_nl_open(&err);
	char line[512];

	if (nl) {
		printf("    srtprelay is loaded here: nothing to check\n");
		relay_nl_close(nl);
		return;
	}
	CHECK(err.code == ENOENT, "errno %d", err.code);
	relay_nl_err_format(&err, line, sizeof(line));
	/* The text may go on to name other backends tried. */
	CHECK(!strncmp(line, "srtprelay kernel module is not loaded (generic netlink family 'srtprelay' not found)",
		       strlen("srtprelay kernel module is not loaded (generic netlink family 'srtprelay' not found)")),
	      "line '%s'", line);
}

int main(void)
{
	/* Only the kernel's family counts here, never a datapath socket. */
	setenv("SRTPRELAY_BACKEND", "kernel", 1);
	setenv("SRTPRELAY_SOCKET", "/nonexistent/srtprelay-test.sock", 1);

	RUN(stream_add_encodes_uapi_attributes,
	    "stream add puts every attribute as the UAPI header types it");
	RUN(stream_set_sends_only_what_changes,
	    "stream set carries LOCAL and the changed attributes only");
	RUN(sent_request_keeps_no_key_material,
	    "key, salt and MKI are zeroed in the request buffer, nothing else");
	RUN(stream_dump_is_decoded,
	    "a STREAM_GET reply decodes, with and without u64 padding");
	RUN(malformed_replies_are_refused,
	    "wrong sockaddr lengths, missing keys and wrong widths give -EINVAL");
	RUN(events_are_decoded, "an SSRC_CHANGED event decodes");
	RUN(extack_becomes_errno_text_and_attribute,
	    "extended ACK: errno, text, offset and missing attribute named");
	RUN(dump_done_carries_errors, "a dump's NLMSG_DONE error is reported");
	RUN(names_follow_the_uapi_enums, "counter, suite and flag names");
	RUN(open_without_module_says_so,
	    "relay_nl_open on this host: ENOENT and the clear message");
	return testing_summary();
}
