// SPDX-License-Identifier: GPL-2.0
/*
 * AES in counter mode for the SRTP core (srtp_crypto.h's struct
 * srtp_cipher), on the kernel's AES library instead of a crypto-API
 * transform.
 *
 * Why not "ctr(aes)": a transform per key is a crypto_tfm of its own, and
 * on x86 the ctr template over "aes-aesni" keeps the child cipher's
 * 484-byte context (encryption and decryption schedules) in a kmalloc-1k
 * object beside a kmalloc-64 one for the template: four of each per
 * stream were 4.3 of a stream's 7.6 KB (bench/kmod-cost.sh). Counter mode
 * needs only the encryption schedule, 176 bytes for AES-128. The template
 * also brackets every 16-byte block with kernel_fpu_begin()/end(); here a
 * packet takes one.
 *
 * The schedule comes from aes_expandkey(), whose round keys are in the
 * byte order AES-NI takes them: the kernel's aesni driver keeps one
 * context for its AES-NI code and for aes_encrypt(), its fallback. A
 * packet runs AES-NI when the CPU has it and the FPU may be used in the
 * current context, aes_encrypt() otherwise (a softirq that interrupted
 * another kernel FPU section, or an architecture without AES-NI).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "aes_ctr.h"
#include "srtp_crypto.h"

#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#ifdef CONFIG_X86_64
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/simd.h>
#endif

struct srtp_cipher {
	unsigned int rounds;	/* 10 for AES-128, 14 for AES-256 */
	u32 key_enc[];		/* rounds + 1 round keys of four words */
};

static unsigned int aes_schedule_bytes(unsigned int rounds)
{
	return (rounds + 1) * AES_BLOCK_SIZE;
}

#ifdef CONFIG_X86_64
static bool aes_ni_usable(void)
{
	return static_cpu_has(X86_FEATURE_AES) && may_use_simd();
}

/*
 * Four blocks at once, between kernel_fpu_begin() and kernel_fpu_end():
 * the keystream of the four counter blocks at @ctrs XORed into the 64
 * bytes at @data. An aesenc takes several cycles to give its result and
 * the unit takes a new one every cycle or two, so four independent blocks
 * go through a round in about the time one does, and a round key is loaded
 * once for the four. The kernel itself is built without SSE, so xmm0-4
 * are ours until kernel_fpu_end(): the blocks, then the round key and the
 * data. Unaligned loads (movdqu): the schedule, the counters and the
 * packet have no 16-byte alignment.
 */
static void aes_ni_xor4(const struct srtp_cipher *c, u8 *data,
			const u8 ctrs[4 * AES_BLOCK_SIZE])
{
	const u8 *round_key = (const u8 *)c->key_enc;
	unsigned int middle_rounds = c->rounds - 1;

	asm volatile("movdqu (%[rk]), %%xmm4\n\t"
		     "movdqu 0(%[ctr]), %%xmm0\n\t"
		     "movdqu 16(%[ctr]), %%xmm1\n\t"
		     "movdqu 32(%[ctr]), %%xmm2\n\t"
		     "movdqu 48(%[ctr]), %%xmm3\n\t"
		     "pxor %%xmm4, %%xmm0\n\t"
		     "pxor %%xmm4, %%xmm1\n\t"
		     "pxor %%xmm4, %%xmm2\n\t"
		     "pxor %%xmm4, %%xmm3\n"
		     "1:\n\t"
		     "add $16, %[rk]\n\t"
		     "movdqu (%[rk]), %%xmm4\n\t"
		     "aesenc %%xmm4, %%xmm0\n\t"
		     "aesenc %%xmm4, %%xmm1\n\t"
		     "aesenc %%xmm4, %%xmm2\n\t"
		     "aesenc %%xmm4, %%xmm3\n\t"
		     "dec %[n]\n\t"
		     "jnz 1b\n\t"
		     "movdqu 16(%[rk]), %%xmm4\n\t"
		     "aesenclast %%xmm4, %%xmm0\n\t"
		     "aesenclast %%xmm4, %%xmm1\n\t"
		     "aesenclast %%xmm4, %%xmm2\n\t"
		     "aesenclast %%xmm4, %%xmm3\n\t"
		     "movdqu 0(%[data]), %%xmm4\n\t"
		     "pxor %%xmm4, %%xmm0\n\t"
		     "movdqu %%xmm0, 0(%[data])\n\t"
		     "movdqu 16(%[data]), %%xmm4\n\t"
		     "pxor %%xmm4, %%xmm1\n\t"
		     "movdqu %%xmm1, 16(%[data])\n\t"
		     "movdqu 32(%[data]), %%xmm4\n\t"
		     "pxor %%xmm4, %%xmm2\n\t"
		     "movdqu %%xmm2, 32(%[data])\n\t"
		     "movdqu 48(%[data]), %%xmm4\n\t"
		     "pxor %%xmm4, %%xmm3\n\t"
		     "movdqu %%xmm3, 48(%[data])"
		     : [rk] "+r" (round_key), [n] "+r" (middle_rounds)
		     : [ctr] "r" (ctrs), [data] "r" (data)
		     : "memory", "cc");
}

/* Keystream, round keys and data would stay in the registers. */
static void aes_ni_wipe(void)
{
	asm volatile("pxor %%xmm0, %%xmm0\n\t"
		     "pxor %%xmm1, %%xmm1\n\t"
		     "pxor %%xmm2, %%xmm2\n\t"
		     "pxor %%xmm3, %%xmm3\n\t"
		     "pxor %%xmm4, %%xmm4" ::: "memory");
}

static void aes_ni_begin(void)
{
	kernel_fpu_begin();
}

static void aes_ni_end(void)
{
	aes_ni_wipe();
	kernel_fpu_end();
}
#else
static bool aes_ni_usable(void)
{
	return false;
}

static void aes_ni_xor4(const struct srtp_cipher *c, u8 *data,
			const u8 ctrs[4 * AES_BLOCK_SIZE])
{
}

static void aes_ni_begin(void)
{
}

static void aes_ni_end(void)
{
}
#endif

/* The keystream from @counter, a block at a time from aes_encrypt(). */
static void aes_ctr_xor_blocks(const struct crypto_aes_ctx *lib,
			       u8 counter[AES_BLOCK_SIZE], u8 *data,
			       unsigned int len)
{
	u8 keystream[AES_BLOCK_SIZE];
	unsigned int n;

	while (len) {
		aes_encrypt(lib, keystream, counter);
		n = min_t(unsigned int, len, AES_BLOCK_SIZE);
		crypto_xor(data, keystream, n);
		crypto_inc(counter, AES_BLOCK_SIZE);
		data += n;
		len -= n;
	}
	memzero_explicit(keystream, sizeof(keystream));
}

/*
 * With AES-NI, four blocks at a time: whole groups of four in place, then
 * what is left (up to four blocks, the last maybe partial) from four
 * blocks of keystream made over zeros. A 160-byte payload takes three
 * groups where it took ten single blocks.
 */
static void aes_ni_ctr_xor(const struct srtp_cipher *c,
			   u8 counter[AES_BLOCK_SIZE], u8 *data,
			   unsigned int len)
{
	u8 ctrs[4 * AES_BLOCK_SIZE];
	u8 keystream[4 * AES_BLOCK_SIZE];
	unsigned int i, n;

	while (len) {
		for (i = 0; i < 4; i++) {
			memcpy(ctrs + i * AES_BLOCK_SIZE, counter, AES_BLOCK_SIZE);
			crypto_inc(counter, AES_BLOCK_SIZE);
		}
		if (len >= sizeof(keystream)) {
			aes_ni_xor4(c, data, ctrs);
			n = sizeof(keystream);
		} else {
			memset(keystream, 0, sizeof(keystream));
			aes_ni_xor4(c, keystream, ctrs);
			n = len;
			crypto_xor(data, keystream, n);
		}
		data += n;
		len -= n;
	}
	memzero_explicit(keystream, sizeof(keystream));
	memzero_explicit(ctrs, sizeof(ctrs));
}

/* aes_encrypt() reads a whole context: a copy, wiped after the packet. */
static void aes_ctr_xor_lib(const struct srtp_cipher *c,
			    u8 counter[AES_BLOCK_SIZE], u8 *data,
			    unsigned int len)
{
	struct crypto_aes_ctx lib;

	lib.key_length = 4 * (c->rounds - 6);
	memcpy(lib.key_enc, c->key_enc, aes_schedule_bytes(c->rounds));
	aes_ctr_xor_blocks(&lib, counter, data, len);
	memzero_explicit(&lib, sizeof(lib));
}

/* The keystream from @counter XORed into @data, with AES-NI if @ni. */
static void aes_ctr_xor(const struct srtp_cipher *c, bool ni,
			u8 counter[AES_BLOCK_SIZE], u8 *data, unsigned int len)
{
	if (ni) {
		aes_ni_begin();
		aes_ni_ctr_xor(c, counter, data, len);
		aes_ni_end();
	} else {
		aes_ctr_xor_lib(c, counter, data, len);
	}
}

/**
 * srtp_cipher_new() - allocate AES counter mode keyed with @key
 * @cipher: where the new object is stored
 * @key: the AES-128 or AES-256 session key
 * @key_len: 16 or 32
 *
 * Process context only.
 *
 * Return: 0 or a negative errno.
 */
int srtp_cipher_new(struct srtp_cipher **cipher, const u8 *key,
		    unsigned int key_len)
{
	struct crypto_aes_ctx expanded;
	struct srtp_cipher *c;
	unsigned int rounds;
	int err;

	if (key_len != AES_KEYSIZE_128 && key_len != AES_KEYSIZE_256)
		return -EINVAL;
	rounds = 6 + key_len / 4;
	/* Charged to the caller's memory cgroup, as the stream is. */
	c = kmalloc(struct_size(c, key_enc, 4 * (rounds + 1)),
		    GFP_KERNEL_ACCOUNT);
	if (!c)
		return -ENOMEM;
	err = aes_expandkey(&expanded, key, key_len);
	if (!err) {
		c->rounds = rounds;
		memcpy(c->key_enc, expanded.key_enc, aes_schedule_bytes(rounds));
	}
	memzero_explicit(&expanded, sizeof(expanded));
	if (err) {
		kfree(c);
		return err;
	}
	*cipher = c;
	return 0;
}

/**
 * srtp_cipher_xor() - XOR the AES-CTR keystream starting at @iv into @data
 * @cipher: keyed cipher
 * @iv: initial counter block, incremented as a 128-bit big-endian number
 *	from block to block as "ctr(aes)" and RFC 3711's AES-CM do
 * @data: bytes to en- or decrypt in place
 * @len: number of bytes
 *
 * Safe in softirq context.
 *
 * Return: 0.
 */
int srtp_cipher_xor(struct srtp_cipher *cipher, const u8 iv[SRTP_AES_BLOCK_LEN],
		    u8 *data, unsigned int len)
{
	u8 counter[AES_BLOCK_SIZE];

	if (!len)
		return 0;
	memcpy(counter, iv, sizeof(counter));
	aes_ctr_xor(cipher, aes_ni_usable(), counter, data, len);
	memzero_explicit(counter, sizeof(counter));
	return 0;
}

/**
 * srtp_cipher_free() - wipe a cipher's expanded key and free it
 * @cipher: object from srtp_cipher_new(), or NULL
 */
void srtp_cipher_free(struct srtp_cipher *cipher)
{
	kfree_sensitive(cipher);
}

struct aes_ctr_vector {
	const u8 *key;
	unsigned int key_len;
	u8 iv[AES_BLOCK_SIZE];
	u8 keystream[11 * AES_BLOCK_SIZE];
	unsigned int len;
};

/*
 * RFC 3711 appendix B.2 (AES-CM); FIPS-197 appendix C.3 (AES-256) as a
 * counter block; an AES-256 keystream whose counter carries across bytes,
 * from OpenSSL's aes-256-ctr; and 170 bytes of AES-128 keystream from
 * OpenSSL's aes-128-ctr, B.2's key with a counter that carries inside the
 * first group of four blocks: two whole groups and a partial one, as an
 * RTP payload takes them. A length off the block size checks the partial
 * last block.
 */
static const u8 aes_ctr_rfc3711_key128[AES_KEYSIZE_128] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};

static const u8 aes_ctr_fips197_key256[AES_KEYSIZE_256] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

static const struct aes_ctr_vector aes_ctr_vectors[] = {
	{
		.key = aes_ctr_rfc3711_key128,
		.key_len = AES_KEYSIZE_128,
		.iv = "\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7"
		      "\xf8\xf9\xfa\xfb\xfc\xfd\x00\x00",
		.keystream = "\xe0\x3e\xad\x09\x35\xc9\x5e\x80"
			     "\xe1\x66\xb1\x6d\xd9\x2b\x4e\xb4"
			     "\xd2\x35\x13\x16\x2b\x02\xd0\xf7"
			     "\x2a\x43\xa2\xfe\x4a\x5f\x97\xab"
			     "\x41\xe9\x5b\x3b\xb0\xa2\xe8\xdd"
			     "\x47\x79\x01\xe4\xfc\xa8\x94\xc0",
		.len = 48,
	}, {
		.key = aes_ctr_fips197_key256,
		.key_len = AES_KEYSIZE_256,
		.iv = "\x00\x11\x22\x33\x44\x55\x66\x77"
		      "\x88\x99\xaa\xbb\xcc\xdd\xee\xff",
		.keystream = "\x8e\xa2\xb7\xca\x51\x67\x45\xbf"
			     "\xea\xfc\x49\x90\x4b\x49\x60\x89",
		.len = 16,
	}, {
		.key = aes_ctr_fips197_key256,
		.key_len = AES_KEYSIZE_256,
		.iv = "\x00\x11\x22\x33\x44\x55\x66\x77"
		      "\x88\x99\xaa\xbb\xcc\xdd\xff\xff",
		.keystream = "\xc7\x54\x1a\x6a\xdb\x3a\x42\xed"
			     "\x77\xd6\x6c\x9b\xc6\xae\x6f\x70"
			     "\x1a\xdd\x76\xdc\x8a\x29\x07\x5d"
			     "\xe4\x7c\xe1\x48\x5e\x77\x1e\x2b"
			     "\xd6\xe0\xb5\x05\x10\x2d\x36\x49",
		.len = 40,
	}, {
		.key = aes_ctr_rfc3711_key128,
		.key_len = AES_KEYSIZE_128,
		.iv = "\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7"
		      "\xf8\xf9\xfa\xfb\xfc\xfd\xff\xfd",
		.keystream = "\x20\x47\x38\x0b\x62\x09\x9e\xe7"
			     "\x2c\xec\x52\xfa\xff\xd7\xa2\x8c"
			     "\x57\x88\x5c\xea\x65\x5d\xf2\x5b"
			     "\xd7\x8f\x12\x23\xb5\x8d\xf0\x96"
			     "\x86\xb8\x08\xb2\xca\x53\xc5\xe1"
			     "\x2b\xe2\x55\x2d\x44\x57\xa5\x75"
			     "\x36\x72\x0d\x09\xb6\xad\x33\xc5"
			     "\xc6\x99\x31\x1e\xe7\x49\xfe\x2c"
			     "\x6a\xeb\x23\x8a\x09\x5d\x1b\x87"
			     "\x9f\x8e\x0b\x86\x01\x8c\x45\x27"
			     "\xdb\x8a\x71\x5b\x9a\x75\x38\x18"
			     "\x18\xec\xcd\xf4\xaf\x74\x6f\x3c"
			     "\x47\x0b\x71\x9b\xa3\x93\x06\x66"
			     "\xbe\xa2\x5a\x5f\x1e\x11\xbe\xab"
			     "\xe7\xa0\x34\xf4\x4d\xe3\x8b\xbe"
			     "\xd9\x48\xf0\xd7\x25\x27\x47\xe5"
			     "\x4e\x50\x89\x9b\x3d\x6c\x03\xc8"
			     "\x56\x2f\x17\xe7\x5a\x31\x40\x54"
			     "\x31\x21\x7a\xa1\xb7\x0a\x62\x6e"
			     "\x39\x3a\xc2\x3f\x0e\x68\xd2\xd8"
			     "\xc6\x45\x85\x1f\x2d\x25\x68\x1f"
			     "\x0d\xb4",
		.len = 170,
	},
};

/* One vector through AES-NI (@ni) or aes_encrypt(). */
static int aes_ctr_check(const struct aes_ctr_vector *v, bool ni)
{
	u8 data[sizeof(v->keystream)] = { 0 };
	u8 counter[AES_BLOCK_SIZE];
	struct srtp_cipher *c;
	int err;

	err = srtp_cipher_new(&c, v->key, v->key_len);
	if (err)
		return err;
	memcpy(counter, v->iv, sizeof(counter));
	aes_ctr_xor(c, ni, counter, data, v->len);
	srtp_cipher_free(c);
	return memcmp(data, v->keystream, v->len) ? -EBADMSG : 0;
}

/**
 * srtprelay_aes_ctr_selftest() - check both ways of making the keystream
 * @impl: set to the way packets take in process context, for the log
 *
 * Each packet takes AES-NI or aes_encrypt() depending on the context it
 * runs in, so both are checked against the vectors at load, where a
 * mistake fails the load instead of every packet of a rare context.
 * Process context only.
 *
 * Return: 0, or -EBADMSG when a keystream is wrong, or another errno.
 */
int srtprelay_aes_ctr_selftest(const char **impl)
{
	bool ni_usable = aes_ni_usable();
	unsigned int i;
	int ni, err;

	*impl = ni_usable ? "AES-NI" : "aes_encrypt";
	for (i = 0; i < ARRAY_SIZE(aes_ctr_vectors); i++) {
		for (ni = 0; ni <= ni_usable; ni++) {
			err = aes_ctr_check(&aes_ctr_vectors[i], ni);
			if (err) {
				pr_err("AES-CTR self-test, vector %u, %s: %d\n",
				       i, ni ? "AES-NI" : "aes_encrypt", err);
				return err;
			}
		}
	}
	return 0;
}
