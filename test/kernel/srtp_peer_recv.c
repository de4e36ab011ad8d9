// SPDX-License-Identifier: GPL-2.0
/*
 * srtp_peer recv: listens, unprotects with libsrtp2, checks each packet's
 * source, port and payload against the bursts, and reports what arrived.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "srtp_peer.h"

static volatile sig_atomic_t stop_requested;

static void on_usr1(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static bool same_sockaddr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

		return x->sin6_port == y->sin6_port &&
		       !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
	}
	const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

	return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int unprotect(const struct config *c, srtp_t s, uint8_t *pkt, int *len, bool rtcp)
{
	if (rtcp)
		return c->mki_len ? srtp_unprotect_rtcp_mki(s, pkt, len, 1) :
				    srtp_unprotect_rtcp(s, pkt, len);
	return c->mki_len ? srtp_unprotect_mki(s, pkt, len, 1) : srtp_unprotect(s, pkt, len);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct tally {
	unsigned long ok, dup, stranger, bad_payload, auth_fail, replay_fail, no_ctx,
		other_fail, wrong_source, wrong_key_era, malformed, wrong_port, wrong_ttl;
};

/*
 * Checks one packet that unprotected (or plain). Returns the burst it belongs
 * to and its position there, or NULL with the reason tallied.
 */
static struct burst *match(struct config *c, const uint8_t *p, int len, bool rtcp,
			   uint32_t *pos, struct tally *t)
{
	uint32_t ssrc, num;
	size_t plen, i;
	const uint8_t *payload;
	int b;

	if (len < (rtcp ? 16 : 12) || (p[0] & 0xc0) != 0x80) {
		t->malformed++;
		return NULL;
	}
	ssrc = get32(p + (rtcp ? 4 : 8));
	if (rtcp) {
		if (p[1] != RTCP_APP || memcmp(p + 8, "SRPR", 4)) {
			t->malformed++;
			return NULL;
		}
		num = get32(p + 12);
		payload = p + 16;
		plen = len - 16;
	} else {
		num = (uint32_t)p[2] << 8 | p[3];
		payload = p + 12;
		plen = len - 12;
	}
	for (b = 0; b < c->n_bursts; b++) {
		struct burst *bu = &c->bursts[b];
		uint32_t off = rtcp ? num - bu->first : (uint16_t)(num - bu->first);

		if (bu->rtcp != rtcp || bu->ssrc != ssrc || off >= bu->count)
			continue;
		if (plen != (rtcp ? rtcp_data_len(c->len) : c->len)) {
			t->bad_payload++;
			return NULL;
		}
		for (i = 0; i < plen; i++)
			if (payload[i] != pattern(ssrc, num, i)) {
				t->bad_payload++;
				if (t->bad_payload <= 3)
					fprintf(stderr, "recv: %s ssrc 0x%08x #%u: byte %zu is 0x%02x, want 0x%02x\n",
						rtcp ? "rtcp" : "rtp", ssrc, num, i, payload[i],
						pattern(ssrc, num, i));
				return NULL;
			}
		*pos = off;
		return bu;
	}
	t->stranger++;
	if (t->stranger <= 3)
		fprintf(stderr, "recv: unexpected %s ssrc 0x%08x #%u\n", rtcp ? "rtcp" : "rtp",
			ssrc, num);
	return NULL;
}

static void handle_packet(struct config *c, srtp_t session, srtp_t rekeyed, uint8_t *p,
			  int len, struct tally *t)
{
	bool rtcp = len >= 2 && p[1] >= 192 && p[1] <= 223;
	bool used_rekey = false;
	struct burst *b;
	uint32_t pos;

	if (c->suite != SRTPRELAY_SUITE_NONE) {
		uint8_t copy[MAX_PKT];
		int clen = len;
		int err;

		memcpy(copy, p, len);
		err = unprotect(c, session, p, &len, rtcp);
		if (err == srtp_err_status_auth_fail && rekeyed) {
			memcpy(p, copy, clen);
			len = clen;
			err = unprotect(c, rekeyed, p, &len, rtcp);
			used_rekey = true;
		}
		switch (err) {
		case srtp_err_status_ok:
			break;
		case srtp_err_status_auth_fail:
			t->auth_fail++;
			return;
		case srtp_err_status_replay_fail:
		case srtp_err_status_replay_old:
			t->replay_fail++;
			return;
		case srtp_err_status_no_ctx:
			t->no_ctx++;
			return;
		default:
			t->other_fail++;
			fprintf(stderr, "recv: unprotect error %d\n", err);
			return;
		}
	}
	b = match(c, p, len, rtcp, &pos, t);
	if (!b)
		return;
	if (rekeyed && used_rekey != (pos >= (uint32_t)c->rekey_at)) {
		t->wrong_key_era++;
		return;
	}
	if (b->seen[pos]++)
		t->dup++;
	else
		t->ok++;
}

static unsigned long expected_total(const struct config *c)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < c->n_bursts; i++)
		n += c->bursts[i].count;
	return n;
}

/* The TTL or hop limit a packet arrived with (IP_RECVTTL, IPV6_RECVHOPLIMIT). */
static int received_ttl(struct msghdr *msg)
{
	struct cmsghdr *cm;
	int ttl;

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		if ((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL) ||
		    (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_HOPLIMIT)) {
			memcpy(&ttl, CMSG_DATA(cm), sizeof(ttl));
			return ttl;
		}
	}
	return -1;
}

static ssize_t receive(int fd, uint8_t *pkt, size_t size, struct sockaddr_storage *from,
		       int *ttl)
{
	char control[CMSG_SPACE(sizeof(int)) * 2];
	struct iovec iov = { pkt, size };
	struct msghdr msg = {
		.msg_name = from, .msg_namelen = sizeof(*from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	ssize_t len = recvmsg(fd, &msg, MSG_DONTWAIT);

	*ttl = len < 0 ? -1 : received_ttl(&msg);
	return len;
}

int do_recv(struct config *c)
{
	struct pollfd pfd[MAX_LISTEN];
	srtp_t session = NULL, rekeyed = NULL;
	struct tally t = { 0 };
	unsigned long want = expected_total(c);
	long deadline, all_in_at = -1;
	struct sigaction sa;
	bool fail = false;
	int i;

	if (!c->n_listen)
		die("recv needs --listen");
	if (c->suite != SRTPRELAY_SUITE_NONE && !c->has_key)
		die("suite %s needs --key", suite_name(c->suite));
	for (i = 0; i < c->n_bursts; i++) {
		/*
		 * libsrtp2 2.5.0 takes the SRTCP tag length from the RTP policy
		 * when it looks for the MKI, so it cannot unprotect SRTCP with
		 * an MKI under a _32 suite (fixed upstream by cisco/libsrtp#733).
		 */
		if (c->bursts[i].rtcp && c->mki_len &&
		    srtp_suite_info(c->suite).rtp_tag_len == 4)
			die("libsrtp2 2.5 cannot unprotect SRTCP with MKI under _32");
		c->bursts[i].seen = calloc(c->bursts[i].count + 1, 1);
		if (!c->bursts[i].seen)
			die("out of memory");
	}
	if (c->suite != SRTPRELAY_SUITE_NONE) {
		session = make_session(c, c->key, false);
		if (c->has_rekey)
			rekeyed = make_session(c, c->rekey, false);
	}
	for (i = 0; i < c->n_listen; i++) {
		int size = 4 << 20, one = 1;

		pfd[i].fd = open_socket(&c->listen[i]);
		pfd[i].events = POLLIN;
		/* Bursts arrive faster than a TCG guest schedules us. */
		if (setsockopt(pfd[i].fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
			setsockopt(pfd[i].fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
		if (c->ttl && (c->listen[i].ss_family == AF_INET6 ?
			       setsockopt(pfd[i].fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one)) :
			       setsockopt(pfd[i].fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one))))
			die("IP_RECVTTL: %s", strerror(errno));
		if (bind(pfd[i].fd, (struct sockaddr *)&c->listen[i], c->listen_len[i]))
			die("bind %s: %s", fmt_sockaddr(&c->listen[i]), strerror(errno));
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	if (c->ready_file) {
		FILE *f = fopen(c->ready_file, "w");

		if (!f)
			die("cannot create %s: %s", c->ready_file, strerror(errno));
		fclose(f);
	}

	deadline = now_ms() + c->timeout_ms;
	for (;;) {
		long now = now_ms(), wait = deadline - now;
		int n;

		if (want && t.ok == want && all_in_at < 0)
			all_in_at = now;
		if (all_in_at >= 0 && all_in_at + c->linger_ms - now < wait)
			wait = all_in_at + c->linger_ms - now;
		if (stop_requested)
			wait = 0;
		if (wait < 0)
			wait = 0;
		n = poll(pfd, c->n_listen, wait);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("poll: %s", strerror(errno));
		if (n == 0)
			break;
		for (i = 0; i < c->n_listen; i++) {
			struct sockaddr_storage from;
			const struct sockaddr_storage *source;
			socklen_t source_len;
			uint8_t pkt[MAX_PKT];
			ssize_t len;
			int ttl;

			if (!(pfd[i].revents & POLLIN))
				continue;
			len = receive(pfd[i].fd, pkt, sizeof(pkt), &from, &ttl);
			if (len < 0)
				continue;
			if (c->ttl && ttl != c->ttl) {
				t.wrong_ttl++;
				if (t.wrong_ttl <= 3)
					fprintf(stderr, "recv: packet with TTL/hop limit %d, want %d\n",
						ttl, c->ttl);
				continue;
			}
			source = &c->from;
			source_len = c->from_len;
			if (c->from_rtcp_len && len >= 2 && pkt[1] >= 192 &&
			    pkt[1] <= 223) {
				source = &c->from_rtcp;
				source_len = c->from_rtcp_len;
			}
			if (source_len && !same_sockaddr(&from, source)) {
				t.wrong_source++;
				if (t.wrong_source <= 3)
					fprintf(stderr, "recv: packet from %s, want %s\n",
						fmt_sockaddr(&from), fmt_sockaddr(source));
				continue;
			}
			if (c->split_ports && len >= 2 &&
			    (pkt[1] >= 192 && pkt[1] <= 223) != c->listen_rtcp[i]) {
				t.wrong_port++;
				continue;
			}
			handle_packet(c, session, rekeyed, pkt, len, &t);
		}
	}

	for (i = 0; i < c->n_bursts; i++) {
		struct burst *b = &c->bursts[i];
		uint32_t k, got = 0, first_missing = 0;

		for (k = 0; k < b->count; k++) {
			if (b->seen[k])
				got++;
			else if (got == k)
				first_missing = b->first + k;
		}
		printf("recv: %s ssrc 0x%08x #%u..#%u (%u packets%s): %u arrived, payload verified%s",
		       b->rtcp ? "rtcp" : "rtp", b->ssrc, b->first,
		       b->rtcp ? b->first + b->count - 1 : (b->first + b->count - 1) & 0xffff,
		       b->count,
		       !b->rtcp && b->first + b->count > 65536 ? ", crossing 65535->0" : "",
		       got, c->rekey_at >= 0 && c->has_rekey ? ", key switch honoured" : "");
		if (got != b->count) {
			printf("; MISSING %u, first #%u", b->count - got, first_missing);
			fail = true;
		}
		printf("\n");
	}
	printf("recv: %s on", suite_name(c->suite));
	for (i = 0; i < c->n_listen; i++)
		printf(" %s%s", fmt_sockaddr(&c->listen[i]),
		       !c->split_ports ? "" : c->listen_rtcp[i] ? " (rtcp)" : " (rtp)");
	printf(": %lu/%lu expected packets", t.ok, want);
	if (c->from_len)
		printf(", all from %s", fmt_sockaddr(&c->from));
	if (c->from_rtcp_len)
		printf(" (rtcp from %s)", fmt_sockaddr(&c->from_rtcp));
	if (c->ttl)
		printf(", TTL/hop limit %d", c->ttl);
#define REPORT(field, what) \
	do { \
		if (t.field) { \
			printf(", %lu " what, t.field); \
			fail = true; \
		} \
	} while (0)
	REPORT(dup, "duplicates");
	REPORT(stranger, "unexpected");
	REPORT(bad_payload, "with wrong bytes");
	REPORT(auth_fail, "failing authentication");
	REPORT(replay_fail, "rejected as replays");
	REPORT(no_ctx, "of unknown SSRC");
	REPORT(other_fail, "failing to unprotect");
	REPORT(wrong_source, "from a wrong source");
	REPORT(wrong_key_era, "under the wrong key for their place");
	REPORT(malformed, "malformed");
	REPORT(wrong_port, "on the wrong port for their kind");
	REPORT(wrong_ttl, "with a wrong TTL/hop limit");
#undef REPORT
	printf("%s\n", fail ? " -> FAIL" : " -> OK");
	for (i = 0; i < c->n_listen; i++)
		close(pfd[i].fd);
	if (session)
		srtp_dealloc(session);
	if (rekeyed)
		srtp_dealloc(rekeyed);
	return fail ? 1 : 0;
}
