// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Message boundaries in SIP byte streams (RFC 3261 18.3): the header
 * section ends at the first empty line, the body is Content-Length bytes
 * (mandatory on streams). Works on (buf, len), never past len.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "sip/sip_frame.h"

#define SIP_MAX_HEADER 16384

/* End of the header section (index after CRLFCRLF or LFLF), 0 if none. */
static size_t header_end(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static bool header_is(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name);
	size_t i = k;

	if (n < k + 1 || strncasecmp(line, name, k))
		return false;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i < n && line[i] == ':';
}

long sip_content_length(const char *buf, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *eol = memchr(buf + pos, '\n', len - pos);
		size_t n = eol ? (size_t)(eol - (buf + pos)) : len - pos;
		const char *line = buf + pos;

		if (header_is(line, n, "Content-Length") || header_is(line, n, "l")) {
			const char *v = memchr(line, ':', n) + 1;
			const char *end = line + n;
			long val = 0;
			int digits = 0;

			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			while (v < end && isdigit((unsigned char)*v)) {
				if (++digits > 7)
					return -2;
				val = val * 10 + (*v++ - '0');
			}
			while (v < end && (*v == ' ' || *v == '\t' || *v == '\r'))
				v++;
			return digits && v == end ? val : -2;
		}
		pos += n + 1;
	}
	return -1;
}

long sip_frame(const char *buf, size_t len, size_t *crlf)
{
	size_t skip = 0, hend;
	long cl;

	while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
		skip++;
	*crlf = skip;
	buf += skip;
	len -= skip;
	if (!len)
		return 0;
	hend = header_end(buf, len);
	if (!hend)
		return len > SIP_MAX_HEADER ? -1 : 0;
	if (hend > SIP_MAX_HEADER)
		return -1;
	cl = sip_content_length(buf, hend);
	if (cl < 0 || hend + (size_t)cl > SIP_MAX_MESSAGE)
		return -1;
	if (len < hend + (size_t)cl)
		return 0;
	return (long)(hend + (size_t)cl);
}
