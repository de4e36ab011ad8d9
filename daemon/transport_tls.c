// SPDX-License-Identifier: GPL-2.0 OR MIT
/* OpenSSL contexts for SIP over TLS, and the first-start certificate. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "transport_tls.h"

static SSL_CTX *server_ctx[CFG_MAX_OBJ], *client_ctx[CFG_MAX_OBJ];

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

static int ctx_common(SSL_CTX *ctx, const struct cfg_tls *t)
{
	if (t->min_version && !SSL_CTX_set_min_proto_version(ctx, t->min_version))
		return -1;
	if (t->max_version && !SSL_CTX_set_max_proto_version(ctx, t->max_version))
		return -1;
	if (t->ciphers[0] && !SSL_CTX_set_cipher_list(ctx, t->ciphers)) {
		log_err("tls context %s: ciphers '%s': %s", t->name, t->ciphers, ssl_reason());
		return -1;
	}
	if (t->ciphersuites[0] && !SSL_CTX_set_ciphersuites(ctx, t->ciphersuites)) {
		log_err("tls context %s: ciphersuites '%s': %s", t->name,
			t->ciphersuites, ssl_reason());
		return -1;
	}
	if (t->ca_file[0] && !SSL_CTX_load_verify_locations(ctx, t->ca_file, NULL)) {
		log_err("tls context %s: ca_file %s: %s", t->name, t->ca_file, ssl_reason());
		return -1;
	}
	if (!SSL_CTX_use_certificate_file(ctx, t->certificate, SSL_FILETYPE_PEM)) {
		log_err("tls context %s: certificate %s: %s", t->name, t->certificate,
			ssl_reason());
		return -1;
	}
	if (!SSL_CTX_use_PrivateKey_file(ctx, t->private_key, SSL_FILETYPE_PEM) ||
	    !SSL_CTX_check_private_key(ctx)) {
		log_err("tls context %s: private key %s: %s", t->name, t->private_key,
			ssl_reason());
		return -1;
	}
	if (t->chain[0] && !SSL_CTX_use_certificate_chain_file(ctx, t->chain)) {
		log_err("tls context %s: chain %s: %s", t->name, t->chain, ssl_reason());
		return -1;
	}
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return 0;
}

int tls_setup(struct config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->n_tls; i++) {
		struct cfg_tls *t = &cfg->tls[i];

		if (t->self_signed && ensure_self_signed(cfg, t))
			return -1;
		server_ctx[i] = SSL_CTX_new(TLS_server_method());
		client_ctx[i] = SSL_CTX_new(TLS_client_method());
		if (!server_ctx[i] || !client_ctx[i] ||
		    ctx_common(server_ctx[i], t) || ctx_common(client_ctx[i], t))
			return -1;
		if (t->mutual)
			SSL_CTX_set_verify(server_ctx[i], SSL_VERIFY_PEER |
					   SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
		if (t->verify_peer)
			SSL_CTX_set_verify(client_ctx[i], SSL_VERIFY_PEER, NULL);
		log_info("tls context %s: certificate %s%s%s", t->name, t->certificate,
			 t->mutual ? ", mutual TLS" : "",
			 t->verify_peer ? ", verifies servers" : "");
	}
	return 0;
}

void tls_teardown(void)
{
	int i;

	for (i = 0; i < CFG_MAX_OBJ; i++) {
		SSL_CTX_free(server_ctx[i]);
		SSL_CTX_free(client_ctx[i]);
		server_ctx[i] = client_ctx[i] = NULL;
	}
}

SSL *tls_new(int tls_ctx, int fd, int server)
{
	SSL_CTX *ctx = tls_ctx < 0 ? NULL :
		       server ? server_ctx[tls_ctx] : client_ctx[tls_ctx];
	SSL *ssl;

	if (!ctx)
		return NULL;
	ssl = SSL_new(ctx);
	if (!ssl)
		return NULL;
	SSL_set_fd(ssl, fd);
	if (server)
		SSL_set_accept_state(ssl);
	else
		SSL_set_connect_state(ssl);
	return ssl;
}

int tls_handshake(SSL *ssl, int *want_write, const char *peer)
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
	log_warn("tls %s: handshake failed: %s", peer,
		 e == SSL_ERROR_SYSCALL ? "connection closed" : ssl_reason());
	return -1;
}
