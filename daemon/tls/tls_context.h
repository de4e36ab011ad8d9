/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TLS contexts for SIP (RFC 3261 26.2, RFC 5630, RFC 5922): the library
 * srtprelayd's transports and srtprelayctl's `tls' subcommands share.
 *
 * A struct tls_ctx is one built, checked configuration: a server SSL_CTX
 * (what our listeners present, and mutual TLS) and a client SSL_CTX (what we
 * present and verify when we open TLS to a trunk), both from the same
 * certificate, key, chain and trusted roots. It is refcounted: every SSL made
 * with tls_ctx_new_ssl() holds a reference until SSL_free(), so a reload that
 * swaps a struct tls_slot to a new tls_ctx leaves established connections on
 * the one they were accepted with.
 *
 * Nothing here logs: every failure is one line in the caller's @err buffer,
 * naming the file or setting and why ("certificate /x/cert.pem expired on
 * 2026-01-02 10:00:00 UTC"), so the daemon logs it and srtprelayctl prints
 * it the same way.
 *
 * Using it from srtprelayd (transport_tls.c): keep one struct tls_slot per
 * cfg->tls[i]; fill a struct tls_ctx_conf from struct cfg_tls field by field
 * (the names match); tls_slot_reload() at start and again on SIGHUP, logging
 * @err and carrying on with the old context when it fails; tls_new() becomes
 * tls_slot_get() + tls_ctx_new_ssl(ctx, fd, server, target_host) +
 * tls_ctx_put(); tls_teardown() calls tls_slot_clear(). test/tls/tls_server.c
 * is a complete example in 200 lines.
 */
#ifndef SRTPRELAY_TLS_CONTEXT_H
#define SRTPRELAY_TLS_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define TLS_ERR_MAX 512

/*
 * Ciphers for TLS 1.2 when the configuration names none: forward secret
 * AEAD first, then the ECDHE AES-CBC-SHA2 suites Microsoft Teams Direct
 * Routing and Skype for Business still list. TLS 1.3 keeps OpenSSL's
 * defaults (all three are AEAD).
 */
#define TLS_DEFAULT_CIPHERS \
	"ECDHE+AESGCM:ECDHE+CHACHA20:ECDHE+AES256+SHA384:ECDHE+AES128+SHA256:!aNULL:!eNULL"

struct tls_ctx_conf {
	const char *name;		/* for messages only */
	const char *certificate;	/* PEM or DER leaf; may carry the chain after it */
	const char *private_key;	/* PEM */
	const char *chain;		/* intermediates, optional */
	const char *ca_file;		/* trusted roots for peers, optional */
	const char *ca_dir;		/* c_rehash'd directory, optional */
	int min_version, max_version;	/* TLS1_2_VERSION, TLS1_3_VERSION; 0: 1.2 / newest */
	const char *ciphers;		/* TLS 1.2 list; NULL/"": TLS_DEFAULT_CIPHERS */
	const char *ciphersuites;	/* TLS 1.3 list; NULL/"": OpenSSL's */
	bool verify_peer;		/* client: verify servers (chain + RFC 5922) */
	bool mutual;			/* server: require a client certificate */
	const char *mutual_peers;	/* server: "a.example,b.example": with mutual,
					 * the client certificate must carry one of
					 * these (RFC 5922 rules); NULL: any the
					 * trusted roots vouch for */
	bool ocsp_check;		/* client: ask for a stapled OCSP response,
					 * refuse a revoked or unverifiable one */
	bool ocsp_require;		/* client: and refuse a server that staples none */
	const char *ocsp_response;	/* server: DER OCSP response to staple, optional */
};

struct tls_ctx {
	int refs;
	char name[64];
	SSL_CTX *server, *client;
	bool ocsp_check, ocsp_require;
	char *mutual_peers;
	unsigned char *ocsp_der;	/* what the server staples */
	long ocsp_der_len;
	time_t not_after;		/* of our certificate, for the operator */
	char sha256[96];		/* its fingerprint, AA:BB:... */
};

/*
 * Reads every file, checks them (key matches certificate, certificate and
 * intermediates inside their validity, intermediates link up to the leaf,
 * versions no older than TLS 1.2, cipher lists understood) and builds both
 * SSL_CTXs. Returns a tls_ctx with one reference, or NULL with @err set.
 */
struct tls_ctx *tls_ctx_build(const struct tls_ctx_conf *conf, char *err,
			      size_t err_len);
struct tls_ctx *tls_ctx_get(struct tls_ctx *ctx);
void tls_ctx_put(struct tls_ctx *ctx);

/*
 * A new SSL on @fd (-1: set the fd or BIO yourself). A client SSL sends SNI
 * and, with verify_peer, refuses a server whose certificate does not carry
 * @sip_domain as RFC 5922 section 7 says (NULL: chain only). The SSL holds
 * a reference on @ctx until SSL_free().
 */
SSL *tls_ctx_new_ssl(struct tls_ctx *ctx, int fd, bool server,
		     const char *sip_domain);

/*
 * What the daemon keeps per configured TLS context. tls_slot_reload()
 * builds a new tls_ctx from @conf and swaps it in only when it is complete;
 * on any failure the slot keeps serving the old one and -1 is returned with
 * @err saying why. Connections already established keep the context they
 * were made with (they hold a reference).
 */
struct tls_slot {
	struct tls_ctx *cur;
};

int tls_slot_reload(struct tls_slot *slot, const struct tls_ctx_conf *conf,
		    char *err, size_t err_len);
/* The current context with a reference the caller puts, or NULL. */
struct tls_ctx *tls_slot_get(struct tls_slot *slot);
void tls_slot_clear(struct tls_slot *slot);

/*
 * The OCSP response @ssl's server stapled (a client SSL after the
 * handshake, or inside the status callback): 1 if it is signed for the
 * server's issuer, says "good" and is current (RFC 6960 4.2.2.1, five
 * minutes of clock skew); 0 if not; -1 if none was stapled. @why says which.
 */
int tls_ocsp_check(SSL *ssl, char *why, size_t why_len);

/*
 * RFC 5922 section 7.1: the SIP identities of a certificate are its
 * subjectAltName URIs of scheme sip (their host part) and dNSName entries;
 * only when there are none is the subject's commonName used. Section 7.2:
 * names with a wildcard never match a SIP domain. Comparison is exact and
 * case-insensitive, a trailing dot ignored. An IP literal @domain matches
 * an iPAddress entry (peers configured by address).
 */
bool tls_sip_domain_match(X509 *cert, const char *domain);
/*
 * Does @cert name @host as its own (our FQDN against our certificate)?
 * RFC 6125 6.4: subjectAltName dNSName (and sip: URI) entries, the CN
 * only without them; a "*" left-most label covers one label (6.4.3).
 */
bool tls_cert_names_host(X509 *cert, const char *host);
/* Every identity as above, "DNS:x", "URI:sip:x", "IP:x" or "CN:x", joined
 * by ", " into @buf; returns the number of identities. */
int tls_sip_identities(X509 *cert, char *buf, size_t len);
/* True if @name is a wildcard ("*" anywhere in it). */
bool tls_name_is_wildcard(const char *name);

/*
 * Reads certificates from @path in any form a CA hands out: PEM (one or a
 * bundle), DER, or PKCS#7 (.p7b/.p7c, PEM or DER). Appends to @certs;
 * returns how many were read, or -1 with @err set.
 */
int tls_read_certs(const char *path, STACK_OF(X509) *certs, char *err,
		   size_t err_len);
/* The same from memory; returns how many (0: none recognised). */
int tls_parse_certs(const unsigned char *buf, size_t len, STACK_OF(X509) *certs);
/* A PEM private key; NULL with @err set. */
EVP_PKEY *tls_read_key(const char *path, char *err, size_t err_len);

/*
 * Builds the chain of @leaf through @untrusted to a root in @store; true
 * if it verifies at @when (0: now). On failure @err names the certificate
 * where it broke and OpenSSL's reason, with a hint for the usual causes.
 * With @chain_out, the verified chain (leaf first) is returned to be freed
 * with OSSL_STACK_OF_X509_free()/sk_X509_pop_free().
 */
bool tls_verify_chain(X509 *leaf, STACK_OF(X509) *untrusted, X509_STORE *store,
		      STACK_OF(X509) **chain_out, char *err, size_t err_len);
/* A store of @ca_file and/or @ca_dir, or of the system's roots when both
 * are NULL; NULL with @err set. */
X509_STORE *tls_store_new(const char *ca_file, const char *ca_dir, char *err,
			  size_t err_len);

/* "AA:BB:..." of @md (EVP_sha256(), EVP_sha1()) over the DER. */
void tls_fingerprint(X509 *cert, const EVP_MD *md, char *buf, size_t len);
/* The one-line RFC 2253 form of a name. */
void tls_name_oneline(const X509_NAME *name, char *buf, size_t len);
/* Converts an ASN1_TIME to time_t; false if it cannot be read. */
bool tls_asn1_time(const ASN1_TIME *t, time_t *out);
/* "2026-01-02 10:00:00 UTC" */
void tls_format_time(time_t t, char *buf, size_t len);

#endif /* SRTPRELAY_TLS_CONTEXT_H */
