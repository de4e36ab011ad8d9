/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * From a negotiated a=crypto line to a libsrtp2 policy, for the userspace
 * datapath and for tests that check our keys against libsrtp2. A program
 * that calls this links -lsrtp2.
 */
#ifndef SRTPRELAY_SDES_LIBSRTP_H
#define SRTPRELAY_SDES_LIBSRTP_H

#include <srtp2/srtp.h>
#include <srtp2/crypto_types.h>
#include "sdes.h"

/*
 * The policy and the storage its pointers refer to (keys, MKIs, the master
 * key list): build it in place and do not copy it; hand &policy to
 * srtp_create() or srtp_add_stream(), which copy what they need, then wipe.
 */
struct sdes_libsrtp_policy {
	srtp_policy_t policy;
	/* Every key carries an MKI: protect with srtp_protect_mki() and
	 * srtp_protect_rtcp_mki() with use_mki set (and the index of the key
	 * to send under), unprotect with the _mki calls likewise; the plain
	 * calls would send and expect no MKI.
	 */
	bool use_mki;
	unsigned char key_salt[SDES_MAX_KEYS][SDES_KEY_SALT_MAX];
	unsigned char mki[SDES_MAX_KEYS][SRTPRELAY_MKI_MAX_LEN];
	srtp_master_key_t master_key[SDES_MAX_KEYS];
	srtp_master_key_t *master_keys[SDES_MAX_KEYS];
};

/*
 * Fills @out for @crypto, for SSRCs of @ssrc_type (ssrc_any_outbound to
 * protect what we send, ssrc_any_inbound to unprotect what we receive).
 * The RTP transform is the suite's; SRTCP has the 80-bit tag with AES-CM
 * (RFC 4568 6.2.2) and GCM's own with AEAD. All keys are given to libsrtp2 when they have MKIs (it picks
 * the key by MKI on receipt), otherwise key 0 alone. The session
 * parameters select the services, WSH the replay window clamped as for the
 * SRTP core. Returns SDES_OK, SDES_UNSUPPORTED_SUITE or SDES_UNSUPPORTED
 * with a message in @err; @out is wiped on failure.
 *
 * Beware: libsrtp2 before 2.7 (Debian 12 has 2.5) cannot unprotect SRTCP
 * with an MKI when the RTP tag is not 80 bits, i.e. AES_CM_128_HMAC_SHA1_32
 * with "|n:len" (cisco/libsrtp#733); it protects it correctly.
 */
int sdes_to_libsrtp_policy(const struct sdes_crypto *crypto,
			   srtp_ssrc_type_t ssrc_type,
			   struct sdes_libsrtp_policy *out, char *err,
			   size_t err_len);

void sdes_libsrtp_policy_wipe(struct sdes_libsrtp_policy *policy);

/*
 * libsrtp2's RTP and RTCP transforms of @relay_suite (enum
 * srtprelay_suite): SRTCP keeps the 80-bit tag under the AES-CM suites
 * (RFC 4568 6.2.2, RFC 6188 section 6), the 16-byte GCM tag under AEAD
 * (RFC 7714 section 14.2). False for SRTPRELAY_SUITE_NONE and unknown ones.
 * The tests' libsrtp2 peers and the benchmarks use it too.
 */
bool libsrtp_policy_set_suite(uint32_t relay_suite, srtp_policy_t *policy);

#endif /* SRTPRELAY_SDES_LIBSRTP_H */
