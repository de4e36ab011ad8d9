// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The configured TLS contexts: built into the transports' slots at start,
 * rebuilt all or none on reload, and the first-start self-signed
 * certificate.
 */
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
#include "config/tls_contexts.h"
#include "sip/transport_tls.h"

_Static_assert(CFG_MAX_OBJ <= TLS_MAX_SLOTS, "a slot per configured context");


/* subjectAltName DNS:@host, where RFC 6125 and peers look for names. */
static int add_san(X509 *x, const char *host)
{
	char value[160];
	X509_EXTENSION *e;
	int ok;

	snprintf(value, sizeof(value), "DNS:%s", host);
	e = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, value);
	ok = e && X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	return ok ? 0 : -1;
}

int tls_make_self_signed(const char *cert_path, const char *key_path,
			 const char *common_name)
{
	EVP_PKEY *pkey = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	FILE *f = NULL;
	char why[TLS_REASON_MAX];
	int rc = -1;

	if (!pkey || !x) {
		log_err("self-signed certificate: key generation: %s", tls_error_string(why, sizeof(why)));
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
	if (strchr(common_name, '.') && add_san(x, common_name)) {
		log_err("self-signed certificate: subjectAltName: %s", tls_error_string(why, sizeof(why)));
		goto out;
	}
	if (!X509_sign(x, pkey, EVP_sha256())) {
		log_err("self-signed certificate: signing: %s", tls_error_string(why, sizeof(why)));
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

/* The fqdn of an interface context @t serves, or NULL. */
static const char *served_fqdn(const struct config *cfg, unsigned int t)
{
	unsigned int i;

	for (i = 0; i < cfg->n_ifaces; i++)
		if (cfg->ifaces[i].fqdn[0] && cfg->ifaces[i].tls == (int)t)
			return cfg->ifaces[i].fqdn;
	return NULL;
}

static int ensure_self_signed(struct config *cfg, struct cfg_tls *t)
{
	const char *name;
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
	/* Named for the fqdn it serves: check_fqdns() will ask for it. */
	name = served_fqdn(cfg, (unsigned int)(t - cfg->tls));
	return tls_make_self_signed(t->certificate, t->private_key,
				    name ? name : "srtprelayd");
}

/*
 * An interface's fqdn is what peers see in its Contact and check against
 * the certificate it presents (Teams Direct Routing refuses an SBC whose
 * name is not in it): the certificate context @t serves must carry every
 * such fqdn. 0, or -1 with one "file:line: ..." line in @err.
 */
static int check_fqdns(const struct config *cfg, unsigned int t, X509 *cert,
		       char *err, size_t len)
{
	char names[256];
	unsigned int i;

	for (i = 0; i < cfg->n_ifaces; i++) {
		const struct cfg_iface *f = &cfg->ifaces[i];

		if (!f->fqdn[0] || f->tls != (int)t || tls_cert_names_host(cert, f->fqdn))
			continue;
		tls_sip_identities(cert, names, sizeof(names));
		snprintf(err, len, "%.200s:%d: sip interface '%.60s': fqdn %.128s is not in the certificate of tls context '%.60s' (%.200s has %.200s; RFC 6125)",
			 cfg->source, f->fqdn_line, f->name, f->fqdn,
			 cfg->tls[t].name, cfg->tls[t].certificate,
			 names[0] ? names : "no names");
		return -1;
	}
	return 0;
}

int tls_check_fqdn_files(const struct config *cfg, FILE *out)
{
	char err[2 * TLS_ERR_MAX];
	unsigned int i;
	int errors = 0;

	/* Only contexts that serve an fqdn: -t reads no other TLS file. */
	for (i = 0; i < cfg->n_tls; i++) {
		STACK_OF(X509) *certs;

		/* self_signed is made for its fqdn at start */
		if (!cfg->tls[i].certificate[0] || !served_fqdn(cfg, i))
			continue;
		certs = sk_X509_new_null();
		if (!certs || tls_read_certs(cfg->tls[i].certificate, certs, err, sizeof(err)) < 1 ||
		    check_fqdns(cfg, i, sk_X509_value(certs, 0), err, sizeof(err))) {
			fprintf(out, "%s\n", certs ? err : "out of memory");
			errors++;
		}
		sk_X509_pop_free(certs, X509_free);
	}
	return errors;
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

int tls_setup(struct config *cfg, struct transport *tp)
{
	char err[2 * TLS_ERR_MAX];	/* a build error, or check_fqdns() */
	unsigned int i;

	for (i = 0; i < cfg->n_tls; i++) {
		struct cfg_tls *t = &cfg->tls[i];
		struct tls_slot *slot = transport_tls_slot(tp, i);
		struct tls_ctx_conf c;

		if (t->self_signed && ensure_self_signed(cfg, t))
			return -1;
		c = conf_of(t);
		if (tls_slot_reload(slot, &c, err, sizeof(err)) ||
		    check_fqdns(cfg, i, SSL_CTX_get0_certificate(slot->cur->server),
				err, sizeof(err))) {
			log_err("%s", err);
			return -1;
		}
		log_info("tls context %s: certificate %s sha256 %s%s%s", t->name,
			 t->certificate, slot->cur->sha256,
			 t->mutual ? ", mutual TLS" : "",
			 t->verify_peer ? ", verifies servers" : "");
	}
	return 0;
}

int tls_prepare(struct tls_pending *p, struct config *next, struct sbuf *errs)
{
	char err[2 * TLS_ERR_MAX];	/* a build error, or check_fqdns() */
	unsigned int i;
	int failed = 0;

	*p = (struct tls_pending){ 0 };
	for (i = 0; i < next->n_tls; i++) {
		struct cfg_tls *t = &next->tls[i];
		struct tls_ctx_conf c;

		if (t->self_signed && ensure_self_signed(next, t)) {
			snprintf(err, sizeof(err), "tls context %.60s: cannot write a self-signed certificate into %.380s",
				 t->name, next->state_dir);
		} else {
			c = conf_of(t);
			p->ctx[i] = tls_ctx_build(&c, err, sizeof(err));
			if (p->ctx[i] &&
			    !check_fqdns(next, i, SSL_CTX_get0_certificate(p->ctx[i]->server),
					 err, sizeof(err)))
				continue;
		}
		/* The wording test/tls/run.sh and operators' log filters know. */
		log_err("%s; keeping the current certificate", err);
		sb_printf(errs, "%s\n", err);
		failed++;
	}
	if (failed)
		tls_abort(p);
	return failed ? -1 : 0;
}

void tls_commit(struct tls_pending *p, const struct config *next,
		struct transport *tp)
{
	unsigned int i;

	for (i = 0; i < CFG_MAX_OBJ; i++) {
		struct tls_slot *slot = transport_tls_slot(tp, i);
		struct tls_ctx *old = slot->cur;

		if (!p->ctx[i])
			continue;
		slot->cur = p->ctx[i];
		p->ctx[i] = NULL;
		tls_ctx_put(old);	/* open connections hold their own */
		log_info("tls context %s: reloaded, certificate sha256 %s",
			 next->tls[i].name, slot->cur->sha256);
	}
}

void tls_abort(struct tls_pending *p)
{
	unsigned int i;

	for (i = 0; i < CFG_MAX_OBJ; i++) {
		tls_ctx_put(p->ctx[i]);
		p->ctx[i] = NULL;
	}
}

void tls_teardown(struct transport *tp)
{
	unsigned int i;

	for (i = 0; i < CFG_MAX_OBJ; i++)
		tls_slot_clear(transport_tls_slot(tp, i));
}
