/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module needs from crypto.c beyond the crypto-ops interface that
 * the SRTP core uses (srtp_crypto.h).
 */
#ifndef SRTPRELAY_CRYPTO_H
#define SRTPRELAY_CRYPTO_H

#include <linux/types.h>

int srtprelay_crypto_probe(char *cipher_driver, char *mac_driver, size_t len);

#endif /* SRTPRELAY_CRYPTO_H */
