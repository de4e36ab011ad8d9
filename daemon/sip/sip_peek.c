// SPDX-License-Identifier: GPL-2.0 OR MIT
/* A request's few headers read in place, and a response built from them
 * (sip_peek.h). */
#include <string.h>
#include <strings.h>

#include "sip/sip_peek.h"

static bool is_lws(char c)
{
	return c == ' ' || c == '\t';
}

/* Does the @n bytes at @p name the header @full or its compact form? */
static bool name_is(const char *p, size_t n, const char *full, char compact)
{
	if (n == 1 && compact)
		return (p[0] | 0x20) == compact;
	return n == strlen(full) && !strncasecmp(p, full, n);
}

bool sip_span_is(const struct sip_span *s, const char *str)
{
	return s->len == strlen(str) && !memcmp(s->p, str, s->len);
}

/* The value of parameter @name (";name=value") in [@p, @end). */
static struct sip_span param(const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);
	struct sip_span v = { NULL, 0 };

	while ((p = memchr(p, ';', (size_t)(end - p)))) {
		p++;
		while (p < end && is_lws(*p))
			p++;
		if ((size_t)(end - p) <= n || strncasecmp(p, name, n))
			continue;
		p += n;
		while (p < end && is_lws(*p))
			p++;
		if (p == end || *p != '=')
			continue;
		p++;
		while (p < end && is_lws(*p))
			p++;
		v.p = p;
		while (p < end && !strchr(";,> \t", *p))
			p++;
		v.len = (size_t)(p - v.p);
		return v;
	}
	return v;
}

/* One header line [@line, @end) (no CRLF) whose name ends at @colon. */
static bool header(struct sip_peek *pk, const char *line, const char *colon,
		   const char *end)
{
	const char *value = colon + 1, *name_end = colon;
	struct sip_span whole = { line, (size_t)(end - line) };
	size_t n;

	while (name_end > line && is_lws(name_end[-1]))
		name_end--;
	n = (size_t)(name_end - line);
	if (name_is(line, n, "Via", 'v')) {
		if (pk->n_via == SIP_PEEK_MAX_VIA)
			return false;
		if (!pk->n_via) {
			const char *comma = memchr(value, ',', (size_t)(end - value));

			pk->branch = param(value, comma ? comma : end, "branch");
		}
		pk->via[pk->n_via++] = whole;
	} else if (name_is(line, n, "To", 't')) {
		const char *gt = memchr(value, '>', (size_t)(end - value));

		if (pk->to.p)
			return false;
		pk->to = whole;
		pk->to_tag = param(gt ? gt + 1 : value, end, "tag");
	} else if (name_is(line, n, "From", 'f')) {
		if (pk->from.p)
			return false;
		pk->from = whole;
	} else if (name_is(line, n, "Call-ID", 'i')) {
		if (pk->call_id.p)
			return false;
		pk->call_id = whole;
	} else if (name_is(line, n, "CSeq", 0)) {
		if (pk->cseq.p)
			return false;
		pk->cseq = whole;
	}
	return true;
}

bool sip_peek_request(const char *buf, size_t len, struct sip_peek *pk)
{
	const char *end = buf + len, *p = buf, *nl, *sp, *colon;

	memset(pk, 0, sizeof(*pk));
	nl = memchr(p, '\n', len);
	sp = memchr(p, ' ', len);
	if (!nl || nl == p || nl[-1] != '\r' || !sp || sp == p || sp > nl ||
	    (len >= 4 && !memcmp(p, "SIP/", 4)))
		return false;
	pk->method = (struct sip_span){ p, (size_t)(sp - p) };
	for (p = nl + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || nl == p || nl[-1] != '\r')
			return false;
		if (nl - 1 == p)	/* the empty line: headers end */
			return pk->n_via && pk->branch.len && pk->from.p &&
			       pk->to.p && pk->call_id.p && pk->cseq.p;
		colon = memchr(p, ':', (size_t)(nl - 1 - p));
		/* A folded line continues the one before: not for us. */
		if (is_lws(*p) || !colon || !header(pk, p, colon, nl - 1))
			return false;
	}
	return false;
}

static void line(struct sbuf *b, const struct sip_span *s)
{
	sb_add(b, s->p, s->len);
	sb_puts(b, "\r\n");
}

void sip_peek_response(struct sbuf *b, const struct sip_peek *pk, int code,
		       const char *reason, const char *tag, const char *extra)
{
	unsigned int i;

	sb_printf(b, "SIP/2.0 %d %s\r\n", code, reason);
	for (i = 0; i < pk->n_via; i++)
		line(b, &pk->via[i]);
	line(b, &pk->from);
	sb_add(b, pk->to.p, pk->to.len);
	if (!pk->to_tag.len)
		sb_printf(b, ";tag=%s", tag);
	sb_puts(b, "\r\n");
	line(b, &pk->call_id);
	line(b, &pk->cseq);
	sb_puts(b, "Server: srtprelayd\r\n");
	if (extra)
		sb_puts(b, extra);
	sb_puts(b, "Content-Length: 0\r\n\r\n");
}
