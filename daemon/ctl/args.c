// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Arguments of srtprelayctl. Everything here is strict: a value with
 * trailing text, a sign, or out of range is refused, not truncated, since a
 * relay that silently used port 3000 for "30000x" would be worse than none.
 */
#include "args.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

bool parse_u64(const char *arg, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	int base = 10;
	char *end;

	if (!arg || !*arg)
		return false;
	if (arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X')) {
		base = 16;
		arg += 2;
	}
	/* strtoull accepts spaces, signs and a second 0x; we do not. */
	if (!*arg || arg[strspn(arg, base == 16 ? "0123456789abcdefABCDEF" :
						  "0123456789")])
		return false;
	errno = 0;
	v = strtoull(arg, &end, base);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

bool parse_u32(const char *arg, uint32_t *out)
{
	uint64_t v;

	if (!parse_u64(arg, UINT32_MAX, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

bool parse_u16(const char *arg, uint16_t *out)
{
	uint64_t v;

	if (!parse_u64(arg, UINT16_MAX, &v))
		return false;
	*out = (uint16_t)v;
	return true;
}

/* Fills @ss from a bare IPv4 or IPv6 literal (IPv6 may carry %scope). */
static bool parse_host(const char *host, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	char *scope;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		return true;
	}
	if (strlen(host) >= sizeof(buf))
		return false;
	strcpy(buf, host);
	scope = strchr(buf, '%');
	if (scope)
		*scope++ = '\0';
	if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) != 1)
		return false;
	sin6->sin6_family = AF_INET6;
	if (scope) {
		uint32_t id;

		if (!*scope)
			return false;
		if (parse_u32(scope, &id))
			sin6->sin6_scope_id = id;
		else if (!(sin6->sin6_scope_id = if_nametoindex(scope)))
			return false;
	}
	return true;
}

bool parse_address(const char *arg, struct sockaddr_storage *ss)
{
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 4];
	size_t len = strlen(arg);

	if (len >= 2 && arg[0] == '[' && arg[len - 1] == ']') {
		if (len - 2 >= sizeof(buf))
			return false;
		memcpy(buf, arg + 1, len - 2);
		buf[len - 2] = '\0';
		return strchr(buf, ':') && parse_host(buf, ss);
	}
	return parse_host(arg, ss);
}

bool parse_endpoint(const char *arg, struct sockaddr_storage *ss)
{
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 4];
	const char *colon;
	uint16_t port;
	size_t hostlen;

	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');

		if (!close || close[1] != ':')
			return false;
		colon = close + 1;
		hostlen = (size_t)(close - arg) - 1;
		if (hostlen >= sizeof(buf))
			return false;
		memcpy(buf, arg + 1, hostlen);
		buf[hostlen] = '\0';
		/* Brackets are for IPv6 only, as in URIs (RFC 3986). */
		if (!strchr(buf, ':'))
			return false;
	} else {
		colon = strchr(arg, ':');
		/* An IPv6 address must be bracketed to carry a port. */
		if (!colon || strchr(colon + 1, ':'))
			return false;
		hostlen = (size_t)(colon - arg);
		if (hostlen >= sizeof(buf))
			return false;
		memcpy(buf, arg, hostlen);
		buf[hostlen] = '\0';
	}
	if (!parse_u16(colon + 1, &port) || port == 0 || !parse_host(buf, ss))
		return false;
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	return true;
}

bool parse_port_range(const char *arg, uint16_t *min, uint16_t *max)
{
	char buf[16];
	const char *dash = strchr(arg, '-');
	size_t len;

	if (!dash)
		return false;
	len = (size_t)(dash - arg);
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, arg, len);
	buf[len] = '\0';
	return parse_u16(buf, min) && parse_u16(dash + 1, max) && *min >= 1 &&
	       *max >= *min;
}

bool parse_key(const char *arg, uint8_t out[CTL_KEY_SALT_MAX], uint8_t *len,
	       const char **why)
{
	/* The longest key||salt in base64 with padding, and a NUL. */
	char padded[(CTL_KEY_SALT_MAX + 2) / 3 * 4 + 1];
	unsigned char raw[sizeof(padded) / 4 * 3];
	size_t chars = strcspn(arg, "="), pad = strlen(arg + strcspn(arg, "=")), i;
	int n;

	if (strchr(arg, '|')) {
		*why = "give only the base64 key||salt; the MKI goes in in-mki/out-mki and a lifetime is not supported";
		return false;
	}
	for (i = 0; i < chars; i++) {
		unsigned char c = (unsigned char)arg[i];

		if (!isalnum(c) && c != '+' && c != '/') {
			*why = "not base64";
			return false;
		}
	}
	/* Padding is optional, but if given it must be all of it. */
	if (strspn(arg + chars, "=") != pad ||
	    (pad && pad != (4 - chars % 4) % 4) || chars % 4 == 1 ||
	    chars + (4 - chars % 4) % 4 >= sizeof(padded)) {
		*why = "not the base64 of a key||salt of 28 to 46 bytes (30 for AES_CM_128, 46 for AES_256_CM, 28 and 44 for AEAD_AES_128/256_GCM)";
		return false;
	}
	memcpy(padded, arg, chars);
	for (i = chars; i % 4; i++)
		padded[i] = '=';
	padded[i] = '\0';
	n = EVP_DecodeBlock(raw, (const unsigned char *)padded, (int)i);
	/* EVP_DecodeBlock counts padding as zero bytes: take them off. */
	n -= (int)(i - chars);
	if (n < 28 || n > CTL_KEY_SALT_MAX) {
		OPENSSL_cleanse(raw, sizeof(raw));
		OPENSSL_cleanse(padded, sizeof(padded));
		*why = n < 0 ? "not base64" :
		       "not a key||salt of 28 to 46 bytes (30 for AES_CM_128, 46 for AES_256_CM, 28 and 44 for AEAD_AES_128/256_GCM)";
		return false;
	}
	memcpy(out, raw, (size_t)n);
	*len = (uint8_t)n;
	OPENSSL_cleanse(raw, sizeof(raw));
	OPENSSL_cleanse(padded, sizeof(padded));
	return true;
}

bool parse_mki(const char *arg, uint8_t mki[SRTPRELAY_MKI_MAX_LEN],
	       uint8_t *len)
{
	const char *colon = strchr(arg, ':');
	char buf[24];
	uint64_t value;
	uint16_t n;
	size_t vlen;
	int i;

	if (!colon)
		return false;
	vlen = (size_t)(colon - arg);
	if (vlen >= sizeof(buf))
		return false;
	memcpy(buf, arg, vlen);
	buf[vlen] = '\0';
	if (!parse_u16(colon + 1, &n) || n < 1 || n > SRTPRELAY_MKI_MAX_LEN ||
	    !parse_u64(buf, (1ULL << (8 * n)) - 1, &value))
		return false;
	for (i = n - 1; i >= 0; i--) {
		mki[i] = (uint8_t)value;
		value >>= 8;
	}
	*len = (uint8_t)n;
	return true;
}

const char *format_address(const struct sockaddr_storage *ss, char *buf,
			   size_t size)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr,
			  host, sizeof(host));
		snprintf(buf, size, "%s", host);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		if (sin6->sin6_scope_id)
			snprintf(buf, size, "%s%%%u", host,
				 sin6->sin6_scope_id);
		else
			snprintf(buf, size, "%s", host);
	} else {
		snprintf(buf, size, "-");
	}
	return buf;
}

const char *format_endpoint(const struct sockaddr_storage *ss, char *buf,
			    size_t size)
{
	char host[ENDPOINT_STRLEN];

	format_address(ss, host, sizeof(host));
	if (ss->ss_family == AF_INET)
		snprintf(buf, size, "%s:%u", host,
			 ntohs(((const struct sockaddr_in *)ss)->sin_port));
	else if (ss->ss_family == AF_INET6)
		snprintf(buf, size, "[%s]:%u", host,
			 ntohs(((const struct sockaddr_in6 *)ss)->sin6_port));
	else
		snprintf(buf, size, "-");
	return buf;
}
