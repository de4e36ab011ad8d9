// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TLS contexts for SIP: reading certificates and keys, building SSL_CTXs
 * from checked files, and the refcounted swap on reload. RFC 5922 identity
 * matching and chain verification are in tls_identity.c, OCSP stapling in
 * tls_ocsp.c. See tls_context.h for the model.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include "tls/tls_context.h"
#include "tls/tls_internal.h"

bool tls_asn1_time(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return false;
	*out = timegm(&tm);
	return true;
}

void tls_format_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* Reads the whole file; NULL with @err set. */
static unsigned char *read_file(const char *path, long *len, char *err,
				size_t err_len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f) {
		tls_set_err(err, err_len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (n == cap) {
			unsigned char *nb;

			cap = cap ? cap * 2 : 8192;
			if (cap > (1u << 24) || !(nb = realloc(buf, cap))) {
				tls_set_err(err, err_len, "%s: too large", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	if (ferror(f)) {
		tls_set_err(err, err_len, "%s: %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (long)n;
	return buf;
}

static int push_pkcs7(PKCS7 *p7, STACK_OF(X509) *certs)
{
	STACK_OF(X509) *in = NULL;
	int i, n = 0;

	if (PKCS7_type_is_signed(p7) && p7->d.sign)
		in = p7->d.sign->cert;
	else if (PKCS7_type_is_signedAndEnveloped(p7) && p7->d.signed_and_enveloped)
		in = p7->d.signed_and_enveloped->cert;
	for (i = 0; in && i < sk_X509_num(in); i++) {
		X509 *x = sk_X509_value(in, i);

		if (!X509_up_ref(x))
			continue;
		if (sk_X509_push(certs, x))
			n++;
		else
			X509_free(x);
	}
	return n;
}

int tls_parse_certs(const unsigned char *buf, size_t len, STACK_OF(X509) *certs)
{
	const unsigned char *p;
	int n = 0;

	if (!len || len > (1u << 24))
		return 0;
	if (len > 10 && memmem(buf, len, "-----BEGIN ", 11)) {
		BIO *b = BIO_new_mem_buf(buf, (int)len);
		STACK_OF(X509_INFO) *infos = b ? PEM_X509_INFO_read_bio(b, NULL, NULL, NULL) : NULL;
		int i;

		for (i = 0; infos && i < sk_X509_INFO_num(infos); i++) {
			X509_INFO *xi = sk_X509_INFO_value(infos, i);

			if (xi->x509 && X509_up_ref(xi->x509)) {
				if (sk_X509_push(certs, xi->x509))
					n++;
				else
					X509_free(xi->x509);
			}
		}
		sk_X509_INFO_pop_free(infos, X509_INFO_free);
		if (!n && b && BIO_reset(b) == 0) {
			PKCS7 *p7 = PEM_read_bio_PKCS7(b, NULL, NULL, NULL);

			if (p7)
				n = push_pkcs7(p7, certs);
			PKCS7_free(p7);
		}
		BIO_free(b);
	} else {
		X509 *x;

		p = buf;
		x = d2i_X509(NULL, &p, (long)len);
		if (x && sk_X509_push(certs, x)) {
			n = 1;
		} else {
			PKCS7 *p7;

			X509_free(x);
			p = buf;
			p7 = d2i_PKCS7(NULL, &p, (long)len);
			if (p7)
				n = push_pkcs7(p7, certs);
			PKCS7_free(p7);
		}
	}
	ERR_clear_error();
	return n;
}

int tls_read_certs(const char *path, STACK_OF(X509) *certs, char *err,
		   size_t err_len)
{
	long len = 0;
	unsigned char *buf = read_file(path, &len, err, err_len);
	int n;

	if (!buf)
		return -1;
	n = tls_parse_certs(buf, (size_t)len, certs);
	free(buf);
	if (!n) {
		tls_set_err(err, err_len, "%s: no certificate in it (expected PEM, DER or PKCS#7)",
			path);
		return -1;
	}
	return n;
}

EVP_PKEY *tls_read_key(const char *path, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k;
	char why[160];

	if (!f) {
		tls_set_err(err, err_len, "private key %s: %s", path, strerror(errno));
		return NULL;
	}
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!k)
		tls_set_err(err, err_len, "private key %s: not a PEM private key (%s)", path,
			tls_ssl_reason(why, sizeof(why)));
	return k;
}

/* ---- building contexts ---- */

static int ssl_ex_index = -1;	/* the struct tls_ctx an SSL holds */
static int ssl_domain_index = -1;	/* the SIP domain a client SSL expects */

static void ex_ctx_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
			long argl, void *argp)
{
	if (ptr)
		tls_ctx_put(ptr);
}

static void ex_domain_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
			   long argl, void *argp)
{
	free(ptr);
}

static bool ex_indexes(void)
{
	if (ssl_ex_index < 0)
		ssl_ex_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, ex_ctx_free);
	if (ssl_domain_index < 0)
		ssl_domain_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, ex_domain_free);
	return ssl_ex_index >= 0 && ssl_domain_index >= 0;
}

/* True if @cert carries one of the comma-separated @names. */
static bool match_any(X509 *cert, const char *names)
{
	char one[256];
	const char *p = names, *end;

	while (*p) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		snprintf(one, sizeof(one), "%.*s", (int)(end - p), p);
		if (one[0] && tls_sip_domain_match(cert, one))
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

/*
 * Adds RFC 5922 matching to OpenSSL's chain verification: a client checks
 * the SIP domain it connects to, a mutual TLS server the names its peers
 * may present.
 */
static int verify_cb(int ok, X509_STORE_CTX *sc)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(sc, SSL_get_ex_data_X509_STORE_CTX_idx());
	const char *domain;
	struct tls_ctx *ctx;
	X509 *cert = X509_STORE_CTX_get_current_cert(sc);

	if (!ok || X509_STORE_CTX_get_error_depth(sc) != 0 || !ssl)
		return ok;
	if (SSL_is_server(ssl)) {
		ctx = SSL_get_ex_data(ssl, ssl_ex_index);
		if (ctx && ctx->mutual_peers && !match_any(cert, ctx->mutual_peers)) {
			X509_STORE_CTX_set_error(sc, X509_V_ERR_HOSTNAME_MISMATCH);
			return 0;
		}
		return 1;
	}
	domain = SSL_get_ex_data(ssl, ssl_domain_index);
	if (domain && !tls_sip_domain_match(cert, domain)) {
		X509_STORE_CTX_set_error(sc, X509_V_ERR_HOSTNAME_MISMATCH);
		return 0;
	}
	return 1;
}

/* Certificate inside its validity at @now; false with @err set. */
static bool check_dates(X509 *x, const char *what, const char *path, time_t now,
			char *err, size_t err_len)
{
	time_t nb, na;
	char t[40];

	if (!tls_asn1_time(X509_get0_notBefore(x), &nb) ||
	    !tls_asn1_time(X509_get0_notAfter(x), &na)) {
		tls_set_err(err, err_len, "%s %s: unreadable validity dates", what, path);
		return false;
	}
	if (now < nb) {
		tls_format_time(nb, t, sizeof(t));
		tls_set_err(err, err_len, "%s %s: not valid before %s (check this host's clock)",
			what, path, t);
		return false;
	}
	if (now > na) {
		tls_format_time(na, t, sizeof(t));
		tls_set_err(err, err_len, "%s %s: expired on %s", what, path, t);
		return false;
	}
	return true;
}

static int version_or(int v, int dflt)
{
	return v ? v : dflt;
}

static bool set_common(SSL_CTX *c, const struct tls_ctx_conf *conf, X509 *leaf,
		       EVP_PKEY *key, STACK_OF(X509) *chain, char *err,
		       size_t err_len)
{
	const char *ciphers = conf->ciphers && conf->ciphers[0] ? conf->ciphers :
			      TLS_DEFAULT_CIPHERS;
	char why[160];
	int i;

	/* RFC 8996: TLS 1.0 and 1.1 are gone; nothing below 1.2, ever. */
	if (!SSL_CTX_set_min_proto_version(c, version_or(conf->min_version, TLS1_2_VERSION)) ||
	    !SSL_CTX_set_max_proto_version(c, conf->max_version)) {
		tls_set_err(err, err_len, "versions: %s", tls_ssl_reason(why, sizeof(why)));
		return false;
	}
	if (!SSL_CTX_set_cipher_list(c, ciphers)) {
		tls_set_err(err, err_len, "ciphers '%s': no cipher OpenSSL knows in it", ciphers);
		ERR_clear_error();
		return false;
	}
	if (conf->ciphersuites && conf->ciphersuites[0] &&
	    !SSL_CTX_set_ciphersuites(c, conf->ciphersuites)) {
		tls_set_err(err, err_len, "ciphersuites '%s': not a TLS 1.3 suite list OpenSSL knows",
			conf->ciphersuites);
		ERR_clear_error();
		return false;
	}
	/* CLEANSE_PLAINTEXT: OpenSSL wipes the decrypted records (SIP with
	 * SRTP keys) it held before freeing them. */
	SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
			    SSL_OP_NO_COMPRESSION | SSL_OP_CLEANSE_PLAINTEXT);
	SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (!SSL_CTX_use_certificate(c, leaf) || !SSL_CTX_use_PrivateKey(c, key) ||
	    !SSL_CTX_check_private_key(c)) {
		tls_set_err(err, err_len, "certificate/key: %s", tls_ssl_reason(why, sizeof(why)));
		return false;
	}
	for (i = 0; i < sk_X509_num(chain); i++) {
		if (!SSL_CTX_add1_chain_cert(c, sk_X509_value(chain, i))) {
			tls_set_err(err, err_len, "chain: %s", tls_ssl_reason(why, sizeof(why)));
			return false;
		}
	}
	if ((conf->ca_file && conf->ca_file[0]) || (conf->ca_dir && conf->ca_dir[0])) {
		if (!SSL_CTX_load_verify_locations(c, conf->ca_file && conf->ca_file[0] ?
						   conf->ca_file : NULL,
						   conf->ca_dir && conf->ca_dir[0] ?
						   conf->ca_dir : NULL)) {
			tls_set_err(err, err_len, "trusted roots %s: %s",
				conf->ca_file && conf->ca_file[0] ? conf->ca_file : conf->ca_dir,
				tls_ssl_reason(why, sizeof(why)));
			return false;
		}
	}
	return true;
}

static void ctx_free(struct tls_ctx *ctx)
{
	SSL_CTX_free(ctx->server);
	SSL_CTX_free(ctx->client);
	free(ctx->ocsp_der);
	free(ctx->mutual_peers);
	free(ctx);
}

struct tls_ctx *tls_ctx_build(const struct tls_ctx_conf *conf, char *err,
			      size_t err_len)
{
	STACK_OF(X509) *certs = sk_X509_new_null(), *chain = sk_X509_new_null();
	struct tls_ctx *ctx = calloc(1, sizeof(*ctx));
	const char *name = conf->name ? conf->name : "?";
	char why[TLS_ERR_MAX];
	EVP_PKEY *key = NULL;
	X509 *leaf = NULL;
	time_t now = time(NULL);
	int i;

	if (!ctx || !certs || !chain || !ex_indexes()) {
		tls_set_err(err, err_len, "tls context %s: out of memory", name);
		goto fail;
	}
	ctx->refs = 1;
	snprintf(ctx->name, sizeof(ctx->name), "%s", name);
	ctx->ocsp_check = conf->ocsp_check || conf->ocsp_require;
	ctx->ocsp_require = conf->ocsp_require;
	if (!conf->certificate || !conf->certificate[0] || !conf->private_key ||
	    !conf->private_key[0]) {
		tls_set_err(err, err_len, "tls context %s: needs a certificate and a private key", name);
		goto fail;
	}
	if ((conf->min_version && conf->min_version < TLS1_2_VERSION) ||
	    (conf->max_version && conf->max_version < TLS1_2_VERSION)) {
		tls_set_err(err, err_len, "tls context %s: TLS versions before 1.2 are refused (RFC 8996)",
			name);
		goto fail;
	}
	if (conf->min_version && conf->max_version && conf->min_version > conf->max_version) {
		tls_set_err(err, err_len, "tls context %s: minimum version above the maximum", name);
		goto fail;
	}
	if (tls_read_certs(conf->certificate, certs, why, sizeof(why)) < 0) {
		tls_set_err(err, err_len, "tls context %s: certificate %s", name, why);
		goto fail;
	}
	/* A "full chain" certificate file: the leaf first, then its chain. */
	leaf = sk_X509_shift(certs);
	while (sk_X509_num(certs))
		sk_X509_push(chain, sk_X509_shift(certs));
	if (conf->chain && conf->chain[0] &&
	    tls_read_certs(conf->chain, chain, why, sizeof(why)) < 0) {
		tls_set_err(err, err_len, "tls context %s: chain %s", name, why);
		goto fail;
	}
	/* A fullchain.pem given as chain holds the leaf too: send it once. */
	for (i = sk_X509_num(chain) - 1; i >= 0; i--) {
		if (!X509_cmp(sk_X509_value(chain, i), leaf))
			X509_free(sk_X509_delete(chain, i));
	}
	if (!check_dates(leaf, "certificate", conf->certificate, now, why, sizeof(why))) {
		tls_set_err(err, err_len, "tls context %s: %s", name, why);
		goto fail;
	}
	for (i = 0; i < sk_X509_num(chain); i++) {
		if (!check_dates(sk_X509_value(chain, i), "chain certificate in",
				 conf->chain && conf->chain[0] ? conf->chain : conf->certificate,
				 now, why, sizeof(why))) {
			tls_set_err(err, err_len, "tls context %s: %s", name, why);
			goto fail;
		}
	}
	if (sk_X509_num(chain)) {
		bool linked = false;

		for (i = 0; i < sk_X509_num(chain) && !linked; i++)
			linked = X509_check_issued(sk_X509_value(chain, i), leaf) == X509_V_OK;
		if (!linked) {
			tls_name_oneline(X509_get_issuer_name(leaf), why, sizeof(why));
			tls_set_err(err, err_len, "tls context %s: chain %s does not contain the certificate's issuer \"%s\"",
				name, conf->chain && conf->chain[0] ? conf->chain : conf->certificate,
				why);
			goto fail;
		}
	}
	key = tls_read_key(conf->private_key, why, sizeof(why));
	if (!key) {
		tls_set_err(err, err_len, "tls context %s: %s", name, why);
		goto fail;
	}
	if (X509_check_private_key(leaf, key) != 1) {
		ERR_clear_error();
		tls_set_err(err, err_len, "tls context %s: private key %s does not match certificate %s",
			name, conf->private_key, conf->certificate);
		goto fail;
	}
	if (conf->ocsp_response && conf->ocsp_response[0]) {
		const unsigned char *p;
		OCSP_RESPONSE *r;

		ctx->ocsp_der = read_file(conf->ocsp_response, &ctx->ocsp_der_len, why,
					  sizeof(why));
		if (!ctx->ocsp_der) {
			tls_set_err(err, err_len, "tls context %s: OCSP response %s", name, why);
			goto fail;
		}
		p = ctx->ocsp_der;
		r = d2i_OCSP_RESPONSE(NULL, &p, ctx->ocsp_der_len);
		if (!r) {
			ERR_clear_error();
			tls_set_err(err, err_len, "tls context %s: OCSP response %s: not a DER OCSP response",
				name, conf->ocsp_response);
			goto fail;
		}
		OCSP_RESPONSE_free(r);
	}
	ctx->server = SSL_CTX_new(TLS_server_method());
	ctx->client = SSL_CTX_new(TLS_client_method());
	if (!ctx->server || !ctx->client) {
		tls_set_err(err, err_len, "tls context %s: out of memory", name);
		goto fail;
	}
	if (!set_common(ctx->server, conf, leaf, key, chain, why, sizeof(why)) ||
	    !set_common(ctx->client, conf, leaf, key, chain, why, sizeof(why))) {
		tls_set_err(err, err_len, "tls context %s: %s", name, why);
		goto fail;
	}
	/*
	 * Resumed sessions of a verifying server must carry a session id
	 * context, or OpenSSL fails them ("session id context uninitialized").
	 */
	if (!SSL_CTX_set_session_id_context(ctx->server, (const unsigned char *)ctx->name,
					    (unsigned int)(strlen(ctx->name) < SSL_MAX_SID_CTX_LENGTH ?
							   strlen(ctx->name) : SSL_MAX_SID_CTX_LENGTH))) {
		tls_set_err(err, err_len, "tls context %s: session id context", name);
		goto fail;
	}
	if (conf->mutual) {
		if (!(conf->ca_file && conf->ca_file[0]) && !(conf->ca_dir && conf->ca_dir[0])) {
			tls_set_err(err, err_len, "tls context %s: mutual TLS needs trusted roots (ca_file or ca_dir)",
				name);
			goto fail;
		}
		if (conf->ca_file && conf->ca_file[0]) {
			STACK_OF(X509_NAME) *cas = SSL_load_client_CA_file(conf->ca_file);

			if (cas)
				SSL_CTX_set_client_CA_list(ctx->server, cas);
			ERR_clear_error();
		}
		if (conf->mutual_peers && conf->mutual_peers[0] &&
		    !(ctx->mutual_peers = strdup(conf->mutual_peers))) {
			tls_set_err(err, err_len, "tls context %s: out of memory", name);
			goto fail;
		}
		SSL_CTX_set_verify(ctx->server, SSL_VERIFY_PEER |
				   SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_cb);
	}
	if (conf->verify_peer) {
		/* The system's roots (/etc/ssl/certs) besides ca_file/ca_dir:
		 * a carrier with a public CA needs no configuration. */
		if (!SSL_CTX_set_default_verify_paths(ctx->client)) {
			tls_set_err(err, err_len, "tls context %s: the system's trusted roots: %s",
				    name, tls_ssl_reason(why, sizeof(why)));
			goto fail;
		}
		SSL_CTX_set_verify(ctx->client, SSL_VERIFY_PEER, verify_cb);
	}
	if (ctx->ocsp_check) {
		SSL_CTX_set_tlsext_status_cb(ctx->client, tls_ocsp_check_cb);
		SSL_CTX_set_tlsext_status_arg(ctx->client, ctx);
	}
	if (ctx->ocsp_der) {
		SSL_CTX_set_tlsext_status_cb(ctx->server, tls_ocsp_staple_cb);
		SSL_CTX_set_tlsext_status_arg(ctx->server, ctx);
	}
	tls_asn1_time(X509_get0_notAfter(leaf), &ctx->not_after);
	tls_fingerprint(leaf, EVP_sha256(), ctx->sha256, sizeof(ctx->sha256));
	X509_free(leaf);
	EVP_PKEY_free(key);
	sk_X509_pop_free(chain, X509_free);
	sk_X509_pop_free(certs, X509_free);
	return ctx;
fail:
	ERR_clear_error();
	X509_free(leaf);
	EVP_PKEY_free(key);
	sk_X509_pop_free(chain, X509_free);
	sk_X509_pop_free(certs, X509_free);
	if (ctx)
		ctx_free(ctx);
	return NULL;
}

struct tls_ctx *tls_ctx_get(struct tls_ctx *ctx)
{
	if (ctx)
		__atomic_add_fetch(&ctx->refs, 1, __ATOMIC_RELAXED);
	return ctx;
}

void tls_ctx_put(struct tls_ctx *ctx)
{
	if (ctx && __atomic_sub_fetch(&ctx->refs, 1, __ATOMIC_ACQ_REL) == 0)
		ctx_free(ctx);
}

SSL *tls_ctx_new_ssl(struct tls_ctx *ctx, int fd, bool server,
		     const char *sip_domain)
{
	SSL *ssl;

	if (!ctx || !ex_indexes())
		return NULL;
	ssl = SSL_new(server ? ctx->server : ctx->client);
	if (!ssl)
		return NULL;
	if (!SSL_set_ex_data(ssl, ssl_ex_index, tls_ctx_get(ctx))) {
		tls_ctx_put(ctx);
		SSL_free(ssl);
		return NULL;
	}
	if (fd >= 0 && !SSL_set_fd(ssl, fd)) {
		SSL_free(ssl);
		return NULL;
	}
	if (server) {
		SSL_set_accept_state(ssl);
		return ssl;
	}
	SSL_set_connect_state(ssl);
	if (sip_domain && sip_domain[0]) {
		unsigned char a[16];
		char *d = strdup(sip_domain);

		if (!d || !SSL_set_ex_data(ssl, ssl_domain_index, d)) {
			free(d);
			SSL_free(ssl);
			return NULL;
		}
		/* RFC 6066 3: no SNI for address literals. */
		if (inet_pton(AF_INET, sip_domain, a) != 1 &&
		    inet_pton(AF_INET6, sip_domain, a) != 1)
			SSL_set_tlsext_host_name(ssl, sip_domain);
	}
	if (ctx->ocsp_check)
		SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp);
	return ssl;
}

int tls_slot_reload(struct tls_slot *slot, const struct tls_ctx_conf *conf,
		    char *err, size_t err_len)
{
	struct tls_ctx *fresh = tls_ctx_build(conf, err, err_len);
	struct tls_ctx *old;

	if (!fresh)
		return -1;
	old = slot->cur;
	slot->cur = fresh;
	tls_ctx_put(old);
	return 0;
}

struct tls_ctx *tls_slot_get(struct tls_slot *slot)
{
	return tls_ctx_get(slot->cur);
}

void tls_slot_clear(struct tls_slot *slot)
{
	tls_ctx_put(slot->cur);
	slot->cur = NULL;
}
