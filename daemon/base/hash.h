/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The string hash of srtprelayd's hash tables (transactions, calls). */
#ifndef SRTPRELAYD_HASH_H
#define SRTPRELAYD_HASH_H

#include <stdint.h>

/* FNV-1a: short keys (branches, Call-IDs), spread well, no state. */
static inline uint32_t hash_string(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

#endif
