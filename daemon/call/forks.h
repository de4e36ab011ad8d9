/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Forked early dialogs (RFC 3261 12.1, 13.2.2.4; RFC 3960 3.1): the
 * callee-side early dialogs of a call, one per To tag in the 18x a forking
 * proxy relays, each shown to the caller as an early dialog of its own
 * (a To tag of ours per fork), until a 2xx picks one.
 *
 * Early media follows the latest early answer with SDP. RFC 3960 (3.1)
 * leaves it to the UAC which of several forks' early media to play, and
 * the caller here has one stream per m= line toward us. The branch that
 * answered last is the one that has just said it has media to send, and
 * the choice is made from signalling alone: following whichever fork
 * sends packets instead would have the media plane take several sources
 * on one port, which is what latching (kmod/latch.c) exists to refuse.
 * On the 2xx the winner's answer (in the 2xx, or the one it sent early)
 * is what the media plane is set to, whichever fork it was following.
 */
#ifndef SRTPRELAYD_FORKS_H
#define SRTPRELAYD_FORKS_H

#include <stddef.h>
#include <osipparser2/osip_parser.h>

#include "call/call.h"

/* No forks yet (call setup). */
void forks_init(struct call *c);
/*
 * The early dialog of @resp's To tag, added when new (the first takes
 * the caller leg's own tag, so an unforked call looks as before); NULL
 * when the response has no To tag or the table is full. Makes it the
 * callee leg's current one (its tag and remote target).
 */
struct early_fork *fork_of_response(struct call *c, const osip_message_t *resp);
/* The early dialog whose caller-side tag is @tag, or NULL. */
struct early_fork *fork_by_caller_tag(struct call *c, const char *tag);
/* Talk to @f on the callee leg (a request from the caller in its dialog). */
void fork_select(struct call *c, const struct early_fork *f);
/* Keeps @f's early answer (a copy, wiped when dropped): the media now
 * follows it. */
void fork_keep_answer(struct call *c, struct early_fork *f, const char *sdp,
		      size_t len);
/*
 * A 2xx from @f (may be NULL: an unforked call): the caller's dialog
 * takes its tag. *@answer is its early answer when the media follows
 * another fork's (to be applied), else NULL.
 */
void fork_won(struct call *c, struct early_fork *f, const char **answer,
	      size_t *len);
/* The early answers wiped (the call is answered or ends). */
void forks_release(struct call *c);
/* Every early dialog gone, answers wiped (the call's INVITE is sent
 * again, or the call is freed): as after forks_init(). */
void forks_free(struct call *c);
/*
 * A 2xx from another fork after the call was answered (RFC 3261
 * 13.2.2.4): ACKed (again, if it repeats) and, once, BYEd.
 */
void fork_end_loser(struct call *c, const osip_message_t *resp);

#endif
