/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module needs from crypto.c beyond the crypto-ops interface that
 * the SRTP core uses (srtp_crypto.h).
 */
#ifndef SRTPRELAY_CRYPTO_H
#define SRTPRELAY_CRYPTO_H

#include <linux/crypto.h>

/* The drivers the kernel picked for each transform, for the load message. */
struct srtprelay_crypto_drivers {
	const char *cipher;	/* AES-CTR: "AES-NI" or "aes_encrypt" */
	char mac[CRYPTO_MAX_ALG_NAME];		/* SHA-1 implementation and times */
	char aead[CRYPTO_MAX_ALG_NAME];		/* "gcm(aes)" */
};

int srtprelay_crypto_init(struct srtprelay_crypto_drivers *drivers);
void srtprelay_crypto_exit(void);

#endif /* SRTPRELAY_CRYPTO_H */
