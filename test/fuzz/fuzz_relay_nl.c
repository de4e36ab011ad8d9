// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for what relay_netlink decodes from the kernel and what
 * srtprelayctl parses from its command line.
 *
 * The input is treated as one recv() of netlink messages: each message that
 * relay_netlink's receive loop would accept goes through
 * every decoder, the error decoder pointing into a real stream add request.
 * Nothing may read outside the input. A decoded stream or event must carry
 * only sockaddrs whose family matches their length; an error must carry a
 * terminated message. The same bytes, cut at the first NUL, are also fed to
 * the command-line parsers, whose results must print back as they parsed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "relay_netlink.h"
#include "../../daemon/ctl/args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* As relay_netlink's receive loops check (libmnl's check is signed). */
static bool msg_ok(const struct nlmsghdr *nlh, int len)
{
	return len >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned int)len;
}

static void check_sockaddr(const struct sockaddr_storage *ss)
{
	if (ss->ss_family != AF_UNSPEC && ss->ss_family != AF_INET &&
	    ss->ss_family != AF_INET6)
		abort();
}

static struct nlmsghdr *request(void)
{
	static union {
		struct nlmsghdr hdr;
		char buf[2048];
	} req;
	struct relay_nl_stream s;
	struct nlmsghdr *nlh;

	memset(&s, 0, sizeof(s));
	parse_endpoint("[fd00::1]:30000", &s.local);
	parse_endpoint("[fd00::1]:30002", &s.out_src);
	parse_endpoint("[fd00::2]:5000", &s.out_dst);
	s.has = RELAY_NL_HAS_OUT_SRC | RELAY_NL_HAS_OUT_DST |
		RELAY_NL_HAS_IN_CRYPTO | RELAY_NL_HAS_OUT_CRYPTO;
	s.in.suite = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80;
	s.in.mki_len = 2;
	nlh = mnl_nlmsg_put_header(req.buf);
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	relay_nl_stream_put(nlh, &s);
	return nlh;
}

static void cli_parsers(const char *arg)
{
	char back[ENDPOINT_STRLEN], again[ENDPOINT_STRLEN];
	struct sockaddr_storage ss, ss2;
	uint8_t key_salt[CTL_KEY_SALT_MAX], key_salt_len, mki[4], len;
	uint16_t lo, hi;
	const char *why;
	uint64_t v;

	if (parse_endpoint(arg, &ss)) {
		format_endpoint(&ss, back, sizeof(back));
		if (!parse_endpoint(back, &ss2))
			abort();
		format_endpoint(&ss2, again, sizeof(again));
		if (strcmp(back, again))
			abort();
	}
	if (parse_address(arg, &ss))
		check_sockaddr(&ss);
	if (parse_port_range(arg, &lo, &hi) && (lo < 1 || hi < lo))
		abort();
	if (parse_key(arg, key_salt, &key_salt_len, &why) ?
	    key_salt_len < 28 || key_salt_len > CTL_KEY_SALT_MAX : !why)
		abort();
	if (parse_mki(arg, mki, &len) && (len < 1 || len > 4))
		abort();
	parse_u64(arg, UINT64_MAX, &v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nlmsghdr *req;
	const struct nlmsghdr *nlh;
	struct relay_nl_stream s;
	struct relay_nl_realm r;
	struct relay_nl_event e;
	struct relay_nl_err err;
	char *buf, *arg;
	int len = (int)size;

	if (!req)
		req = request();
	if (size > 65536)
		return 0;
	/*
	 * Aligned, with relay_netlink's NLMSG_ALIGNTO bytes of slack after the
	 * datagram (libmnl reads attributes up to the aligned message end).
	 */
	buf = calloc(1, size + NLMSG_ALIGNTO);
	memcpy(buf, data, size);
	for (nlh = (const struct nlmsghdr *)buf; msg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		if (relay_nl_stream_parse(nlh, &s) == 0) {
			check_sockaddr(&s.local);
			check_sockaddr(&s.latched);
			if (s.in.mki_len > SRTPRELAY_MKI_MAX_LEN)
				abort();
		}
		relay_nl_realm_parse(nlh, &r);
		if (relay_nl_event_parse(nlh, &e) == 0)
			check_sockaddr(&e.remote);
		if (relay_nl_decode_error(nlh, req, &err) < 0 &&
		    (!memchr(err.msg, '\0', sizeof(err.msg)) ||
		     !memchr(err.attr, '\0', sizeof(err.attr))))
			abort();
	}
	free(buf);

	arg = malloc(size + 1);
	memcpy(arg, data, size);
	arg[size] = '\0';
	cli_parsers(arg);
	free(arg);
	return 0;
}
