// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What srtprelayctl tls csr|import|show|list|verify share about a TLS
 * context's directory (see tls.h for the layout) and about certificates;
 * tls_cmd.c dispatches to them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "subcommands.h"
#include "tls.h"

const char *tls_dir(const char *option)
{
	const char *env = getenv("SRTPRELAY_TLS_DIR");

	if (option)
		return option;
	return env && env[0] ? env : TLS_DIR_DEFAULT;
}

bool tls_context_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (!n || n > 63 || name[0] == '.')
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool tls_context_path(char *buf, size_t len, const char *dir, const char *name,
		      const char *file)
{
	int n = snprintf(buf, len, "%s/%s%s%s", dir, name, file ? "/" : "",
			 file ? file : "");

	return n > 0 && (size_t)n < len;
}

static bool mkdir_one(const char *path, mode_t mode, const char *cmd)
{
	if (!mkdir(path, mode) || errno == EEXIST)
		return true;
	fprintf(stderr, "%s: %s: cannot create %s: %s\n", PROG_NAME, cmd, path,
		strerror(errno));
	return false;
}

bool tls_context_mkdir(const char *dir, const char *name, const char *cmd)
{
	char path[4096];
	char *p;

	if (!tls_context_path(path, sizeof(path), dir, name, NULL)) {
		fprintf(stderr, "%s: %s: path too long\n", PROG_NAME, cmd);
		return false;
	}
	for (p = path + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (!mkdir_one(path, 0755, cmd))
			return false;
		*p = '/';
	}
	/* The key lives here: nobody else lists or reads it. */
	if (!mkdir_one(path, 0700, cmd))
		return false;
	return true;
}

bool tls_write_file(const char *path, const void *data, size_t len,
		    unsigned int mode, const char *cmd)
{
	char tmp[4200];
	size_t off = 0;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0 || fchmod(fd, mode)) {
		fprintf(stderr, "%s: %s: cannot write %s: %s\n", PROG_NAME, cmd,
			tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (off < len) {
		ssize_t w = write(fd, (const char *)data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off < len || fsync(fd) || close(fd) || rename(tmp, path)) {
		fprintf(stderr, "%s: %s: cannot write %s: %s\n", PROG_NAME, cmd,
			path, strerror(errno));
		unlink(tmp);
		return false;
	}
	return true;
}

char *tls_certs_pem(STACK_OF(X509) *certs, int from, int to, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int i;

	if (!f)
		return NULL;
	for (i = from; i < to && i < sk_X509_num(certs); i++)
		PEM_write_X509(f, sk_X509_value(certs, i));
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

void tls_key_desc(EVP_PKEY *key, char *buf, size_t len)
{
	char group[64] = "";

	if (EVP_PKEY_base_id(key) == EVP_PKEY_RSA) {
		snprintf(buf, len, "RSA %d", EVP_PKEY_get_bits(key));
	} else if (EVP_PKEY_base_id(key) == EVP_PKEY_EC) {
		size_t gl = 0;

		EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof(group), &gl);
		snprintf(buf, len, "EC %s", !strcmp(group, "prime256v1") ? "P-256" :
			 !strcmp(group, "secp384r1") ? "P-384" : group);
	} else {
		snprintf(buf, len, "%s %d", OBJ_nid2sn(EVP_PKEY_base_id(key)),
			 EVP_PKEY_get_bits(key));
	}
}

void tls_eku_desc(X509 *cert, char *buf, size_t len)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; eku && i < sk_ASN1_OBJECT_num(eku) && off < len; i++) {
		char oid[80];

		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 0);
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", oid);
	}
	EXTENDED_KEY_USAGE_free(eku);
}

void tls_subject_field(X509_NAME *name, int nid, char *buf, size_t len)
{
	buf[0] = '\0';
	X509_NAME_get_text_by_NID(name, nid, buf, (int)len);
}
