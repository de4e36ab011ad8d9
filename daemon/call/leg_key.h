/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * An SDES key as a call keeps it: one a=crypto line's tag, suite, session
 * parameters and its master key. A struct sdes_crypto has room for the 16
 * keys and 16 FEC keys one line may list (2.4 KB); we take lines of one
 * key only (srtp_policy.c, offer_answer.c), so a call keeps this (about
 * 100 bytes) for each key of each media line, and a struct sdes_crypto
 * only on the stack, where the SDES code needs one. FEC_KEY values
 * (RFC 4568 6.3.5) are not kept: fec_keys says there were some, and such a
 * key is never offered on to the other leg (offer_answer.c).
 *
 * It holds a master key: leg_key_wipe() it before its memory is reused
 * or freed.
 */
#ifndef SRTPRELAYD_LEG_KEY_H
#define SRTPRELAYD_LEG_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sdes.h"

struct leg_key {
	bool set;			/* else no key */
	bool has_kdr;
	bool fec_keys;			/* the line had FEC_KEY, not kept */
	uint8_t kdr;
	uint8_t fec_order;		/* enum sdes_fec_order */
	uint32_t tag;
	enum sdes_suite suite;
	uint32_t flags;			/* SRTPRELAY_CRYPTO_F_* */
	uint32_t wsh;
	struct sdes_key key;
};

/* The first key of @c (lines of more are refused before) into @k. */
void leg_key_from_sdes(struct leg_key *k, const struct sdes_crypto *c);
/* @k as a line of one key; wipe @c with sdes_crypto_wipe() after use. */
void leg_key_to_sdes(const struct leg_key *k, struct sdes_crypto *c);
void leg_key_wipe(struct leg_key *k);
/* Every field equal, the keys compared in constant time. */
bool leg_key_equal(const struct leg_key *a, const struct leg_key *b);

/* sdes_generate() and sdes_answer() into a leg_key: an enum sdes_status. */
int leg_key_generate(struct leg_key *k, uint32_t tag, enum sdes_suite suite);
int leg_key_answer(const struct leg_key *offer, struct leg_key *answer);
/* sdes_format() of @k: its length, or a negative enum sdes_status. */
int leg_key_format(const struct leg_key *k, char *buf, size_t size);

#endif
