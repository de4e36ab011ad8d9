/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Internal to tls_context.c, tls_identity.c and tls_ocsp.c. */
#ifndef SRTPRELAY_TLS_INTERNAL_H
#define SRTPRELAY_TLS_INTERNAL_H

#include <stddef.h>
#include <openssl/ssl.h>

/* snprintf into @err unless it is NULL or empty. */
void tls_set_err(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* OpenSSL's reason for the last failure, without its error queue noise. */
const char *tls_ssl_reason(char *buf, size_t len);

/* OCSP status callbacks tls_ctx_build() installs; @arg is the tls_ctx. */
int tls_ocsp_staple_cb(SSL *ssl, void *arg);
int tls_ocsp_check_cb(SSL *ssl, void *arg);

#endif /* SRTPRELAY_TLS_INTERNAL_H */
