/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TLS for SIP (RFC 3261 26.2, RFC 5630) with OpenSSL: one server and one
 * client SSL_CTX per configured TLS context, a self-signed certificate
 * generated on first start when the context asks for it.
 */
#ifndef SRTPRELAYD_TRANSPORT_TLS_H
#define SRTPRELAYD_TRANSPORT_TLS_H

#include <openssl/ssl.h>

#include "config.h"

/* Builds every context; logs what failed and why; 0 or -1. */
int tls_setup(struct config *cfg);
/* Re-reads every context's files (SIGHUP); a broken one keeps serving its
 * old certificate and is logged. 0, or -1 if any was refused. */
int tls_reload(void);
void tls_teardown(void);
SSL *tls_new(int tls_ctx, int fd, int server);
/* 1: established, 0: wants I/O (see *want_write), -1: failed (logged). */
int tls_handshake(SSL *ssl, int *want_write, const char *peer);
/* Writes a self-signed certificate and key (one PEM each); 0 or -1. */
int tls_make_self_signed(const char *cert_path, const char *key_path,
			 const char *common_name);

#endif
