// SPDX-License-Identifier: GPL-2.0 OR MIT
/* SIP over TLS on a connection: its SSL from an interface's context slot,
 * the handshake, and why a server was refused. */
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "base/log.h"
#include "tls/tls_context.h"
#include "sip/transport_internal.h"
#include "sip/transport_tls.h"

struct tls_slot *transport_tls_slot(struct transport *tp, unsigned int i)
{
	return &tp->tls_slots[i];
}

const char *tls_error_string(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();

	if (!e)
		return "no detail from OpenSSL";
	ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}

SSL *tls_new(struct transport *tp, int tls_ctx, int fd, int server,
	     const char *sip_domain)
{
	struct tls_ctx *ctx;
	SSL *ssl;

	if (tls_ctx < 0 || tls_ctx >= TLS_MAX_SLOTS ||
	    !(ctx = tls_slot_get(&tp->tls_slots[tls_ctx])))
		return NULL;
	ssl = tls_ctx_new_ssl(ctx, fd, server, sip_domain);
	tls_ctx_put(ctx);	/* the SSL holds its own reference */
	return ssl;
}

/*
 * Why a server we connected to was refused, in the operator's terms: the
 * SIP domain we expected and the identities its certificate carries.
 */
static void log_verify_failure(SSL *ssl, const char *peer, const char *sip_domain)
{
	long v = SSL_get_verify_result(ssl);
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	X509 *leaf = chain && sk_X509_num(chain) ? sk_X509_value(chain, 0) : NULL;
	char ids[512] = "no certificate";

	if (leaf && !tls_sip_identities(leaf, ids, sizeof(ids)))
		snprintf(ids, sizeof(ids), "no identity");
	if (v == X509_V_ERR_HOSTNAME_MISMATCH)
		log_warn("tls %s: refused: certificate does not carry SIP domain %s (RFC 5922; it has %s)",
			 peer, sip_domain ? sip_domain : "?", ids);
	else
		log_warn("tls %s: refused: certificate chain does not verify: %s (it has %s)",
			 peer, X509_verify_cert_error_string(v), ids);
}

int tls_handshake(SSL *ssl, int *want_write, const char *peer,
		  const char *sip_domain, struct log_limit *failed_log)
{
	int rc = SSL_do_handshake(ssl), e;
	char why[TLS_REASON_MAX];

	*want_write = 0;
	if (rc == 1) {
		log_info("tls %s: established %s %s", peer, SSL_get_version(ssl),
			 SSL_get_cipher_name(ssl));
		return 1;
	}
	e = SSL_get_error(ssl, rc);
	if (e == SSL_ERROR_WANT_READ)
		return 0;
	if (e == SSL_ERROR_WANT_WRITE) {
		*want_write = 1;
		return 0;
	}
	/* Without verify OpenSSL still records a result; only ours counts. */
	if (!SSL_is_server(ssl) && (SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) &&
	    SSL_get_verify_result(ssl) != X509_V_OK) {
		ERR_clear_error();
		log_verify_failure(ssl, peer, sip_domain);
		return -1;
	}
	log_limited(failed_log, LOG_LVL_WARN, "tls %s: handshake failed: %s", peer,
		    e == SSL_ERROR_SYSCALL ? "connection closed" :
		    tls_error_string(why, sizeof(why)));
	return -1;
}
