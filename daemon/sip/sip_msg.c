// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * SIP messages through osip2's parser, plus the checks it leaves to us:
 * mandatory headers (RFC 3261 8.1.1), Content-Length against the bytes
 * received (18.3), and a branch cookie on Via (8.1.1.7).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/rand.h>

#include "base/log.h"
#include "base/secret_mem.h"
#include "sip/sip_msg.h"
#include "sip/sip_frame.h"

static void quiet_trace(const char *fi, int li, osip_trace_level_t level,
			const char *chfr, va_list ap)
{
}

int sip_msg_init(void)
{
	int level;

	/* Parsed messages hold SDP with keys: every block osip2 frees is
	 * wiped first (secret_mem.h). */
	osip_set_allocators(malloc, secret_realloc, secret_free_heap);
	/* We log malformed input ourselves, once, with its source. */
	osip_trace_initialize_func(TRACE_LEVEL0, quiet_trace);
	for (level = TRACE_LEVEL0; level < END_TRACE_LEVEL; level++)
		osip_trace_disable_level((osip_trace_level_t)level);
	return parser_init() ? -1 : 0;
}

static const char *missing_header(const osip_message_t *m);

static bool header_lines_sane(const char *buf, size_t len, char *why, size_t wl)
{
	size_t i, line = 0, lines = 0;

	for (i = 0; i < len; i++) {
		if (buf[i] == 0) {
			snprintf(why, wl, "NUL byte in message");
			return false;
		}
		if (buf[i] == '\n') {
			if (line <= 1)
				break;	/* end of headers */
			lines++;
			line = 0;
			continue;
		}
		if (++line > 8192) {
			snprintf(why, wl, "header line over 8 kB");
			return false;
		}
	}
	if (lines > 256) {
		snprintf(why, wl, "more than 256 header lines");
		return false;
	}
	return true;
}

static bool body_length_ok(const char *buf, size_t len, char *why, size_t wl)
{
	const char *end = memmem(buf, len, "\r\n\r\n", 4);
	size_t hlen = end ? (size_t)(end - buf) + 4 : len;
	long cl = sip_content_length(buf, hlen);

	if (cl == -2) {
		snprintf(why, wl, "malformed Content-Length");
		return false;
	}
	if (cl >= 0 && hlen + (size_t)cl > len) {
		snprintf(why, wl, "Content-Length %ld exceeds the %zu body bytes received",
			 cl, len - hlen);
		return false;
	}
	return true;
}

static const char *missing_header(const osip_message_t *m)
{
	if (!m->from || !m->from->url)
		return "From";
	if (!m->to || !m->to->url)
		return "To";
	if (!m->call_id || !m->call_id->number)
		return "Call-ID";
	if (!m->cseq || !m->cseq->number || !m->cseq->method)
		return "CSeq";
	if (osip_list_size(&m->vias) < 1)
		return "Via";
	return NULL;
}

/*
 * An INVITE's Contact is where the dialog's later requests go: exactly
 * one SIP or SIPS URI (RFC 3261 8.1.1.8), never '*'. Without it the BYE
 * would go to an empty Request-URI.
 */
static bool contact_is_uri(const osip_message_t *m)
{
	const osip_contact_t *c = osip_list_get(&m->contacts, 0);

	return osip_list_size(&m->contacts) == 1 && c && c->url &&
	       c->url->scheme && c->url->host && c->url->host[0] &&
	       (!strcasecmp(c->url->scheme, "sip") ||
		!strcasecmp(c->url->scheme, "sips"));
}

/* Does the line (p, n) start with @lit? Never reads past n. */
static bool line_starts(const char *p, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	return n >= k && !strncasecmp(p, lit, k);
}

/*
 * A request whose Content-Length lies still deserves its 400 (RFC 3261
 * 18.3): parse its header section alone, the length rewritten to 0.
 */
static osip_message_t *parse_headers_only(const char *buf, size_t len)
{
	const char *end = memmem(buf, len, "\r\n\r\n", 4);
	osip_message_t *m;
	struct sbuf b;
	size_t pos = 0;

	if (!end || osip_message_init(&m))
		return NULL;
	sb_init(&b);
	len = (size_t)(end - buf) + 2;
	while (pos < len) {
		const char *eol = memchr(buf + pos, '\n', len - pos);
		size_t n = eol ? (size_t)(eol - (buf + pos)) + 1 : len - pos;

		if (!line_starts(buf + pos, n, "Content-Length") &&
		    !line_starts(buf + pos, n, "l:") && !line_starts(buf + pos, n, "l :"))
			sb_add(&b, buf + pos, n);
		pos += n;
	}
	sb_puts(&b, "Content-Length: 0\r\n\r\n");
	if (b.failed || osip_message_parse(m, b.p, b.len) || !MSG_IS_REQUEST(m) ||
	    missing_header(m) || !sip_branch(m)) {
		osip_message_free(m);
		m = NULL;
	}
	sb_free(&b);
	return m;
}

enum sip_parse_result sip_msg_parse(const char *buf, size_t len,
				    osip_message_t **out, char *why,
				    size_t why_len)
{
	osip_message_t *m;
	const char *miss;
	char *end;

	*out = NULL;
	if (!header_lines_sane(buf, len, why, why_len))
		return SIP_PARSE_DROP;
	if (!body_length_ok(buf, len, why, why_len)) {
		*out = parse_headers_only(buf, len);
		return *out ? SIP_PARSE_400 : SIP_PARSE_DROP;
	}
	if (osip_message_init(&m))
		return SIP_PARSE_DROP;
	if (osip_message_parse(m, buf, len)) {
		osip_message_free(m);
		snprintf(why, why_len, "unparseable SIP message");
		return SIP_PARSE_DROP;
	}
	miss = missing_header(m);
	if (miss && !MSG_IS_REQUEST(m)) {
		osip_message_free(m);
		snprintf(why, why_len, "response without %s", miss);
		return SIP_PARSE_DROP;
	}
	/* Without these a response cannot even be addressed. */
	if (miss && (!strcmp(miss, "Via") || !strcmp(miss, "Call-ID") ||
		     !strcmp(miss, "CSeq") || !strcmp(miss, "From") ||
		     !strcmp(miss, "To"))) {
		snprintf(why, why_len, "Missing %s header", miss);
		if (!m->from || !m->to || !m->call_id || !m->cseq ||
		    !osip_list_size(&m->vias)) {
			osip_message_free(m);
			return SIP_PARSE_DROP;
		}
		*out = m;
		return SIP_PARSE_400;
	}
	strtoul(m->cseq->number, &end, 10);
	if (*end || end == m->cseq->number || strlen(m->cseq->number) > 10) {
		snprintf(why, why_len, "Malformed CSeq");
		goto bad;
	}
	if (MSG_IS_REQUEST(m) && strcasecmp(m->cseq->method, m->sip_method) &&
	    !MSG_IS_ACK(m) && !MSG_IS_CANCEL(m)) {
		snprintf(why, why_len, "CSeq method does not match request");
		goto bad;
	}
	if (!m->sip_version || strcmp(m->sip_version, "SIP/2.0")) {
		snprintf(why, why_len, "Version Not Supported");
		goto bad;
	}
	if (!sip_branch(m)) {
		snprintf(why, why_len, "Via without branch");
		goto bad;
	}
	if (MSG_IS_INVITE(m) && !contact_is_uri(m)) {
		snprintf(why, why_len, "Missing Contact header");
		goto bad;
	}
	*out = m;
	return SIP_PARSE_OK;
bad:
	if (!MSG_IS_REQUEST(m)) {
		osip_message_free(m);
		return SIP_PARSE_DROP;
	}
	*out = m;
	return SIP_PARSE_400;
}

const char *sip_hdr(const osip_message_t *m, const char *name)
{
	osip_header_t *h = NULL;

	if (osip_message_header_get_byname(m, name, 0, &h) < 0 || !h)
		return NULL;
	return h->hvalue;
}

/* Is @token one of the comma-separated items of @list? */
static bool list_has_token(const char *list, const char *token)
{
	size_t tl = strlen(token);
	const char *p = list;

	while (p && *p) {
		size_t n;

		p += strspn(p, " \t,");
		n = strcspn(p, " \t,;");
		if (n == tl && !strncasecmp(p, token, tl))
			return true;
		p = strchr(p, ',');
	}
	return false;
}

bool sip_hdr_has_token(const osip_message_t *m, const char *name,
		       const char *compact, const char *token)
{
	osip_header_t *h = NULL;
	int i;

	if (!strcasecmp(name, "Allow")) {
		osip_content_length_t *a;

		for (i = 0; (a = osip_list_get(&m->allows, i)); i++)
			if (a->value && list_has_token(a->value, token))
				return true;
		return false;
	}
	for (i = 0; (i = osip_message_header_get_byname(m, name, i, &h)) >= 0; i++)
		if (h && list_has_token(h->hvalue, token))
			return true;
	if (!compact)
		return false;
	for (i = 0; (i = osip_message_header_get_byname(m, compact, i, &h)) >= 0; i++)
		if (h && list_has_token(h->hvalue, token))
			return true;
	return false;
}

void sip_tokens_without(const char *value, const char *token, char *out,
			size_t len)
{
	size_t tl = strlen(token), o = 0;
	const char *p = value;

	out[0] = 0;
	while (p && *p && len) {
		size_t n;

		p += strspn(p, " \t,");
		n = strcspn(p, ",");
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n && !(n == tl && !strncasecmp(p, token, tl)) && o + n + 3 < len)
			o += (size_t)snprintf(out + o, len - o, "%s%.*s",
					      o ? ", " : "", (int)n, p);
		p = strchr(p, ',');
	}
}

const char *sip_branch(const osip_message_t *m)
{
	osip_via_t *via = osip_list_get(&m->vias, 0);
	osip_generic_param_t *p = NULL;

	if (!via || osip_via_param_get_byname(via, "branch", &p) || !p ||
	    !p->gvalue || !p->gvalue[0])
		return NULL;
	return p->gvalue;
}

static const char *tag_of(osip_from_t *f)
{
	osip_generic_param_t *p = NULL;

	if (!f || osip_from_get_tag(f, &p) || !p)
		return NULL;
	return p->gvalue;
}

const char *sip_from_tag(const osip_message_t *m)
{
	return tag_of(m->from);
}

const char *sip_to_tag(const osip_message_t *m)
{
	return tag_of((osip_from_t *)m->to);
}

/* osip2 splits "number@host": the dialog needs the whole value. */
const char *sip_call_id(const osip_message_t *m, char *buf, size_t len)
{
	if (!m->call_id->host)
		return m->call_id->number;
	snprintf(buf, len, "%s@%s", m->call_id->number, m->call_id->host);
	return buf;
}

unsigned long sip_cseq(const osip_message_t *m)
{
	return strtoul(m->cseq->number, NULL, 10);
}

const char *sip_cseq_method(const osip_message_t *m)
{
	return m->cseq->method;
}

/* Any warn-code 300-399 in @m's Warning headers (RFC 3261 20.43: "Warnings
 * in the 3xx range are specific to the Session Description Protocol"). */
static bool has_sdp_warning(const osip_message_t *m)
{
	osip_header_t *h = NULL;
	const char *p, *v;
	bool quoted;
	int i;

	for (i = 0; (i = osip_message_header_get_byname(m, "Warning", i, &h)) >= 0 && h;
	     i++) {
		/* warning-value *(COMMA warning-value), each value "code
		 * agent "text"": a code follows the start or an unquoted comma. */
		for (v = p = h->hvalue, quoted = false; v; p++) {
			v += strspn(v, " \t");
			if (v[0] == '3' && strspn(v, "0123456789") == 3 && v[3] == ' ')
				return true;
			v = NULL;
			for (; *p && (quoted || *p != ','); p++)
				quoted ^= *p == '"';
			if (!*p)
				break;
			v = p + 1;
		}
	}
	return false;
}

/* Does @m's Accept list application/sdp (or a range holding it)? */
static bool accepts_sdp(const osip_message_t *m)
{
	osip_accept_t *a;
	int i;

	for (i = 0; (a = osip_list_get(&m->accepts, i)); i++) {
		if (!a->type || !a->subtype)
			continue;
		if ((!strcasecmp(a->type, "application") || !strcmp(a->type, "*")) &&
		    (!strcasecmp(a->subtype, "sdp") || !strcmp(a->subtype, "*")))
			return true;
	}
	return false;
}

bool sip_refuses_offer(const osip_message_t *resp)
{
	switch (resp->status_code) {
	case 488:
	case 606:
		return true;
	case 415:
		return has_sdp_warning(resp) || !osip_list_size(&resp->accepts) ||
		       accepts_sdp(resp);
	case 406:
		return has_sdp_warning(resp);
	}
	return false;
}

bool sip_has_body(const osip_message_t *m)
{
	osip_body_t *b = osip_list_get(&m->bodies, 0);

	return b && b->length;
}

const char *sip_sdp_body(const osip_message_t *m, size_t *len)
{
	osip_body_t *b = osip_list_get(&m->bodies, 0);

	if (!b || !b->length || !b->body)
		return NULL;
	if (m->content_type && (!m->content_type->type || !m->content_type->subtype ||
				strcasecmp(m->content_type->type, "application") ||
				strcasecmp(m->content_type->subtype, "sdp")))
		return NULL;
	*len = b->length;
	return b->body;
}

void sip_random_token(char *buf, size_t hexlen)
{
	unsigned char r[32];
	size_t i;

	if (hexlen > 64)
		hexlen = 64;
	if (RAND_bytes(r, (int)(hexlen + 1) / 2) != 1)
		memset(r, 0x5a, sizeof(r));
	for (i = 0; i < hexlen; i++)
		buf[i] = "0123456789abcdef"[(r[i / 2] >> (i & 1 ? 0 : 4)) & 15];
	buf[hexlen] = 0;
}
