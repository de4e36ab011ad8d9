/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A confirmed call as bytes for the call store, and back: what a restarted
 * srtprelayd needs to carry it on. Both dialogs (Call-ID, tags, URIs, CSeqs,
 * remote target, route set, peer and transport), each leg's IP group and
 * media realm (by name), its last SDP, the SDP we last sent, and per media
 * slot our port, the peer's address and latched source, direction,
 * rtcp-mux and both keys (the peer's and ours). Field by field with
 * lengths, versioned, little-endian: a record stays readable across builds
 * whose structs differ.
 *
 * Not in it: transactions in flight (a request pending when the process
 * died is retransmitted by its sender and handled anew), and the
 * candidates of an offer still unanswered.
 */
#ifndef SRTPRELAYD_CALL_RECORD_H
#define SRTPRELAYD_CALL_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "call/call.h"
#include "config/config.h"

/* *@out (free with secret_free(*out, *len): keys) or -ENOMEM. */
int call_record_encode(const struct call *c, uint8_t **out, size_t *len);
/*
 * Fills @c (zeroed by the caller) from @rec under the configuration @cfg;
 * 0, or -EINVAL with @why (a record cut short, a group or realm that is no
 * longer configured). @c's keys are wiped on failure.
 */
int call_record_decode(struct call *c, const struct config *cfg,
		       const uint8_t *rec, size_t len, char *why, size_t wl);

#endif
