/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The SRTP core (srtp.c) is compiled twice: into srtprelay.ko and into the
 * userspace library. This header gives it the few kernel facilities it uses,
 * so that the code the kernel runs is the code the unit tests run.
 */
#ifndef SRTPRELAY_SRTP_COMPAT_H
#define SRTPRELAY_SRTP_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/bitops.h>
#include <linux/math.h>
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif
#include <crypto/algapi.h>	/* crypto_memneq() */
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <openssl/crypto.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

/* Same contract as the kernel's: true when the buffers differ, in time
 * independent of where they differ.
 */
static inline bool crypto_memneq(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) != 0;
}

static inline void memzero_explicit(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}

#ifndef DIV_ROUND_UP
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#endif
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif /* __KERNEL__ */

#endif /* SRTPRELAY_SRTP_COMPAT_H */
