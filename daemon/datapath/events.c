// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Events of the packet path (a stream latched or moved its source, a new
 * SSRC), as the module multicasts them to its "events" group. A worker
 * must never wait on a control client, so it only appends to a small
 * queue under a mutex held for a copy, and wakes the control thread
 * through an eventfd; the control thread sends them on. A full queue
 * drops the event and counts it: the clients are then told events were
 * lost (ENOBUFS, as a netlink socket overrun says it), and re-read what
 * they need.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "datapath.h"

int dp_events_init(struct dp_events *events)
{
	memset(events, 0, sizeof(*events));
	events->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (events->wake_fd < 0)
		return -errno;
	pthread_mutex_init(&events->lock, NULL);
	return 0;
}

/**
 * dp_event_push() - report an event of the packet path
 * @events: the datapath's queue
 * @event: what happened
 *
 * Called by workers with no stream lock held. Costs one atomic load when
 * no client joined the events group.
 */
void dp_event_push(struct dp_events *events, const struct dp_event *event)
{
	bool wake = false;

	if (!__atomic_load_n(&events->listeners, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&events->lock);
	if (events->count == DP_EVENT_QUEUE_LEN) {
		events->dropped++;
	} else {
		events->ring[(events->head + events->count) %
			     DP_EVENT_QUEUE_LEN] = *event;
		wake = !events->count++;
	}
	pthread_mutex_unlock(&events->lock);
	if (wake) {
		uint64_t one = 1;

		/* Non-blocking; a full counter is already a wake-up. */
		if (write(events->wake_fd, &one, sizeof(one)) < 0)
			return;
	}
}

/**
 * dp_events_take() - the control thread's side of the queue
 * @events: the datapath's queue
 * @out: room for @max events
 * @max: how many to take at most
 * @dropped: set to how many were dropped since the last call
 *
 * Return: how many events were taken; fewer than @max means the queue is
 * now empty and the eventfd was cleared before looking.
 */
unsigned int dp_events_take(struct dp_events *events, struct dp_event *out,
			    unsigned int max, uint64_t *dropped)
{
	unsigned int n = 0;
	uint64_t value;

	/* Cleared first: a push after this sees an empty queue or wakes us. */
	if (read(events->wake_fd, &value, sizeof(value)) < 0 && errno != EAGAIN)
		return 0;
	pthread_mutex_lock(&events->lock);
	while (n < max && events->count) {
		out[n++] = events->ring[events->head];
		events->head = (events->head + 1) % DP_EVENT_QUEUE_LEN;
		events->count--;
	}
	*dropped = events->dropped;
	events->dropped = 0;
	pthread_mutex_unlock(&events->lock);
	return n;
}
