/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module needs from hmac_sha1.c beyond srtp_crypto.h's struct
 * srtp_mac, which it implements.
 */
#ifndef SRTPRELAY_HMAC_SHA1_H
#define SRTPRELAY_HMAC_SHA1_H

#include <linux/types.h>

int srtprelay_hmac_sha1_init(char *impl, size_t size);
void srtprelay_hmac_sha1_exit(void);

#endif /* SRTPRELAY_HMAC_SHA1_H */
