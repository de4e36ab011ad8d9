/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The streams of a call: for each media slot agreed on both legs, one
 * stream per direction (packets arriving on leg X's port, decrypted with
 * X's key, re-encrypted with our key toward Y, sent from Y's port).
 */
#ifndef SRTPRELAYD_CALL_MEDIA_H
#define SRTPRELAYD_CALL_MEDIA_H

#include "call/call.h"
#include "config/config.h"
#include "relay_netlink.h"

/* The media plane's events and its coming back reach the calls. */
void call_media_setup(struct media_plane *mp);
/* Installs or updates every stream; 0 or -errno (logged). */
int call_media_apply(struct call *c);
void call_media_remove(struct call *c);
/* The stream arriving on leg @x for slot @s, as it would be installed. */
int call_media_stream(const struct call *c, int x, unsigned int s,
		      struct relay_nl_stream *out);
/* Milliseconds since any stream of the call last received (datapath). */
int call_media_idle_ms(const struct call *c, uint64_t *idle);

#endif
