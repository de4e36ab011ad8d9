// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl tls import: installs a CA's answer into a TLS context after
 * checking it the way the peers will. CAs answer in every form (a PEM bundle,
 * a DER .cer, a PKCS#7 .p7b from Microsoft AD CS, separate intermediate and
 * root files, in any order), so the files are pooled and sorted here: the
 * certificate of our key is the device certificate, self-signed ones are
 * roots, the rest intermediates. Every failed check prints one line; nothing
 * is installed unless all pass.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "json.h"
#include "subcommands.h"
#include "tls.h"
#include "tls/tls_context.h"

#define MAX_FILES 16
#define MAX_HOSTS 32

static const char import_usage[] =
	"[-j] tls import [-d DIR] NAME FILE... [--key KEYFILE] [--host FQDN]...\n"
	"        [--ca-file FILE] [--ca-dir DIR] [--force]";

struct import_req {
	const char *dir, *name, *key_file, *ca_file, *ca_dir;
	const char *files[MAX_FILES];
	int n_files;
	char *hosts[MAX_HOSTS];
	int n_hosts;
	bool force;
};

static int failures;

static void fail(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: tls import %s: ", PROG_NAME, name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures++;
}

static void add_host(struct import_req *r, const char *h, size_t len)
{
	int i;

	for (i = 0; i < r->n_hosts; i++)
		if (strlen(r->hosts[i]) == len && !strncasecmp(r->hosts[i], h, len))
			return;
	if (r->n_hosts < MAX_HOSTS)
		r->hosts[r->n_hosts++] = strndup(h, len);
}

/* The DNS names the request asked for: what the certificate must carry. */
static void hosts_from_csr(struct import_req *r, const char *path)
{
	FILE *f = fopen(path, "r");
	X509_REQ *req = f ? PEM_read_X509_REQ(f, NULL, NULL, NULL) : NULL;
	STACK_OF(X509_EXTENSION) *exts = req ? X509_REQ_get_extensions(req) : NULL;
	int i, j;

	if (f)
		fclose(f);
	for (i = 0; exts && i < sk_X509_EXTENSION_num(exts); i++) {
		X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);
		GENERAL_NAMES *gens;

		if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) != NID_subject_alt_name)
			continue;
		gens = X509V3_EXT_d2i(e);
		for (j = 0; gens && j < sk_GENERAL_NAME_num(gens); j++) {
			const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, j);

			if (g->type == GEN_DNS)
				add_host(r, (const char *)ASN1_STRING_get0_data(g->d.dNSName),
					 (size_t)ASN1_STRING_length(g->d.dNSName));
		}
		GENERAL_NAMES_free(gens);
	}
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	X509_REQ_free(req);
	ERR_clear_error();
}

static int parse(int argc, char *argv[], struct import_req *r)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "host", required_argument, NULL, 'H' },
		{ "ca-file", required_argument, NULL, 'A' },
		{ "ca-dir", required_argument, NULL, 'D' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+d:h", opts, NULL)) != -1 ||
	       optind < argc) {
		switch (opt) {
		case -1:
			if (!r->name)
				r->name = argv[optind++];
			else if (r->n_files < MAX_FILES)
				r->files[r->n_files++] = argv[optind++];
			else
				return usage_error(import_usage, "tls import: at most %d files",
						   MAX_FILES);
			break;
		case 'd': r->dir = optarg; break;
		case 'k': r->key_file = optarg; break;
		case 'H': add_host(r, optarg, strlen(optarg)); break;
		case 'A': r->ca_file = optarg; break;
		case 'D': r->ca_dir = optarg; break;
		case 'f': r->force = true; break;
		case 'h': usage_help(import_usage); return -1;
		default:
			return usage_error(import_usage, "tls import: unknown option or missing value '%s'",
					   argv[optind - 1]);
		}
	}
	if (!r->name)
		return usage_error(import_usage, "tls import: which TLS context (NAME)?");
	if (!tls_context_name_ok(r->name))
		return usage_error(import_usage, "tls import: context name '%s': use letters, digits, '.', '_', '-'",
				   r->name);
	if (!r->n_files)
		return usage_error(import_usage, "tls import: no certificate file (the CA's answer)");
	return 0;
}

/* Key usage and extended key usage as a SIP TLS certificate needs them. */
static void check_usage(const char *name, X509 *leaf)
{
	uint32_t ku = X509_get_key_usage(leaf);
	uint32_t xku = X509_get_extended_key_usage(leaf);

	if (ku != UINT32_MAX && !(ku & KU_DIGITAL_SIGNATURE))
		fail(name, "key usage lacks digitalSignature (ECDHE key exchange and TLS 1.3 sign with the key)");
	if (X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) {
		if (!(xku & XKU_SSL_SERVER))
			fail(name, "extended key usage lacks serverAuth: peers refuse it on our listeners");
		if (!(xku & XKU_SSL_CLIENT))
			fail(name, "extended key usage lacks clientAuth: trunks with mutual TLS (Teams, Skype for Business) refuse it when we connect");
	}
	if (X509_get_extension_flags(leaf) & EXFLAG_CA)
		fail(name, "it is a CA certificate, not a device certificate");
}

/* Wildcards, then every requested name present (RFC 5922 7.1, 7.2). */
static void check_names(const struct import_req *r, X509 *leaf)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	char ids[1024];
	int i;

	for (i = 0; gens && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		char dns[256];

		if (g->type != GEN_DNS)
			continue;
		snprintf(dns, sizeof(dns), "%.*s", ASN1_STRING_length(g->d.dNSName),
			 (const char *)ASN1_STRING_get0_data(g->d.dNSName));
		if (tls_name_is_wildcard(dns) && !r->force)
			fail(r->name, "wildcard name %s: RFC 5922 section 7.2 forbids matching a SIP domain against it, so SIP peers will not accept it (--force to import anyway)",
			     dns);
	}
	GENERAL_NAMES_free(gens);
	if (!gens)
		fail(r->name, "no subjectAltName: SIP peers (RFC 5922 7.1) and browsers-grade TLS stacks want DNS names there");
	tls_sip_identities(leaf, ids, sizeof(ids));
	for (i = 0; i < r->n_hosts; i++)
		if (!tls_sip_domain_match(leaf, r->hosts[i]))
			fail(r->name, "subjectAltName lacks %s (the certificate names: %s)",
			     r->hosts[i], ids[0] ? ids : "nothing");
}

/*
 * A root that came with the files and is not in the system's store is a
 * private CA: fine for peers configured to trust it, refused by those that
 * trust only public CAs (Microsoft Teams Direct Routing among them).
 */
static void note_private_root(const char *name, X509 *leaf, STACK_OF(X509) *inter)
{
	char err[TLS_ERR_MAX];
	X509_STORE *sys = tls_store_new(NULL, NULL, err, sizeof(err));

	if (sys && !tls_verify_chain(leaf, inter, sys, NULL, err, sizeof(err)))
		fprintf(stderr, "%s: tls import %s: note: the root came with the files and is not in the system trust store; peers must be given root.pem (trunks that accept only public CAs, such as Teams Direct Routing, will refuse it)\n",
			PROG_NAME, name);
	X509_STORE_free(sys);
}

static bool is_self_signed(X509 *x)
{
	return X509_check_issued(x, x) == X509_V_OK;
}

int tls_import_main(int argc, char *argv[])
{
	struct import_req r = { 0 };
	STACK_OF(X509) *pool = sk_X509_new_null(), *inter = sk_X509_new_null();
	STACK_OF(X509) *chain = NULL;
	X509_STORE *store = NULL;
	EVP_PKEY *key = NULL;
	X509 *leaf = NULL;
	char key_path[4096], path[4096], err[TLS_ERR_MAX], when[40];
	time_t now = time(NULL), nb = 0, na = 0;
	int rc, i, n_roots_given = 0;

	failures = 0;
	rc = parse(argc, argv, &r);
	if (rc) {
		rc = rc < 0 ? EXIT_OK : rc;
		goto out;
	}
	rc = EXIT_FAIL;
	r.dir = tls_dir(r.dir);
	if (!pool || !inter)
		goto out;
	if (r.key_file)
		snprintf(key_path, sizeof(key_path), "%s", r.key_file);
	else
		tls_context_path(key_path, sizeof(key_path), r.dir, r.name, "key.pem");
	key = tls_read_key(key_path, err, sizeof(err));
	if (!key) {
		fail(r.name, "%s (run tls csr first, or pass --key)", err);
		goto out;
	}
	for (i = 0; i < r.n_files; i++) {
		if (tls_read_certs(r.files[i], pool, err, sizeof(err)) < 0) {
			fail(r.name, "%s", err);
			goto out;
		}
	}
	/* Sort the pool: ours, roots, intermediates. */
	for (i = 0; i < sk_X509_num(pool); i++) {
		X509 *x = sk_X509_value(pool, i);

		if (!leaf && X509_check_private_key(x, key) == 1) {
			leaf = x;
		} else if (is_self_signed(x)) {
			n_roots_given++;
		} else {
			sk_X509_push(inter, x);
		}
	}
	ERR_clear_error();
	if (!leaf) {
		X509 *other = NULL;

		for (i = 0; i < sk_X509_num(pool) && !other; i++)
			if (!(X509_get_extension_flags(sk_X509_value(pool, i)) & EXFLAG_CA))
				other = sk_X509_value(pool, i);
		if (other) {
			tls_name_oneline(X509_get_subject_name(other), err, sizeof(err));
			fail(r.name, "certificate \"%s\" does not match the private key %s (issued for another request?)",
			     err, key_path);
		} else {
			fail(r.name, "no device certificate in the files, only CA certificates");
		}
		goto out;
	}
	if (!tls_asn1_time(X509_get0_notBefore(leaf), &nb) ||
	    !tls_asn1_time(X509_get0_notAfter(leaf), &na)) {
		fail(r.name, "unreadable validity dates");
	} else if (now < nb) {
		tls_format_time(nb, when, sizeof(when));
		fail(r.name, "certificate not valid before %s (check this host's clock)", when);
	} else if (now > na) {
		tls_format_time(na, when, sizeof(when));
		fail(r.name, "certificate expired on %s", when);
	}
	check_usage(r.name, leaf);
	tls_context_path(path, sizeof(path), r.dir, r.name, "request.csr");
	if (!access(path, R_OK))
		hosts_from_csr(&r, path);
	check_names(&r, leaf);

	/* Trust: the roots the CA handed over, and --ca-file/--ca-dir (or the system's). */
	store = tls_store_new(r.ca_file, r.ca_dir, err, sizeof(err));
	if (!store) {
		fail(r.name, "%s", err);
		goto out;
	}
	for (i = 0; i < sk_X509_num(pool); i++) {
		X509 *x = sk_X509_value(pool, i);

		if (x != leaf && is_self_signed(x))
			X509_STORE_add_cert(store, x);
	}
	ERR_clear_error();
	if (!tls_verify_chain(leaf, inter, store, &chain, err, sizeof(err)))
		fail(r.name, "%s", err);
	if (failures)
		goto out;
	if (n_roots_given && !r.ca_file && !r.ca_dir)
		note_private_root(r.name, leaf, inter);

	/* Install: chain.pem holds what lies between the leaf and the root. */
	if (!tls_context_mkdir(r.dir, r.name, "tls import"))
		goto out;
	{
		int n = sk_X509_num(chain);
		size_t len;
		char *pem;
		bool ok;

		if (r.key_file) {
			BIO *b = BIO_new(BIO_s_mem());
			char *p;
			long kl;

			ok = b && PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL) &&
			     (kl = BIO_get_mem_data(b, &p)) > 0;
			tls_context_path(path, sizeof(path), r.dir, r.name, "key.pem");
			ok = ok && tls_write_file(path, p, (size_t)kl, 0600, "tls import");
			BIO_free(b);
			if (!ok)
				goto out;
		}
		pem = tls_certs_pem(chain, 0, 1, &len);
		tls_context_path(path, sizeof(path), r.dir, r.name, "cert.pem");
		ok = pem && tls_write_file(path, pem, len, 0644, "tls import");
		free(pem);
		tls_context_path(path, sizeof(path), r.dir, r.name, "chain.pem");
		if (ok && n > 2) {
			pem = tls_certs_pem(chain, 1, n - 1, &len);
			ok = pem && tls_write_file(path, pem, len, 0644, "tls import");
			free(pem);
		} else if (ok) {
			unlink(path);
		}
		/* Leaf and intermediates in one file, for servers that take one. */
		tls_context_path(path, sizeof(path), r.dir, r.name, "fullchain.pem");
		pem = ok ? tls_certs_pem(chain, 0, n > 1 ? n - 1 : 1, &len) : NULL;
		ok = pem && tls_write_file(path, pem, len, 0644, "tls import");
		free(pem);
		tls_context_path(path, sizeof(path), r.dir, r.name, "root.pem");
		pem = ok ? tls_certs_pem(chain, n - 1, n, &len) : NULL;
		ok = pem && tls_write_file(path, pem, len, 0644, "tls import");
		free(pem);
		if (!ok)
			goto out;
		if (json_output) {
			struct json j;
			char s[512];

			json_init(&j, stdout);
			json_object_open(&j, NULL);
			json_string(&j, "context", r.name);
			tls_context_path(path, sizeof(path), r.dir, r.name, NULL);
			json_string(&j, "directory", path);
			tls_name_oneline(X509_get_subject_name(leaf), s, sizeof(s));
			json_string(&j, "subject", s);
			json_u64(&j, "intermediates", n > 2 ? (uint64_t)n - 2 : 0);
			tls_name_oneline(X509_get_subject_name(sk_X509_value(chain, n - 1)), s, sizeof(s));
			json_string(&j, "root", s);
			tls_format_time(na, when, sizeof(when));
			json_string(&j, "not_after", when);
			tls_fingerprint(leaf, EVP_sha256(), s, sizeof(s));
			json_string(&j, "sha256", s);
			json_object_close(&j);
			json_end(&j);
		} else {
			char s[512];

			tls_context_path(path, sizeof(path), r.dir, r.name, NULL);
			tls_name_oneline(X509_get_subject_name(leaf), s, sizeof(s));
			tls_format_time(na, when, sizeof(when));
			printf("imported into %s: cert.pem (%s, expires %s), %s%d intermediate%s, fullchain.pem, root.pem\n",
			       path, s, when, n > 2 ? "chain.pem with " : "", n > 2 ? n - 2 : 0,
			       n == 3 ? "" : "s");
		}
	}
	rc = EXIT_OK;
out:
	for (i = 0; i < r.n_hosts; i++)
		free(r.hosts[i]);
	if (chain)
		sk_X509_pop_free(chain, X509_free);
	X509_STORE_free(store);
	sk_X509_free(inter);
	sk_X509_pop_free(pool, X509_free);
	EVP_PKEY_free(key);
	return rc;
}
