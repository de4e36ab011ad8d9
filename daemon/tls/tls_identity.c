// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Who a certificate says it is and whether we trust it: RFC 5922 SIP
 * identities and domain matching, fingerprints and names for messages, and
 * chain verification against a trust store. See tls_context.h.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "tls/tls_context.h"
#include "tls/tls_internal.h"

void tls_fingerprint(X509 *cert, const EVP_MD *md, char *buf, size_t len)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	size_t off = 0;

	buf[0] = '\0';
	if (!X509_digest(cert, md, d, &n))
		return;
	for (i = 0; i < n && off + 4 <= len; i++)
		off += (size_t)snprintf(buf + off, len - off, i ? ":%02X" : "%02X", d[i]);
}

void tls_name_oneline(const X509_NAME *name, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long n;

	buf[0] = '\0';
	if (!b)
		return;
	X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	n = BIO_get_mem_data(b, &p);
	if (n > 0)
		snprintf(buf, len, "%.*s", (int)n, p);
	BIO_free(b);
}

bool tls_name_is_wildcard(const char *name)
{
	return strchr(name, '*') != NULL;
}

/* Exact, case-insensitive, a trailing dot on either side ignored. */
static bool domain_equal(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);

	if (alen && a[alen - 1] == '.')
		alen--;
	if (blen && b[blen - 1] == '.')
		blen--;
	return alen && alen == blen && !strncasecmp(a, b, alen);
}

/* The host of a "sip:host[:port][;params]" URI without user part (RFC 5922 7.1). */
static bool sip_uri_host(const char *uri, size_t len, const char **host,
			 size_t *hlen)
{
	size_t i;

	if (len < 5 || strncasecmp(uri, "sip:", 4))
		return false;
	uri += 4;
	len -= 4;
	if (memchr(uri, '@', len))
		return false;
	for (i = 0; i < len && uri[i] != ':' && uri[i] != ';' && uri[i] != '?'; i++)
		;
	*host = uri;
	*hlen = i;
	return i > 0;
}

typedef bool (*identity_fn)(const char *kind, const char *value, size_t len,
			    void *arg);

/*
 * Calls @fn for each SIP identity of @cert in RFC 5922 7.1 order; stops
 * when it returns true. Returns true if stopped.
 */
static bool for_each_identity(X509 *cert, identity_fn fn, void *arg)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	bool any = false, stop = false;
	int i;

	for (i = 0; gens && !stop && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const char *s;
		size_t n;

		if (g->type == GEN_DNS) {
			s = (const char *)ASN1_STRING_get0_data(g->d.dNSName);
			n = (size_t)ASN1_STRING_length(g->d.dNSName);
			any = true;
			stop = fn("DNS", s, n, arg);
		} else if (g->type == GEN_URI) {
			const char *host;
			size_t hlen;

			s = (const char *)ASN1_STRING_get0_data(g->d.uniformResourceIdentifier);
			n = (size_t)ASN1_STRING_length(g->d.uniformResourceIdentifier);
			if (sip_uri_host(s, n, &host, &hlen)) {
				any = true;
				stop = fn("URI", host, hlen, arg);
			}
		} else if (g->type == GEN_IPADD) {
			char ip[INET6_ADDRSTRLEN] = "";
			int alen = ASN1_STRING_length(g->d.iPAddress);
			const unsigned char *a = ASN1_STRING_get0_data(g->d.iPAddress);

			if (alen == 4)
				inet_ntop(AF_INET, a, ip, sizeof(ip));
			else if (alen == 16)
				inet_ntop(AF_INET6, a, ip, sizeof(ip));
			if (ip[0])
				stop = fn("IP", ip, strlen(ip), arg);
		}
	}
	GENERAL_NAMES_free(gens);
	if (!any && !stop) {
		const X509_NAME *subj = X509_get_subject_name(cert);
		int idx = -1;

		while (!stop && (idx = X509_NAME_get_index_by_NID(subj, NID_commonName, idx)) >= 0) {
			const ASN1_STRING *d = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, idx));

			stop = fn("CN", (const char *)ASN1_STRING_get0_data(d),
				  (size_t)ASN1_STRING_length(d), arg);
		}
	}
	return stop;
}

struct match_arg {
	const char *domain;
	bool is_ip;
};

static bool match_one(const char *kind, const char *value, size_t len, void *arg)
{
	const struct match_arg *m = arg;

	if (memchr(value, '\0', len) || memchr(value, '*', len))
		return false;	/* embedded NUL tricks; wildcards (RFC 5922 7.2) */
	if (!strcmp(kind, "IP"))
		return m->is_ip && domain_equal(value, len, m->domain);
	return !m->is_ip && domain_equal(value, len, m->domain);
}

bool tls_sip_domain_match(X509 *cert, const char *domain)
{
	unsigned char buf[16];
	struct match_arg m = { .domain = domain };

	if (!cert || !domain || !domain[0])
		return false;
	m.is_ip = inet_pton(AF_INET, domain, buf) == 1 ||
		  inet_pton(AF_INET6, domain, buf) == 1;
	return for_each_identity(cert, match_one, &m);
}

/*
 * RFC 6125 6.4.3: a wildcard is "*" as the whole left-most label and
 * stands for exactly one label; at least two labels follow it ("*.com"
 * covers nothing), and it never sits elsewhere ("a.*.example",
 * "f*.example": those partial forms 6.4.3 allows are refused, as
 * browsers do).
 */
static bool dns_id_covers(const char *id, size_t len, const char *host)
{
	const char *dot;

	if (len < 3 || id[0] != '*' || id[1] != '.')
		return !memchr(id, '*', len) && domain_equal(id, len, host);
	if (memchr(id + 2, '*', len - 2) || !memchr(id + 2, '.', len - 2))
		return false;
	dot = strchr(host, '.');
	return dot && dot > host && domain_equal(id + 1, len - 1, dot);
}

static bool covers_one(const char *kind, const char *value, size_t len, void *arg)
{
	const char *host = arg;

	if (memchr(value, '\0', len))
		return false;
	if (!strcmp(kind, "DNS") || !strcmp(kind, "CN"))
		return dns_id_covers(value, len, host);
	return !strcmp(kind, "URI") && !memchr(value, '*', len) &&
	       domain_equal(value, len, host);
}

bool tls_cert_names_host(X509 *cert, const char *host)
{
	return cert && host && host[0] && for_each_identity(cert, covers_one, (void *)host);
}

struct list_arg {
	char *buf;
	size_t len, off;
	int n;
};

static bool list_one(const char *kind, const char *value, size_t len, void *arg)
{
	struct list_arg *l = arg;
	int w;

	if (l->off >= l->len)
		return false;
	w = snprintf(l->buf + l->off, l->len - l->off, "%s%s:%s%.*s",
		     l->n ? ", " : "", kind, strcmp(kind, "URI") ? "" : "sip:",
		     (int)len, value);
	if (w > 0)
		l->off = l->off + (size_t)w < l->len ? l->off + (size_t)w : l->len;
	l->n++;
	return false;
}

int tls_sip_identities(X509 *cert, char *buf, size_t len)
{
	struct list_arg l = { .buf = buf, .len = len };

	if (len)
		buf[0] = '\0';
	for_each_identity(cert, list_one, &l);
	return l.n;
}

X509_STORE *tls_store_new(const char *ca_file, const char *ca_dir, char *err,
			  size_t err_len)
{
	X509_STORE *store = X509_STORE_new();
	char why[160];

	if (!store) {
		tls_set_err(err, err_len, "out of memory");
		return NULL;
	}
	if (ca_file && !ca_file[0])
		ca_file = NULL;
	if (ca_dir && !ca_dir[0])
		ca_dir = NULL;
	if (!ca_file && !ca_dir) {
		if (!X509_STORE_set_default_paths(store)) {
			tls_set_err(err, err_len, "system trust store: %s",
				tls_ssl_reason(why, sizeof(why)));
			X509_STORE_free(store);
			return NULL;
		}
		return store;
	}
	if (ca_file && !X509_STORE_load_file(store, ca_file)) {
		tls_set_err(err, err_len, "trusted roots %s: %s", ca_file,
			tls_ssl_reason(why, sizeof(why)));
		X509_STORE_free(store);
		return NULL;
	}
	if (ca_dir && !X509_STORE_load_path(store, ca_dir)) {
		tls_set_err(err, err_len, "trusted roots directory %s: %s", ca_dir,
			tls_ssl_reason(why, sizeof(why)));
		X509_STORE_free(store);
		return NULL;
	}
	return store;
}

static const char *chain_hint(int e)
{
	switch (e) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		return " (an intermediate CA certificate is missing, or the root is not trusted)";
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		return " (that root is not in the trusted store)";
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return " (check the validity dates and this host's clock)";
	default:
		return "";
	}
}

bool tls_verify_chain(X509 *leaf, STACK_OF(X509) *untrusted, X509_STORE *store,
		      STACK_OF(X509) **chain_out, char *err, size_t err_len)
{
	X509_STORE_CTX *sc = X509_STORE_CTX_new();
	bool ok = false;

	if (chain_out)
		*chain_out = NULL;
	if (!sc || !X509_STORE_CTX_init(sc, store, leaf, untrusted)) {
		tls_set_err(err, err_len, "out of memory");
		X509_STORE_CTX_free(sc);
		return false;
	}
	if (X509_verify_cert(sc) == 1) {
		ok = true;
		if (chain_out)
			*chain_out = X509_STORE_CTX_get1_chain(sc);
	} else {
		int e = X509_STORE_CTX_get_error(sc);
		X509 *at = X509_STORE_CTX_get_current_cert(sc);
		char subj[256] = "?";

		if (at)
			tls_name_oneline(X509_get_subject_name(at), subj, sizeof(subj));
		tls_set_err(err, err_len, "chain does not verify at \"%s\": %s%s", subj,
			X509_verify_cert_error_string(e), chain_hint(e));
	}
	ERR_clear_error();
	X509_STORE_CTX_free(sc);
	return ok;
}
