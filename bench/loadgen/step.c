// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * loadgen: one step. N calls for --duration seconds: every packet of the
 * step built and protected first, then the receiver started, the packets
 * paced out, stragglers waited for, and the result measured.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loadgen.h"

/* The step in flight, shared by generator and receiver threads. */
u8 *pkts;
u16 *pkt_len;
u64 *sent_at;		/* CLOCK_REALTIME ns, 0 if not sent */
u8 *received;
u64 nslots;

static int cmp_phase(const void *a, const void *b)
{
	const struct stream *x = &streams[*(const unsigned int *)a];
	const struct stream *y = &streams[*(const unsigned int *)b];

	return x->phase_ns < y->phase_ns ? -1 : x->phase_ns > y->phase_ns;
}

static int cmp_event(const void *a, const void *b)
{
	const struct rtcp_event *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/* Sizes the step's slots and builds every packet of it, in slot order;
 * returns the number of RTCP events, sorted by time in *@eventsp (ended by
 * one at UINT64_MAX), and the streams sorted by phase in *@orderp.
 */
static unsigned int step_build(unsigned int nstreams, unsigned int frames,
			       u64 step_ns, struct rtcp_event **eventsp,
			       unsigned int **orderp)
{
	unsigned int *order, nrtcp = 0;
	struct rtcp_event *events;
	u64 slot;

	/* Slots: every RTP packet, then every RTCP packet, of the step. */
	nslots = (u64)nstreams * frames;
	for (unsigned int i = 0; i < nstreams; i++) {
		struct stream *s = &streams[i];

		s->rtcp_count = (unsigned int)((step_ns + RTCP_INTERVAL_NS - 1 -
						s->rtcp_phase_ns) / RTCP_INTERVAL_NS);
		if (s->rtcp_phase_ns >= step_ns)
			s->rtcp_count = 0;
		nrtcp += s->rtcp_count;
	}
	nslots += nrtcp;
	free(pkts);
	free(pkt_len);
	free(sent_at);
	free(received);
	pkts = malloc(nslots * PKT_STRIDE);
	pkt_len = calloc(nslots, sizeof(*pkt_len));
	sent_at = calloc(nslots, sizeof(*sent_at));
	received = calloc(nslots, 1);
	events = calloc(nrtcp + 1, sizeof(*events));
	order = calloc(nstreams, sizeof(*order));
	if (!pkts || !pkt_len || !sent_at || !received || !events || !order)
		die("out of memory for %" PRIu64 " packets", nslots);

	/* Pre-protect the whole step: the send loop does no crypto. */
	slot = (u64)nstreams * frames;
	nrtcp = 0;
	for (unsigned int i = 0; i < nstreams; i++) {
		struct stream *s = &streams[i];

		s->first_index = s->next_index;
		s->rtp_slot = (u64)i * frames;
		for (unsigned int k = 0; k < frames; k++)
			build_rtp(s, i, s->next_index++, pkts + (s->rtp_slot + k) * PKT_STRIDE,
				  &pkt_len[s->rtp_slot + k]);
		s->rtcp_slot = slot;
		for (unsigned int j = 0; j < s->rtcp_count; j++, slot++) {
			build_rtcp(s, i, slot, pkts + slot * PKT_STRIDE, &pkt_len[slot]);
			events[nrtcp].at = s->rtcp_phase_ns + j * RTCP_INTERVAL_NS;
			events[nrtcp].stream = i;
			events[nrtcp++].slot = slot;
		}
		order[i] = i;
	}
	qsort(order, nstreams, sizeof(*order), cmp_phase);
	qsort(events, nrtcp, sizeof(*events), cmp_event);
	events[nrtcp].at = UINT64_MAX;
	*eventsp = events;
	*orderp = order;
	return nrtcp;
}

void run_step(unsigned int calls, double seconds, struct step_result *r)
{
	unsigned int nstreams = 2 * calls, frames, *order, nrtcp, forged;
	u64 step_ns = (u64)(seconds * 1e9);
	struct rtcp_event *events;
	struct cpu_sample before, after;
	pthread_t rx_thread;

	setup_calls(calls);
	frames = (unsigned int)(step_ns / PTIME_NS);
	nrtcp = step_build(nstreams, frames, step_ns, &events, &order);

	memset(&rx_count, 0, sizeof(rx_count));
	memset(hist, 0, (HIST_US + 1) * sizeof(*hist));
	rx_stop = 0;
	if (pthread_create(&rx_thread, NULL, receiver, NULL))
		die("pthread_create failed");

	cpu_sample(&before);
	send_step(frames, order, nstreams, events, nrtcp);
	cpu_sample(&after);
	forged = send_forged(nstreams, frames);
	{
		struct timespec drain = { 0, DRAIN_NS };

		nanosleep(&drain, NULL);
	}
	rx_stop = 1;
	pthread_join(rx_thread, NULL);

	step_result_fill(r, calls, &before, &after);
	r->forged_sent = forged;
	free(events);
	free(order);
}
