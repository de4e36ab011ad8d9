/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TLS for SIP (RFC 3261 26.2, RFC 5630) with OpenSSL: one server and one
 * client SSL_CTX per configured TLS context, a self-signed certificate
 * generated on first start when the context asks for it.
 */
#ifndef SRTPRELAYD_TRANSPORT_TLS_H
#define SRTPRELAYD_TRANSPORT_TLS_H

#include <openssl/ssl.h>

#include "config/config.h"
#include "base/sbuf.h"

/* Builds every context; logs what failed and why; 0 or -1. */
int tls_setup(struct config *cfg);
/*
 * Reload in two steps, so that it is every context or none: tls_prepare()
 * builds a context for each of @next's (same count and order as the live
 * ones; reload.c checks) without touching what is served, and on any
 * failure logs it, appends one line per refused context to @errs and
 * returns -1. tls_commit() then swaps them in: new connections get them,
 * established ones keep the context they were made with (refcounted).
 * tls_abort() drops what was prepared.
 */
int tls_prepare(struct config *next, struct sbuf *errs);
void tls_commit(const struct config *next);
void tls_abort(void);
void tls_teardown(void);
/* A client SSL with @sip_domain checks it as RFC 5922 7 says when the
 * context verifies (NULL: the chain only). */
SSL *tls_new(int tls_ctx, int fd, int server, const char *sip_domain);
/* 1: established, 0: wants I/O (see *want_write), -1: failed (logged;
 * a refused server certificate with @sip_domain and what it carried). */
int tls_handshake(SSL *ssl, int *want_write, const char *peer,
		  const char *sip_domain);
/* Writes a self-signed certificate and key (one PEM each); 0 or -1. */
int tls_make_self_signed(const char *cert_path, const char *key_path,
			 const char *common_name);

#endif
