// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl tls csr: a private key and the PKCS#10 request a CA signs
 * for a SIP TLS interface. The names an SBC needs are DNS subjectAltNames
 * (RFC 5922 7.1: SIP peers look at those, and at the CN only when there are
 * none), so the CN is always repeated among them; both serverAuth and
 * clientAuth are requested because the same certificate is presented when
 * the SBC opens TLS towards a trunk that wants mutual TLS (Teams Direct
 * Routing, Skype for Business, Pexip).
 */
#include <ctype.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "json.h"
#include "subcommands.h"
#include "tls.h"
#include "tls/tls_context.h"

#define MAX_DNS 32

static const char csr_usage[] =
	"[-j] tls csr [-d DIR] NAME --cn FQDN [--dns FQDN]... [--key rsa2048|rsa3072|rsa4096|p256|p384]\n"
	"        [--o ORG] [--ou UNIT] [--l CITY] [--st STATE] [--c CC] [--email ADDR]\n"
	"        [--force] [--overwrite]";

struct csr_req {
	const char *dir, *name, *key_type;
	const char *cn, *o, *ou, *l, *st, *c, *email;
	const char *dns[MAX_DNS];
	int n_dns;
	bool force, overwrite;
};

/* RFC 1035 host name syntax, with a leading "*." as the only wildcard form. */
static bool fqdn_ok(const char *s)
{
	size_t n = strlen(s), label = 0, i;

	if (!n || n > 253)
		return false;
	if (!strncmp(s, "*.", 2))
		s += 2, n -= 2;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (!label || s[i - 1] == '-')
				return false;
			label = 0;
		} else if (isalnum(c) || (c == '-' && label)) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0 && s[n - 1] != '-';
}

static EVP_PKEY *make_key(const char *type)
{
	if (!strcmp(type, "rsa2048"))
		return EVP_RSA_gen(2048);
	if (!strcmp(type, "rsa3072"))
		return EVP_RSA_gen(3072);
	if (!strcmp(type, "rsa4096"))
		return EVP_RSA_gen(4096);
	if (!strcmp(type, "p256") || !strcmp(type, "ec256"))
		return EVP_EC_gen("P-256");
	if (!strcmp(type, "p384") || !strcmp(type, "ec384"))
		return EVP_EC_gen("P-384");
	return NULL;
}

static bool key_type_ok(const char *type)
{
	static const char *const ok[] = { "rsa2048", "rsa3072", "rsa4096",
		"p256", "p384", "ec256", "ec384" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(type, ok[i]))
			return true;
	return false;
}

static bool add_field(X509_NAME *name, const char *field, const char *value)
{
	return !value || X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
						    (const unsigned char *)value,
						    -1, -1, 0);
}

static bool add_ext(STACK_OF(X509_EXTENSION) *exts, int nid, const char *value)
{
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, NULL, nid, value);

	if (!e)
		return false;
	if (!sk_X509_EXTENSION_push(exts, e)) {
		X509_EXTENSION_free(e);
		return false;
	}
	return true;
}

/* The request, signed with SHA-256; NULL on failure (reason printed). */
static X509_REQ *build_req(const struct csr_req *r, EVP_PKEY *key)
{
	STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
	X509_REQ *req = X509_REQ_new();
	X509_NAME *name = X509_NAME_new();
	char san[MAX_DNS * 260 + 8];
	size_t off = 0;
	int i;

	if (!req || !name || !exts)
		goto fail;
	if (!add_field(name, "C", r->c) || !add_field(name, "ST", r->st) ||
	    !add_field(name, "L", r->l) || !add_field(name, "O", r->o) ||
	    !add_field(name, "OU", r->ou) || !add_field(name, "CN", r->cn) ||
	    !add_field(name, "emailAddress", r->email))
		goto fail;
	for (i = 0; i < r->n_dns; i++)
		off += (size_t)snprintf(san + off, sizeof(san) - off, "%sDNS:%s",
					i ? "," : "", r->dns[i]);
	if (!add_ext(exts, NID_subject_alt_name, san) ||
	    !add_ext(exts, NID_ext_key_usage, "serverAuth,clientAuth") ||
	    !add_ext(exts, NID_key_usage, EVP_PKEY_base_id(key) == EVP_PKEY_RSA ?
		     "critical,digitalSignature,keyEncipherment" :
		     "critical,digitalSignature") ||
	    !X509_REQ_set_version(req, 0) || !X509_REQ_set_subject_name(req, name) ||
	    !X509_REQ_set_pubkey(req, key) || !X509_REQ_add_extensions(req, exts) ||
	    !X509_REQ_sign(req, key, EVP_sha256()))
		goto fail;
	X509_NAME_free(name);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	return req;
fail:
	fprintf(stderr, "%s: tls csr: building the request: %s\n", PROG_NAME,
		ERR_reason_error_string(ERR_peek_last_error()) ?: "out of memory");
	ERR_clear_error();
	X509_NAME_free(name);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	X509_REQ_free(req);
	return NULL;
}

static char *pem_of(int (*writer)(BIO *, void *), void *obj, size_t *len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *out = NULL;
	long n;

	if (b && writer(b, obj) && (n = BIO_get_mem_data(b, &p)) > 0 &&
	    (out = malloc((size_t)n + 1))) {
		memcpy(out, p, (size_t)n);
		out[n] = '\0';
		*len = (size_t)n;
	}
	BIO_free(b);
	return out;
}

static int write_req(BIO *b, void *req)
{
	return PEM_write_bio_X509_REQ(b, req);
}

static int write_key(BIO *b, void *key)
{
	return PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL);
}

static bool add_dns(struct csr_req *r, const char *name)
{
	int i;

	for (i = 0; i < r->n_dns; i++)
		if (!strcasecmp(r->dns[i], name))
			return true;
	if (r->n_dns == MAX_DNS)
		return false;
	r->dns[r->n_dns++] = name;
	return true;
}

static int parse(int argc, char *argv[], struct csr_req *r)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "cn", required_argument, NULL, 'n' },
		{ "dns", required_argument, NULL, 'a' },
		{ "key", required_argument, NULL, 'k' },
		{ "o", required_argument, NULL, 'O' },
		{ "ou", required_argument, NULL, 'U' },
		{ "l", required_argument, NULL, 'L' },
		{ "st", required_argument, NULL, 'S' },
		{ "c", required_argument, NULL, 'C' },
		{ "email", required_argument, NULL, 'e' },
		{ "force", no_argument, NULL, 'f' },
		{ "overwrite", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *extra[MAX_DNS];
	int opt, n_extra = 0, i;

	r->key_type = "rsa2048";
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+d:h", opts, NULL)) != -1 ||
	       (optind < argc && !r->name && (r->name = argv[optind++]))) {
		switch (opt) {
		case -1: continue;	/* the NAME between options */
		case 'd': r->dir = optarg; break;
		case 'n': r->cn = optarg; break;
		case 'a':
			if (n_extra == MAX_DNS)
				return usage_error(csr_usage, "tls csr: at most %d --dns names", MAX_DNS);
			extra[n_extra++] = optarg;
			break;
		case 'k': r->key_type = optarg; break;
		case 'O': r->o = optarg; break;
		case 'U': r->ou = optarg; break;
		case 'L': r->l = optarg; break;
		case 'S': r->st = optarg; break;
		case 'C': r->c = optarg; break;
		case 'e': r->email = optarg; break;
		case 'f': r->force = true; break;
		case 'w': r->overwrite = true; break;
		case 'h': return -usage_help(csr_usage) - 1;
		default:
			return usage_error(csr_usage, "tls csr: unknown option or missing value '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error(csr_usage, "tls csr: unexpected argument '%s'", argv[optind]);
	if (!r->name)
		return usage_error(csr_usage, "tls csr: which TLS context (NAME)?");
	if (!tls_context_name_ok(r->name))
		return usage_error(csr_usage, "tls csr: context name '%s': use letters, digits, '.', '_', '-'",
				   r->name);
	if (!r->cn)
		return usage_error(csr_usage, "tls csr: --cn FQDN is required (the SBC's SIP host name)");
	if (!key_type_ok(r->key_type))
		return usage_error(csr_usage, "tls csr: key type '%s': use rsa2048, rsa3072, rsa4096, p256 or p384",
				   r->key_type);
	if (r->c && (strlen(r->c) != 2 || !isalpha((unsigned char)r->c[0]) ||
		     !isalpha((unsigned char)r->c[1])))
		return usage_error(csr_usage, "tls csr: --c '%s': a two-letter ISO 3166 country code",
				   r->c);
	if (r->email && !strchr(r->email, '@'))
		return usage_error(csr_usage, "tls csr: --email '%s' is not an address", r->email);
	if (!fqdn_ok(r->cn))
		return usage_error(csr_usage, "tls csr: --cn '%s' is not a host name (FQDN)", r->cn);
	add_dns(r, r->cn);	/* RFC 5922 7.1: peers ignore the CN when SANs exist */
	for (i = 0; i < n_extra; i++) {
		if (!fqdn_ok(extra[i]))
			return usage_error(csr_usage, "tls csr: --dns '%s' is not a host name (FQDN)",
					   extra[i]);
		if (!add_dns(r, extra[i]))
			return usage_error(csr_usage, "tls csr: too many names");
	}
	return 0;
}

int tls_csr_main(int argc, char *argv[])
{
	struct csr_req r = { 0 };
	char key_path[4096], csr_path[4096];
	char *key_pem = NULL, *csr_pem = NULL;
	size_t key_len = 0, csr_len = 0;
	EVP_PKEY *key = NULL;
	X509_REQ *req = NULL;
	struct stat st;
	int rc, i;

	rc = parse(argc, argv, &r);
	if (rc)
		return rc < 0 ? -rc - 1 : rc;
	for (i = 0; i < r.n_dns; i++) {
		if (tls_name_is_wildcard(r.dns[i]) && !r.force) {
			fprintf(stderr, "%s: tls csr: '%s' is a wildcard: RFC 5922 section 7.2 says SIP peers must not match a SIP domain against a wildcard, so name each SBC FQDN (--force if every peer is known to accept it)\n",
				PROG_NAME, r.dns[i]);
			return EXIT_FAIL;
		}
	}
	r.dir = tls_dir(r.dir);
	if (!tls_context_path(key_path, sizeof(key_path), r.dir, r.name, "key.pem") ||
	    !tls_context_path(csr_path, sizeof(csr_path), r.dir, r.name, "request.csr")) {
		fprintf(stderr, "%s: tls csr: path too long\n", PROG_NAME);
		return EXIT_FAIL;
	}
	if (!stat(key_path, &st) && !r.overwrite) {
		fprintf(stderr, "%s: tls csr: %s exists (the installed certificate may belong to it): --overwrite to replace it\n",
			PROG_NAME, key_path);
		return EXIT_FAIL;
	}
	if (!tls_context_mkdir(r.dir, r.name, "tls csr"))
		return EXIT_FAIL;
	key = make_key(r.key_type);
	if (!key) {
		fprintf(stderr, "%s: tls csr: generating a %s key failed\n", PROG_NAME,
			r.key_type);
		return EXIT_FAIL;
	}
	rc = EXIT_FAIL;
	req = build_req(&r, key);
	if (!req)
		goto out;
	key_pem = pem_of(write_key, key, &key_len);
	csr_pem = pem_of(write_req, req, &csr_len);
	if (!key_pem || !csr_pem) {
		fprintf(stderr, "%s: tls csr: out of memory\n", PROG_NAME);
		goto out;
	}
	if (!tls_write_file(key_path, key_pem, key_len, 0600, "tls csr") ||
	    !tls_write_file(csr_path, csr_pem, csr_len, 0644, "tls csr"))
		goto out;
	if (json_output) {
		struct json j;
		char desc[64];

		tls_key_desc(key, desc, sizeof(desc));
		json_init(&j, stdout);
		json_object_open(&j, NULL);
		json_string(&j, "context", r.name);
		json_string(&j, "key_file", key_path);
		json_string(&j, "key", desc);
		json_string(&j, "csr_file", csr_path);
		json_string(&j, "common_name", r.cn);
		json_array_open(&j, "dns");
		for (i = 0; i < r.n_dns; i++)
			json_string(&j, NULL, r.dns[i]);
		json_array_close(&j);
		json_string(&j, "csr", csr_pem);
		json_object_close(&j);
		json_end(&j);
	} else {
		fputs(csr_pem, stdout);
		fprintf(stderr, "%s: tls csr: key %s (%s, 0600), request %s; send the request to the CA, then: %s tls import %s <its answer files>\n",
			PROG_NAME, key_path, r.key_type, csr_path, PROG_NAME, r.name);
	}
	rc = EXIT_OK;
out:
	if (key_pem) {
		OPENSSL_cleanse(key_pem, key_len);
		free(key_pem);
	}
	free(csr_pem);
	X509_REQ_free(req);
	EVP_PKEY_free(key);
	return rc;
}
