// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * How the TLS library says what failed: into the caller's buffer, with
 * OpenSSL's reason and not its error queue. Shared by tls_context.c,
 * tls_identity.c and tls_ocsp.c (tls_internal.h), which otherwise call
 * one another only downward: contexts use identities and OCSP.
 */
#include <stdarg.h>
#include <stdio.h>
#include <openssl/err.h>

#include "tls/tls_internal.h"

void tls_set_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/* OpenSSL's reason for the last failure, without its error queue noise. */
const char *tls_ssl_reason(char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();

	if (!e) {
		snprintf(buf, len, "no detail from OpenSSL");
	} else {
		const char *r = ERR_reason_error_string(e);

		snprintf(buf, len, "%s", r ? r : "unknown OpenSSL error");
	}
	ERR_clear_error();
	return buf;
}
