// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * OCSP stapling (RFC 6066 8, RFC 6960): the server side staples the
 * response tls_ctx_build() read, the client side checks what a server
 * stapled. See tls_context.h.
 */
#include <openssl/err.h>
#include <openssl/ocsp.h>

#include "tls/tls_context.h"
#include "tls/tls_internal.h"

/* Server: staple the configured response if the client asked for one. */
int tls_ocsp_staple_cb(SSL *ssl, void *arg)
{
	struct tls_ctx *ctx = arg;
	unsigned char *copy;

	if (!ctx->ocsp_der)
		return SSL_TLSEXT_ERR_NOACK;
	copy = OPENSSL_memdup(ctx->ocsp_der, (size_t)ctx->ocsp_der_len);
	if (!copy)
		return SSL_TLSEXT_ERR_NOACK;
	SSL_set_tlsext_status_ocsp_resp(ssl, copy, ctx->ocsp_der_len);
	return SSL_TLSEXT_ERR_OK;
}

int tls_ocsp_check(SSL *ssl, char *why, size_t why_len)
{
	const unsigned char *p;
	long len = SSL_get_tlsext_status_ocsp_resp(ssl, &p);
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	X509_STORE *store = SSL_CTX_get_cert_store(SSL_get_SSL_CTX(ssl));
	OCSP_RESPONSE *resp = NULL;
	OCSP_BASICRESP *basic = NULL;
	OCSP_CERTID *id = NULL;
	ASN1_GENERALIZEDTIME *thisupd, *nextupd;
	int status, reason, rc = 0;

	if (len <= 0 || !p) {
		tls_set_err(why, why_len, "no OCSP response stapled");
		return -1;
	}
	resp = d2i_OCSP_RESPONSE(NULL, &p, len);
	if (!resp) {
		tls_set_err(why, why_len, "stapled OCSP response unreadable");
		goto out;
	}
	if (OCSP_response_status(resp) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		tls_set_err(why, why_len, "stapled OCSP response: %s",
			OCSP_response_status_str(OCSP_response_status(resp)));
		goto out;
	}
	basic = OCSP_response_get1_basic(resp);
	if (!basic || !chain || sk_X509_num(chain) < 2) {
		tls_set_err(why, why_len, "stapled OCSP response: no issuer to check it against");
		goto out;
	}
	if (OCSP_basic_verify(basic, chain, store, 0) <= 0) {
		tls_set_err(why, why_len, "stapled OCSP response: signature does not verify");
		goto out;
	}
	id = OCSP_cert_to_id(NULL, sk_X509_value(chain, 0), sk_X509_value(chain, 1));
	if (!id || !OCSP_resp_find_status(basic, id, &status, &reason, NULL,
					  &thisupd, &nextupd)) {
		tls_set_err(why, why_len, "stapled OCSP response is not about this certificate");
		goto out;
	}
	if (status != V_OCSP_CERTSTATUS_GOOD) {
		tls_set_err(why, why_len, "OCSP: certificate %s", OCSP_cert_status_str(status));
		goto out;
	}
	if (!OCSP_check_validity(thisupd, nextupd, 300, -1)) {
		tls_set_err(why, why_len, "stapled OCSP response is outdated");
		goto out;
	}
	tls_set_err(why, why_len, "OCSP: good");
	rc = 1;
out:
	ERR_clear_error();
	OCSP_CERTID_free(id);
	OCSP_BASICRESP_free(basic);
	OCSP_RESPONSE_free(resp);
	return rc;
}

/* Client: 1 accepts, 0 aborts the handshake (tls_ocsp_check()). */
int tls_ocsp_check_cb(SSL *ssl, void *arg)
{
	struct tls_ctx *ctx = arg;
	int rc = tls_ocsp_check(ssl, NULL, 0);

	if (rc < 0)
		return ctx->ocsp_require ? 0 : 1;
	return rc;
}
