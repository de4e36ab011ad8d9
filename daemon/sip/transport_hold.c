// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The queue of held sends (sip/transport_hold.h says what for). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/secret_mem.h"
#include "sip/transport_hold.h"

void held_sends_init(struct held_sends *q)
{
	q->holding = false;
	q->head = NULL;
	q->tail = &q->head;
}

int held_sends_add(struct held_sends *q, const struct sip_peer *to,
		   const char *buf, size_t len)
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
	*q->tail = h;
	q->tail = &h->next;
	return 0;
}

struct held_send *held_sends_take(struct held_sends *q)
{
	struct held_send *h = q->head;

	if (!h)
		return NULL;
	q->head = h->next;
	if (!q->head)
		q->tail = &q->head;
	return h;
}

void held_send_free(struct held_send *h)
{
	secret_free(h, sizeof(*h) + h->len);
}
