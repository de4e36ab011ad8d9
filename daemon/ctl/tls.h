/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * srtprelayctl tls: the certificate lifecycle of a TLS context, from CSR to
 * the CA's answer installed and checked. A context is a directory
 * <tls dir>/<NAME>/ holding
 *
 *   key.pem       the private key (0600, directory 0700), from `tls csr'
 *   request.csr   the PKCS#10 request sent to the CA; its names are what
 *                 `tls import' requires the certificate to carry
 *   cert.pem      the device certificate, from `tls import'
 *   chain.pem     the intermediate CAs, issuer of cert.pem first (absent
 *                 when the CA signs with its root directly)
 *   fullchain.pem cert.pem then chain.pem, for servers that read one file
 *   root.pem      the root the chain was verified to (never sent to peers)
 *
 * The tls dir is /var/lib/srtprelayd/tls (under srtprelayd's state_dir),
 * $SRTPRELAY_TLS_DIR, or -d DIR.
 */
#ifndef SRTPRELAYCTL_TLS_H
#define SRTPRELAYCTL_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <openssl/x509.h>

#define TLS_DIR_DEFAULT "/var/lib/srtprelayd/tls"

/* The tls dir after -d/$SRTPRELAY_TLS_DIR; never NULL. */
const char *tls_dir(const char *option);
/* A context name is [A-Za-z0-9._-]+ not starting with a dot. */
bool tls_context_name_ok(const char *name);
/* <dir>/<name>/<file> into @buf; false if too long. */
bool tls_context_path(char *buf, size_t len, const char *dir, const char *name,
		      const char *file);
/* mkdir -p of <dir>/<name>, the last one 0700; false with a message printed. */
bool tls_context_mkdir(const char *dir, const char *name, const char *cmd);
/* Writes @len bytes to @path through a temporary file and rename(2), mode
 * @mode; false with a message printed. */
bool tls_write_file(const char *path, const void *data, size_t len,
		    unsigned int mode, const char *cmd);
/* PEM of every certificate of @certs from @from on, into a malloc'd buffer. */
char *tls_certs_pem(STACK_OF(X509) *certs, int from, int to, size_t *len);
/* "EC P-256", "RSA 2048", ... */
void tls_key_desc(EVP_PKEY *key, char *buf, size_t len);
/* "serverAuth, clientAuth" or "" when the certificate has no EKU. */
void tls_eku_desc(X509 *cert, char *buf, size_t len);
/* "CN=..." of the subject field @nid, "" if absent. */
void tls_subject_field(X509_NAME *name, int nid, char *buf, size_t len);

int tls_csr_main(int argc, char *argv[]);
int tls_import_main(int argc, char *argv[]);
int tls_show_main(int argc, char *argv[]);
int tls_list_main(int argc, char *argv[]);
int tls_verify_main(int argc, char *argv[]);

#endif /* SRTPRELAYCTL_TLS_H */
