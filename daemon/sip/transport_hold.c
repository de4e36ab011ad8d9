// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Held sends: between transport_hold() and transport_release() every
 * message is copied here instead of sent, and goes out in order at the
 * release. srtprelayd holds while a stored call's record is written but
 * not yet on disk (call_store.h): a 200 OK sent after the put must not
 * reach the peer before the record would survive a power cut, and one
 * sync at the end of the event loop's round then covers every call the
 * round answered (group commit) instead of one sync per call.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "sip/transport.h"

struct held_send {
	struct held_send *next;
	struct sip_peer to;
	size_t len;
	char buf[];
};

/* One event loop, one queue: the transports keep file-level state. */
static struct {
	bool holding;
	struct held_send *head, **tail;
	unsigned int count;
} held = { .tail = &held.head };

void transport_hold(void)
{
	held.holding = true;
}

bool transport_holding(void)
{
	return held.holding;
}

int transport_hold_add(const struct sip_peer *to, const char *buf, size_t len)
{
	struct held_send *h = malloc(sizeof(*h) + len);

	if (!h) {
		log_err("out of memory holding a %zu-byte message: sent at once", len);
		return -ENOMEM;
	}
	h->next = NULL;
	h->to = *to;
	h->len = len;
	memcpy(h->buf, buf, len);
	*held.tail = h;
	held.tail = &h->next;
	held.count++;
	return 0;
}

unsigned int transport_release(void)
{
	unsigned int sent = held.count;
	struct held_send *h;

	held.holding = false;
	while ((h = held.head)) {
		held.head = h->next;
		/* A failure is logged by the transport, as at once. */
		transport_send(&h->to, h->buf, h->len);
		free(h);
	}
	held.tail = &held.head;
	held.count = 0;
	return sent;
}
