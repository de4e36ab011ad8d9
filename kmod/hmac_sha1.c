// SPDX-License-Identifier: GPL-2.0
/*
 * HMAC-SHA1 (RFC 2104) for the SRTP core (srtp_crypto.h's struct
 * srtp_mac).
 *
 * A key keeps only the two SHA-1 states after its inner and its outer
 * padded block, 40 bytes; a packet costs the SHA-1 blocks of its own bytes
 * and one outer block (an RTP packet of 20 ms G.711 is four in all). Two
 * implementations can run those blocks:
 *
 *   - the SHA-1 library's sha1_transform(): plain C, no FPU;
 *   - the crypto API's best "sha1" driver (sha1-ni, -avx2, -avx or -ssse3
 *     on x86), one unkeyed transform that every stream shares, whose
 *     descriptor imports the key's state: SIMD, but every update and final
 *     takes a kernel_fpu_begin()/end() and the shash layer's calls.
 *
 * Which is faster on four blocks depends on the CPU (SHA-NI or not) and on
 * how it runs (under emulation, SIMD instructions cost far more than
 * integer ones), so both are checked against the vectors and timed at
 * load on an RTP-sized packet, and the faster one serves every packet: the
 * way the kernel's RAID-6 and XOR code choose among their implementations.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "hmac_sha1.h"
#include "srtp_crypto.h"

#include <crypto/hash.h>
#include <crypto/sha1.h>
#include <linux/jump_label.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>

struct srtp_mac {
	u32 inner[SHA1_DIGEST_WORDS];	/* after the key XOR ipad */
	u32 outer[SHA1_DIGEST_WORDS];	/* after the key XOR opad */
};

/*
 * Chosen at load, read-only until unload. The shared transform is kept
 * only when its export format is sha1_base's struct sha1_state, which a
 * key's state can be imported as.
 */
static struct crypto_shash *hmac_sha1_shash __read_mostly;
static DEFINE_STATIC_KEY_FALSE(hmac_sha1_use_shash);

/* A SHA-1 computation on sha1_transform(), resumed from a key's state. */
struct sha1_run {
	u32 state[SHA1_DIGEST_WORDS];
	u32 workspace[SHA1_WORKSPACE_WORDS];
	u8 block[SHA1_BLOCK_SIZE];
	unsigned int fill;	/* bytes waiting in block */
	u64 len;		/* bytes hashed, the padded key's block included */
};

static void sha1_run_start(struct sha1_run *r,
			   const u32 state[SHA1_DIGEST_WORDS])
{
	memcpy(r->state, state, sizeof(r->state));
	r->fill = 0;
	r->len = SHA1_BLOCK_SIZE;
}

static void sha1_run_update(struct sha1_run *r, const u8 *data,
			    unsigned int len)
{
	r->len += len;
	if (r->fill) {
		unsigned int n = min(len, SHA1_BLOCK_SIZE - r->fill);

		memcpy(r->block + r->fill, data, n);
		r->fill += n;
		data += n;
		len -= n;
		if (r->fill < SHA1_BLOCK_SIZE)
			return;
		sha1_transform(r->state, r->block, r->workspace);
		r->fill = 0;
	}
	for (; len >= SHA1_BLOCK_SIZE; len -= SHA1_BLOCK_SIZE) {
		sha1_transform(r->state, data, r->workspace);
		data += SHA1_BLOCK_SIZE;
	}
	memcpy(r->block, data, len);
	r->fill = len;
}

/* FIPS 180-4 padding: 0x80, zeros, the length in bits (64-bit big end). */
static void sha1_run_final(struct sha1_run *r, u8 out[SHA1_DIGEST_SIZE])
{
	const unsigned int len_at = SHA1_BLOCK_SIZE - sizeof(__be64);
	unsigned int i;

	r->block[r->fill++] = 0x80;
	if (r->fill > len_at) {
		memset(r->block + r->fill, 0, SHA1_BLOCK_SIZE - r->fill);
		sha1_transform(r->state, r->block, r->workspace);
		r->fill = 0;
	}
	memset(r->block + r->fill, 0, len_at - r->fill);
	put_unaligned_be64(r->len << 3, r->block + len_at);
	sha1_transform(r->state, r->block, r->workspace);
	for (i = 0; i < SHA1_DIGEST_WORDS; i++)
		put_unaligned_be32(r->state[i], out + 4 * i);
}

static void hmac_sha1_lib(const struct srtp_mac *mac, const u8 *data,
			  unsigned int len, const u8 *trailer,
			  unsigned int trailer_len, u8 digest[SHA1_DIGEST_SIZE])
{
	u8 inner[SHA1_DIGEST_SIZE];
	struct sha1_run r;

	sha1_run_start(&r, mac->inner);
	sha1_run_update(&r, data, len);
	sha1_run_update(&r, trailer, trailer_len);
	sha1_run_final(&r, inner);
	sha1_run_start(&r, mac->outer);
	sha1_run_update(&r, inner, sizeof(inner));
	sha1_run_final(&r, digest);
	/* both hold hash state derived from the key */
	memzero_explicit(&r, sizeof(r));
	memzero_explicit(inner, sizeof(inner));
}

/* Imports a key's state into @desc as one hashed block. */
static int hmac_sha1_import(struct shash_desc *desc,
			    const u32 state[SHA1_DIGEST_WORDS],
			    struct sha1_state *scratch)
{
	memcpy(scratch->state, state, sizeof(scratch->state));
	scratch->count = SHA1_BLOCK_SIZE;
	return crypto_shash_import(desc, scratch);
}

static int hmac_sha1_shash_run(const struct srtp_mac *mac, const u8 *data,
			       unsigned int len, const u8 *trailer,
			       unsigned int trailer_len,
			       u8 digest[SHA1_DIGEST_SIZE])
{
	SHASH_DESC_ON_STACK(desc, hmac_sha1_shash);
	struct sha1_state scratch = { };
	u8 inner[SHA1_DIGEST_SIZE];
	int err;

	desc->tfm = hmac_sha1_shash;
	err = hmac_sha1_import(desc, mac->inner, &scratch);
	if (!err)
		err = crypto_shash_update(desc, data, len);
	if (!err && trailer_len)
		err = crypto_shash_update(desc, trailer, trailer_len);
	if (!err)
		err = crypto_shash_final(desc, inner);
	if (!err)
		err = hmac_sha1_import(desc, mac->outer, &scratch);
	if (!err)
		err = crypto_shash_finup(desc, inner, sizeof(inner), digest);
	shash_desc_zero(desc);
	memzero_explicit(&scratch, sizeof(scratch));
	memzero_explicit(inner, sizeof(inner));
	return err;
}

/* One HMAC, on the crypto API's driver (@shash) or the library. */
static int hmac_sha1_run(const struct srtp_mac *mac, bool shash,
			 const u8 *data, unsigned int len, const u8 *trailer,
			 unsigned int trailer_len, u8 digest[SHA1_DIGEST_SIZE])
{
	if (shash)
		return hmac_sha1_shash_run(mac, data, len, trailer,
					   trailer_len, digest);
	hmac_sha1_lib(mac, data, len, trailer, trailer_len, digest);
	return 0;
}

/* The SHA-1 state after the block @key XOR @pad. */
static void hmac_sha1_pad_state(const u8 *key, unsigned int key_len, u8 pad,
				u32 state[SHA1_DIGEST_WORDS])
{
	u32 workspace[SHA1_WORKSPACE_WORDS];
	u8 block[SHA1_BLOCK_SIZE];
	unsigned int i;

	memset(block, pad, sizeof(block));
	for (i = 0; i < key_len; i++)
		block[i] ^= key[i];
	sha1_init(state);
	sha1_transform(state, block, workspace);
	memzero_explicit(block, sizeof(block));
	memzero_explicit(workspace, sizeof(workspace));
}

/**
 * srtp_mac_new() - allocate HMAC-SHA1 keyed with @key
 * @mac: where the new object is stored
 * @key: the authentication session key
 * @key_len: its length in bytes, at most one SHA-1 block (SRTP's is 20)
 *
 * Process context only.
 *
 * Return: 0 or a negative errno.
 */
int srtp_mac_new(struct srtp_mac **mac, const u8 *key, unsigned int key_len)
{
	struct srtp_mac *m;

	if (key_len > SHA1_BLOCK_SIZE)
		return -EINVAL;
	m = kmalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m)
		return -ENOMEM;
	hmac_sha1_pad_state(key, key_len, 0x36, m->inner);
	hmac_sha1_pad_state(key, key_len, 0x5c, m->outer);
	*mac = m;
	return 0;
}

/**
 * srtp_mac_compute() - HMAC-SHA1 over @data followed by @trailer
 * @mac: keyed MAC
 * @data: authenticated portion of the packet
 * @len: its length
 * @trailer: bytes authenticated after it (the ROC for SRTP), may be NULL
 * @trailer_len: their length, may be 0
 * @digest: the full 20-byte HMAC; the caller truncates it to the tag
 *
 * Safe in softirq context; @mac is only read.
 *
 * Return: 0 or a negative errno from the crypto API.
 */
int srtp_mac_compute(struct srtp_mac *mac, const u8 *data, unsigned int len,
		     const u8 *trailer, unsigned int trailer_len,
		     u8 digest[SRTP_SHA1_DIGEST_LEN])
{
	return hmac_sha1_run(mac, static_branch_unlikely(&hmac_sha1_use_shash),
			     data, len, trailer, trailer_len, digest);
}

/**
 * srtp_mac_free() - free a MAC and wipe its key states
 * @mac: object from srtp_mac_new(), or NULL
 */
void srtp_mac_free(struct srtp_mac *mac)
{
	kfree_sensitive(mac);
}

struct hmac_sha1_vector {
	const u8 *key;
	unsigned int key_len;
	const u8 *data;		/* NULL: the bytes 0, 1, 2, ... (mod 256) */
	unsigned int len;
	const u8 *trailer;
	unsigned int trailer_len;
	u8 digest[SHA1_DIGEST_SIZE];
};

#define HMAC_SHA1_VECTOR_MAX_LEN 200

static const u8 hmac_sha1_key_1_to_20[20] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
};

/*
 * RFC 2202 test cases 1 to 3 (case 3 with its last four bytes as the
 * trailer), and two from Python's hmac module, each with a trailer: a
 * message whose padding takes a second block, and one of several blocks.
 */
static const struct hmac_sha1_vector hmac_sha1_vectors[] = {
	{
		.key = (const u8 *)"\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b"
				   "\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b",
		.key_len = 20,
		.data = (const u8 *)"Hi There",
		.len = 8,
		.digest = "\xb6\x17\x31\x86\x55\x05\x72\x64\xe2\x8b"
			  "\xc0\xb6\xfb\x37\x8c\x8e\xf1\x46\xbe\x00",
	}, {
		.key = (const u8 *)"Jefe",
		.key_len = 4,
		.data = (const u8 *)"what do ya want for nothing?",
		.len = 28,
		.digest = "\xef\xfc\xdf\x6a\xe5\xeb\x2f\xa2\xd2\x74"
			  "\x16\xd5\xf1\x84\xdf\x9c\x25\x9a\x7c\x79",
	}, {
		.key = (const u8 *)"\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa"
				   "\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa",
		.key_len = 20,
		.data = (const u8 *)"\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd"
				    "\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd"
				    "\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd"
				    "\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd"
				    "\xdd\xdd\xdd\xdd\xdd\xdd",
		.len = 46,
		.trailer = (const u8 *)"\xdd\xdd\xdd\xdd",
		.trailer_len = 4,
		.digest = "\x12\x5d\x73\x42\xb9\xac\x11\xcd\x91\xa3"
			  "\x9a\xf4\x8a\xa1\x7b\x4f\x63\xf1\x75\xd3",
	}, {
		.key = hmac_sha1_key_1_to_20,
		.key_len = 20,
		.len = 56,
		.trailer = (const u8 *)"\x00\x01\x02\x03",
		.trailer_len = 4,
		.digest = "\x01\x66\x6e\x2e\x8a\x13\x7f\x01\x5c\xc5"
			  "\x25\xef\xcf\xa2\x47\xa7\x21\xd7\x19\xbc",
	}, {
		.key = hmac_sha1_key_1_to_20,
		.key_len = 20,
		.len = HMAC_SHA1_VECTOR_MAX_LEN,
		.trailer = (const u8 *)"\x00\x01\x02\x03",
		.trailer_len = 4,
		.digest = "\xd9\xa1\x39\xbf\x47\xfe\x3c\xf3\xfc\x36"
			  "\x6d\x4b\xce\x25\x50\xd5\x45\x0b\xed\x44",
	},
};

/* One vector through the crypto API's driver (@shash) or the library. */
static int hmac_sha1_check(const struct hmac_sha1_vector *v, bool shash,
			   u8 *counting)
{
	u8 digest[SHA1_DIGEST_SIZE];
	struct srtp_mac *mac;
	int err;

	err = srtp_mac_new(&mac, v->key, v->key_len);
	if (err)
		return err;
	err = hmac_sha1_run(mac, shash, v->data ?: counting, v->len,
			    v->trailer, v->trailer_len, digest);
	srtp_mac_free(mac);
	if (!err && memcmp(digest, v->digest, sizeof(digest)))
		err = -EBADMSG;
	return err;
}

static int hmac_sha1_selftest(bool shash)
{
	unsigned int i;
	u8 *counting;
	int err = 0;

	counting = kmalloc(HMAC_SHA1_VECTOR_MAX_LEN, GFP_KERNEL);
	if (!counting)
		return -ENOMEM;
	for (i = 0; i < HMAC_SHA1_VECTOR_MAX_LEN; i++)
		counting[i] = i;
	for (i = 0; i < ARRAY_SIZE(hmac_sha1_vectors) && !err; i++) {
		err = hmac_sha1_check(&hmac_sha1_vectors[i], shash, counting);
		if (err)
			pr_err("HMAC-SHA1 self-test, vector %u, %s: %d\n", i,
			       shash ? crypto_shash_driver_name(hmac_sha1_shash) :
			       "sha1_transform", err);
	}
	kfree(counting);
	return err;
}

/* An RTP packet of 20 ms G.711 (12 + 160 bytes) and its ROC. */
#define HMAC_SHA1_TIMED_LEN 172
#define HMAC_SHA1_TIMED_RUNS 32
#define HMAC_SHA1_TIMED_ROUNDS 8

/*
 * The best of several rounds, each with preemption off, so that the
 * figure is the implementation's and not the scheduler's.
 */
static u64 hmac_sha1_time(const struct srtp_mac *mac, bool shash, u8 *pkt)
{
	u8 digest[SHA1_DIGEST_SIZE];
	unsigned int round, i;
	u64 best = U64_MAX;
	u64 start;

	for (round = 0; round < HMAC_SHA1_TIMED_ROUNDS; round++) {
		preempt_disable();
		start = ktime_get_ns();
		for (i = 0; i < HMAC_SHA1_TIMED_RUNS; i++)
			hmac_sha1_run(mac, shash, pkt, HMAC_SHA1_TIMED_LEN,
				      pkt + HMAC_SHA1_TIMED_LEN, 4, digest);
		best = min(best, ktime_get_ns() - start);
		preempt_enable();
		cond_resched();
	}
	return div_u64(best, HMAC_SHA1_TIMED_RUNS);
}

/* Times both ways and turns on the crypto API's if it is faster. */
static int hmac_sha1_choose(char *impl, size_t size)
{
	u64 lib_ns, shash_ns;
	struct srtp_mac *mac;
	u8 *pkt;
	int err;

	pkt = kzalloc(HMAC_SHA1_TIMED_LEN + 4, GFP_KERNEL);
	if (!pkt)
		return -ENOMEM;
	err = srtp_mac_new(&mac, hmac_sha1_key_1_to_20, 20);
	if (err)
		goto out;
	lib_ns = hmac_sha1_time(mac, false, pkt);
	shash_ns = hmac_sha1_time(mac, true, pkt);
	srtp_mac_free(mac);
	if (shash_ns < lib_ns)
		static_branch_enable(&hmac_sha1_use_shash);
	snprintf(impl, size, "%s, %llu ns per RTP packet (%s: %llu ns)",
		 shash_ns < lib_ns ? crypto_shash_driver_name(hmac_sha1_shash) :
		 "sha1_transform", min(lib_ns, shash_ns),
		 shash_ns < lib_ns ? "sha1_transform" :
		 crypto_shash_driver_name(hmac_sha1_shash),
		 max(lib_ns, shash_ns));
out:
	kfree(pkt);
	return err;
}

/**
 * srtprelay_hmac_sha1_init() - check both implementations, pick the faster
 * @impl: set to the one chosen and the times measured, for the log
 * @size: size of @impl
 *
 * Called once at module load, before any key. Without a usable "sha1"
 * driver (none, or one whose state is not sha1_base's) the library serves.
 * Process context only.
 *
 * Return: 0, or -EBADMSG when an implementation is wrong, or another errno.
 */
int srtprelay_hmac_sha1_init(char *impl, size_t size)
{
	struct crypto_shash *tfm;
	int err;

	err = hmac_sha1_selftest(false);
	if (err)
		return err;
	tfm = crypto_alloc_shash("sha1", 0, 0);
	if (IS_ERR(tfm) || crypto_shash_statesize(tfm) !=
	    sizeof(struct sha1_state)) {
		if (!IS_ERR(tfm))
			crypto_free_shash(tfm);
		snprintf(impl, size, "sha1_transform");
		return 0;
	}
	hmac_sha1_shash = tfm;
	err = hmac_sha1_selftest(true);
	if (!err)
		err = hmac_sha1_choose(impl, size);
	if (err)
		srtprelay_hmac_sha1_exit();
	return err;
}

/**
 * srtprelay_hmac_sha1_exit() - free the shared transform, after every key
 */
void srtprelay_hmac_sha1_exit(void)
{
	static_branch_disable(&hmac_sha1_use_shash);
	crypto_free_shash(hmac_sha1_shash);
	hmac_sha1_shash = NULL;
}
