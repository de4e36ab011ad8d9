// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * daemon/tls/tls_context.c: RFC 5922 identity matching, the checks that refuse
 * a broken context with one clear line, the refcounted swap on reload, and
 * real handshakes between its server and client SSLs over a socketpair.
 * Certificates are made here with OpenSSL's API: a root, an intermediate
 * and leaves with whatever names and dates a case needs.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include "tls/tls_context.h"
#include "testing.h"

static char dir[64];
static EVP_PKEY *root_key, *inter_key, *leaf_key, *other_key;
static X509 *root, *inter;

static X509 *make_cert(const char *cn, const char *san, X509 *issuer,
		       EVP_PKEY *issuer_key, EVP_PKEY *key, bool ca,
		       long from, long to, const char *eku)
{
	X509 *x = X509_new();
	X509V3_CTX v3;
	X509_EXTENSION *e;
	static long serial = 100;

	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), from);
	X509_gmtime_adj(X509_getm_notAfter(x), to);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(issuer ? issuer : x));
	X509V3_set_ctx(&v3, issuer ? issuer : x, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints,
				ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	if (ca) {
		e = X509V3_EXT_conf_nid(NULL, &v3, NID_key_usage, "critical,keyCertSign,cRLSign");
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
	if (san) {
		e = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
	if (eku) {
		e = X509V3_EXT_conf_nid(NULL, &v3, NID_ext_key_usage, eku);
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
	X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256());
	return x;
}

static X509 *leaf(const char *cn, const char *san)
{
	return make_cert(cn, san, inter, inter_key, leaf_key, false, -3600,
			 86400, "serverAuth,clientAuth");
}

static const char *path(const char *name)
{
	static char buf[32][128];
	static int i;

	i = (i + 1) % 32;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void write_cert(const char *name, X509 *x)
{
	FILE *f = fopen(path(name), "w");

	PEM_write_X509(f, x);
	fclose(f);
}

static void write_key(const char *name, EVP_PKEY *k)
{
	FILE *f = fopen(path(name), "w");

	PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
	fclose(f);
}

static void setup(void)
{
	X509 *l;

	snprintf(dir, sizeof(dir), "/tmp/test_tls.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	root_key = EVP_EC_gen("P-256");
	inter_key = EVP_EC_gen("P-256");
	leaf_key = EVP_EC_gen("P-256");
	other_key = EVP_EC_gen("P-256");
	root = make_cert("Test Root", NULL, NULL, NULL, root_key, true, -3600, 86400 * 10, NULL);
	inter = make_cert("Test Intermediate", NULL, root, root_key, inter_key, true,
			  -3600, 86400 * 10, NULL);
	write_cert("root.pem", root);
	write_cert("inter.pem", inter);
	write_key("key.pem", leaf_key);
	write_key("other.pem", other_key);
	l = leaf("sbc.example.test", "DNS:sbc.example.test");
	write_cert("cert.pem", l);
	X509_free(l);
	l = leaf("sbc2.example.test", "DNS:sbc2.example.test");
	write_cert("cert2.pem", l);
	X509_free(l);
}

static void teardown(void)
{
	const char *files[] = { "root.pem", "inter.pem", "key.pem", "other.pem",
		"cert.pem", "cert2.pem", "expired.pem", "future.pem", "live.pem",
		"bundle.pem", "cert.der", "bundle.p7b", "good.der", "revoked.der" };
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(path(files[i]));
	rmdir(dir);
	X509_free(root);
	X509_free(inter);
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(inter_key);
	EVP_PKEY_free(leaf_key);
	EVP_PKEY_free(other_key);
}

static struct tls_ctx_conf good_conf(void)
{
	struct tls_ctx_conf c = {
		.name = "t", .certificate = path("cert.pem"), .private_key = path("key.pem"),
		.chain = path("inter.pem"), .ca_file = path("root.pem"),
	};

	return c;
}

static void sip_domain_san_dns_only(void)
{
	X509 *x = leaf("cn.example.test", "DNS:sbc.example.test,DNS:b.example.test");

	CHECK(tls_sip_domain_match(x, "sbc.example.test"), "first SAN");
	CHECK(tls_sip_domain_match(x, "b.example.test"), "second SAN");
	CHECK(tls_sip_domain_match(x, "SBC.Example.TEST"), "case-insensitive");
	CHECK(tls_sip_domain_match(x, "sbc.example.test."), "trailing dot");
	CHECK(!tls_sip_domain_match(x, "cn.example.test"), "CN ignored when SANs exist (RFC 5922 7.1)");
	CHECK(!tls_sip_domain_match(x, "example.test"), "no suffix matching");
	CHECK(!tls_sip_domain_match(x, "xsbc.example.test"), "no partial matching");
	CHECK(!tls_sip_domain_match(x, ""), "empty domain");
	X509_free(x);
}

static void sip_domain_cn_without_san(void)
{
	X509 *x = leaf("sbc.example.test", NULL);

	CHECK(tls_sip_domain_match(x, "sbc.example.test"), "CN used when there is no SAN");
	X509_free(x);
	x = leaf("sbc.example.test", "email:ops@example.test");
	CHECK(tls_sip_domain_match(x, "sbc.example.test"), "CN used when SAN has no DNS/URI");
	X509_free(x);
}

static void sip_domain_wildcard_never_matches(void)
{
	X509 *x = leaf("*.example.test", "DNS:*.example.test,DNS:sbc.example.test");
	char ids[256];

	CHECK(!tls_sip_domain_match(x, "a.example.test"), "SAN wildcard (RFC 5922 7.2)");
	CHECK(!tls_sip_domain_match(x, "*.example.test"), "the literal wildcard");
	CHECK(tls_sip_domain_match(x, "sbc.example.test"), "an exact SAN beside it");
	tls_sip_identities(x, ids, sizeof(ids));
	CHECK(!strcmp(ids, "DNS:*.example.test, DNS:sbc.example.test"), "listed: %s", ids);
	X509_free(x);
	x = leaf("*.example.test", NULL);
	CHECK(!tls_sip_domain_match(x, "a.example.test"), "CN wildcard");
	X509_free(x);
	CHECK(tls_name_is_wildcard("*.a.b") && !tls_name_is_wildcard("a.b"), "wildcard test");
}

static void own_name_rfc6125(void)
{
	X509 *x = leaf("cn.example.test", "DNS:sbc.example.test,DNS:*.pool.example.test");

	CHECK(tls_cert_names_host(x, "sbc.example.test"), "exact dNSName");
	CHECK(tls_cert_names_host(x, "SBC.example.test."), "case and trailing dot");
	CHECK(tls_cert_names_host(x, "a.pool.example.test"), "wildcard covers one label");
	CHECK(!tls_cert_names_host(x, "a.b.pool.example.test"), "not two labels (6.4.3)");
	CHECK(!tls_cert_names_host(x, "pool.example.test"), "not the bare parent");
	CHECK(!tls_cert_names_host(x, "cn.example.test"), "CN ignored beside SAN (6.4.4)");
	CHECK(!tls_cert_names_host(x, "other.example.test"), "another name");
	CHECK(!tls_cert_names_host(x, ""), "empty");
	X509_free(x);
	x = leaf("cn.example.test", "DNS:*.test,DNS:f*.example.test,DNS:a.*.example.test");
	CHECK(!tls_cert_names_host(x, "example.test"), "*.test covers no public suffix");
	CHECK(!tls_cert_names_host(x, "foo.example.test"), "no partial-label wildcard");
	CHECK(!tls_cert_names_host(x, "a.b.example.test"), "no wildcard past the left-most label");
	X509_free(x);
	x = leaf("sbc.example.test", NULL);
	CHECK(tls_cert_names_host(x, "sbc.example.test"), "CN without any SAN");
	X509_free(x);
}

static void sip_domain_sip_uri(void)
{
	X509 *x = leaf("cn.example.test",
		       "URI:sip:example.test,URI:sip:alice@other.test,URI:https://web.test");
	char ids[256];

	CHECK(tls_sip_domain_match(x, "example.test"), "sip: URI host");
	CHECK(!tls_sip_domain_match(x, "other.test"), "a URI with a user part is no domain");
	CHECK(!tls_sip_domain_match(x, "web.test"), "https URI");
	CHECK(!tls_sip_domain_match(x, "cn.example.test"), "CN ignored beside a sip URI");
	CHECK(tls_sip_identities(x, ids, sizeof(ids)) == 1, "one identity");
	CHECK(!strcmp(ids, "URI:sip:example.test"), "listed: %s", ids);
	X509_free(x);
}

static void sip_domain_ip_literal(void)
{
	X509 *x = leaf("sbc.example.test", "DNS:sbc.example.test,IP:127.0.0.1");

	CHECK(tls_sip_domain_match(x, "127.0.0.1"), "iPAddress entry");
	CHECK(!tls_sip_domain_match(x, "127.0.0.2"), "other address");
	X509_free(x);
}

static bool refused(struct tls_ctx_conf *c, const char *text)
{
	char err[TLS_ERR_MAX] = "";
	struct tls_ctx *ctx = tls_ctx_build(c, err, sizeof(err));

	if (ctx) {
		tls_ctx_put(ctx);
		printf("    built, expected refusal with '%s'\n", text);
		return false;
	}
	if (!strstr(err, text)) {
		printf("    refused with '%s', expected '%s'\n", err, text);
		return false;
	}
	return true;
}

static void build_good_context(void)
{
	struct tls_ctx_conf c = good_conf();
	char err[TLS_ERR_MAX] = "";
	struct tls_ctx *ctx = tls_ctx_build(&c, err, sizeof(err));

	CHECK(ctx, "refused: %s", err);
	if (!ctx)
		return;
	CHECK(ctx->refs == 1, "one reference");
	CHECK(strlen(ctx->sha256) == 95, "fingerprint %s", ctx->sha256);
	CHECK(SSL_CTX_get_min_proto_version(ctx->server) == TLS1_2_VERSION,
	      "TLS 1.2 floor by default");
	tls_ctx_put(ctx);
}

static void build_fullchain_as_chain_sends_leaf_once(void)
{
	struct tls_ctx_conf c = good_conf();
	char err[TLS_ERR_MAX] = "";
	struct tls_ctx *ctx;
	STACK_OF(X509) *sent = NULL;
	X509 *l = leaf("sbc.example.test", "DNS:sbc.example.test");
	FILE *f = fopen(path("bundle.pem"), "w");

	PEM_write_X509(f, l);
	PEM_write_X509(f, inter);
	fclose(f);
	write_cert("live.pem", l);
	c.certificate = path("live.pem");
	c.chain = path("bundle.pem");
	ctx = tls_ctx_build(&c, err, sizeof(err));
	CHECK(ctx, "refused: %s", err);
	if (ctx) {
		SSL_CTX_get0_chain_certs(ctx->server, &sent);
		CHECK(sent && sk_X509_num(sent) == 1 && !X509_cmp(sk_X509_value(sent, 0), inter),
		      "chain sent: %d certificates", sent ? sk_X509_num(sent) : -1);
		tls_ctx_put(ctx);
	}
	c.certificate = path("bundle.pem");	/* fullchain.pem as the certificate */
	c.chain = NULL;
	ctx = tls_ctx_build(&c, err, sizeof(err));
	CHECK(ctx, "refused: %s", err);
	if (ctx) {
		SSL_CTX_get0_chain_certs(ctx->server, &sent);
		CHECK(sent && sk_X509_num(sent) == 1, "fullchain as certificate");
		tls_ctx_put(ctx);
	}
	X509_free(l);
}

static void build_refusals_say_why(void)
{
	struct tls_ctx_conf c;
	X509 *x;

	c = good_conf();
	c.private_key = path("other.pem");
	CHECK(refused(&c, "does not match certificate"), "wrong key");
	c = good_conf();
	x = make_cert("sbc.example.test", "DNS:sbc.example.test", inter, inter_key, leaf_key,
		      false, -86400 * 10, -86400, NULL);
	write_cert("expired.pem", x);
	X509_free(x);
	c.certificate = path("expired.pem");
	CHECK(refused(&c, "expired on"), "expired");
	c = good_conf();
	x = make_cert("sbc.example.test", "DNS:sbc.example.test", inter, inter_key, leaf_key,
		      false, 86400, 86400 * 2, NULL);
	write_cert("future.pem", x);
	X509_free(x);
	c.certificate = path("future.pem");
	CHECK(refused(&c, "not valid before"), "not yet valid");
	c = good_conf();
	c.min_version = TLS1_1_VERSION;
	CHECK(refused(&c, "before 1.2 are refused"), "TLS 1.1");
	c = good_conf();
	c.min_version = TLS1_3_VERSION;
	c.max_version = TLS1_2_VERSION;
	CHECK(refused(&c, "minimum version above the maximum"), "min > max");
	c = good_conf();
	c.ciphers = "NOT-A-CIPHER";
	CHECK(refused(&c, "ciphers 'NOT-A-CIPHER'"), "cipher list");
	c = good_conf();
	c.ciphersuites = "TLS_NOPE";
	CHECK(refused(&c, "ciphersuites 'TLS_NOPE'"), "TLS 1.3 suites");
	c = good_conf();
	c.chain = path("root.pem");
	CHECK(refused(&c, "does not contain the certificate's issuer"), "chain without the issuer");
	c = good_conf();
	c.certificate = path("missing.pem");
	CHECK(refused(&c, "No such file or directory"), "missing file");
	c = good_conf();
	c.ca_file = NULL;
	c.mutual = true;
	CHECK(refused(&c, "mutual TLS needs trusted roots"), "mutual without roots");
	c = good_conf();
	c.private_key = NULL;
	CHECK(refused(&c, "needs a certificate and a private key"), "no key");
}

static void reload_keeps_old_on_failure(void)
{
	struct tls_slot slot = { 0 };
	struct tls_ctx_conf c = good_conf();
	char err[TLS_ERR_MAX] = "";
	struct tls_ctx *before;

	CHECK(tls_slot_reload(&slot, &c, err, sizeof(err)) == 0, "first load: %s", err);
	before = slot.cur;
	c.private_key = path("other.pem");
	CHECK(tls_slot_reload(&slot, &c, err, sizeof(err)) == -1, "broken reload accepted");
	CHECK(strstr(err, "does not match certificate") != NULL, "why: %s", err);
	CHECK(slot.cur == before, "old context replaced");
	CHECK(before->refs == 1, "refs %d", before->refs);
	tls_slot_clear(&slot);
	CHECK(slot.cur == NULL, "cleared");
}

/* Drives both ends over a socketpair; returns 1 if both completed. */
static int handshake(SSL *srv, SSL *cli, int *srv_rc, int *cli_rc)
{
	int i, s = 0, c = 0;

	for (i = 0; i < 200 && (s != 1 || c != 1); i++) {
		if (c != 1) {
			c = SSL_do_handshake(cli);
			if (c <= 0 && SSL_get_error(cli, c) != SSL_ERROR_WANT_READ &&
			    SSL_get_error(cli, c) != SSL_ERROR_WANT_WRITE)
				break;
		}
		if (s != 1) {
			s = SSL_do_handshake(srv);
			if (s <= 0 && SSL_get_error(srv, s) != SSL_ERROR_WANT_READ &&
			    SSL_get_error(srv, s) != SSL_ERROR_WANT_WRITE)
				break;
		}
	}
	ERR_clear_error();
	*srv_rc = s;
	*cli_rc = c;
	return s == 1 && c == 1;
}

struct pair {
	int fd[2];
	SSL *srv, *cli;
};

static bool pair_open(struct pair *p, struct tls_ctx *s, struct tls_ctx *c,
		      const char *domain)
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, p->fd))
		return false;
	p->srv = tls_ctx_new_ssl(s, p->fd[0], true, NULL);
	p->cli = tls_ctx_new_ssl(c, p->fd[1], false, domain);
	return p->srv && p->cli;
}

static void pair_close(struct pair *p)
{
	SSL_free(p->srv);
	SSL_free(p->cli);
	close(p->fd[0]);
	close(p->fd[1]);
}

static void handshake_verifies_sip_domain(void)
{
	struct tls_ctx_conf sc = good_conf(), cc = good_conf();
	char err[TLS_ERR_MAX] = "";
	struct tls_ctx *s, *c;
	struct pair p;
	int sr, cr;

	cc.verify_peer = true;
	s = tls_ctx_build(&sc, err, sizeof(err));
	c = tls_ctx_build(&cc, err, sizeof(err));
	CHECK(s && c, "build: %s", err);
	if (!s || !c)
		goto out;
	CHECK(pair_open(&p, s, c, "sbc.example.test"), "pair");
	CHECK(handshake(p.srv, p.cli, &sr, &cr), "handshake %d %d", sr, cr);
	CHECK(SSL_get_verify_result(p.cli) == X509_V_OK, "verified");
	pair_close(&p);
	CHECK(pair_open(&p, s, c, "other.example.test"), "pair");
	CHECK(!handshake(p.srv, p.cli, &sr, &cr), "a server without the SIP domain accepted");
	CHECK(SSL_get_verify_result(p.cli) == X509_V_ERR_HOSTNAME_MISMATCH,
	      "verify result %ld", SSL_get_verify_result(p.cli));
	pair_close(&p);
out:
	tls_ctx_put(s);
	tls_ctx_put(c);
}

static void handshake_refuses_untrusted_server(void)
{
	struct tls_ctx_conf sc = good_conf(), cc = good_conf();
	char err[TLS_ERR_MAX] = "";
	struct tls_ctx *s, *c;
	struct pair p;
	int sr, cr;

	cc.verify_peer = true;
	cc.ca_file = path("cert2.pem");	/* trusts something unrelated */
	s = tls_ctx_build(&sc, err, sizeof(err));
	c = tls_ctx_build(&cc, err, sizeof(err));
	CHECK(s && c, "build: %s", err);
	if (s && c) {
		CHECK(pair_open(&p, s, c, "sbc.example.test"), "pair");
		CHECK(!handshake(p.srv, p.cli, &sr, &cr), "untrusted server accepted");
		CHECK(SSL_get_verify_result(p.cli) == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
		      "verify result %ld", SSL_get_verify_result(p.cli));
		pair_close(&p);
	}
	tls_ctx_put(s);
	tls_ctx_put(c);
}

static void mutual_tls_requires_client_cert(void)
{
	struct tls_ctx_conf sc = good_conf(), cc = good_conf();
	char err[TLS_ERR_MAX] = "";
	struct tls_ctx *s, *c, *anon;
	SSL_CTX *bare;
	struct pair p;
	int sr, cr;

	sc.mutual = true;
	s = tls_ctx_build(&sc, err, sizeof(err));
	c = tls_ctx_build(&cc, err, sizeof(err));
	CHECK(s && c, "build: %s", err);
	if (!s || !c)
		goto out;
	CHECK(pair_open(&p, s, c, NULL), "pair");
	CHECK(handshake(p.srv, p.cli, &sr, &cr), "client with a certificate refused %d %d", sr, cr);
	pair_close(&p);
	/* A client context without certificate: a bare SSL_CTX wrapped in a tls_ctx. */
	anon = calloc(1, sizeof(*anon));
	bare = SSL_CTX_new(TLS_client_method());
	anon->refs = 1;
	anon->client = bare;
	anon->server = SSL_CTX_new(TLS_server_method());
	CHECK(pair_open(&p, s, anon, NULL), "pair");
	handshake(p.srv, p.cli, &sr, &cr);
	CHECK(sr != 1, "server accepted a client without certificate");
	pair_close(&p);
	tls_ctx_put(anon);
out:
	tls_ctx_put(s);
	tls_ctx_put(c);
}

static void mutual_tls_peer_names(void)
{
	struct tls_ctx_conf sc = good_conf(), cc = good_conf();
	char err[TLS_ERR_MAX] = "";
	struct tls_ctx *s, *c;
	struct pair p;
	int sr, cr;

	/* The client presents cert.pem: sbc.example.test. */
	sc.mutual = true;
	sc.mutual_peers = "trunk.example.test,sbc.example.test";
	s = tls_ctx_build(&sc, err, sizeof(err));
	c = tls_ctx_build(&cc, err, sizeof(err));
	CHECK(s && c, "build: %s", err);
	if (s && c) {
		CHECK(pair_open(&p, s, c, NULL), "pair");
		CHECK(handshake(p.srv, p.cli, &sr, &cr), "listed peer refused %d %d", sr, cr);
		pair_close(&p);
	}
	tls_ctx_put(s);
	sc.mutual_peers = "trunk.example.test";
	s = tls_ctx_build(&sc, err, sizeof(err));
	if (s && c) {
		CHECK(pair_open(&p, s, c, NULL), "pair");
		handshake(p.srv, p.cli, &sr, &cr);
		CHECK(sr != 1, "unlisted peer accepted");
		CHECK(SSL_get_verify_result(p.srv) == X509_V_ERR_HOSTNAME_MISMATCH,
		      "verify result %ld", SSL_get_verify_result(p.srv));
		pair_close(&p);
	}
	tls_ctx_put(s);
	tls_ctx_put(c);
}

/* An OCSP response about cert.pem signed by its issuer, written to @name. */
static void write_ocsp(const char *name, X509 *cert, int status)
{
	OCSP_CERTID *id = OCSP_cert_to_id(NULL, cert, inter);
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	ASN1_TIME *now = X509_gmtime_adj(NULL, -60), *next = X509_gmtime_adj(NULL, 3600);
	ASN1_TIME *rev = X509_gmtime_adj(NULL, -120);
	OCSP_RESPONSE *r;
	unsigned char *der = NULL;
	int len;
	FILE *f;

	OCSP_basic_add1_status(bs, id, status,
			       status == V_OCSP_CERTSTATUS_REVOKED ? OCSP_REVOKED_STATUS_KEYCOMPROMISE : 0,
			       status == V_OCSP_CERTSTATUS_REVOKED ? rev : NULL, now, next);
	OCSP_basic_sign(bs, inter, inter_key, EVP_sha256(), NULL, 0);
	r = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	len = i2d_OCSP_RESPONSE(r, &der);
	f = fopen(path(name), "wb");
	fwrite(der, 1, len > 0 ? (size_t)len : 0, f);
	fclose(f);
	OPENSSL_free(der);
	OCSP_RESPONSE_free(r);
	OCSP_BASICRESP_free(bs);
	OCSP_CERTID_free(id);
	ASN1_TIME_free(now);
	ASN1_TIME_free(next);
	ASN1_TIME_free(rev);
}

/*
 * Handshake of a client checking OCSP (and requiring it with @require)
 * against a server stapling @resp: 1 completed, 0 refused, -1 not built.
 */
static int ocsp_handshake(const char *resp, bool require)
{
	struct tls_ctx_conf sc = good_conf(), cc = good_conf();
	char err[TLS_ERR_MAX] = "";
	struct tls_ctx *s, *c;
	struct pair p;
	int ok = -1, sr, cr;

	sc.ocsp_response = resp ? path(resp) : NULL;
	cc.verify_peer = true;
	cc.ocsp_check = true;
	cc.ocsp_require = require;
	s = tls_ctx_build(&sc, err, sizeof(err));
	c = tls_ctx_build(&cc, err, sizeof(err));
	if (!s || !c)
		printf("    build: %s\n", err);
	else if (pair_open(&p, s, c, "sbc.example.test")) {
		ok = handshake(p.srv, p.cli, &sr, &cr);
		if (!ok && SSL_get_verify_result(p.cli) != X509_V_OK)
			ok = -1;	/* refused for another reason than OCSP */
		pair_close(&p);
	}
	tls_ctx_put(s);
	tls_ctx_put(c);
	return ok;
}

static void ocsp_stapling_checked(void)
{
	FILE *f = fopen(path("cert.pem"), "r");
	X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);

	fclose(f);
	write_ocsp("good.der", cert, V_OCSP_CERTSTATUS_GOOD);
	write_ocsp("revoked.der", cert, V_OCSP_CERTSTATUS_REVOKED);
	CHECK(ocsp_handshake("good.der", true) == 1, "a good staple refused");
	CHECK(ocsp_handshake("revoked.der", false) == 0, "a revoked certificate accepted");
	CHECK(ocsp_handshake(NULL, false) == 1, "no staple refused without ocsp_require");
	CHECK(ocsp_handshake(NULL, true) == 0, "no staple accepted with ocsp_require");
	X509_free(cert);
}

static void reload_swaps_while_ssl_holds_old(void)
{
	struct tls_slot slot = { 0 };
	struct tls_ctx_conf c = good_conf(), cc = good_conf();
	char err[TLS_ERR_MAX] = "", fp_old[96];
	struct tls_ctx *cur, *old, *cli;
	struct pair p, q;
	int sr, cr;

	CHECK(tls_slot_reload(&slot, &c, err, sizeof(err)) == 0, "%s", err);
	cli = tls_ctx_build(&cc, err, sizeof(err));
	cur = tls_slot_get(&slot);
	old = cur;
	snprintf(fp_old, sizeof(fp_old), "%s", old->sha256);
	pair_open(&p, cur, cli, NULL);
	tls_ctx_put(cur);
	CHECK(handshake(p.srv, p.cli, &sr, &cr), "first handshake");
	CHECK(old->refs == 2, "slot + SSL: %d", old->refs);
	c.certificate = path("cert2.pem");
	CHECK(tls_slot_reload(&slot, &c, err, sizeof(err)) == 0, "reload: %s", err);
	CHECK(slot.cur != old, "swapped");
	CHECK(old->refs == 1, "the open SSL keeps the old context: %d", old->refs);
	CHECK(strcmp(slot.cur->sha256, fp_old), "new certificate");
	/* The open connection still carries data. */
	CHECK(SSL_write(p.cli, "ping", 4) == 4, "write on the old connection");
	{
		char buf[8];
		int n = SSL_read(p.srv, buf, sizeof(buf));

		CHECK(n == 4 && !memcmp(buf, "ping", 4), "read %d", n);
	}
	cur = tls_slot_get(&slot);
	pair_open(&q, cur, cli, NULL);
	tls_ctx_put(cur);
	CHECK(handshake(q.srv, q.cli, &sr, &cr), "new handshake");
	{
		X509 *peer = SSL_get0_peer_certificate(q.cli);
		char fp[96] = "";

		if (peer)
			tls_fingerprint(peer, EVP_sha256(), fp, sizeof(fp));
		CHECK(!strcmp(fp, slot.cur->sha256), "new connection sees the new certificate");
	}
	pair_close(&q);
	pair_close(&p);		/* frees the old context: ASan sees a leak or UAF otherwise */
	tls_slot_clear(&slot);
	tls_ctx_put(cli);
}

static void read_certs_any_format(void)
{
	STACK_OF(X509) *s = sk_X509_new_null();
	char err[TLS_ERR_MAX] = "";
	X509 *l = leaf("sbc.example.test", "DNS:sbc.example.test");
	FILE *f;
	PKCS7 *p7;
	STACK_OF(X509) *in = sk_X509_new_null();

	f = fopen(path("bundle.pem"), "w");
	PEM_write_X509(f, l);
	PEM_write_X509(f, inter);
	PEM_write_X509(f, root);
	fclose(f);
	CHECK(tls_read_certs(path("bundle.pem"), s, err, sizeof(err)) == 3, "PEM bundle: %s", err);
	f = fopen(path("cert.der"), "wb");
	i2d_X509_fp(f, l);
	fclose(f);
	CHECK(tls_read_certs(path("cert.der"), s, err, sizeof(err)) == 1, "DER: %s", err);
	sk_X509_push(in, l);
	sk_X509_push(in, inter);
	p7 = PKCS7_new();
	PKCS7_set_type(p7, NID_pkcs7_signed);
	PKCS7_content_new(p7, NID_pkcs7_data);
	PKCS7_add_certificate(p7, l);
	PKCS7_add_certificate(p7, inter);
	f = fopen(path("bundle.p7b"), "wb");
	i2d_PKCS7_fp(f, p7);
	fclose(f);
	PKCS7_free(p7);
	CHECK(tls_read_certs(path("bundle.p7b"), s, err, sizeof(err)) == 2, "PKCS#7 DER: %s", err);
	CHECK(tls_read_certs(path("key.pem"), s, err, sizeof(err)) == -1, "a key is no certificate");
	CHECK(strstr(err, "no certificate in it") != NULL, "why: %s", err);
	sk_X509_free(in);
	sk_X509_pop_free(s, X509_free);
	X509_free(l);
}

static void verify_chain_names_missing_intermediate(void)
{
	char err[TLS_ERR_MAX] = "";
	X509_STORE *store = tls_store_new(path("root.pem"), NULL, err, sizeof(err));
	STACK_OF(X509) *untrusted = sk_X509_new_null(), *chain = NULL;
	X509 *l = leaf("sbc.example.test", "DNS:sbc.example.test");

	CHECK(store, "store: %s", err);
	CHECK(!tls_verify_chain(l, untrusted, store, NULL, err, sizeof(err)), "verified without intermediate");
	CHECK(strstr(err, "intermediate CA certificate is missing") != NULL, "why: %s", err);
	sk_X509_push(untrusted, inter);
	CHECK(tls_verify_chain(l, untrusted, store, &chain, err, sizeof(err)), "with it: %s", err);
	CHECK(chain && sk_X509_num(chain) == 3, "leaf, intermediate, root");
	if (chain)
		sk_X509_pop_free(chain, X509_free);
	sk_X509_free(untrusted);
	X509_STORE_free(store);
	X509_free(l);
}

int main(void)
{
	setup();
	RUN(sip_domain_san_dns_only, "SAN dNSName matched exactly, CN ignored beside it");
	RUN(sip_domain_cn_without_san, "CN used only without SAN DNS/URI (RFC 5922 7.1)");
	RUN(sip_domain_wildcard_never_matches, "wildcards never match a SIP domain (RFC 5922 7.2)");
	RUN(own_name_rfc6125, "our fqdn against our certificate: RFC 6125 wildcards, one label");
	RUN(sip_domain_sip_uri, "SAN sip: URI host is an identity, with a user part not");
	RUN(sip_domain_ip_literal, "an address literal matches an iPAddress entry");
	RUN(build_good_context, "a complete context builds with a TLS 1.2 floor");
	RUN(build_fullchain_as_chain_sends_leaf_once, "fullchain.pem works as certificate or chain");
	RUN(build_refusals_say_why, "each broken context is refused with its reason");
	RUN(reload_keeps_old_on_failure, "a broken reload keeps the old context");
	RUN(reload_swaps_while_ssl_holds_old, "reload swaps; the open connection keeps its context");
	RUN(handshake_verifies_sip_domain, "client refuses a server without the SIP domain");
	RUN(handshake_refuses_untrusted_server, "client refuses an untrusted chain");
	RUN(mutual_tls_requires_client_cert, "mutual TLS refuses a client without certificate");
	RUN(mutual_tls_peer_names, "mutual TLS admits only the listed peer names");
	RUN(ocsp_stapling_checked, "stapled OCSP: good passes, revoked and missing (when required) fail");
	RUN(read_certs_any_format, "PEM bundle, DER and PKCS#7 read alike");
	RUN(verify_chain_names_missing_intermediate, "chain check names the missing intermediate");
	teardown();
	return testing_summary();
}
