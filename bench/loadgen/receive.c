// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * loadgen: the receiver. It reads both endpoints' veths, authenticates every
 * packet with the relay's out-leg key, checks sequence, SSRC, source address
 * and every payload byte, and records one-way latency in a histogram.
 */
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "loadgen.h"

u32 *hist;
struct counters rx_count;
volatile int rx_stop;
u64 late_us;
static u64 last_late_ms;

/* Extends a 16-bit sequence number to the index nearest @highest. */
static u64 extend_seq(u64 highest, bool seen, u16 seq)
{
	u64 candidate;

	if (!seen)
		return seq;
	candidate = (highest & ~0xffffULL) | seq;
	if (candidate + 32768 < highest)
		candidate += 65536;
	else if (candidate > highest + 32768 && candidate >= 65536)
		candidate -= 65536;
	return candidate;
}

static void account(u64 slot, u64 stamp)
{
	if (slot >= nslots) {
		rx_count.stale++;
		return;
	}
	if (received[slot]) {
		rx_count.duplicates++;
		return;
	}
	received[slot] = 1;
	if (sent_at[slot] && stamp >= sent_at[slot]) {
		u64 us = (stamp - sent_at[slot]) / 1000;

		hist[us < HIST_US ? us : HIST_US]++;
		/* LOADGEN_LATE=US: print when packets later than US left the
		 * relay, to tell periodic stalls from load.
		 */
		if (late_us && us >= late_us && stamp / 1000000 != last_late_ms) {
			last_late_ms = stamp / 1000000;
			fprintf(stderr, "late: %" PRIu64 ".%03" PRIu64 " s: %" PRIu64 " us\n",
				(u64)(stamp / 1000000000ULL % 1000), (u64)(stamp / 1000000 % 1000), us);
		}
	} else {
		hist[0]++;
	}
}

/* Counts a packet the out-leg key did not unprotect, RTP or RTCP alike: an
 * index received before (the relay sent a packet twice) apart from every
 * other failure.
 */
static void count_unprotect_error(int ret)
{
	if (ret == -SRTP_ERR_REPLAY)
		rx_count.replayed++;
	else
		rx_count.auth_failed++;
}

static void rx_packet(enum side side, u8 *ip, unsigned int len, u64 stamp)
{
	unsigned int ihl, n, id;
	struct srtp_packet_info info;
	struct stream *s;
	u32 entry;
	u16 sport, dport;
	u8 *p;
	int ret;

	if (len < IPUDP || (ip[0] >> 4) != 4 || ip[9] != IPPROTO_UDP)
		return;
	ihl = (ip[0] & 15u) * 4;
	if (len < ihl + 8)
		return;
	sport = get_unaligned_be16(ip + ihl);
	dport = get_unaligned_be16(ip + ihl + 2);
	entry = port_map[side][dport];
	if (!entry) {
		rx_count.unknown++;
		return;
	}
	id = (entry - 1) / 2;
	s = &streams[id];
	p = ip + ihl + 8;
	n = len - ihl - 8;
	if (memcmp(ip + 12, &s->relay_src.sin_addr, 4) ||
	    (sport != ntohs(s->relay_src.sin_port) + (entry - 1) % 2 &&
	     !((entry - 1) % 2 && sport == ntohs(s->relay_src.sin_port)))) {
		rx_count.bad_source++;
		return;
	}
	/* RTCP is expected from the relay's RTCP port (RTP port + 1), as
	 * symmetric RTCP (RFC 4961) needs; RTCP from its RTP port is still
	 * delivered media, but counted and printed, for it is a relay bug.
	 */
	if ((entry - 1) % 2 && sport == ntohs(s->relay_src.sin_port))
		rx_count.rtcp_from_rtp_port++;
	/* send_forged()'s: the relay forwarded SRTP it did not authenticate. */
	if (!((entry - 1) % 2) && n >= SRTP_RTP_HEADER_LEN &&
	    get_unaligned_be32(p + 8) == FORGED_SSRC) {
		rx_count.forged++;
		return;
	}
	if ((entry - 1) % 2) {	/* RTCP */
		if (s->rx) {
			ret = srtp_ctx_unprotect_rtcp(s->rx, p, &n, &info);
			if (ret) {
				count_unprotect_error(ret);
				return;
			}
		}
		if (n < RTCP_SR_LEN || p[1] != 200 ||
		    get_unaligned_be32(p + 4) != s->ssrc ||
		    get_unaligned_be32(p + 12) != SR_MAGIC ||
		    get_unaligned_be32(p + 16) != id) {
			rx_count.bad_payload++;
			return;
		}
		rx_count.ok_rtcp++;
		account(get_unaligned_be32(p + 8), stamp);
		return;
	}
	if (s->rx) {
		ret = srtp_ctx_unprotect(s->rx, p, &n, &info);
		if (ret) {
			count_unprotect_error(ret);
			return;
		}
		info.index &= 0xffffffffffffULL;
	} else {
		if (n < 4)
			return;
		info.index = extend_seq(s->highest, s->seen,
					get_unaligned_be16(p + 2));
	}
	if (n != SRTP_RTP_HEADER_LEN + PAYLOAD || get_unaligned_be32(p + 8) != s->ssrc) {
		rx_count.bad_payload++;
		return;
	}
	for (unsigned int i = 0; i < PAYLOAD; i++) {
		if (p[12 + i] != payload_byte(info.index, id, i)) {
			rx_count.bad_payload++;
			return;
		}
	}
	if (s->seen && info.index < s->highest)
		rx_count.reordered++;
	else
		s->highest = info.index;
	s->seen = true;
	rx_count.ok++;
	if (info.index < s->first_index)
		rx_count.stale++;
	else
		account(s->rtp_slot + (info.index - s->first_index), stamp);
}

void *receiver(void *arg)
{
	static u8 bufs[BATCH][2048];
	static char ctrl[BATCH][64];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct pollfd fds[2] = {
		{ .fd = cap_fd[0], .events = POLLIN },
		{ .fd = cap_fd[1], .events = POLLIN },
	};

	(void)arg;
	pin(opt.gen_cpu);
	while (!rx_stop) {
		/* Latency comes from the kernel's timestamps, so reading late
		 * costs nothing: read in batches every 1 ms rather than wake
		 * for every packet.
		 */
		struct timespec nap = { 0, 1000000 };

		nanosleep(&nap, NULL);
		if (poll(fds, 2, 0) <= 0)
			continue;
		for (int side = 0; side < 2; side++) {
			int got;

			if (!(fds[side].revents & POLLIN))
				continue;
			do {
				memset(msgs, 0, sizeof(msgs));
				for (int i = 0; i < BATCH; i++) {
					iov[i].iov_base = bufs[i];
					iov[i].iov_len = sizeof(bufs[i]);
					msgs[i].msg_hdr.msg_iov = &iov[i];
					msgs[i].msg_hdr.msg_iovlen = 1;
					msgs[i].msg_hdr.msg_control = ctrl[i];
					msgs[i].msg_hdr.msg_controllen = sizeof(ctrl[i]);
				}
				got = recvmmsg(cap_fd[side], msgs, BATCH, MSG_DONTWAIT, NULL);
				for (int i = 0; i < got; i++) {
					struct cmsghdr *cm;
					u64 stamp = 0;

					for (cm = CMSG_FIRSTHDR(&msgs[i].msg_hdr); cm;
					     cm = CMSG_NXTHDR(&msgs[i].msg_hdr, cm)) {
						if (cm->cmsg_level == SOL_SOCKET &&
						    cm->cmsg_type == SCM_TIMESTAMPNS) {
							struct timespec ts;

							memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
							stamp = (u64)ts.tv_sec * 1000000000ULL +
								(u64)ts.tv_nsec;
						}
					}
					if (!stamp)
						stamp = clock_ns(CLOCK_REALTIME);
					rx_packet((enum side)side, bufs[i], msgs[i].msg_len,
						  stamp);
				}
			} while (got == BATCH);
		}
	}
	return NULL;
}
