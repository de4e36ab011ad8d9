/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The hash of srtprelayd's tables keyed by what a peer sends (transaction
 * branches, Call-IDs, source addresses): SipHash-2-4 under a key drawn
 * from getrandom() when the table is set up. An unkeyed hash lets a
 * sender choose keys that share one bucket and turn every lookup into a
 * walk over all of them; SipHash was made for exactly this (Aumasson and
 * Bernstein, 2012), and each table draws a key of its own.
 */
#ifndef SRTPRELAYD_HASH_H
#define SRTPRELAYD_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct hash_key {
	uint64_t k0, k1;
};

/* A fresh random key; 0, or -errno when getrandom() failed. */
int hash_key_init(struct hash_key *key);
/* SipHash-2-4 of @len bytes at @data under @key. */
uint64_t hash_bytes(const struct hash_key *key, const void *data, size_t len);

static inline uint64_t hash_string(const struct hash_key *key, const char *s)
{
	return hash_bytes(key, s, strlen(s));
}

#endif
