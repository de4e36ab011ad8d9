/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streams: one direction of one media leg, named by the local address and
 * port its packets arrive on.
 */
#ifndef SRTPRELAY_STREAM_H
#define SRTPRELAY_STREAM_H

#include "srtprelay.h"
#include "latch.h"
#include "route.h"
#include "srtp.h"

#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/rhashtable.h>
#include <linux/spinlock.h>

struct srtprelay_realm;

/*
 * struct srtprelay_stream_conf - everything STREAM_ADD/SET configure.
 *
 * Never changed once published: STREAM_SET builds a new one and swaps the
 * pointer, so a packet sees either the old configuration or the new one.
 * The exception is the crypto state inside @in and @out, which the packet
 * path advances under srtprelay_stream.lock.
 *
 * @free_work: frees the conf after a grace period, in process context
 * @remote: signalled source; family 0 if none
 * @out_src: source address and port of sent RTP
 * @out_rtcp_src: source of sent RTCP: @out_src, port + 1 unless RTCP_MUX_OUT
 * @out_dst: destination of sent RTP
 * @out_rtcp_dst: destination of sent RTCP, default already applied
 * @rtcp_dst_given: @out_rtcp_dst was configured, not derived from @out_dst
 * @flags: SRTPRELAY_STREAM_F_*
 * @cookie: the controller's handle
 * @in: crypto context that authenticates and decrypts what arrives
 * @out: crypto context that encrypts what is sent
 * @owns_in: freeing this conf frees @in (false once a newer conf took it)
 * @owns_out: same for @out
 * @routes: the routes of sent RTP and RTCP, kept per CPU; a new conf
 *	starts without (its addresses may differ)
 */
struct srtprelay_stream_conf {
	struct rcu_work free_work;
	struct srtprelay_addr remote;
	struct srtprelay_addr out_src;
	struct srtprelay_addr out_rtcp_src;
	struct srtprelay_addr out_dst;
	struct srtprelay_addr out_rtcp_dst;
	bool rtcp_dst_given;
	u32 flags;
	u64 cookie;
	struct srtp_ctx *in;
	struct srtp_ctx *out;
	bool owns_in;
	bool owns_out;
	struct srtprelay_routes __percpu *routes;
};

/*
 * struct srtprelay_stream - a stream and its runtime state.
 * @node: in srtprelay_net.streams, keyed by @local
 * @local: realm address and RTP port the packets arrive on
 * @list: in srtprelay_net.stream_list
 * @id: creation order, for resuming dumps
 * @ref: one reference for being listed, one per dump cursor
 * @realm: the realm @local lies in (its users count holds it)
 * @conf: current configuration; RCU, replaced under srtprelay_net.lock and
 *	@lock together
 * @lock: serialises the packet path on this stream: the crypto contexts of
 *	@conf, @latch
 * @latch: learning window and latched source (kmod/latch.c)
 * @stats: per-CPU counters
 * @last_rx: jiffies of the last authenticated packet, 0 if none
 * @idle_reported: an IDLE event went out and no packet came since
 * @dead: unlinked from the namespace; under srtprelay_net.lock
 * @free_work: frees the stream after a grace period, in process context
 */
struct srtprelay_stream {
	struct rhash_head node;
	struct srtprelay_addr local;
	struct list_head list;
	u64 id;
	struct kref ref;
	struct srtprelay_realm *realm;
	struct srtprelay_stream_conf __rcu *conf;
	spinlock_t lock;		/* packet path: @conf's crypto, @latch */
	struct latch_state latch;
	struct srtprelay_pcpu_stats __percpu *stats;
	unsigned long last_rx;
	bool idle_reported;
	bool dead;
	struct rcu_work free_work;
};

/* Which attributes a STREAM_ADD or STREAM_SET request carried. */
enum srtprelay_spec_given {
	SRTPRELAY_SPEC_REMOTE = BIT(0),
	SRTPRELAY_SPEC_OUT_SRC = BIT(1),
	SRTPRELAY_SPEC_OUT_DST = BIT(2),
	SRTPRELAY_SPEC_OUT_RTCP_DST = BIT(3),
	SRTPRELAY_SPEC_FLAGS = BIT(4),
	SRTPRELAY_SPEC_COOKIE = BIT(5),
	SRTPRELAY_SPEC_IN_CRYPTO = BIT(6),
	SRTPRELAY_SPEC_OUT_CRYPTO = BIT(7),
	SRTPRELAY_SPEC_LATCH_WINDOW = BIT(8),
};

/*
 * struct srtprelay_stream_spec - a parsed STREAM_ADD or STREAM_SET request.
 * Holds master keys: wipe with srtprelay_stream_spec_wipe().
 */
struct srtprelay_stream_spec {
	u32 given;		/* enum srtprelay_spec_given */
	struct srtprelay_addr local;
	struct srtprelay_addr remote;
	struct srtprelay_addr out_src;
	struct srtprelay_addr out_dst;
	struct srtprelay_addr out_rtcp_dst;
	u32 flags;
	u64 cookie;
	u32 latch_window_ms;
	struct srtp_params in;
	struct srtp_params out;
};

/* Why a request was refused: the attribute to blame and a reason. */
struct srtprelay_stream_err {
	int attr;		/* SRTPRELAY_A_*, 0 for the request as such */
	const char *msg;
};

/* Crypto of one side as dumps show it: never keys, salts or MKI values. */
struct srtprelay_crypto_info {
	u32 suite;
	u32 flags;
	u8 mki_len;
	u16 replay_window;
};

/* A consistent copy of a stream, for replies and dumps. */
struct srtprelay_stream_info {
	struct srtprelay_addr local;
	struct srtprelay_addr remote;
	struct srtprelay_addr latched;
	u32 latch_window_left_ms;
	struct srtprelay_addr out_src;
	struct srtprelay_addr out_dst;
	struct srtprelay_addr out_rtcp_dst;
	u32 flags;
	u64 cookie;
	struct srtprelay_crypto_info in;
	struct srtprelay_crypto_info out;
	u64 stats[SRTPRELAY_STAT_COUNT];
	unsigned long last_rx;
};

int srtprelay_stream_cache_init(void);
void srtprelay_stream_cache_exit(void);
int srtprelay_stream_net_init(struct srtprelay_net *sn);
void srtprelay_stream_net_exit(struct srtprelay_net *sn);

int srtprelay_stream_add(struct srtprelay_net *sn,
			 const struct srtprelay_stream_spec *spec,
			 struct srtprelay_stream_err *err);
int srtprelay_stream_set(struct srtprelay_net *sn,
			 const struct srtprelay_stream_spec *spec,
			 struct srtprelay_stream_err *err);
int srtprelay_stream_del(struct srtprelay_net *sn,
			 const struct srtprelay_addr *local);
unsigned int srtprelay_stream_flush(struct srtprelay_net *sn, bool by_cookie,
				    u64 cookie);
struct srtprelay_stream *srtprelay_stream_find(struct srtprelay_net *sn,
					       const struct srtprelay_addr *local);
void srtprelay_stream_get_info(struct srtprelay_stream *s,
			       struct srtprelay_stream_info *info);
void srtprelay_stream_put(struct srtprelay_stream *s);
void srtprelay_stream_spec_wipe(struct srtprelay_stream_spec *spec);

struct srtprelay_stream *srtprelay_stream_lookup(struct srtprelay_net *sn,
						 const struct srtprelay_addr *local);

/* The clock the latch policy runs on, in milliseconds. */
static inline u64 srtprelay_now_ms(void)
{
	return jiffies64_to_msecs(get_jiffies_64());
}

/* An address as the latch policy compares it, and back. */
static inline struct latch_addr srtprelay_latch_addr(const struct srtprelay_addr *a)
{
	struct latch_addr l = { .port = ntohs(a->port), .family = a->family };

	memcpy(l.ip, &a->in6, sizeof(l.ip));
	return l;
}

static inline void srtprelay_addr_from_latch(struct srtprelay_addr *a,
					     const struct latch_addr *l)
{
	memset(a, 0, sizeof(*a));
	memcpy(&a->in6, l->ip, sizeof(a->in6));
	a->port = htons(l->port);
	a->family = l->family;
}

static inline void srtprelay_stream_hold(struct srtprelay_stream *s)
{
	kref_get(&s->ref);
}

#endif /* SRTPRELAY_STREAM_H */
