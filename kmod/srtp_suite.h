/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What each enum srtprelay_suite is made of. One table for the module, the
 * userspace datapath, SDES and srtprelayctl, so that a suite's key, salt
 * and tag lengths are written down once.
 */
#ifndef SRTPRELAY_SRTP_SUITE_H
#define SRTPRELAY_SRTP_SUITE_H

#include <linux/srtprelay.h>

#define SRTP_AEAD_TAG_LEN 16	/* RFC 7714 section 7: GCM tag, 128 bits */

struct srtp_suite_info {
	unsigned char key_len;		/* master and session key, bytes */
	unsigned char salt_len;		/* master and session salt, bytes */
	unsigned char rtp_tag_len;	/* SRTP tag, bytes */
	unsigned char rtcp_tag_len;	/* SRTCP tag, bytes */
	unsigned char aead;		/* 1: AES-GCM (RFC 7714), no HMAC */
};

/**
 * srtp_suite_info() - key, salt and tag lengths of a suite
 * @suite: an enum srtprelay_suite value
 *
 * Return: the suite's lengths; all zero for SRTPRELAY_SUITE_NONE and for a
 * value that is not a suite (callers check @suite against
 * SRTPRELAY_SUITE_MAX first where it comes from outside).
 */
static inline struct srtp_suite_info srtp_suite_info(unsigned int suite)
{
	struct srtp_suite_info cm128 = {
		SRTPRELAY_MASTER_KEY_LEN_128, SRTPRELAY_MASTER_SALT_LEN_CM,
		10, 10, 0
	};
	struct srtp_suite_info cm256 = {
		SRTPRELAY_MASTER_KEY_LEN_256, SRTPRELAY_MASTER_SALT_LEN_CM,
		10, 10, 0
	};
	struct srtp_suite_info gcm = {
		SRTPRELAY_MASTER_KEY_LEN_128, SRTPRELAY_MASTER_SALT_LEN_GCM,
		SRTP_AEAD_TAG_LEN, SRTP_AEAD_TAG_LEN, 1
	};
	struct srtp_suite_info none = { 0, 0, 0, 0, 0 };

	switch (suite) {
	case SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80:
		return cm128;
	case SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32:
		cm128.rtp_tag_len = 4;
		return cm128;
	case SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80:
		return cm256;
	case SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_32:
		cm256.rtp_tag_len = 4;
		return cm256;
	case SRTPRELAY_SUITE_AEAD_AES_128_GCM:
		return gcm;
	case SRTPRELAY_SUITE_AEAD_AES_256_GCM:
		gcm.key_len = SRTPRELAY_MASTER_KEY_LEN_256;
		return gcm;
	default:
		return none;
	}
}

#endif /* SRTPRELAY_SRTP_SUITE_H */
