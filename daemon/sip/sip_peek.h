/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A request read without parsing it: the method, whether it is within a
 * dialog (a To tag), its top Via branch, and the header lines a response
 * copies (RFC 3261 8.2.6.2). For refusing work under overload, where the
 * full parse (osip2) is most of what an INVITE costs before its SDP: a
 * refusal has to cost a small part of a call, or refusing cannot make
 * room. Anything unusual (folded lines, a missing header, a Via without a
 * branch) is not peeked at: the caller hands such a message to the full
 * parser as before.
 */
#ifndef SRTPRELAYD_SIP_PEEK_H
#define SRTPRELAYD_SIP_PEEK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/sbuf.h"

#define SIP_PEEK_MAX_VIA 16

struct sip_span {
	const char *p;
	size_t len;
};

struct sip_peek {
	struct sip_span method;
	struct sip_span branch;		/* of the top Via */
	struct sip_span to_tag;		/* len 0: none */
	/* Whole header lines, without their CRLF, in the message's order. */
	struct sip_span via[SIP_PEEK_MAX_VIA];
	unsigned int n_via;
	struct sip_span from, to, call_id, cseq;
};

/* A request's start line and headers in @buf (@len bytes, no terminator
 * needed): true and @pk filled, or false to leave it to the parser. */
bool sip_peek_request(const char *buf, size_t len, struct sip_peek *pk);
bool sip_span_is(const struct sip_span *s, const char *str);
/* A final response to the peeked request, To tag @tag added unless it
 * has one, with @extra header lines (each ending in CRLF; may be NULL)
 * and no body. */
void sip_peek_response(struct sbuf *b, const struct sip_peek *pk, int code,
		       const char *reason, const char *tag, const char *extra);

#endif
