// SPDX-License-Identifier: GPL-2.0 OR MIT
/* SDP parsing on (buf, len) and writing of the bodies we send. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/secret_mem.h"
#include "sip/sdp.h"

static const char *const dir_names[] = { "sendrecv", "sendonly", "recvonly",
					 "inactive" };

const char *sdp_dir_name(enum sdp_dir dir)
{
	return dir_names[dir];
}

bool sdp_proto_is_savp(const char *proto)
{
	return !strcmp(proto, "RTP/SAVP") || !strcmp(proto, "RTP/SAVPF");
}

bool sdp_proto_is_avp(const char *proto)
{
	return !strcmp(proto, "RTP/AVP") || !strcmp(proto, "RTP/AVPF");
}

bool sdp_is_hold_addr(const char *addr)
{
	return !strcmp(addr, "0.0.0.0");
}

static int parse_dir(const char *v)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(v, dir_names[i]))
			return i;
	return -1;
}

/* "IN IP4 1.2.3.4" into @out; false when malformed. */
static bool parse_conn(const char *v, char *out, size_t out_len, bool *ip6)
{
	char nettype[8], addrtype[8], addr[64];
	char *slash;

	if (sscanf(v, "%7s %7s %63s", nettype, addrtype, addr) != 3 ||
	    strcmp(nettype, "IN"))
		return false;
	if (strcmp(addrtype, "IP4") && strcmp(addrtype, "IP6"))
		return false;
	slash = strchr(addr, '/');	/* multicast TTL: not for us */
	if (slash)
		return false;
	*ip6 = !strcmp(addrtype, "IP6");
	snprintf(out, out_len, "%s", addr);
	return true;
}

static bool parse_mline(const char *v, struct sdp_media *m)
{
	char port[16];
	char *end, *slash;
	unsigned long p;
	int n = 0;

	if (sscanf(v, "%15s %15s %23s %n", m->type, port, m->proto, &n) != 3 || !n)
		return false;
	slash = strchr(port, '/');
	if (slash)
		*slash = 0;
	p = strtoul(port, &end, 10);
	if (*end || end == port || p > 65535)
		return false;
	m->port = (uint16_t)p;
	snprintf(m->fmts, sizeof(m->fmts), "%s", v + n);
	return m->fmts[0] != 0;
}

static bool skip_attr(const char *a)
{
	static const char *const drop[] = { "candidate", "ice-", "fingerprint",
		"setup", "end-of-candidates", "remote-candidates", "rtcp:",
		"rtcp-mux", "mid", "group", "ssrc", "msid", "extmap", NULL };
	const char *const *d;

	for (d = drop; *d; d++)
		if (!strncmp(a, *d, strlen(*d)))
			return true;
	return false;
}

/*
 * Where the attributes of the section being parsed (the session level, then
 * each m= line) are gathered before they move into a block of their size:
 * a call keeps its peers' SDPs for its whole life, and most lines carry a
 * few hundred bytes of SDP_TEXT_MAX. It holds crypto lines: wiped.
 */
struct pool {
	char buf[SDP_TEXT_MAX];
	uint16_t len;
};

/* Appends @src to the pool; its offset, or -1 when the pool is full. */
static int pool_add(struct pool *p, const char *src)
{
	size_t n = strnlen(src, SDP_LINE_MAX - 1);
	int off = p->len;

	if ((size_t)p->len + n + 1 > SDP_TEXT_MAX)
		return -1;
	memcpy(p->buf + p->len, src, n);
	p->buf[p->len + n] = 0;
	p->len = (uint16_t)(p->len + n + 1);
	return off;
}

/* The pool's text into a block of its size for its section; -1: no memory. */
static int pool_seal(struct pool *p, char **text, uint16_t *text_len)
{
	if (!p->len)
		return 0;
	*text = malloc(p->len);
	if (!*text)
		return -1;
	memcpy(*text, p->buf, p->len);
	*text_len = p->len;
	explicit_bzero(p->buf, p->len);
	p->len = 0;
	return 0;
}

/* The section parsed last: the newest m= line, else the session level. */
static int seal_section(struct sdp *s, struct pool *p, char *err, size_t el)
{
	int rc;

	if (s->n_media) {
		struct sdp_media *m = &s->media[s->n_media - 1];

		rc = pool_seal(p, &m->text, &m->text_len);
	} else {
		rc = pool_seal(p, &s->text, &s->text_len);
	}
	if (rc)
		snprintf(err, el, "out of memory");
	return rc;
}

void sdp_release(struct sdp *s)
{
	unsigned int i;

	secret_free(s->text, s->text_len);
	s->text = NULL;
	s->text_len = 0;
	for (i = 0; i < s->n_media && i < SDP_MAX_MEDIA; i++) {
		secret_free(s->media[i].text, s->media[i].text_len);
		s->media[i].text = NULL;
		s->media[i].text_len = 0;
	}
}

void sdp_free(struct sdp *s)
{
	if (!s)
		return;
	sdp_release(s);
	secret_free(s, sizeof(*s));
}

void sdp_share_session_attrs(struct sdp *dst, const struct sdp *src)
{
	dst->n_attr = src->n_attr;
	memcpy(dst->attr, src->attr, sizeof(dst->attr));
	dst->text_len = src->text_len;
	dst->text = src->text;
}

static int media_attr(struct sdp_media *m, struct pool *p, const char *a,
		      char *err, size_t el)
{
	int d;

	if (!strncmp(a, "crypto:", 7)) {
		if (m->n_crypto < SDP_MAX_CRYPTO) {
			int off = pool_add(p, a + 7);

			if (off < 0)
				goto full;
			m->crypto[m->n_crypto++] = (uint16_t)off;
		}
		return 0;
	}
	if (!strcmp(a, "rtcp-mux")) {
		m->rtcp_mux = true;
		return 0;
	}
	d = parse_dir(a);
	if (d >= 0) {
		m->dir = (enum sdp_dir)d;
		m->has_dir = true;
		return 0;
	}
	if (skip_attr(a))
		return 0;
	if (m->n_attr >= SDP_MAX_ATTR) {
		snprintf(err, el, "more than %d attributes on one m= line", SDP_MAX_ATTR);
		return -1;
	}
	d = pool_add(p, a);
	if (d < 0)
		goto full;
	m->attr[m->n_attr++] = (uint16_t)d;
	return 0;
full:
	snprintf(err, el, "attributes of one m= line over %d bytes", SDP_TEXT_MAX);
	return -1;
}

static int session_attr(struct sdp *s, struct pool *p, const char *a)
{
	int d = parse_dir(a);

	if (d >= 0) {
		s->sess_dir = (enum sdp_dir)d;
		return 0;
	}
	if (skip_attr(a) || s->n_attr >= SDP_MAX_ATTR)
		return 0;
	d = pool_add(p, a);
	if (d >= 0)
		s->attr[s->n_attr++] = (uint16_t)d;
	return 0;
}

static int parse_line(struct sdp *s, struct pool *p, char type, const char *v,
		      char *err, size_t el, bool *ip6)
{
	struct sdp_media *m = s->n_media ? &s->media[s->n_media - 1] : NULL;

	switch (type) {
	case 'o':
		if (sscanf(v, "%63s %31s %31s", s->origin_user, s->sess_id,
			   s->sess_version) != 3) {
			snprintf(err, el, "malformed o= line");
			return -1;
		}
		return 0;
	case 'c':
		if (!parse_conn(v, m ? m->addr : s->sess_addr, 64, m ? &m->addr_ip6 : ip6)) {
			snprintf(err, el, "malformed or unsupported c= line");
			return -1;
		}
		return 0;
	case 'm':
		if (s->n_media >= SDP_MAX_MEDIA) {
			snprintf(err, el, "more than %d m= lines", SDP_MAX_MEDIA);
			return -1;
		}
		if (seal_section(s, p, err, el))
			return -1;
		m = &s->media[s->n_media++];
		memset(m, 0, sizeof(*m));
		if (!parse_mline(v, m)) {
			snprintf(err, el, "malformed m= line");
			return -1;
		}
		return 0;
	case 'a':
		return m ? media_attr(m, p, v, err, el) : session_attr(s, p, v);
	default:
		return 0;
	}
}

static int finish(struct sdp *s, bool sess_ip6, char *err, size_t el)
{
	unsigned int i;

	if (!s->sess_id[0]) {
		snprintf(err, el, "no o= line");
		return -1;
	}
	if (!s->n_media) {
		snprintf(err, el, "no m= line");
		return -1;
	}
	for (i = 0; i < s->n_media; i++) {
		struct sdp_media *m = &s->media[i];

		if (!m->addr[0]) {
			if (!s->sess_addr[0] && m->port) {
				snprintf(err, el, "m= line %u has no c= line", i + 1);
				return -1;
			}
			snprintf(m->addr, sizeof(m->addr), "%s", s->sess_addr);
			m->addr_ip6 = sess_ip6;
		}
		if (!m->has_dir)
			m->dir = s->sess_dir;
	}
	return 0;
}

/*
 * The lines of @buf into @s. @line holds each line, crypto lines too: the
 * caller wipes it (it sits below sdp_parse()'s pool on the stack, where
 * later calls do not reach to overwrite it).
 */
static int parse_lines(const char *buf, size_t len, struct sdp *s,
		       struct pool *p, char *line, size_t line_size,
		       char *err, size_t err_len)
{
	size_t pos = 0, n;
	bool first = true, sess_ip6 = false;

	while (pos < len) {
		const char *eol = memchr(buf + pos, '\n', len - pos);
		size_t raw = eol ? (size_t)(eol - (buf + pos)) : len - pos;

		n = raw;
		if (n && buf[pos + n - 1] == '\r')
			n--;
		if (n >= line_size - 1) {
			snprintf(err, err_len, "line over %d bytes", SDP_LINE_MAX);
			return -1;
		}
		memcpy(line, buf + pos, n);
		line[n] = 0;
		pos += raw + (eol ? 1 : 0);
		if (!n)
			continue;
		if (memchr(line, 0, n) || n < 2 || line[1] != '=') {
			snprintf(err, err_len, "malformed line '%.40s'", line);
			return -1;
		}
		if (first && strcmp(line, "v=0")) {
			snprintf(err, err_len, "does not start with v=0");
			return -1;
		}
		first = false;
		if (parse_line(s, p, line[0], line + 2, err, err_len, &sess_ip6))
			return -1;
	}
	if (first) {
		snprintf(err, err_len, "empty body");
		return -1;
	}
	if (seal_section(s, p, err, err_len))
		return -1;
	return finish(s, sess_ip6, err, err_len);
}

int sdp_parse(const char *buf, size_t len, struct sdp *s, char *err,
	      size_t err_len)
{
	char line[SDP_LINE_MAX + 8];
	struct pool p;
	int rc;

	memset(s, 0, sizeof(*s));
	p.len = 0;
	rc = parse_lines(buf, len, s, &p, line, sizeof(line), err, err_len);
	explicit_bzero(line, sizeof(line));
	explicit_bzero(p.buf, p.len);
	if (rc)
		sdp_release(s);
	return rc;
}

static void write_media(struct sbuf *b, const struct sdp_media *m,
			const struct sdp_media_out *o, const char *addr)
{
	unsigned int i;

	if (!o || !o->port) {
		/* Rejected line (RFC 3264 6): port 0, format kept. */
		sb_printf(b, "m=%s 0 %s %s\r\n", m->type, m->proto, m->fmts);
		return;
	}
	sb_printf(b, "m=%s %u %s %s\r\n", m->type, o->port,
		  o->proto ? o->proto : m->proto, m->fmts);
	for (i = 0; i < m->n_attr; i++)
		sb_printf(b, "a=%s\r\n", sdp_attr(m, i));
	if (o->rtcp_mux)
		sb_puts(b, "a=rtcp-mux\r\n");
	else
		sb_printf(b, "a=rtcp:%u\r\n", o->port + 1);
	for (i = 0; i < o->n_crypto; i++)
		sb_printf(b, "a=crypto:%s\r\n", o->crypto[i]);
	sb_printf(b, "a=%s\r\n", sdp_dir_name(m->dir));
}

void sdp_write(struct sbuf *b, const struct sdp *src, const char *addr,
	       uint64_t sess_id, uint64_t version,
	       const struct sdp_media_out *out, unsigned int n)
{
	const char *ipv = strchr(addr, ':') ? "IP6" : "IP4";
	unsigned int i;

	sb_printf(b, "v=0\r\no=srtprelayd %llu %llu IN %s %s\r\ns=srtprelayd\r\n",
		  (unsigned long long)sess_id, (unsigned long long)version, ipv, addr);
	sb_printf(b, "c=IN %s %s\r\nt=0 0\r\n", ipv, addr);
	for (i = 0; i < src->n_attr; i++)
		sb_printf(b, "a=%s\r\n", sdp_session_attr(src, i));
	for (i = 0; i < src->n_media; i++)
		write_media(b, &src->media[i], i < n ? &out[i] : NULL, addr);
}
