/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The sip_limits part of the control socket's status (control.c). */
#ifndef SRTPRELAYD_STATUS_LIMITS_H
#define SRTPRELAYD_STATUS_LIMITS_H

#include <stdbool.h>

#include "base/sbuf.h"
#include "call/border.h"

struct transport;

/*
 * Text: "connections-open N cap N", "connections-refused total N per-ip N
 * no-fd N policy N", "connections-closed handshake N first-message N idle
 * N", "requests-unknown-source rejected N dropped N over-rate N", "requests-refused
 * transactions N calls-in-progress N", "rate-limit bans N banned-now N
 * dropped N sources N evicted N", then one "banned ADDRESS seconds-left N
 * dropped N" per banned address. JSON: members of the status object,
 * each preceded by a comma: "connection_limits":{...},
 * "flood_limits":{...}, "banned":[{"address","seconds_left","dropped"}].
 */
void status_limits(struct sbuf *b, const struct transport *tp,
		   struct border *border, bool json);

#endif
