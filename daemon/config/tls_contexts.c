// SPDX-License-Identifier: GPL-2.0 OR MIT
/* OpenSSL contexts for SIP over TLS, and the first-start certificate. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/log.h"
#include "base/sbuf.h"
#include "tls/tls_context.h"
#include "sip/transport_tls.h"

/* One per configured context; a reload swaps in a new one (tls_context.h),
 * built beforehand into pending[] so that it is all contexts or none. */
static struct tls_slot slots[CFG_MAX_OBJ];
static struct tls_ctx *pending[CFG_MAX_OBJ];

static const char *ssl_reason(void)
{
	static char buf[256];
	unsigned long e = ERR_get_error();

	if (!e)
		return "no detail from OpenSSL";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

int tls_make_self_signed(const char *cert_path, const char *key_path,
			 const char *common_name)
{
	EVP_PKEY *pkey = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	FILE *f = NULL;
	int rc = -1;

	if (!pkey || !x) {
		log_err("self-signed certificate: key generation: %s", ssl_reason());
		goto out;
	}
	ASN1_INTEGER_set(X509_get_serialNumber(x), (long)time(NULL));
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 10L * 365 * 86400);
	X509_set_pubkey(x, pkey);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)common_name, -1, -1, 0);
	X509_set_issuer_name(x, name);
	if (!X509_sign(x, pkey, EVP_sha256())) {
		log_err("self-signed certificate: signing: %s", ssl_reason());
		goto out;
	}
	f = fopen(key_path, "w");
	if (!f || fchmod(fileno(f), 0600) ||
	    !PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL)) {
		log_err("self-signed certificate: write %s: %s", key_path, strerror(errno));
		goto out;
	}
	fclose(f);
	f = fopen(cert_path, "w");
	if (!f || !PEM_write_X509(f, x)) {
		log_err("self-signed certificate: write %s: %s", cert_path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (f)
		fclose(f);
	X509_free(x);
	EVP_PKEY_free(pkey);
	return rc;
}

static int ensure_self_signed(struct config *cfg, struct cfg_tls *t)
{
	struct stat st;

	if (t->certificate[0])
		return 0;
	snprintf(t->certificate, sizeof(t->certificate), "%.400s/%.40s-cert.pem",
		 cfg->state_dir, t->name);
	snprintf(t->private_key, sizeof(t->private_key), "%.400s/%.40s-key.pem",
		 cfg->state_dir, t->name);
	if (!stat(t->certificate, &st) && !stat(t->private_key, &st))
		return 0;
	log_info("tls context %s: generating a self-signed certificate into %s",
		 t->name, t->certificate);
	return tls_make_self_signed(t->certificate, t->private_key, "srtprelayd");
}

static struct tls_ctx_conf conf_of(const struct cfg_tls *t)
{
	struct tls_ctx_conf c = {
		.name = t->name, .certificate = t->certificate,
		.private_key = t->private_key, .chain = t->chain,
		.ca_file = t->ca_file, .min_version = t->min_version,
		.max_version = t->max_version, .ciphers = t->ciphers,
		.ciphersuites = t->ciphersuites, .verify_peer = t->verify_peer,
		.mutual = t->mutual, .ca_dir = t->ca_dir,
		.mutual_peers = t->mutual_peers, .ocsp_check = t->ocsp_check,
		.ocsp_require = t->ocsp_require, .ocsp_response = t->ocsp_response,
	};

	return c;
}

int tls_setup(struct config *cfg)
{
	char err[TLS_ERR_MAX];
	unsigned int i;

	for (i = 0; i < cfg->n_tls; i++) {
		struct cfg_tls *t = &cfg->tls[i];
		struct tls_ctx_conf c;

		if (t->self_signed && ensure_self_signed(cfg, t))
			return -1;
		c = conf_of(t);
		if (tls_slot_reload(&slots[i], &c, err, sizeof(err))) {
			log_err("%s", err);
			return -1;
		}
		log_info("tls context %s: certificate %s sha256 %s%s%s", t->name,
			 t->certificate, slots[i].cur->sha256,
			 t->mutual ? ", mutual TLS" : "",
			 t->verify_peer ? ", verifies servers" : "");
	}
	return 0;
}

int tls_prepare(struct config *next, struct sbuf *errs)
{
	char err[TLS_ERR_MAX];
	unsigned int i;
	int failed = 0;

	tls_abort();
	for (i = 0; i < next->n_tls; i++) {
		struct cfg_tls *t = &next->tls[i];
		struct tls_ctx_conf c;

		if (t->self_signed && ensure_self_signed(next, t)) {
			snprintf(err, sizeof(err), "tls context %.60s: cannot write a self-signed certificate into %.380s",
				 t->name, next->state_dir);
		} else {
			c = conf_of(t);
			pending[i] = tls_ctx_build(&c, err, sizeof(err));
			if (pending[i])
				continue;
		}
		/* The wording test/tls/run.sh and operators' log filters know. */
		log_err("%s; keeping the current certificate", err);
		sb_printf(errs, "%s\n", err);
		failed++;
	}
	if (failed)
		tls_abort();
	return failed ? -1 : 0;
}

void tls_commit(const struct config *next)
{
	unsigned int i;

	for (i = 0; i < CFG_MAX_OBJ; i++) {
		struct tls_ctx *old = slots[i].cur;

		if (!pending[i])
			continue;
		slots[i].cur = pending[i];
		pending[i] = NULL;
		tls_ctx_put(old);	/* open connections hold their own */
		log_info("tls context %s: reloaded, certificate sha256 %s",
			 next->tls[i].name, slots[i].cur->sha256);
	}
}

void tls_abort(void)
{
	unsigned int i;

	for (i = 0; i < CFG_MAX_OBJ; i++) {
		tls_ctx_put(pending[i]);
		pending[i] = NULL;
	}
}

void tls_teardown(void)
{
	int i;

	tls_abort();
	for (i = 0; i < CFG_MAX_OBJ; i++)
		tls_slot_clear(&slots[i]);
}

SSL *tls_new(int tls_ctx, int fd, int server, const char *sip_domain)
{
	struct tls_ctx *ctx;
	SSL *ssl;

	if (tls_ctx < 0 || tls_ctx >= CFG_MAX_OBJ || !(ctx = tls_slot_get(&slots[tls_ctx])))
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
		  const char *sip_domain)
{
	int rc = SSL_do_handshake(ssl), e;

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
	log_warn("tls %s: handshake failed: %s", peer,
		 e == SSL_ERROR_SYSCALL ? "connection closed" : ssl_reason());
	return -1;
}
