// SPDX-License-Identifier: GPL-2.0
/*
 * nl_raw: speaks the srtprelay generic netlink family directly (libmnl), for
 * what srtprelayctl cannot or should not express: requests that a correct
 * client never builds, and bulk operations that would take one process per
 * stream under TCG. Everything here is written from the UAPI header alone,
 * so it also checks that the header is enough to write a client.
 *
 *   nl_raw [--uid N] expect ERRNO[|ERRNO] CASE   send a malformed request
 *   nl_raw counts                                print stream/realm counts
 *   nl_raw bulk-add LOCAL_ADDR OUT_SRC_ADDR OUT_DST FIRST_PORT N IN_KEY OUT_KEY
 *   nl_raw bulk-del LOCAL_ADDR FIRST_PORT N
 *   nl_raw dump [ADDR N]                         paged stream dump
 *   nl_raw monitor MS                            print events for MS ms
 *
 * expect: exits 0 when the kernel rejects the request with one of the given
 * errnos, says why in the extended ACK, and the number of streams and realms
 * is unchanged afterwards ("nothing installed"). Cases are listed by
 * "nl_raw expect EINVAL list". --uid drops to that user (and its group, no
 * supplementary groups, no capabilities) before the request is sent.
 * bulk-add adds N streams on LOCAL_ADDR ports FIRST_PORT, +2, ..., each
 * AES_CM_128_HMAC_SHA1_80 both ways with the given base64 keys, sending from
 * OUT_SRC_ADDR on the same port to OUT_DST (ADDR:PORT).
 * dump: every stream once, no key material; with ADDR N, exactly N of them
 * have their local address on ADDR.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include <linux/srtprelay.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

static struct mnl_socket *nl;
static uint16_t family_id;
static uint32_t events_group;
static unsigned int seq_no;
static char extack_msg[256];
static unsigned int reads;

static void __attribute__((noreturn)) fatal(const char *what)
{
	fprintf(stderr, "nl_raw: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void __attribute__((noreturn)) usage_error(const char *what)
{
	fprintf(stderr, "nl_raw: %s (see the comment at the top of nl_raw.c)\n", what);
	exit(2);
}

/* Parse "a.b.c.d", "v6", "a.b.c.d:port" or "[v6]:port". */
static socklen_t parse_sockaddr(const char *s, uint16_t port, struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *h = s, *colon = NULL;
	size_t hlen = strlen(s);

	memset(ss, 0, sizeof(*ss));
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close)
			usage_error("bad address");
		h = s + 1;
		hlen = close - h;
		if (close[1] == ':')
			colon = close + 1;
	} else if (strchr(s, '.') && strchr(s, ':')) {
		colon = strchr(s, ':');
		hlen = colon - s;
	}
	if (hlen >= sizeof(host))
		usage_error("bad address");
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (colon)
		port = atoi(colon + 1);
	if (strchr(host, ':')) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			usage_error("bad IPv6 address");
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return sizeof(*sin6);
	}
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		usage_error("bad IPv4 address");
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	return sizeof(*sin);
}

static void decode_key(const char *b64, uint8_t out[30])
{
	unsigned char buf[64];

	if (strlen(b64) != 40 || EVP_DecodeBlock(buf, (const unsigned char *)b64, 40) != 30)
		usage_error("key must be 40 base64 characters (30 bytes)");
	memcpy(out, buf, 30);
}

static struct nlmsghdr *put_request(char *buf, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++seq_no;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = SRTPRELAY_GENL_VERSION;
	return nlh;
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	(void)data;
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
		snprintf(extack_msg, sizeof(extack_msg), "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/*
 * Reads replies to the last request until its ACK or error, handing data
 * messages to cb. Returns 0 or a negative errno from the kernel.
 */
static int talk(struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE * 4];
	unsigned int portid = mnl_socket_get_portid(nl);

	extack_msg[0] = '\0';
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		fatal("sendto");
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		struct nlmsghdr *nlh;
		int remaining;

		if (len < 0)
			fatal("recvfrom");
		reads++;
		remaining = len;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, remaining);
		     nlh = mnl_nlmsg_next(nlh, &remaining)) {
			if (nlh->nlmsg_seq != req->nlmsg_seq || nlh->nlmsg_pid != portid)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
				size_t off = sizeof(*err);

				if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
					off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse_payload((const char *)err + off,
							       mnl_nlmsg_get_payload_len(nlh) - off,
							       extack_cb, NULL);
				return err->error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (cb && cb(nlh, data) < 0)
				return -EPROTO;
		}
	}
}

static int group_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *inner;
	const char *name = NULL;
	uint32_t id = 0;

	(void)data;
	mnl_attr_for_each_nested(inner, attr) {
		if (mnl_attr_get_type(inner) == CTRL_ATTR_MCAST_GRP_NAME)
			name = mnl_attr_get_str(inner);
		if (mnl_attr_get_type(inner) == CTRL_ATTR_MCAST_GRP_ID)
			id = mnl_attr_get_u32(inner);
	}
	if (name && !strcmp(name, SRTPRELAY_MCGRP_EVENTS))
		events_group = id;
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr;

	(void)data;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
			family_id = mnl_attr_get_u16(attr);
		if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GROUPS)
			mnl_attr_parse_nested(attr, group_cb, NULL);
	}
	return MNL_CB_OK;
}

static void open_family(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	int one = 1, err;

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl)
		fatal("netlink socket");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		fatal("netlink bind");
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq_no;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SRTPRELAY_GENL_NAME);
	err = talk(nlh, family_cb, NULL);
	if (err || !family_id) {
		fprintf(stderr, "nl_raw: no generic netlink family \"%s\": %s\n",
			SRTPRELAY_GENL_NAME, strerror(-err));
		exit(2);
	}
}

struct counts {
	uint32_t streams, realms;
};

static int counts_cb(const struct nlmsghdr *nlh, void *data)
{
	struct counts *c = data;
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == SRTPRELAY_A_STREAM_COUNT)
			c->streams = mnl_attr_get_u32(attr);
		if (mnl_attr_get_type(attr) == SRTPRELAY_A_REALM_COUNT)
			c->realms = mnl_attr_get_u32(attr);
	}
	return MNL_CB_OK;
}

static struct counts get_counts(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct counts c = { UINT32_MAX, UINT32_MAX };
	int err = talk(put_request(buf, SRTPRELAY_CMD_STATS_GET, NLM_F_ACK), counts_cb, &c);

	if (err) {
		fprintf(stderr, "nl_raw: STATS_GET: %s\n", strerror(-err));
		exit(2);
	}
	return c;
}

static void put_addr(struct nlmsghdr *nlh, uint16_t type, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_sockaddr(addr, port, &ss);

	mnl_attr_put(nlh, type, len, &ss);
}

static void put_crypto(struct nlmsghdr *nlh, uint16_t type, uint32_t suite, const uint8_t *key,
		       size_t key_len, const uint8_t *salt, size_t salt_len)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u32(nlh, SRTPRELAY_A_CRYPTO_SUITE, suite);
	if (key)
		mnl_attr_put(nlh, SRTPRELAY_A_CRYPTO_MASTER_KEY, key_len, key);
	if (salt)
		mnl_attr_put(nlh, SRTPRELAY_A_CRYPTO_MASTER_SALT, salt_len, salt);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * The malformed requests. Each starts from a valid STREAM_ADD (local
 * 10.0.1.1:LOCAL_PORT in the test's realm, SRTP both ways) or REALM_ADD
 * and breaks one thing, so a rejection can only be for that thing.
 */
#define CASE_PORT 21990
#define S80 SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80
static const uint8_t k16[17] = "0123456789abcdef", s14[15] = "0123456789abcd";

struct stream_req {
	const char *local, *out_src, *out_dst, *remote;
	uint16_t local_port;
	int local_len;			/* override the sockaddr length */
	uint32_t bad_in_suite;		/* 0: AES_CM_128_HMAC_SHA1_80 */
	bool in_plain;
	size_t key_len, salt_len;
	bool no_in_key, no_in_crypto, no_local, none_with_key, garbage_nest, unknown_attr;
	uint32_t flags;
	bool has_flags;
	int mki_len, window;
};

static void build_stream(struct nlmsghdr *nlh, const struct stream_req *r)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (!r->no_local) {
		len = parse_sockaddr(r->local ? r->local : "10.0.1.1", r->local_port ? r->local_port :
				     CASE_PORT, &ss);
		mnl_attr_put(nlh, SRTPRELAY_A_STREAM_LOCAL, r->local_len ? r->local_len : (int)len, &ss);
	}
	put_addr(nlh, SRTPRELAY_A_STREAM_OUT_SRC, r->out_src ? r->out_src : "10.0.2.1", CASE_PORT);
	put_addr(nlh, SRTPRELAY_A_STREAM_OUT_DST, r->out_dst ? r->out_dst : "10.0.2.2", 7000);
	if (r->remote)
		put_addr(nlh, SRTPRELAY_A_STREAM_REMOTE, r->remote, 6000);
	if (r->has_flags)
		mnl_attr_put_u32(nlh, SRTPRELAY_A_STREAM_FLAGS, r->flags);
	if (r->unknown_attr)
		mnl_attr_put_u32(nlh, SRTPRELAY_A_MAX + 20, 1);
	if (!r->no_in_crypto) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, SRTPRELAY_A_STREAM_IN_CRYPTO);

		mnl_attr_put_u32(nlh, SRTPRELAY_A_CRYPTO_SUITE, r->in_plain ? SRTPRELAY_SUITE_NONE :
				 r->bad_in_suite ? r->bad_in_suite : S80);
		if ((!r->in_plain && !r->no_in_key) || r->none_with_key) {
			mnl_attr_put(nlh, SRTPRELAY_A_CRYPTO_MASTER_KEY, r->key_len ? r->key_len : 16, k16);
			mnl_attr_put(nlh, SRTPRELAY_A_CRYPTO_MASTER_SALT, r->salt_len ? r->salt_len : 14, s14);
		}
		if (r->mki_len) {
			static const uint8_t mki[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

			mnl_attr_put(nlh, SRTPRELAY_A_CRYPTO_MKI, r->mki_len, mki);
		}
		if (r->window)
			mnl_attr_put_u16(nlh, SRTPRELAY_A_CRYPTO_REPLAY_WINDOW, r->window);
		if (r->garbage_nest) {
			/* Three bytes: shorter than any attribute header. */
			static const uint8_t junk[3] = { 0xff, 0xff, 0xff };

			memcpy(mnl_nlmsg_get_payload_tail(nlh), junk, sizeof(junk));
			nlh->nlmsg_len += sizeof(junk);
		}
		mnl_attr_nest_end(nlh, nest);
	}
	put_crypto(nlh, SRTPRELAY_A_STREAM_OUT_CRYPTO, S80, k16, 16, s14, 14);
}

struct realm_req {
	uint32_t id;
	const char *addr;
	uint16_t min, max;
	bool only_id;
};

static void build_realm(struct nlmsghdr *nlh, const struct realm_req *r)
{
	mnl_attr_put_u32(nlh, SRTPRELAY_A_REALM_ID, r->id);
	if (r->only_id)
		return;
	put_addr(nlh, SRTPRELAY_A_REALM_ADDR, r->addr, 0);
	mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_PORT_MIN, r->min);
	mnl_attr_put_u16(nlh, SRTPRELAY_A_REALM_PORT_MAX, r->max);
}

#define STREAM_CASE(n, c, ...) { .name = n, .cmd = SRTPRELAY_CMD_##c, .stream = { __VA_ARGS__ } }
#define ADD(n, ...) STREAM_CASE(n, STREAM_ADD, __VA_ARGS__)
#define REALM_CASE(n, c, ...) { .name = n, .cmd = SRTPRELAY_CMD_##c, .realm = { __VA_ARGS__ } }
#define ADD_REALM(n, i, a, lo, hi) \
	REALM_CASE(n, REALM_ADD, .id = i, .addr = a, .min = lo, .max = hi)

static const struct {
	const char *name;
	uint8_t cmd;
	struct stream_req stream;
	struct realm_req realm;
} cases[] = {
	ADD("valid_stream", .local_port = 0),
	STREAM_CASE("valid_stream_del", STREAM_DEL, .local_port = 0),
	ADD_REALM("valid_realm", 90, "10.0.1.8", 1000, 2000),
	REALM_CASE("valid_realm_del", REALM_DEL, .id = 90, .only_id = true),
	ADD("bad_suite", .bad_in_suite = 99),
	ADD("short_master_key", .key_len = 15),
	ADD("long_master_key", .key_len = 17),
	ADD("short_master_salt", .salt_len = 13),
	ADD("srtp_without_key", .no_in_key = true),
	ADD("none_with_key", .in_plain = true, .none_with_key = true),
	ADD("mki_too_long", .mki_len = 5),
	ADD("replay_window_too_small", .window = 10),
	ADD("replay_window_too_large", .window = 4096),
	ADD("sockaddr_wrong_length", .local_len = 10),
	ADD("out_family_mismatch", .out_dst = "fd00:2::2"),
	ADD("missing_local", .no_local = true),
	ADD("missing_in_crypto", .no_in_crypto = true),
	ADD("garbage_in_nest", .garbage_nest = true),
	ADD("unknown_attribute", .unknown_attr = true),
	ADD("unknown_flag", .has_flags = true, .flags = 1U << 20),
	ADD("lock_on_sdp_without_remote", .has_flags = true,
	    .flags = SRTPRELAY_STREAM_F_LOCK_ON_SDP),
	ADD("latch_with_lock_on_sdp", .remote = "10.0.1.2", .has_flags = true,
	    .flags = SRTPRELAY_STREAM_F_LOCK_ON_SDP | SRTPRELAY_STREAM_F_LATCH),
	ADD("local_outside_realm", .local_port = 1000),
	ADD("local_other_address", .local = "10.0.1.9"),
	ADD("rtcp_port_outside_realm", .local_port = 59999),
	STREAM_CASE("stream_set_missing", STREAM_SET, .local_port = 21994),
	STREAM_CASE("stream_del_missing", STREAM_DEL, .local_port = 21994),
	ADD_REALM("realm_overlap", 99, "10.0.1.1", 59000, 60500),
	ADD_REALM("realm_same_id", 1, "10.0.1.7", 1000, 2000),
	ADD_REALM("realm_zero_id", 0, "10.0.1.7", 1000, 2000),
	ADD_REALM("realm_inverted_range", 98, "10.0.1.7", 2000, 1000),
	ADD_REALM("realm_port_zero", 97, "10.0.1.7", 0, 1000),
};

static int errno_by_name(const char *name)
{
	static const struct { const char *name; int value; } names[] = {
		{ "EINVAL", EINVAL }, { "ERANGE", ERANGE }, { "EPERM", EPERM },
		{ "EEXIST", EEXIST }, { "ENOENT", ENOENT }, { "EBUSY", EBUSY },
		{ "EADDRINUSE", EADDRINUSE }, { "EADDRNOTAVAIL", EADDRNOTAVAIL },
		{ "EOPNOTSUPP", EOPNOTSUPP }, { "E2BIG", E2BIG }, { "OK", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i].name))
			return names[i].value;
	usage_error("unknown errno name");
}

static const char *errno_name(int e)
{
	static char buf[32];

	switch (e) {
	case 0: return "OK";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case EPERM: return "EPERM";
	case EEXIST: return "EEXIST";
	case ENOENT: return "ENOENT";
	case EBUSY: return "EBUSY";
	case EADDRINUSE: return "EADDRINUSE";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

static int do_expect(const char *want, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct counts before, after;
	struct nlmsghdr *nlh;
	char wants[64], why[sizeof(extack_msg)], *tok, *save = NULL;
	bool ok = false;
	size_t i;
	int err;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(cases[i].name, name))
			break;
	if (!strcmp(name, "list") || i == sizeof(cases) / sizeof(cases[0])) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			printf("%s\n", cases[i].name);
		return strcmp(name, "list") ? 2 : 0;
	}
	before = get_counts();
	nlh = put_request(buf, cases[i].cmd, NLM_F_ACK);
	if (cases[i].cmd == SRTPRELAY_CMD_REALM_ADD || cases[i].cmd == SRTPRELAY_CMD_REALM_DEL)
		build_realm(nlh, &cases[i].realm);
	else
		build_stream(nlh, &cases[i].stream);
	err = -talk(nlh, NULL, NULL);
	snprintf(why, sizeof(why), "%s", extack_msg);
	after = get_counts();

	snprintf(wants, sizeof(wants), "%s", want);
	for (tok = strtok_r(wants, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
		if (errno_by_name(tok) == err)
			ok = true;
	printf("%s: kernel answered %s", name, errno_name(err));
	if (why[0])
		printf(", \"%s\"", why);
	printf(" (want %s); streams %u -> %u, realms %u -> %u\n", want, before.streams,
	       after.streams, before.realms, after.realms);
	if (err && !why[0] && err != EPERM) {
		printf("%s: no extended ACK message says why\n", name);
		ok = false;
	}
	if (err && (before.streams != after.streams || before.realms != after.realms)) {
		printf("%s: rejected, yet something was installed or removed\n", name);
		ok = false;
	}
	return ok ? 0 : 1;
}

static int do_bulk(bool add, char **argv, int argc)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint8_t in_key[30], out_key[30];
	unsigned long first, n, i;
	struct timespec t0, t1;
	int err;

	if (argc < (add ? 7 : 3))
		usage_error(add ? "bulk-add LOCAL_ADDR OUT_SRC_ADDR OUT_DST FIRST_PORT N IN_KEY OUT_KEY" :
				  "bulk-del LOCAL_ADDR FIRST_PORT N");
	first = strtoul(argv[add ? 3 : 1], NULL, 0);
	n = strtoul(argv[add ? 4 : 2], NULL, 0);
	if (add) {
		decode_key(argv[5], in_key);
		decode_key(argv[6], out_key);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		uint16_t port = first + 2 * i;
		struct nlmsghdr *nlh = put_request(buf, add ? SRTPRELAY_CMD_STREAM_ADD :
						   SRTPRELAY_CMD_STREAM_DEL, NLM_F_ACK);

		put_addr(nlh, SRTPRELAY_A_STREAM_LOCAL, argv[0], port);
		if (add) {
			put_addr(nlh, SRTPRELAY_A_STREAM_OUT_SRC, argv[1], port);
			put_addr(nlh, SRTPRELAY_A_STREAM_OUT_DST, argv[2], 0);
			mnl_attr_put_u64(nlh, SRTPRELAY_A_STREAM_COOKIE, 0x10000 + i);
			put_crypto(nlh, SRTPRELAY_A_STREAM_IN_CRYPTO, S80, in_key, 16, in_key + 16, 14);
			put_crypto(nlh, SRTPRELAY_A_STREAM_OUT_CRYPTO, S80, out_key, 16, out_key + 16, 14);
		}
		err = talk(nlh, NULL, NULL);
		if (err) {
			printf("bulk-%s: stream %lu (port %u): %s%s%s\n", add ? "add" : "del", i, port,
			       strerror(-err), extack_msg[0] ? ": " : "", extack_msg);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("bulk-%s: %lu streams on %s ports %lu..%lu in %.2f s\n", add ? "add" : "del", n,
	       argv[0], first, first + 2 * (n - 1),
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	memset(in_key, 0, sizeof(in_key));
	memset(out_key, 0, sizeof(out_key));
	return 0;
}

struct dump_state {
	unsigned long streams, secrets, messages, on_addr;
	struct sockaddr_storage want;	/* count the streams on this address */
	struct sockaddr_in6 *locals;	/* every LOCAL seen, to find repeats */
	size_t n_locals, cap;
};

static int crypto_cb(const struct nlattr *attr, void *data)
{
	struct dump_state *d = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type == SRTPRELAY_A_CRYPTO_MASTER_KEY || type == SRTPRELAY_A_CRYPTO_MASTER_SALT ||
	    type == SRTPRELAY_A_CRYPTO_MKI)
		d->secrets++;
	return MNL_CB_OK;
}

static bool same_addr(const struct sockaddr *a, const struct sockaddr_storage *b)
{
	if (a->sa_family != b->ss_family)
		return false;
	if (a->sa_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
	return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
	       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_state *d = data;
	struct nlattr *attr;

	d->messages++;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		uint16_t type = mnl_attr_get_type(attr);

		if (type == SRTPRELAY_A_STREAM_LOCAL) {
			const struct sockaddr *sa = mnl_attr_get_payload(attr);
			size_t len = mnl_attr_get_payload_len(attr);

			d->streams++;
			if (same_addr(sa, &d->want))
				d->on_addr++;
			if (d->n_locals == d->cap) {
				d->cap = d->cap ? 2 * d->cap : 1024;
				d->locals = realloc(d->locals, d->cap * sizeof(*d->locals));
				if (!d->locals)
					fatal("realloc");
			}
			memset(&d->locals[d->n_locals], 0, sizeof(*d->locals));
			memcpy(&d->locals[d->n_locals++], sa,
			       len < sizeof(*d->locals) ? len : sizeof(*d->locals));
		}
		if (type == SRTPRELAY_A_STREAM_IN_CRYPTO || type == SRTPRELAY_A_STREAM_OUT_CRYPTO)
			mnl_attr_parse_nested(attr, crypto_cb, d);
	}
	return MNL_CB_OK;
}

static int cmp_local(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct sockaddr_in6));
}

/* dump [ADDR N]: every stream once, no secrets; with ADDR, N streams on it. */
static int do_dump(char **argv, int argc)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump_state d = { 0 };
	unsigned long dups = 0;
	long want = -1;
	size_t i;
	int err;

	if (argc >= 2) {
		parse_sockaddr(argv[0], 0, &d.want);
		want = atol(argv[1]);
	}
	reads = 0;
	err = talk(put_request(buf, SRTPRELAY_CMD_STREAM_GET, NLM_F_DUMP), dump_cb, &d);
	if (err) {
		printf("dump: %s%s%s\n", strerror(-err), extack_msg[0] ? ": " : "", extack_msg);
		return 1;
	}
	qsort(d.locals, d.n_locals, sizeof(*d.locals), cmp_local);
	for (i = 1; i < d.n_locals; i++)
		if (!cmp_local(&d.locals[i - 1], &d.locals[i]))
			dups++;
	printf("dump: %lu streams in %lu messages over %u reads, %lu listed twice, "
	       "%lu key/salt/MKI attributes", d.streams, d.messages, reads, dups, d.secrets);
	if (want >= 0)
		printf(", %lu on %s (want %ld)", d.on_addr, argv[0], want);
	printf("\n");
	free(d.locals);
	return dups || d.secrets || (want >= 0 && (unsigned long)want != d.on_addr) ? 1 : 0;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	static const char *const names[] = { "unspec", "remote_latched", "remote_changed",
					     "ssrc_changed", "idle" };
	struct nlattr *attr;
	uint32_t type = 0;

	(void)data;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == SRTPRELAY_A_EVENT_TYPE)
			type = mnl_attr_get_u32(attr);
	printf("event %s\n", type < 5 ? names[type] : "unknown");
	return MNL_CB_OK;
}

/* monitor MS: joins the events group and prints each event for MS ms. */
static int do_monitor(char **argv, int argc)
{
	char buf[MNL_SOCKET_BUFFER_SIZE * 4];
	long ms = argc > 0 ? atol(argv[0]) : 1000;
	struct timespec t0, t;
	int fd = mnl_socket_get_fd(nl);

	if (!events_group)
		usage_error("the family has no events group");
	if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &events_group, sizeof(events_group)))
		fatal("joining the events group");
	printf("monitor: joined group %u\n", events_group);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct timeval tv;
		fd_set set;
		long left;
		ssize_t len;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = ms - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return 0;
		tv.tv_sec = left / 1000;
		tv.tv_usec = (left % 1000) * 1000;
		FD_ZERO(&set);
		FD_SET(fd, &set);
		if (select(fd + 1, &set, NULL, NULL, &tv) <= 0)
			continue;
		len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (len < 0)
			fatal("recvfrom");
		mnl_cb_run(buf, len, 0, 0, event_cb, NULL);
	}
}

static void drop_privileges(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		fatal("dropping privileges");
}

int main(int argc, char **argv)
{
	int uid = -1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && !strcmp(argv[1], "--uid")) {
		uid = atoi(argv[2]);
		argc -= 2;
		argv += 2;
	}
	if (argc < 2)
		usage_error("missing command");
	if (argc == 4 && !strcmp(argv[1], "expect") && !strcmp(argv[3], "list"))
		return do_expect(argv[2], "list");
	/* Drop first: the kernel checks the capabilities of the socket's
	 * opener as well as of the sender (netlink_capable). */
	if (uid >= 0)
		drop_privileges(uid);
	open_family();
	if (!strcmp(argv[1], "expect") && argc == 4)
		return do_expect(argv[2], argv[3]);
	if (!strcmp(argv[1], "counts")) {
		struct counts c = get_counts();

		printf("streams %u realms %u\n", c.streams, c.realms);
		return 0;
	}
	if (!strcmp(argv[1], "bulk-add"))
		return do_bulk(true, argv + 2, argc - 2);
	if (!strcmp(argv[1], "bulk-del"))
		return do_bulk(false, argv + 2, argc - 2);
	if (!strcmp(argv[1], "monitor"))
		return do_monitor(argv + 2, argc - 2);
	if (!strcmp(argv[1], "dump"))
		return do_dump(argv + 2, argc - 2);
	usage_error("unknown command");
}
