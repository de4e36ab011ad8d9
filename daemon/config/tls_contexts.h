/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The configured TLS contexts: one server and one client SSL_CTX per
 * tls_contexts entry, built into the transports' slots
 * (sip/transport_tls.h), and a self-signed certificate generated on first
 * start when the context asks for it.
 */
#ifndef SRTPRELAYD_TLS_CONTEXTS_H
#define SRTPRELAYD_TLS_CONTEXTS_H

#include "config/config.h"
#include "base/sbuf.h"

struct transport;
struct tls_ctx;

/* The contexts a reload builds before any is swapped in: all or none. */
struct tls_pending {
	struct tls_ctx *ctx[CFG_MAX_OBJ];	/* by tls_contexts entry */
};

/*
 * For `srtprelayd -t`: reads each context's certificate file and checks
 * that it carries the fqdn of every interface it serves, as start and
 * reload do; one "file:line: ..." line per mistake into @out. Returns
 * the number of mistakes.
 */
int tls_check_fqdn_files(const struct config *cfg, FILE *out);
/* Builds every context into @tp's slots (sip/transport_tls.h); logs what
 * failed and why; 0 or -1. */
int tls_setup(struct config *cfg, struct transport *tp);
/*
 * Reload in two steps, so that it is every context or none: tls_prepare()
 * builds into @p (whatever it held is overwritten) a context for each of
 * @next's (same count and order as the live ones; reload.c checks)
 * without touching what is served, and on any failure logs it, appends
 * one line per refused context to @errs, drops what it built and returns
 * -1. tls_commit() then swaps @p's into @tp's slots and empties @p: new
 * connections get them, established ones keep the context they were made
 * with (refcounted). tls_abort() drops what @p holds.
 */
int tls_prepare(struct tls_pending *p, struct config *next, struct sbuf *errs);
void tls_commit(struct tls_pending *p, const struct config *next,
		struct transport *tp);
void tls_abort(struct tls_pending *p);
/* After the transports stopped: @tp's slots go. */
void tls_teardown(struct transport *tp);
/* Writes a self-signed certificate and key (one PEM each); a @common_name
 * with a dot (an fqdn) is its subjectAltName DNS too. 0 or -1. */
int tls_make_self_signed(const char *cert_path, const char *key_path,
			 const char *common_name);

#endif
