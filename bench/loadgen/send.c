// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * loadgen: the send loop. Every packet of the step is already built and
 * protected; this only paces them out in batches of sendmmsg on each
 * endpoint's raw socket, stamping each with the time just before its batch
 * is sent.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include "loadgen.h"

struct send_batch {
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	u64 slots[BATCH];
	unsigned int n;
};

static void flush_batch(enum side side, struct send_batch *b)
{
	unsigned int done = 0;
	u64 now = clock_ns(CLOCK_REALTIME);

	for (unsigned int i = 0; i < b->n; i++)
		sent_at[b->slots[i]] = now;
	while (done < b->n) {
		int n = sendmmsg(raw_fd[side], b->msgs + done, b->n - done, 0);

		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN)
				continue;
			die("sendmmsg: %s", strerror(errno));
		}
		done += (unsigned int)n;
	}
	b->n = 0;
}

static void queue_packet(struct send_batch *batch, const struct stream *s,
			 u64 slot)
{
	struct send_batch *b = &batch[s->from];

	b->iov[b->n].iov_base = pkts + slot * PKT_STRIDE;
	b->iov[b->n].iov_len = pkt_len[slot];
	b->msgs[b->n].msg_hdr.msg_iov = &b->iov[b->n];
	b->msgs[b->n].msg_hdr.msg_iovlen = 1;
	b->msgs[b->n].msg_hdr.msg_name = (void *)&s->dst;
	b->msgs[b->n].msg_hdr.msg_namelen = sizeof(s->dst);
	b->slots[b->n++] = slot;
	if (b->n == BATCH)
		flush_batch(s->from, b);
}

void send_step(unsigned int frames, const unsigned int *order,
	       unsigned int nstreams, const struct rtcp_event *events,
	       unsigned int nrtcp)
{
	static struct send_batch batch[2];
	u64 t0 = clock_ns(CLOCK_MONOTONIC);
	unsigned int k = 0, j = 0, e = 0;

	while (k < frames || e < nrtcp) {
		u64 now = clock_ns(CLOCK_MONOTONIC) - t0, next;
		struct timespec ts;

		while (k < frames) {
			struct stream *s = &streams[order[j]];

			if (s->phase_ns + k * PTIME_NS > now)
				break;
			queue_packet(batch, s, s->rtp_slot + k);
			if (++j == nstreams) {
				j = 0;
				k++;
			}
		}
		while (events[e].at <= now) {
			queue_packet(batch, &streams[events[e].stream],
				     events[e].slot);
			e++;
		}
		for (int side = 0; side < 2; side++)
			if (batch[side].n)
				flush_batch((enum side)side, &batch[side]);
		next = k < frames ? streams[order[j]].phase_ns + k * PTIME_NS :
				    UINT64_MAX;
		if (events[e].at < next)
			next = events[e].at;
		if (next == UINT64_MAX)
			break;
		if (next < now + SEND_QUANTUM_NS)
			next = now + SEND_QUANTUM_NS;
		next += t0;
		ts.tv_sec = (time_t)(next / 1000000000ULL);
		ts.tv_nsec = (long)(next % 1000000000ULL);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
}

/*
 * Copies of up to FORGED_PER_STEP of the step's RTP packets, spread over its
 * streams, with FORGED_SSRC written over the SSRC: their tag no longer
 * verifies. A relay that authenticates drops them; one that forwards SRTP
 * without a check (rtpengine's SDES pass-through) delivers them, and the
 * receiver counts them by their SSRC. Plain RTP has no tag: none are sent
 * on a plain leg.
 * Returns how many were sent.
 */
unsigned int send_forged(unsigned int nstreams, unsigned int frames)
{
	unsigned int stride = nstreams > FORGED_PER_STEP ? nstreams / FORGED_PER_STEP : 1;
	unsigned int sent = 0;
	u8 pkt[PKT_STRIDE];

	for (unsigned int i = 0; i < nstreams && sent < FORGED_PER_STEP; i += stride) {
		const struct stream *s = &streams[i];
		u64 slot = s->rtp_slot + frames / 2;

		if (!s->tx)
			continue;
		memcpy(pkt, pkts + slot * PKT_STRIDE, pkt_len[slot]);
		put_unaligned_be32(FORGED_SSRC, pkt + IPUDP + 8);
		if (sendto(raw_fd[s->from], pkt, pkt_len[slot], 0,
			   (const struct sockaddr *)&s->dst, sizeof(s->dst)) < 0)
			die("sendto (forged packet): %s", strerror(errno));
		sent++;
	}
	return sent;
}
