/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * SDES (RFC 4568): the a=crypto attribute of RTP/SAVP media lines.
 *
 * sdes_parse() reads one attribute value into struct sdes_crypto,
 * sdes_format() writes one back, sdes_generate() and sdes_answer() make
 * fresh keys for our own offers and answers. sdes_params.c turns a parsed
 * line into the SRTP core's struct srtp_params, sdes_libsrtp.h into a
 * libsrtp2 policy.
 *
 * Input
 * -----
 * sdes_parse() takes (buf, len) and never reads past len nor looks for a
 * terminator; a NUL inside the buffer is an ordinary (invalid) byte. The
 * value may start with "a=crypto:" or "crypto:" (the SDP attribute name is
 * case-sensitive, RFC 4566) or be the bare value "tag suite key-params...";
 * leading SP/HTAB and trailing SP/HTAB/CR/LF are ignored. Between fields any
 * run of SP and HTAB is accepted (1*WSP in the RFC 4568 9.1 grammar).
 * Field values are case-insensitive (RFC 4568 section 4), so
 * "aes_cm_128_hmac_sha1_80" and "INLINE:" are accepted.
 *
 * What is checked (RFC 4568 sections 4, 6 and 9):
 *  - tag: 1 to 9 digits, no leading zero; 0..999999999. (0 is valid ABNF
 *    and some stacks send it, so it is accepted.)
 *  - key-params: one or more "inline:" keys separated by ';'; key||salt in
 *    base64 (padding optional, unused bits zero) of exactly the suite's
 *    length; lifetime "2^n" (n <= 48) or a non-zero decimal <= 2^48, no
 *    leading zeros (RFC 3711 allows 2^48 SRTP packets; SRTCP's own 2^31
 *    limit is enforced by whoever counts SRTCP packets); "MKI:length" with
 *    length 1..128 and a value that fits the length (0 is taken, though 6.1
 *    calls the MKI positive: it is unambiguous on the wire). With more than
 *    one key every key has an MKI, all of one length, with distinct values
 *    (6.1), and no two keys are the same.
 *  - session parameters: KDR=n (0..24), UNENCRYPTED_SRTP, UNENCRYPTED_SRTCP,
 *    UNAUTHENTICATED_SRTP, FEC_ORDER=FEC_SRTP|SRTP_FEC, FEC_KEY=key-params,
 *    WSH=n (>= 64). Each at most once. Unknown ones starting with '-' are
 *    optional and skipped (counted in n_ignored); any other unknown one makes
 *    the attribute invalid (RFC 4568 6.3.7).
 *
 * Results
 * -------
 * SDES_OK              valid, and the SRTP core can do it.
 * SDES_INVALID         violates RFC 4568: the attribute MUST be ignored.
 * SDES_UNSUPPORTED_SUITE  a suite the SRTP core does not run (F8, AES-192).
 *                      For suites in sdes_suite the rest of the line is
 *                      fully checked first (an invalid line stays
 *                      SDES_INVALID); for names we do not know at all only
 *                      tag and name are read (key-info syntax belongs to the
 *                      suite), suite is SDES_SUITE_UNKNOWN, suite_name holds
 *                      the name. Either way the line is skipped and another
 *                      a=crypto line of the offer may be taken.
 * SDES_UNSUPPORTED     valid, but asks for what the SRTP core lacks: KDR
 *                      1..24 (the core derives keys once) or an MKI longer
 *                      than SRTPRELAY_MKI_MAX_LEN bytes.
 * Every result other than SDES_OK comes with a message naming the field and
 * the reason ("key-params 1: inline key is 29 bytes, AES_CM_128_HMAC_SHA1_80
 * needs 30"). Messages never contain key material.
 *
 * Output
 * ------
 * sdes_format() writes the attribute value without "a=crypto:", fields
 * separated by single spaces, suite names in upper case, "inline" in lower
 * case, base64 with padding, the lifetime in the form it was given ("2^n"
 * or decimal), session parameters in the order of the RFC 4568 9.2 grammar
 * (KDR, UNENCRYPTED_SRTP, UNENCRYPTED_SRTCP, UNAUTHENTICATED_SRTP,
 * FEC_ORDER, FEC_KEY, WSH); skipped '-' parameters are not written. For
 * a line already in that form, format(parse(x)) == x.
 *
 * Keys
 * ----
 * struct sdes_crypto holds master keys: wipe it with sdes_crypto_wipe()
 * whatever the result of the call that filled it.
 */
#ifndef SRTPRELAY_SDES_H
#define SRTPRELAY_SDES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/srtprelay.h>

#define SDES_TAG_MAX 999999999U
/* Keys in one key-params field; libsrtp2's SRTP_MAX_NUM_MASTER_KEYS. */
#define SDES_MAX_KEYS 16
/* Longest key||salt of a suite in enum sdes_suite (AES_256_CM: 32 + 14). */
#define SDES_KEY_SALT_MAX 46
#define SDES_MKI_LEN_MAX 128		/* RFC 4568 9.2 */
#define SDES_LIFETIME_MAX (1ULL << 48)	/* RFC 3711 section 9.2 */
#define SDES_LIFETIME_EXP_MAX 48
#define SDES_KDR_MAX 24
#define SDES_WSH_MIN 64			/* RFC 4568 6.3.6 */
#define SDES_WSH_MAX 0x7fffffffU	/* larger hints are not believable */
#define SDES_SUITE_NAME_MAX 40		/* longer unknown names are cut */
#define SDES_ERR_MAX 192		/* room for any message */
/* Room for any line sdes_format() can write, NUL included. */
#define SDES_LINE_MAX 4096

enum sdes_status {
	SDES_OK = 0,
	SDES_INVALID,
	SDES_UNSUPPORTED_SUITE,
	SDES_UNSUPPORTED,
	SDES_NOSPACE,		/* sdes_format(): buffer too small */
	SDES_ERROR,		/* random generator or library failure */
};

/*
 * Suites of the IANA "SRTP Crypto Suite" registry (RFC 4568, 6188, 7714)
 * and the F8 names of the RFC 4568 grammar. AES_CM_128, AES_256_CM (RFC
 * 6188) and AEAD_AES_*_GCM (RFC 7714) are supported; F8 and AES_192 are
 * recognised so that their lines are checked and reported as
 * SDES_UNSUPPORTED_SUITE by name.
 */
enum sdes_suite {
	SDES_SUITE_UNKNOWN = 0,
	SDES_SUITE_AES_CM_128_HMAC_SHA1_80,
	SDES_SUITE_AES_CM_128_HMAC_SHA1_32,
	SDES_SUITE_F8_128_HMAC_SHA1_80,
	SDES_SUITE_F8_128_HMAC_SHA1_32,
	SDES_SUITE_AES_192_CM_HMAC_SHA1_80,
	SDES_SUITE_AES_192_CM_HMAC_SHA1_32,
	SDES_SUITE_AES_256_CM_HMAC_SHA1_80,
	SDES_SUITE_AES_256_CM_HMAC_SHA1_32,
	SDES_SUITE_AEAD_AES_128_GCM,
	SDES_SUITE_AEAD_AES_256_GCM,
	__SDES_SUITE_COUNT
};

enum sdes_lifetime_form {
	SDES_LIFETIME_NONE = 0,		/* not given: the suite's default */
	SDES_LIFETIME_DECIMAL,		/* "|1048576" */
	SDES_LIFETIME_POWER,		/* "|2^20" */
};

enum sdes_fec_order {
	SDES_FEC_ORDER_NONE = 0,	/* not given (FEC_SRTP is the default) */
	SDES_FEC_ORDER_FEC_SRTP,
	SDES_FEC_ORDER_SRTP_FEC,
};

/* One "inline:" key: RFC 4568 section 6.1. */
struct sdes_key {
	uint8_t key_salt[SDES_KEY_SALT_MAX];	/* master key, then salt */
	uint8_t key_salt_len;
	uint8_t lifetime_form;			/* enum sdes_lifetime_form */
	uint8_t mki_len;			/* bytes; 0: no MKI */
	uint64_t lifetime;			/* packets; 0 when not given */
	uint64_t mki;				/* MKI value, big-endian on the wire */
};

struct sdes_crypto {
	uint32_t tag;
	enum sdes_suite suite;
	/* As received, for messages; canonical for known suites. */
	char suite_name[SDES_SUITE_NAME_MAX + 1];
	unsigned int n_keys;
	struct sdes_key keys[SDES_MAX_KEYS];
	uint32_t flags;			/* SRTPRELAY_CRYPTO_F_* */
	bool has_kdr;
	uint8_t kdr;			/* KDR=n: key derivation rate 2^n */
	uint8_t fec_order;		/* enum sdes_fec_order */
	unsigned int n_fec_keys;	/* FEC_KEY=key-params */
	struct sdes_key fec_keys[SDES_MAX_KEYS];
	uint32_t wsh;			/* window size hint; 0: not given */
	unsigned int n_ignored;		/* optional '-' parameters skipped */
};

/*
 * Parses one crypto attribute value; see the top of this file. @err (may be
 * NULL) receives a NUL-terminated message when the result is not SDES_OK.
 * Returns an enum sdes_status.
 */
int sdes_parse(const char *buf, size_t len, struct sdes_crypto *crypto,
	       char *err, size_t err_len);

/*
 * Writes the canonical attribute value of @crypto (without "a=crypto:") and
 * a NUL into @buf. Returns its length, or -SDES_NOSPACE when @size is too
 * small, or -SDES_INVALID when @crypto cannot be written (unknown suite, no
 * key, a key of the wrong length, values out of range).
 */
int sdes_format(const struct sdes_crypto *crypto, char *buf, size_t size);

/* Zeroes @crypto, keys included, in a way the compiler cannot drop. */
void sdes_crypto_wipe(struct sdes_crypto *crypto);

/*
 * Field-by-field equality, keys compared in constant time. For tests and
 * for telling a re-offer with the same crypto from a rekey.
 */
bool sdes_crypto_equal(const struct sdes_crypto *a,
		       const struct sdes_crypto *b);

/* Canonical name, or NULL for SDES_SUITE_UNKNOWN. */
const char *sdes_suite_name(enum sdes_suite suite);
/* key||salt bytes the suite needs, 0 for SDES_SUITE_UNKNOWN. */
unsigned int sdes_suite_key_salt_len(enum sdes_suite suite);
/* True for the suites the SRTP core runs. */
bool sdes_suite_supported(enum sdes_suite suite);
/* Name of an enum sdes_status, for logs. */
const char *sdes_status_name(int status);

/*
 * Fills @crypto with one fresh random key (OpenSSL RAND_bytes) for @suite,
 * no lifetime, no MKI, no session parameters: what we offer. Returns
 * SDES_OK, SDES_UNSUPPORTED_SUITE, SDES_INVALID (tag out of range) or
 * SDES_ERROR (no randomness).
 */
int sdes_generate(struct sdes_crypto *crypto, uint32_t tag,
		  enum sdes_suite suite);

/*
 * Builds our answer to an accepted offer (RFC 4568 5.1.2, 7.1.2): the
 * offer's tag and suite, a fresh key different from the offer's, and the
 * negotiated session parameters (UNENCRYPTED_SRTP, UNENCRYPTED_SRTCP,
 * UNAUTHENTICATED_SRTP), which MUST be echoed. The offerer's declarative
 * parameters (KDR, FEC_*, WSH) describe its own sending and are not copied.
 * Returns as sdes_generate().
 */
int sdes_answer(const struct sdes_crypto *offer, struct sdes_crypto *answer);

/*
 * The SRTP core's suite (enum srtprelay_suite) of a supported SDES suite,
 * SRTPRELAY_SUITE_NONE for any other; and back (SDES_SUITE_UNKNOWN for
 * SRTPRELAY_SUITE_NONE and unknown values).
 */
uint32_t sdes_suite_to_relay(enum sdes_suite suite);
enum sdes_suite sdes_suite_from_relay(uint32_t relay_suite);

struct srtp_params;
/*
 * The SRTP core's parameters for media protected with @crypto: key 0 and its
 * MKI (the core holds one master key; packets under another key's MKI are
 * dropped as MKI mismatches), the session parameters as
 * SRTPRELAY_CRYPTO_F_* flags, and WSH clamped into
 * SRTPRELAY_REPLAY_WINDOW_MIN..MAX as the replay window (0, the core's
 * default, without WSH). ROC and SEQ start unknown (RFC 4568 6.4: ROC 0).
 * Returns SDES_OK, or SDES_UNSUPPORTED_SUITE / SDES_UNSUPPORTED /
 * SDES_INVALID with a message in @err. @params is wiped on failure.
 */
int sdes_to_srtp_params(const struct sdes_crypto *crypto,
			struct srtp_params *params, char *err, size_t err_len);

#endif /* SRTPRELAY_SDES_H */
