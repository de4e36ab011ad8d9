// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl tls list: every TLS context under the tls dir with its state
 * and expiry, the one command to run from monitoring: exit status 1 as soon
 * as a context's certificate has expired or does not match its key.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "json.h"
#include "subcommands.h"
#include "tls.h"
#include "tls/tls_context.h"

#define EXPIRY_WARN_DAYS 30

static const char list_usage[] = "[-j] tls list [-d DIR]";

struct entry {
	char name[64];
	const char *state;	/* no key, request pending, ok, expiring, expired, ... */
	char subject[256];
	char not_after[40];
	long days;
	bool has_cert;
};

static void inspect(const char *dir, const char *name, struct entry *e)
{
	char cert[4096], key[4096], csr[4096], err[TLS_ERR_MAX];
	STACK_OF(X509) *certs = sk_X509_new_null();
	EVP_PKEY *k = NULL;
	time_t na, now = time(NULL);
	X509 *x;

	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	tls_context_path(cert, sizeof(cert), dir, name, "cert.pem");
	tls_context_path(key, sizeof(key), dir, name, "key.pem");
	tls_context_path(csr, sizeof(csr), dir, name, "request.csr");
	if (access(cert, F_OK)) {
		e->state = !access(key, F_OK) ? (!access(csr, F_OK) ? "request pending" : "key only") :
			   "empty";
		goto out;
	}
	if (!certs || tls_read_certs(cert, certs, err, sizeof(err)) < 1) {
		e->state = "unreadable";
		goto out;
	}
	x = sk_X509_value(certs, 0);
	e->has_cert = true;
	tls_subject_field(X509_get_subject_name(x), NID_commonName, e->subject,
			  sizeof(e->subject));
	if (!tls_asn1_time(X509_get0_notAfter(x), &na)) {
		e->state = "unreadable";
		goto out;
	}
	tls_format_time(na, e->not_after, sizeof(e->not_after));
	e->days = (long)((na - now) / 86400);
	k = access(key, F_OK) ? NULL : tls_read_key(key, err, sizeof(err));
	if (!k)
		e->state = "no key";
	else if (X509_check_private_key(x, k) != 1)
		e->state = "key mismatch";
	else if (now > na)
		e->state = "expired";
	else if (e->days < EXPIRY_WARN_DAYS)
		e->state = "expiring";
	else
		e->state = "ok";
out:
	ERR_clear_error();
	EVP_PKEY_free(k);
	sk_X509_pop_free(certs, X509_free);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

int tls_list_main(int argc, char *argv[])
{
	const char *dir = NULL;
	struct entry *list = NULL;
	struct dirent *de;
	size_t n = 0, cap = 0, i;
	struct json j;
	int rc = EXIT_OK;
	DIR *d;

	for (i = 1; i < (size_t)argc; i++) {
		if (is_help(argv[i]))
			return usage_help(list_usage);
		if ((!strcmp(argv[i], "-d") || !strcmp(argv[i], "--dir")) && i + 1 < (size_t)argc)
			dir = argv[++i];
		else
			return usage_error(list_usage, "tls list: unexpected argument '%s'", argv[i]);
	}
	dir = tls_dir(dir);
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: tls list: %s: %s\n", PROG_NAME, dir, strerror(errno));
		return EXIT_FAIL;
	}
	while ((de = readdir(d))) {
		if (!tls_context_name_ok(de->d_name) || de->d_type != DT_DIR)
			continue;
		if (n == cap) {
			struct entry *nl = realloc(list, (cap = cap ? cap * 2 : 16) * sizeof(*list));

			if (!nl) {
				fprintf(stderr, "%s: tls list: out of memory\n", PROG_NAME);
				rc = EXIT_FAIL;
				break;
			}
			list = nl;
		}
		inspect(dir, de->d_name, &list[n++]);
	}
	closedir(d);
	if (n)
		qsort(list, n, sizeof(*list), by_name);
	if (json_output) {
		json_init(&j, stdout);
		json_array_open(&j, NULL);
	} else if (n) {
		printf("%-20s %-16s %-24s %6s  %s\n", "CONTEXT", "STATE", "NOT AFTER", "DAYS", "CN");
	}
	for (i = 0; i < n; i++) {
		struct entry *e = &list[i];

		if (!strcmp(e->state, "expired") || !strcmp(e->state, "key mismatch") ||
		    !strcmp(e->state, "unreadable") || !strcmp(e->state, "no key"))
			rc = EXIT_FAIL;
		if (json_output) {
			json_object_open(&j, NULL);
			json_string(&j, "context", e->name);
			json_string(&j, "state", e->state);
			if (e->has_cert) {
				json_string(&j, "common_name", e->subject);
				json_string(&j, "not_after", e->not_after);
				json_u64(&j, "days_left", e->days > 0 ? (uint64_t)e->days : 0);
			}
			json_object_close(&j);
		} else {
			char days[24] = "-";

			if (e->has_cert)
				snprintf(days, sizeof(days), "%ld", e->days);
			printf("%-20s %-16s %-24s %6s  %s\n", e->name, e->state,
			       e->has_cert ? e->not_after : "-", days, e->subject);
		}
	}
	if (json_output) {
		json_array_close(&j);
		json_end(&j);
	}
	free(list);
	return rc;
}
