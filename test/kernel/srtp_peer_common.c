// SPDX-License-Identifier: GPL-2.0
/*
 * srtp_peer: what sending and receiving share: error exit, addresses in
 * messages, sockets, and the libsrtp2 session for the configured suite and key.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relay_netlink.h"
#include "sdes_libsrtp.h"
#include "srtp_peer.h"

void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("srtp_peer: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

const char *fmt_sockaddr(const struct sockaddr_storage *ss)
{
	static char buf[2][INET6_ADDRSTRLEN + 10];
	static int which;
	char host[INET6_ADDRSTRLEN];
	char *out = buf[which++ & 1];

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		snprintf(out, sizeof(buf[0]), "[%s]:%u", host, ntohs(sin6->sin6_port));
	} else {
		const struct sockaddr_in *sin = (const void *)ss;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(out, sizeof(buf[0]), "%s:%u", host, ntohs(sin->sin_port));
	}
	return out;
}

const char *suite_name(uint32_t suite)
{
	return relay_nl_suite_name(suite) ?: "?";
}

unsigned int suite_key_salt_len(uint32_t suite)
{
	struct srtp_suite_info info = srtp_suite_info(suite);

	return info.key_len + info.salt_len;
}

srtp_t make_session(const struct config *c, const uint8_t *key, bool outbound)
{
	srtp_policy_t policies[MAX_BURSTS];
	srtp_master_key_t mk, *mkp = &mk;
	uint8_t keybuf[KEY_SALT_MAX], mki[4];
	srtp_err_status_t err;
	srtp_t session;
	int n = 0, i, j;

	memcpy(keybuf, key, KEY_SALT_MAX);
	memcpy(mki, c->mki, sizeof(mki));
	mk.key = keybuf;
	mk.mki_id = mki;
	mk.mki_size = c->mki_len;
	memset(policies, 0, sizeof(policies));
	for (i = 0; i < c->n_bursts; i++) {
		srtp_policy_t *p;

		for (j = 0; j < i; j++)
			if (c->bursts[j].ssrc == c->bursts[i].ssrc)
				break;
		if (j < i)
			continue;
		p = &policies[n++];
		libsrtp_policy_set_suite(c->suite, p);
		p->ssrc.type = ssrc_specific;
		p->ssrc.value = c->bursts[i].ssrc;
		if (c->mki_len) {
			p->keys = &mkp;
			p->num_master_keys = 1;
		} else {
			p->key = keybuf;
		}
		p->window_size = 1024;
		p->allow_repeat_tx = outbound;
		if (n > 1)
			policies[n - 2].next = p;
	}
	if (!n) {
		/* Nothing expected: still unprotect, to tell why a packet is bad. */
		n = 1;
		libsrtp_policy_set_suite(c->suite, &policies[0]);
		policies[0].ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
		if (c->mki_len) {
			policies[0].keys = &mkp;
			policies[0].num_master_keys = 1;
		} else {
			policies[0].key = keybuf;
		}
		policies[0].window_size = 1024;
	}
	err = srtp_create(&session, policies);
	if (err)
		die("srtp_create failed: error %d", err);
	if (c->has_roc)
		for (i = 0; i < c->n_bursts; i++)
			if (srtp_set_stream_roc(session, c->bursts[i].ssrc, c->roc))
				die("srtp_set_stream_roc failed");
	memset(keybuf, 0, sizeof(keybuf));
	return session;
}

int open_socket(const struct sockaddr_storage *ss)
{
	int fd = socket(ss->ss_family, SOCK_DGRAM, 0);
	int one = 1;

	if (fd < 0)
		die("socket: %s", strerror(errno));
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	return fd;
}
