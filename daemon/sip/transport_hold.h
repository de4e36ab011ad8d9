/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Held sends: between transport_hold() and transport_release() (sip/
 * transport.h) every message is copied into a queue instead of sent, and
 * goes out in order at the release. For a promise to keep first:
 * srtprelayd holds while a stored call's record is written but not yet on
 * disk (call/call_store.h), so that the 200 OK naming the call does not
 * reach the peer before the record would survive a power cut; one sync at
 * the end of the event loop's round then covers every call the round
 * answered (group commit) instead of one sync per call.
 */
#ifndef SRTPRELAYD_TRANSPORT_HOLD_H
#define SRTPRELAYD_TRANSPORT_HOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "sip/sip_types.h"

struct held_send {
	struct held_send *next;
	struct sip_peer to;
	size_t len;
	char buf[];
};

/* The queue, one per struct transport. */
struct held_sends {
	bool holding;
	struct held_send *head, **tail;
};

/* Empty, not holding. */
void held_sends_init(struct held_sends *q);
/* Queues a copy of one message; 0, or -ENOMEM (logged: send it now). */
int held_sends_add(struct held_sends *q, const struct sip_peer *to,
		   const char *buf, size_t len);
/* The oldest held message, off the queue, or NULL; the caller frees it
 * with held_send_free(). */
struct held_send *held_sends_take(struct held_sends *q);
/* Wipes and frees a taken message: a 200 OK's SDP carries a call's keys. */
void held_send_free(struct held_send *h);

#endif
