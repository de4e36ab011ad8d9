/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TLS for SIP (RFC 3261 26.2, RFC 5630) on one connection, with OpenSSL:
 * the SSL of a new connection from its interface's context slot, and the
 * handshake. The slots are filled and swapped on reload by
 * config/tls_contexts.c; this layer only reads them.
 */
#ifndef SRTPRELAYD_TRANSPORT_TLS_H
#define SRTPRELAYD_TRANSPORT_TLS_H

#include <stddef.h>
#include <openssl/ssl.h>

#include "base/log_limit.h"
#include "sip/transport.h"
#include "tls/tls_context.h"

#define TLS_REASON_MAX 256

/* Slot @i (< TLS_MAX_SLOTS, sip/transport.h) of @tp: the context
 * interfaces with tls = @i use. */
struct tls_slot *transport_tls_slot(struct transport *tp, unsigned int i);
/* OpenSSL's first queued error, whole, into @buf (and the queue
 * cleared): what the daemon has always logged. */
const char *tls_error_string(char *buf, size_t len);
/* A client SSL with @sip_domain checks it as RFC 5922 7 says when the
 * context verifies (NULL: the chain only). */
SSL *tls_new(struct transport *tp, int tls_ctx, int fd, int server,
	     const char *sip_domain);
/* 1: established, 0: wants I/O (see *want_write), -1: failed (logged
 * through @failed_log, which a peer can fill at will; a refused server
 * certificate with @sip_domain and what it carried). */
int tls_handshake(SSL *ssl, int *want_write, const char *peer,
		  const char *sip_domain, struct log_limit *failed_log);

#endif
