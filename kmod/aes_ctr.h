/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module needs from aes_ctr.c beyond srtp_crypto.h's struct
 * srtp_cipher, which it implements.
 */
#ifndef SRTPRELAY_AES_CTR_H
#define SRTPRELAY_AES_CTR_H

int srtprelay_aes_ctr_selftest(const char **impl);

#endif /* SRTPRELAY_AES_CTR_H */
