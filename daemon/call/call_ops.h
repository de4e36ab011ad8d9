/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What b2bua.c and b2bua_dialog.c both do to a call (call_ops.c). */
#ifndef SRTPRELAYD_CALL_OPS_H
#define SRTPRELAYD_CALL_OPS_H

#include <stdbool.h>
#include <stddef.h>

#include "call/call.h"

/* Logs @why, removes media, returns ports, BYEs the legs asked for, frees. */
void call_end(struct call *c, const char *why, bool bye0, bool bye1);
/* The call's record into its store (call_record.h), written through
 * before the answer that follows goes out; a failure is logged. */
void call_save(struct call *c);
/* ACK on leg @leg for its INVITE, with @body (SDP) or NULL. */
void call_send_ack(struct call *c, int leg, const char *body);
/* "Warning: 399 srtprelayd "why"" (RFC 3261 20.43), so the peer's logs
 * say what was refused; quotes and control characters dropped. */
void warning_header(char *buf, size_t len, const char *why);

#endif
