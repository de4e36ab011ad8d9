// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What both halves of the B2BUA (b2bua.c for new calls, b2bua_dialog.c
 * within dialogs) do to a call: send its ACK, end it (media removed,
 * ports returned, BYE where a dialog exists, relayed requests dropped)
 * and word a refusal's Warning header. Kept apart so that neither half
 * calls the other back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/secret_mem.h"
#include "call/admission.h"
#include "call/call_index.h"
#include "call/call_media.h"
#include "call/call_ops.h"
#include "call/offer_answer.h"
#include "call/sip_dialog.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"

static void forget_forwards(struct call *c)
{
	struct fwd *f, *next;

	for (f = c->forwards; f; f = next) {
		next = f->next;
		sip_txn_forget(f);
		free(f);
	}
	c->forwards = NULL;
}

static void call_free(struct call *c)
{
	if (c->admitted)
		admission_release(c->leg[0].group, c->leg[1].group);
	call_list_remove(c);
	sip_txn_forget(c);
	forget_forwards(c);
	ev_timer_cancel(&c->media_timer);
	/* The SDP we sent last, and the late ACK's, carry our keys. */
	secret_free_heap(c->late_ack_sdp);
	secret_free(c, sizeof(*c));
}

static void send_bye(struct call *c, int k)
{
	struct sbuf b;

	sb_init(&b);
	dialog_request(&c->leg[k], &b, "BYE", 0, NULL, NULL, NULL, 0);
	if (!b.failed)
		sip_txn_request(&c->leg[k].peer, b.p, b.len, NULL, NULL);
	sb_free(&b);
}

void call_end(struct call *c, const char *why, bool bye0, bool bye1)
{
	uint64_t secs = c->answered_ms ? (ev_now_ms() - c->answered_ms) / 1000 : 0;

	log_info("call %llu ended: %s (%llu s connected)", (unsigned long long)c->id,
		 why, (unsigned long long)secs);
	call_media_remove(c);
	oa_release(c);
	if (bye0)
		send_bye(c, 0);
	if (bye1)
		send_bye(c, 1);
	call_free(c);
}

void call_send_ack(struct call *c, int k, const char *body)
{
	struct sbuf b;

	sb_init(&b);
	dialog_request(&c->leg[k], &b, "ACK", c->leg[k].invite_cseq, NULL, NULL,
		       body, body ? strlen(body) : 0);
	if (!b.failed)
		transport_send(&c->leg[k].peer, b.p, b.len);
	sb_free(&b);
}

/* "Warning: 399 srtprelayd "why"" (RFC 3261 20.43), so the peer's logs
 * say what was refused; quotes and control characters dropped. */
void warning_header(char *buf, size_t len, const char *why)
{
	size_t n = (size_t)snprintf(buf, len, "Warning: 399 srtprelayd \"");
	const char *p;

	for (p = why; *p && n + 4 < len; p++)
		if (*p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
			buf[n++] = *p;
	snprintf(buf + n, len - n, "\"\r\n");
}
