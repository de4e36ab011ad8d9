// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target of what tls_context.c does with a CA's answer and a
 * peer's certificate: tls_parse_certs() over any bytes (PEM, DER, PKCS#7
 * sniffing), then the RFC 5922 identity walk, the domain match and the
 * fingerprint of every certificate it yields. Seeds: test/tls/corpus/.
 */
#include <stddef.h>
#include <stdint.h>

#include "tls/tls_context.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	char ids[512], fp[100];
	int i;

	if (!certs)
		return 0;
	tls_parse_certs(data, size, certs);
	for (i = 0; i < sk_X509_num(certs); i++) {
		X509 *x = sk_X509_value(certs, i);

		tls_sip_identities(x, ids, sizeof(ids));
		tls_sip_domain_match(x, "sbc.example.test");
		tls_sip_domain_match(x, "127.0.0.1");
		tls_fingerprint(x, EVP_sha256(), fp, sizeof(fp));
	}
	sk_X509_pop_free(certs, X509_free);
	return 0;
}
