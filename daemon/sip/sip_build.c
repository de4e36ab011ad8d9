// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Responses built from the requests they answer (RFC 3261 8.2.6). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip_msg.h"

const char *sip_reason(int code)
{
	switch (code) {
	case 100: return "Trying";
	case 180: return "Ringing";
	case 183: return "Session Progress";
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 415: return "Unsupported Media Type";
	case 420: return "Bad Extension";
	case 422: return "Session Interval Too Small";
	case 480: return "Temporarily Unavailable";
	case 481: return "Call/Transaction Does Not Exist";
	case 482: return "Loop Detected";
	case 483: return "Too Many Hops";
	case 486: return "Busy Here";
	case 487: return "Request Terminated";
	case 488: return "Not Acceptable Here";
	case 491: return "Request Pending";
	case 500: return "Server Internal Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 504: return "Server Time-out";
	case 603: return "Decline";
	}
	return code < 200 ? "Session Progress" : code < 300 ? "OK" : "Error";
}

static void add_vias(struct sbuf *b, const osip_message_t *req)
{
	int i, n = osip_list_size(&req->vias);

	for (i = 0; i < n; i++) {
		osip_via_t *v = osip_list_get(&req->vias, i);
		char *s = NULL;

		if (!osip_via_to_str(v, &s)) {
			sb_printf(b, "Via: %s\r\n", s);
			osip_free(s);
		}
	}
}

void sip_build_response(struct sbuf *b, const osip_message_t *req, int code,
			const char *reason, const char *to_tag,
			const char *extra, const char *body)
{
	char *from = NULL, *to = NULL, *cid = NULL;
	size_t blen = body ? strlen(body) : 0;

	osip_from_to_str(req->from, &from);
	osip_to_to_str(req->to, &to);
	osip_call_id_to_str(req->call_id, &cid);
	sb_printf(b, "SIP/2.0 %d %s\r\n", code, reason ? reason : sip_reason(code));
	add_vias(b, req);
	sb_printf(b, "From: %s\r\n", from ? from : "");
	sb_printf(b, "To: %s", to ? to : "");
	if (code > 100 && to_tag && !sip_to_tag(req))
		sb_printf(b, ";tag=%s", to_tag);
	sb_printf(b, "\r\nCall-ID: %s\r\nCSeq: %s %s\r\n", cid ? cid : "",
		  req->cseq->number, req->cseq->method);
	sb_puts(b, "Server: srtprelayd\r\n");
	if (extra)
		sb_puts(b, extra);
	if (blen)
		sb_puts(b, "Content-Type: application/sdp\r\n");
	sb_printf(b, "Content-Length: %zu\r\n\r\n", blen);
	if (blen)
		sb_add(b, body, blen);
	osip_free(from);
	osip_free(to);
	osip_free(cid);
}
