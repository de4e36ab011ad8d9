// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The queue of held sends (sip/transport_hold.h says what for). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "sip/transport_hold.h"

/* One event loop, one queue: the transports keep file-level state. */
static struct {
	bool holding;
	struct held_send *head, **tail;
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
	return 0;
}

void transport_hold_end(void)
{
	held.holding = false;
}

struct held_send *transport_hold_take(void)
{
	struct held_send *h = held.head;

	if (!h)
		return NULL;
	held.head = h->next;
	if (!held.head)
		held.tail = &held.head;
	return h;
}
