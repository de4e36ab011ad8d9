/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The dialog of one leg (RFC 3261 12): identifiers, CSeq, remote target
 * and route set, learnt from the messages that create it, and the
 * requests we send within it. As an SBC we send in-dialog requests to the
 * address the dialog's messages came from (or were sent to), which is what
 * phones behind NAT and connection reuse need; the Request-URI is still
 * the remote target and the route set still goes into Route headers.
 */
#ifndef SRTPRELAYD_SIP_DIALOG_H
#define SRTPRELAYD_SIP_DIALOG_H

#include <osipparser2/osip_parser.h>

#include "call/call.h"
#include "base/sbuf.h"

/* We are the UAS of @l, created by @invite from @from. */
void dialog_init_uas(struct leg *l, const osip_message_t *invite,
		     const struct sip_peer *from);
/* We are the UAC of @l toward @to, copying From/To URIs of @invite. */
void dialog_init_uac(struct leg *l, const osip_message_t *invite,
		     const struct sip_peer *to, const char *request_uri);
/*
 * Our INVITE on @l got a final refusal and is sent again, changed, as RFC
 * 3261 8.1.3.5 retries a request: a new transaction with the same
 * Call-ID, From (tag) and To, and the next CSeq (the callee would take the
 * same CSeq for a merged request, 8.2.2.2, and answer 482). The refusal
 * ended every early dialog (12.3), so the to-tag, remote target and route
 * set learnt from them are forgotten.
 */
void dialog_retry_uac(struct leg *l, const struct sip_peer *to,
		      const char *request_uri);
/* Frees what @l's dialog holds on the heap (its route set). */
void dialog_release(struct leg *l);
/*
 * @l is a copy of a leg (struct assignment) that outlives it: its route
 * set becomes its own. 0, or -1 when out of memory (then it has the routes
 * copied so far; dialog_release() it all the same).
 */
int dialog_own_routes(struct leg *l);
/* A response of @l's dialog-creating INVITE: to-tag, Contact, routes. */
void dialog_learn_response(struct leg *l, const osip_message_t *resp);
/* A request received in @l's dialog: CSeq check and target refresh. */
bool dialog_check_request(struct leg *l, const osip_message_t *req);

/*
 * A request in @l's dialog into @b. @cseq 0 takes the next local CSeq.
 * @extra: whole header lines (CRLF-terminated) or NULL; @ctype and @body
 * may be NULL.
 */
void dialog_request(struct leg *l, struct sbuf *b, const char *method,
		    uint32_t cseq, const char *extra, const char *ctype,
		    const char *body, size_t body_len);
/* The ACK of the leg's INVITE's 2xx: the same bytes every time. */
void dialog_ack(struct leg *l, struct sbuf *b, const char *body,
		size_t body_len);
/* Our Contact header line for @l. */
void dialog_contact(const struct leg *l, char *buf, size_t len);
/* Does @m, sent by the peer, belong to @l (Call-ID, tags)? */
bool dialog_matches(const struct leg *l, const osip_message_t *m);
/* The same, with @local_tag as ours (another early dialog, forks.h). */
bool dialog_matches_as(const struct leg *l, const osip_message_t *m,
		       const char *local_tag);

#endif
