/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * SIP messages: parsing with osip2's parser, the checks RFC 3261 8.2 and
 * 18.3 ask of every received message, and builders for what we send.
 */
#ifndef SRTPRELAYD_SIP_MSG_H
#define SRTPRELAYD_SIP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <osipparser2/osip_parser.h>

#include "base/sbuf.h"
#include "sip/sip_types.h"

enum sip_parse_result {
	SIP_PARSE_OK,
	SIP_PARSE_DROP,		/* not even a response can be built: drop */
	SIP_PARSE_400,		/* a request we answer with 400 */
};

/* One-time osip2 parser setup. */
int sip_msg_init(void);

/*
 * Parses (buf, len) into *@out. On SIP_PARSE_400 *@out is the parsed
 * request (caller frees) and @why the reason phrase; on SIP_PARSE_DROP
 * *@out is NULL and @why says why for the log.
 */
enum sip_parse_result sip_msg_parse(const char *buf, size_t len,
				    osip_message_t **out, char *why,
				    size_t why_len);

/* Value of a header osip2 keeps as "other", or NULL. */
const char *sip_hdr(const osip_message_t *m, const char *name);
/*
 * Does any header @name (or its compact form @compact, may be NULL) list
 * the option tag or method @token (comma-separated, case-insensitive)?
 * Allow is read from osip2's own list.
 */
bool sip_hdr_has_token(const osip_message_t *m, const char *name,
		       const char *compact, const char *token);
/*
 * @value (a Supported or Require value) without the option tag @token,
 * into @out; "" when nothing else is left.
 */
void sip_tokens_without(const char *value, const char *token, char *out,
			size_t len);
const char *sip_branch(const osip_message_t *m);
const char *sip_from_tag(const osip_message_t *m);
const char *sip_to_tag(const osip_message_t *m);
#define SIP_CALL_ID_MAX 256
/* The whole Call-ID ("number@host"): osip2's own string, or written
 * into @buf (SIP_CALL_ID_MAX) when osip2 split it. */
const char *sip_call_id(const osip_message_t *m, char *buf, size_t len);
unsigned long sip_cseq(const osip_message_t *m);
const char *sip_cseq_method(const osip_message_t *m);
/* The body if it is application/sdp, with its length. */
const char *sip_sdp_body(const osip_message_t *m, size_t *len);
bool sip_has_body(const osip_message_t *m);
/*
 * Does final response @resp refuse the SDP offer of its INVITE, so that
 * another offer may be taken? 488 and 606 always (RFC 3261 21.4.26,
 * 21.6.4); 415 unless its Accept leaves application/sdp out (then the
 * body's type was refused, 21.4.13); 406 only with a 3xx (SDP) Warning,
 * as it is otherwise about our Accept (21.4.7), which we never send.
 */
bool sip_refuses_offer(const osip_message_t *resp);

/* Random token for tags, branches and Call-IDs (hex, NUL-terminated). */
void sip_random_token(char *buf, size_t hexlen);

/*
 * A response to @req: Via, From, To (with @to_tag added when To has
 * none and code > 100), Call-ID and CSeq copied. @extra is a block of
 * whole header lines ending in CRLF (may be NULL); @body may be NULL.
 */
void sip_build_response(struct sbuf *b, const osip_message_t *req, int code,
			const char *reason, const char *to_tag,
			const char *extra, const char *body);
const char *sip_reason(int code);

#endif
