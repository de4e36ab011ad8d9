// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl tls show|verify: what an installed context will present, and
 * what a SIP TLS peer presents and whether we would accept it. Both print a
 * certificate the same way: subject, SIP identities (RFC 5922 7.1), issuer,
 * validity with a warning under EXPIRY_WARN_DAYS days, key, EKU and
 * fingerprints (SHA-256 is what Teams/SBC admin pages show; SHA-1 what
 * older Windows dialogs show).
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "json.h"
#include "subcommands.h"
#include "tls.h"
#include "tls/tls_context.h"

#define EXPIRY_WARN_DAYS 30

static const char show_usage[] = "[-j] tls show [-d DIR] NAME | tls show [--ca-file FILE] CERTFILE";
static const char verify_usage[] =
	"[-j] tls verify [-d DIR] [--context NAME] [--ca-file FILE] [--ca-dir DIR]\n"
	"        [--domain SIPDOMAIN] [--timeout SECONDS] HOST[:PORT]";

/* What is wrong with a certificate, for the exit status. */
struct verdict {
	bool expired, expiring, broken;
};

static void print_cert(struct json *j, const char *label, X509 *x, bool leaf,
		       struct verdict *v)
{
	char subj[512], iss[512], ids[1024], eku[256], key[64];
	char nb_s[40], na_s[40], sha256[100], sha1[64];
	time_t nb = 0, na = 0, now = time(NULL);
	long days;
	EVP_PKEY *pk = X509_get0_pubkey(x);

	tls_name_oneline(X509_get_subject_name(x), subj, sizeof(subj));
	tls_name_oneline(X509_get_issuer_name(x), iss, sizeof(iss));
	tls_sip_identities(x, ids, sizeof(ids));
	tls_eku_desc(x, eku, sizeof(eku));
	if (pk)
		tls_key_desc(pk, key, sizeof(key));
	else
		snprintf(key, sizeof(key), "?");
	tls_asn1_time(X509_get0_notBefore(x), &nb);
	tls_asn1_time(X509_get0_notAfter(x), &na);
	tls_format_time(nb, nb_s, sizeof(nb_s));
	tls_format_time(na, na_s, sizeof(na_s));
	tls_fingerprint(x, EVP_sha256(), sha256, sizeof(sha256));
	tls_fingerprint(x, EVP_sha1(), sha1, sizeof(sha1));
	days = (long)((na - now) / 86400);
	if (now > na || now < nb)
		v->expired = true;
	else if (days < EXPIRY_WARN_DAYS)
		v->expiring = true;
	if (j) {
		json_object_open(j, NULL);
		json_string(j, "role", label);
		json_string(j, "subject", subj);
		json_string(j, "issuer", iss);
		if (leaf)
			json_string(j, "sip_identities", ids);
		json_string(j, "not_before", nb_s);
		json_string(j, "not_after", na_s);
		json_bool(j, "expired", now > na || now < nb);
		json_u64(j, "days_left", now > na ? 0 : (uint64_t)days);
		json_string(j, "key", key);
		if (leaf)
			json_string(j, "extended_key_usage", eku);
		json_string(j, "sha256", sha256);
		json_string(j, "sha1", sha1);
		json_object_close(j);
		return;
	}
	printf("%s: %s\n", label, subj);
	if (leaf)
		printf("  SIP identities: %s\n", ids[0] ? ids : "(none)");
	printf("  issuer: %s\n", iss);
	printf("  valid: %s to %s", nb_s, na_s);
	if (now < nb)
		printf(" -- NOT YET VALID\n");
	else if (now > na)
		printf(" -- EXPIRED\n");
	else if (days < EXPIRY_WARN_DAYS)
		printf(" -- WARNING: expires in %ld day%s, renew now\n", days,
		       days == 1 ? "" : "s");
	else
		printf(" (%ld days left)\n", days);
	printf("  key: %s\n", key);
	if (leaf)
		printf("  extended key usage: %s\n", eku[0] ? eku : "(any)");
	printf("  SHA-256: %s\n", sha256);
	printf("  SHA-1: %s\n", sha1);
}

static int show_file_set(const char *name, const char *cert, const char *chain_path,
			 const char *root_path, const char *key_path)
{
	STACK_OF(X509) *certs = sk_X509_new_null(), *extra = sk_X509_new_null();
	STACK_OF(X509) *verified = NULL;
	struct verdict v = { 0 };
	char err[TLS_ERR_MAX], label[32];
	struct json json, *j = NULL;
	X509_STORE *store = NULL;
	EVP_PKEY *key = NULL;
	bool chain_ok, key_ok = true;
	int i, rc = EXIT_FAIL;

	if (!certs || !extra)
		goto out;
	if (tls_read_certs(cert, certs, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: tls show %s: %s\n", PROG_NAME, name, err);
		goto out;
	}
	if (chain_path && !access(chain_path, R_OK) &&
	    tls_read_certs(chain_path, certs, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: tls show %s: %s\n", PROG_NAME, name, err);
		goto out;
	}
	/* Trust: the context's root.pem if any, else the system store. */
	store = tls_store_new(root_path && !access(root_path, R_OK) ? root_path : NULL,
			      NULL, err, sizeof(err));
	if (!store) {
		fprintf(stderr, "%s: tls show %s: %s\n", PROG_NAME, name, err);
		goto out;
	}
	for (i = 1; i < sk_X509_num(certs); i++)
		sk_X509_push(extra, sk_X509_value(certs, i));
	chain_ok = tls_verify_chain(sk_X509_value(certs, 0), extra, store, &verified,
				    err, sizeof(err));
	if (key_path && !access(key_path, R_OK)) {
		char kerr[TLS_ERR_MAX];

		key = tls_read_key(key_path, kerr, sizeof(kerr));
		key_ok = key && X509_check_private_key(sk_X509_value(certs, 0), key) == 1;
		ERR_clear_error();
	}
	if (json_output) {
		j = &json;
		json_init(j, stdout);
		json_object_open(j, NULL);
		json_string(j, "context", name);
		json_string(j, "certificate", cert);
		json_array_open(j, "chain");
	} else {
		printf("context: %s\ncertificate: %s\n", name, cert);
	}
	for (i = 0; i < sk_X509_num(verified ? verified : certs); i++) {
		X509 *x = sk_X509_value(verified ? verified : certs, i);
		bool root = verified && i == sk_X509_num(verified) - 1;

		if (i == 0)
			snprintf(label, sizeof(label), "certificate");
		else
			snprintf(label, sizeof(label), root ? "root" : "intermediate %d", i);
		print_cert(j, label, x, i == 0, &v);
	}
	if (j) {
		json_array_close(j);
		json_bool(j, "chain_verified", chain_ok);
		if (!chain_ok)
			json_string(j, "chain_error", err);
		if (key)
			json_bool(j, "key_matches", key_ok);
		json_bool(j, "expiring", v.expiring);
		json_object_close(j);
		json_end(j);
	} else {
		printf("chain: %s\n", chain_ok ? "verifies to the root" : err);
		if (key)
			printf("private key %s: %s\n", key_path,
			       key_ok ? "matches" : "DOES NOT MATCH the certificate");
	}
	if (v.expiring)
		fprintf(stderr, "%s: tls show %s: warning: a certificate expires in under %d days\n",
			PROG_NAME, name, EXPIRY_WARN_DAYS);
	rc = chain_ok && key_ok && !v.expired ? EXIT_OK : EXIT_FAIL;
out:
	if (verified)
		sk_X509_pop_free(verified, X509_free);
	EVP_PKEY_free(key);
	X509_STORE_free(store);
	sk_X509_free(extra);
	sk_X509_pop_free(certs, X509_free);
	return rc;
}

int tls_show_main(int argc, char *argv[])
{
	const char *dir = NULL, *name = NULL, *ca_file = NULL;
	char cert[4096], chain[4096], root[4096], key[4096];
	int i;

	for (i = 1; i < argc; i++) {
		if (is_help(argv[i]))
			return usage_help(show_usage);
		if (!strcmp(argv[i], "-d") || !strcmp(argv[i], "--dir")) {
			if (++i == argc)
				return usage_error(show_usage, "tls show: -d needs a directory");
			dir = argv[i];
		} else if (!strcmp(argv[i], "--ca-file")) {
			if (++i == argc)
				return usage_error(show_usage, "tls show: --ca-file needs a file");
			ca_file = argv[i];
		} else if (!name) {
			name = argv[i];
		} else {
			return usage_error(show_usage, "tls show: unexpected argument '%s'", argv[i]);
		}
	}
	if (!name)
		return usage_error(show_usage, "tls show: which TLS context (NAME) or certificate file?");
	if (strchr(name, '/'))
		return show_file_set(name, name, NULL, ca_file, NULL);
	if (ca_file)
		return usage_error(show_usage, "tls show: --ca-file is for a certificate file; a context verifies to its root.pem");
	if (!tls_context_name_ok(name))
		return usage_error(show_usage, "tls show: context name '%s': use letters, digits, '.', '_', '-'",
				   name);
	dir = tls_dir(dir);
	tls_context_path(cert, sizeof(cert), dir, name, "cert.pem");
	tls_context_path(chain, sizeof(chain), dir, name, "chain.pem");
	tls_context_path(root, sizeof(root), dir, name, "root.pem");
	tls_context_path(key, sizeof(key), dir, name, "key.pem");
	if (access(cert, R_OK)) {
		fprintf(stderr, "%s: tls show %s: %s: %s (nothing imported yet? see tls csr and tls import)\n",
			PROG_NAME, name, cert, strerror(errno));
		return EXIT_FAIL;
	}
	return show_file_set(name, cert, chain, root, key);
}

/* ---- verify ---- */

static int connect_to(const char *host, const char *port, int timeout_s)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	struct timeval tv = { .tv_sec = timeout_s };
	int fd = -1, e;

	e = getaddrinfo(host, port, &hints, &res);
	if (e) {
		fprintf(stderr, "%s: tls verify: %s: %s\n", PROG_NAME, host, gai_strerror(e));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
			break;
		e = errno;
		close(fd);
		fd = -1;
		errno = e;
	}
	if (fd < 0)
		fprintf(stderr, "%s: tls verify: connect %s port %s: %s\n", PROG_NAME, host,
			port, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

/* "host", "host:port", "[v6]:port", "v6"; port defaults to 5061 (RFC 3261 26.2). */
static bool split_target(char *arg, char **host, char **port)
{
	char *c;

	*port = "5061";
	if (arg[0] == '[') {
		c = strchr(arg, ']');
		if (!c || (c[1] && c[1] != ':'))
			return false;
		*c = '\0';
		*host = arg + 1;
		if (c[1])
			*port = c + 2;
	} else {
		c = strchr(arg, ':');
		*host = arg;
		if (c && !strchr(c + 1, ':')) {
			*c = '\0';
			*port = c + 1;
		}
	}
	return (*host)[0] && (*port)[0];
}

int tls_verify_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "context", required_argument, NULL, 'x' },
		{ "ca-file", required_argument, NULL, 'A' },
		{ "ca-dir", required_argument, NULL, 'D' },
		{ "domain", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *context = NULL, *ca_file = NULL, *ca_dir = NULL;
	const char *domain = NULL;
	char *target = NULL, *host, *port, *end;
	char err[TLS_ERR_MAX], ctx_err[TLS_ERR_MAX], ids[1024];
	char cert[4096], key[4096], chain[4096];
	struct json json, *j = NULL;
	struct tls_ctx *tctx = NULL;
	SSL_CTX *plain = NULL;
	X509_STORE *store = NULL;
	STACK_OF(X509) *peer_chain, *verified = NULL, *untrusted = NULL;
	struct verdict v = { 0 };
	long timeout = 10;
	SSL *ssl = NULL;
	X509 *leaf;
	bool chain_ok = false, name_ok = false;
	char ocsp[TLS_ERR_MAX];
	int opt, fd = -1, rc = EXIT_FAIL, i, ocsp_rc;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+d:h", opts, NULL)) != -1 || optind < argc) {
		switch (opt) {
		case -1:
			if (target)
				return usage_error(verify_usage, "tls verify: unexpected argument '%s'",
						   argv[optind]);
			target = argv[optind++];
			break;
		case 'd': dir = optarg; break;
		case 'x': context = optarg; break;
		case 'A': ca_file = optarg; break;
		case 'D': ca_dir = optarg; break;
		case 'n': domain = optarg; break;
		case 't':
			timeout = strtol(optarg, &end, 10);
			if (*end || timeout < 1 || timeout > 300)
				return usage_error(verify_usage, "tls verify: --timeout '%s': 1 to 300 seconds",
						   optarg);
			break;
		case 'h': return usage_help(verify_usage);
		default:
			return usage_error(verify_usage, "tls verify: unknown option or missing value '%s'",
					   argv[optind - 1]);
		}
	}
	if (!target || !split_target(target, &host, &port))
		return usage_error(verify_usage, "tls verify: HOST[:PORT] of the SIP TLS peer");
	if (context && !tls_context_name_ok(context))
		return usage_error(verify_usage, "tls verify: context name '%s': use letters, digits, '.', '_', '-'",
				   context);
	if (!domain)
		domain = host;

	/* We check everything ourselves after the handshake, to report it all. */
	if (context) {
		struct tls_ctx_conf conf = { .name = context };

		dir = tls_dir(dir);
		tls_context_path(cert, sizeof(cert), dir, context, "cert.pem");
		tls_context_path(key, sizeof(key), dir, context, "key.pem");
		tls_context_path(chain, sizeof(chain), dir, context, "chain.pem");
		conf.certificate = cert;
		conf.private_key = key;
		conf.chain = access(chain, R_OK) ? NULL : chain;
		tctx = tls_ctx_build(&conf, ctx_err, sizeof(ctx_err));
		if (!tctx) {
			fprintf(stderr, "%s: tls verify: %s\n", PROG_NAME, ctx_err);
			return EXIT_FAIL;
		}
	} else {
		plain = SSL_CTX_new(TLS_client_method());
		if (!plain || !SSL_CTX_set_min_proto_version(plain, TLS1_2_VERSION))
			goto out;
	}
	store = tls_store_new(ca_file, ca_dir, err, sizeof(err));
	if (!store) {
		fprintf(stderr, "%s: tls verify: %s\n", PROG_NAME, err);
		goto out;
	}
	/* The stapled OCSP response is checked against the same roots. */
	SSL_CTX_set1_cert_store(tctx ? tctx->client : plain, store);
	fd = connect_to(host, port, (int)timeout);
	if (fd < 0)
		goto out;
	ssl = tctx ? tls_ctx_new_ssl(tctx, fd, false, NULL) : SSL_new(plain);
	if (!ssl || (!tctx && !SSL_set_fd(ssl, fd)))
		goto out;
	if (!strchr(host, ':') && strspn(host, "0123456789.") != strlen(host))
		SSL_set_tlsext_host_name(ssl, host);
	SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp);
	if (SSL_connect(ssl) != 1) {
		unsigned long e = ERR_peek_last_error();

		fprintf(stderr, "%s: tls verify: handshake with %s:%s failed: %s\n", PROG_NAME,
			host, port, e ? ERR_reason_error_string(e) : "connection closed");
		goto out;
	}
	peer_chain = SSL_get_peer_cert_chain(ssl);
	leaf = SSL_get0_peer_certificate(ssl);
	if (!leaf) {
		fprintf(stderr, "%s: tls verify: %s:%s sent no certificate\n", PROG_NAME, host, port);
		goto out;
	}
	untrusted = sk_X509_new_null();
	for (i = 1; untrusted && peer_chain && i < sk_X509_num(peer_chain); i++)
		sk_X509_push(untrusted, sk_X509_value(peer_chain, i));
	chain_ok = tls_verify_chain(leaf, untrusted, store, &verified, err, sizeof(err));
	ocsp_rc = tls_ocsp_check(ssl, ocsp, sizeof(ocsp));
	name_ok = tls_sip_domain_match(leaf, domain);
	tls_sip_identities(leaf, ids, sizeof(ids));
	if (json_output) {
		j = &json;
		json_init(j, stdout);
		json_object_open(j, NULL);
		json_string(j, "peer", target);
		json_string(j, "protocol", SSL_get_version(ssl));
		json_string(j, "cipher", SSL_get_cipher_name(ssl));
		json_string(j, "ocsp", ocsp);
		json_bool(j, "ocsp_ok", ocsp_rc != 0);
		json_array_open(j, "chain");
	} else {
		printf("peer: %s:%s, %s, %s\n", host, port, SSL_get_version(ssl),
		       SSL_get_cipher_name(ssl));
	}
	/* The chain as the peer sent it: what a peer without our store sees. */
	for (i = 0; peer_chain && i < sk_X509_num(peer_chain); i++) {
		char label[32];

		snprintf(label, sizeof(label), i ? "sent %d" : "certificate", i);
		print_cert(j, label, sk_X509_value(peer_chain, i), i == 0, &v);
	}
	if (verified && sk_X509_num(verified) > (peer_chain ? sk_X509_num(peer_chain) : 1))
		print_cert(j, "root (from our trust store)",
			   sk_X509_value(verified, sk_X509_num(verified) - 1), false, &v);
	if (j) {
		json_array_close(j);
		json_bool(j, "chain_verified", chain_ok);
		if (!chain_ok)
			json_string(j, "chain_error", err);
		json_string(j, "sip_domain", domain);
		json_bool(j, "sip_domain_match", name_ok);
		json_object_close(j);
		json_end(j);
	} else {
		printf("chain: %s\n", chain_ok ? "verifies to a trusted root" : err);
		printf("SIP domain %s: %s\n", domain, name_ok ? "matches (RFC 5922)" : "DOES NOT MATCH");
		printf("revocation: %s\n", ocsp);
	}
	if (!name_ok)
		fprintf(stderr, "%s: tls verify: certificate does not carry SIP domain %s (RFC 5922: SAN DNS/URI, CN only without them, no wildcards); it names: %s\n",
			PROG_NAME, domain, ids[0] ? ids : "nothing");
	if (!chain_ok)
		fprintf(stderr, "%s: tls verify: %s\n", PROG_NAME, err);
	if (!ocsp_rc)
		fprintf(stderr, "%s: tls verify: %s\n", PROG_NAME, ocsp);
	rc = chain_ok && name_ok && ocsp_rc != 0 ? EXIT_OK : EXIT_FAIL;
out:
	ERR_clear_error();
	if (ssl) {
		SSL_shutdown(ssl);
		SSL_free(ssl);
	}
	if (fd >= 0)
		close(fd);
	if (verified)
		sk_X509_pop_free(verified, X509_free);
	sk_X509_free(untrusted);
	X509_STORE_free(store);
	SSL_CTX_free(plain);
	tls_ctx_put(tctx);
	return rc;
}
