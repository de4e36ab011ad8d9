// SPDX-License-Identifier: GPL-2.0
/*
 * Stream lifetime. A stream is found on the packet path by an RCU lookup in
 * a resizable hash table keyed by its local address and port, so tens of
 * thousands of streams cost one hash probe per packet. All changes are made
 * under the namespace lock from netlink; a stream is freed only after a
 * grace period, from a work item, because freeing crypto transforms is not
 * for softirq context.
 */

#include "stream.h"
#include "packet_policy.h"
#include "netlink.h"
#include "realm.h"
#include "stats.h"

#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

/*
 * Any user with a user namespace of its own may add streams to its network
 * namespace (GENL_UNS_ADMIN_PERM): the cap bounds one namespace, and every
 * allocation is charged to the caller's memory cgroup (GFP_KERNEL_ACCOUNT)
 * so that many namespaces cannot add up to more than their cgroups allow.
 * The default fits 32,768 calls of two streams.
 */
static unsigned int max_streams = 65536;
module_param(max_streams, uint, 0644);
MODULE_PARM_DESC(max_streams, "streams at most in one network namespace (default 65536)");

/*
 * The crypto API allocates a stream's transforms itself, unaccounted
 * (about 30 KiB a stream with AES-NI), and a user may own as many network
 * namespaces as user.max_net_namespaces allows: so the streams of all
 * namespaces owned by user namespaces other than the initial one share one
 * cap. An SBC runs in the initial user namespace and is not bound by it.
 */
static unsigned int max_userns_streams = 4096;
module_param(max_userns_streams, uint, 0644);
MODULE_PARM_DESC(max_userns_streams,
		 "streams at most in all network namespaces of user namespaces other than the initial one (default 4096)");
static atomic_t userns_streams = ATOMIC_INIT(0);

static bool counts_as_userns(const struct srtprelay_net *sn)
{
	return sn->net->user_ns != &init_user_ns;
}

/* Takes one of the shared places, if the namespace needs one. */
static bool userns_stream_get(const struct srtprelay_net *sn)
{
	if (!counts_as_userns(sn))
		return true;
	if (atomic_inc_return(&userns_streams) <= READ_ONCE(max_userns_streams))
		return true;
	atomic_dec(&userns_streams);
	return false;
}

static void userns_stream_put(const struct srtprelay_net *sn)
{
	if (counts_as_userns(sn))
		atomic_dec(&userns_streams);
}

/* A stream that had media and got none for this long is reported idle. */
#define IDLE_TIMEOUT (10 * HZ)
#define IDLE_SCAN_INTERVAL (2 * HZ)

static const struct rhashtable_params stream_params = {
	.key_len = sizeof(struct srtprelay_addr),
	.key_offset = offsetof(struct srtprelay_stream, local),
	.head_offset = offsetof(struct srtprelay_stream, node),
	.automatic_shrinking = true,
};

/*
 * Crypto contexts come from caches of their own, one for replay windows up
 * to the default (about 600 bytes) and one for larger ones (about 1.5 KB):
 * from kmalloc, either would take an object nearly twice its size, and a
 * stream has two. Each is charged to the memory cgroup of whoever added
 * the stream, as the kmalloc-cg-* objects of the rest of it are.
 */
static struct kmem_cache *ctx_cache __read_mostly;
static struct kmem_cache *ctx_cache_large __read_mostly;

static size_t ctx_default_size(void)
{
	const struct srtp_params params = {
		.replay_window = SRTPRELAY_REPLAY_WINDOW_DEFAULT,
	};

	return srtp_ctx_size(&params);
}

/**
 * srtprelay_stream_cache_init() - create the caches of crypto contexts
 *
 * Return: 0 or -ENOMEM.
 */
int srtprelay_stream_cache_init(void)
{
	const size_t align = __alignof__(struct srtp_ctx);

	ctx_cache = kmem_cache_create("srtp_ctx", ctx_default_size(),
				      align, SLAB_ACCOUNT, NULL);
	ctx_cache_large = kmem_cache_create("srtp_ctx_large",
					    SRTP_CTX_SIZE_MAX, align,
					    SLAB_ACCOUNT, NULL);
	if (ctx_cache && ctx_cache_large)
		return 0;
	srtprelay_stream_cache_exit();
	return -ENOMEM;
}

/**
 * srtprelay_stream_cache_exit() - destroy them, once every stream is freed
 */
void srtprelay_stream_cache_exit(void)
{
	kmem_cache_destroy(ctx_cache);
	kmem_cache_destroy(ctx_cache_large);
	ctx_cache = NULL;
	ctx_cache_large = NULL;
}

static struct kmem_cache *ctx_cache_for(const struct srtp_params *params)
{
	return srtp_ctx_size(params) <= ctx_default_size() ? ctx_cache :
							     ctx_cache_large;
}

static void ctx_free(struct srtp_ctx *ctx)
{
	struct kmem_cache *cache;

	if (!ctx)
		return;
	/* the window decides the cache; the wipe zeroes it */
	cache = ctx_cache_for(&ctx->params);
	/* zeroes the whole context: keys, salts, states */
	srtp_ctx_wipe(ctx);
	kmem_cache_free(cache, ctx);
}

static int ctx_new(const struct srtp_params *params, struct srtp_ctx **ctx)
{
	struct kmem_cache *cache = ctx_cache_for(params);
	struct srtp_ctx *c;
	int ret;

	c = kmem_cache_zalloc(cache, GFP_KERNEL_ACCOUNT);
	if (!c)
		return -ENOMEM;
	ret = srtp_ctx_init(c, params);
	if (ret) {
		/* srtp_ctx_init() leaves nothing of the key behind */
		kmem_cache_free(cache, c);
		return ret;
	}
	*ctx = c;
	return 0;
}

static void conf_release(struct srtprelay_stream_conf *conf)
{
	if (conf->owns_in)
		ctx_free(conf->in);
	if (conf->owns_out)
		ctx_free(conf->out);
	srtprelay_routes_free(conf->routes);
	kfree(conf);
}

static void conf_free_work(struct work_struct *work)
{
	conf_release(container_of(to_rcu_work(work),
				  struct srtprelay_stream_conf, free_work));
}

static void stream_free_work(struct work_struct *work)
{
	struct srtprelay_stream *s =
		container_of(to_rcu_work(work), struct srtprelay_stream,
			     free_work);

	conf_release(rcu_dereference_protected(s->conf, true));
	srtprelay_stats_free(s->stats);
	kfree(s);
}

static void stream_release(struct kref *ref)
{
	struct srtprelay_stream *s =
		container_of(ref, struct srtprelay_stream, ref);

	/* The packet path may still be inside it: wait for a grace period. */
	queue_rcu_work(srtprelay_wq, &s->free_work);
}

/**
 * srtprelay_stream_put() - drop a reference to a stream
 * @s: the stream
 */
void srtprelay_stream_put(struct srtprelay_stream *s)
{
	kref_put(&s->ref, stream_release);
}

/**
 * srtprelay_stream_lookup() - the stream whose RTP port is @local
 * @sn: namespace state
 * @local: destination address and port of a packet
 *
 * Packet path: caller holds rcu_read_lock(); the stream stays valid until
 * it drops it.
 *
 * Return: the stream or NULL.
 */
struct srtprelay_stream *srtprelay_stream_lookup(struct srtprelay_net *sn,
						 const struct srtprelay_addr *local)
{
	return rhashtable_lookup(&sn->streams, local, stream_params);
}

/**
 * srtprelay_stream_find() - the stream named @local, for netlink
 * @sn: namespace state, its lock held (which keeps the stream alive)
 * @local: local address and RTP port
 *
 * Return: the stream or NULL.
 */
struct srtprelay_stream *srtprelay_stream_find(struct srtprelay_net *sn,
					       const struct srtprelay_addr *local)
{
	lockdep_assert_held(&sn->lock);
	return rhashtable_lookup_fast(&sn->streams, local, stream_params);
}

static struct srtprelay_stream_conf *
stream_conf(struct srtprelay_net *sn, struct srtprelay_stream *s)
{
	return rcu_dereference_protected(s->conf, lockdep_is_held(&sn->lock));
}

static int fail(struct srtprelay_stream_err *err, int attr, const char *msg,
		int ret)
{
	err->attr = attr;
	err->msg = msg;
	return ret;
}

/* Rules that need the whole stream, checked on the result of ADD or SET. */
static int stream_check(const struct srtprelay_stream_spec *m,
			struct srtprelay_stream_err *err)
{
	if ((m->flags & SRTPRELAY_STREAM_F_LOCK_ON_SDP) &&
	    (m->flags & SRTPRELAY_STREAM_F_LATCH))
		return fail(err, SRTPRELAY_A_STREAM_FLAGS,
			    "LOCK_ON_SDP and LATCH exclude each other", -EINVAL);
	if ((m->flags & SRTPRELAY_STREAM_F_LOCK_ON_SDP) && !m->remote.family)
		return fail(err, SRTPRELAY_A_STREAM_FLAGS,
			    "LOCK_ON_SDP needs a REMOTE", -EINVAL);
	if (m->remote.family && m->remote.family != m->local.family)
		return fail(err, SRTPRELAY_A_STREAM_REMOTE,
			    "REMOTE is not of the family of LOCAL", -EINVAL);
	if (!m->out_src.port)
		return fail(err, SRTPRELAY_A_STREAM_OUT_SRC,
			    "OUT_SRC needs a port", -EINVAL);
	if (!m->out_dst.port)
		return fail(err, SRTPRELAY_A_STREAM_OUT_DST,
			    "OUT_DST needs a port", -EINVAL);
	if (m->out_dst.family != m->out_src.family)
		return fail(err, SRTPRELAY_A_STREAM_OUT_DST,
			    "OUT_DST is not of the family of OUT_SRC", -EINVAL);
	if (m->given & SRTPRELAY_SPEC_OUT_RTCP_DST) {
		if (m->out_rtcp_dst.family != m->out_src.family)
			return fail(err, SRTPRELAY_A_STREAM_OUT_RTCP_DST,
				    "OUT_RTCP_DST is not of the family of OUT_SRC",
				    -EINVAL);
		if (!m->out_rtcp_dst.port)
			return fail(err, SRTPRELAY_A_STREAM_OUT_RTCP_DST,
				    "OUT_RTCP_DST needs a port", -EINVAL);
	} else if (!(m->flags & SRTPRELAY_STREAM_F_RTCP_MUX_OUT) &&
		   ntohs(m->out_dst.port) == U16_MAX) {
		return fail(err, SRTPRELAY_A_STREAM_OUT_DST,
			    "OUT_DST port + 1 (RTCP) is not a port", -EINVAL);
	}
	/* A stream sending to its own port would feed itself forever. */
	if (srtprelay_addr_equal(&m->out_dst, &m->local))
		return fail(err, SRTPRELAY_A_STREAM_OUT_DST,
			    "OUT_DST is the stream's own LOCAL", -EINVAL);
	return 0;
}

/*
 * The RTCP port of a stream without RTCP_MUX_IN is its port + 1: it must be
 * in the same realm and must not be some other stream's RTP port, and the
 * RTP port must not be the RTCP port of the stream below.
 */
static int stream_check_ports(struct srtprelay_net *sn,
			      const struct srtprelay_realm *realm,
			      const struct srtprelay_addr *local, u32 flags,
			      const struct srtprelay_stream *self,
			      struct srtprelay_stream_err *err)
{
	u16 port = ntohs(local->port);
	struct srtprelay_addr key = *local;
	struct srtprelay_stream *other;

	if (!(flags & SRTPRELAY_STREAM_F_RTCP_MUX_IN)) {
		if (port >= realm->port_max)
			return fail(err, SRTPRELAY_A_STREAM_LOCAL,
				    "RTCP port (port + 1) is outside the realm",
				    -EADDRNOTAVAIL);
		key.port = htons(port + 1);
		other = srtprelay_stream_find(sn, &key);
		if (other && other != self)
			return fail(err, SRTPRELAY_A_STREAM_LOCAL,
				    "RTCP port (port + 1) is another stream's port",
				    -EEXIST);
	}
	if (port > 1) {
		key.port = htons(port - 1);
		other = srtprelay_stream_find(sn, &key);
		if (other && other != self &&
		    !(stream_conf(sn, other)->flags &
		      SRTPRELAY_STREAM_F_RTCP_MUX_IN))
			return fail(err, SRTPRELAY_A_STREAM_LOCAL,
				    "port is the RTCP port of another stream",
				    -EEXIST);
	}
	return 0;
}

/*
 * Builds the conf for the merged request @m. Crypto not given in @m is taken
 * from @old (which the caller then stops owning); crypto given is set up
 * fresh. Nothing is published here.
 */
static int conf_build(const struct srtprelay_stream_conf *old,
		      const struct srtprelay_stream_spec *m,
		      struct srtprelay_stream_conf **confp,
		      struct srtprelay_stream_err *err)
{
	struct srtprelay_stream_conf *conf;
	const char *why;
	int ret;

	conf = kzalloc(sizeof(*conf), GFP_KERNEL_ACCOUNT);
	if (!conf)
		return fail(err, 0, "out of memory", -ENOMEM);
	INIT_RCU_WORK(&conf->free_work, conf_free_work);
	conf->remote = m->remote;
	conf->out_src = m->out_src;
	/* RFC 3550 11: RTCP goes from the port above RTP, as the peer expects
	 * for symmetric RTCP, unless both are on one port (RFC 5761).
	 */
	conf->out_rtcp_src = m->out_src;
	if (!(m->flags & SRTPRELAY_STREAM_F_RTCP_MUX_OUT))
		conf->out_rtcp_src.port = htons(ntohs(m->out_src.port) + 1);
	conf->out_dst = m->out_dst;
	conf->flags = m->flags;
	conf->cookie = m->cookie;
	if (m->given & SRTPRELAY_SPEC_OUT_RTCP_DST) {
		conf->out_rtcp_dst = m->out_rtcp_dst;
		conf->rtcp_dst_given = true;
	} else {
		conf->out_rtcp_dst = m->out_dst;
		if (!(m->flags & SRTPRELAY_STREAM_F_RTCP_MUX_OUT))
			conf->out_rtcp_dst.port =
				htons(ntohs(m->out_dst.port) + 1);
	}

	conf->routes = srtprelay_routes_new();
	if (!conf->routes) {
		ret = fail(err, 0, "out of memory", -ENOMEM);
		goto free_conf;
	}
	if (m->given & SRTPRELAY_SPEC_IN_CRYPTO) {
		ret = ctx_new(&m->in, &conf->in);
		if (ret) {
			fail(err, SRTPRELAY_A_STREAM_IN_CRYPTO,
			     "input crypto could not be set up", ret);
			goto free_conf;
		}
	}
	if (m->given & SRTPRELAY_SPEC_OUT_CRYPTO) {
		ret = ctx_new(&m->out, &conf->out);
		if (ret) {
			fail(err, SRTPRELAY_A_STREAM_OUT_CRYPTO,
			     "output crypto could not be set up", ret);
			goto free_conf;
		}
	}
	if (!conf->in)
		conf->in = old->in;
	if (!conf->out)
		conf->out = old->out;
	why = pp_pass_through_refusal(conf->flags, conf->in, conf->out);
	if (why) {
		ret = fail(err, SRTPRELAY_A_STREAM_FLAGS, why, -EINVAL);
		goto free_conf;
	}
	conf->owns_in = true;
	conf->owns_out = true;
	*confp = conf;
	return 0;

free_conf:
	/* Only what this request set up: @old keeps its own contexts. */
	conf->owns_in = m->given & SRTPRELAY_SPEC_IN_CRYPTO;
	conf->owns_out = m->given & SRTPRELAY_SPEC_OUT_CRYPTO;
	conf_release(conf);
	return ret;
}

/**
 * srtprelay_stream_add() - create a stream (STREAM_ADD)
 * @sn: namespace state, its lock held
 * @spec: the request; LOCAL, OUT_SRC, OUT_DST and both cryptos given
 * @err: filled with the attribute to blame when refused
 *
 * Return: 0, -EEXIST, -EADDRNOTAVAIL, -EINVAL, -ENOSPC (max_streams) or
 * -ENOMEM.
 */
int srtprelay_stream_add(struct srtprelay_net *sn,
			 const struct srtprelay_stream_spec *spec,
			 struct srtprelay_stream_err *err)
{
	struct srtprelay_stream_conf *conf;
	struct srtprelay_realm *realm;
	struct srtprelay_stream *s;
	int ret;

	lockdep_assert_held(&sn->lock);
	realm = srtprelay_realm_lookup(sn, &spec->local);
	if (!realm)
		return fail(err, SRTPRELAY_A_STREAM_LOCAL,
			    "LOCAL is in no realm", -EADDRNOTAVAIL);
	ret = stream_check(spec, err);
	if (ret)
		return ret;
	if (srtprelay_stream_find(sn, &spec->local))
		return fail(err, SRTPRELAY_A_STREAM_LOCAL,
			    "a stream already has this LOCAL", -EEXIST);
	ret = stream_check_ports(sn, realm, &spec->local, spec->flags, NULL,
				 err);
	if (ret)
		return ret;
	if (sn->stream_count >= READ_ONCE(max_streams))
		return fail(err, 0,
			    "stream limit of this network namespace reached (module parameter max_streams)",
			    -ENOSPC);
	if (!userns_stream_get(sn))
		return fail(err, 0,
			    "stream limit of all user namespaces' network namespaces reached (module parameter max_userns_streams)",
			    -ENOSPC);

	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s) {
		ret = fail(err, 0, "out of memory", -ENOMEM);
		goto put;
	}
	s->stats = srtprelay_stats_alloc();
	if (!s->stats) {
		ret = fail(err, 0, "out of memory", -ENOMEM);
		goto free_stream;
	}
	ret = conf_build(NULL, spec, &conf, err);
	if (ret)
		goto free_stats;
	s->local = spec->local;
	s->realm = realm;
	s->id = sn->next_stream_id++;
	kref_init(&s->ref);
	spin_lock_init(&s->lock);
	latch_arm(&s->latch, srtprelay_now_ms(),
		  spec->given & SRTPRELAY_SPEC_LATCH_WINDOW ?
		  spec->latch_window_ms : SRTPRELAY_LATCH_WINDOW_DEFAULT_MS);
	INIT_RCU_WORK(&s->free_work, stream_free_work);
	RCU_INIT_POINTER(s->conf, conf);

	ret = rhashtable_lookup_insert_fast(&sn->streams, &s->node,
					    stream_params);
	if (ret) {
		conf_release(conf);
		ret = fail(err, 0, "stream table insert failed", ret);
		goto free_stats;
	}
	list_add_tail(&s->list, &sn->stream_list);
	sn->stream_count++;
	realm->users++;
	return 0;

free_stats:
	srtprelay_stats_free(s->stats);
free_stream:
	kfree(s);
put:
	userns_stream_put(sn);
	return ret;
}

/* What a SET request makes of the stream: the old conf, overlaid with what
 * the request gives.
 */
static void spec_merge(const struct srtprelay_stream_conf *old,
		       const struct srtprelay_stream_spec *spec,
		       struct srtprelay_stream_spec *m)
{
	*m = *spec;
	if (!(spec->given & SRTPRELAY_SPEC_REMOTE))
		m->remote = old->remote;
	if (!(spec->given & SRTPRELAY_SPEC_OUT_SRC))
		m->out_src = old->out_src;
	if (!(spec->given & SRTPRELAY_SPEC_OUT_DST))
		m->out_dst = old->out_dst;
	if (!(spec->given & SRTPRELAY_SPEC_OUT_RTCP_DST) &&
	    old->rtcp_dst_given) {
		m->out_rtcp_dst = old->out_rtcp_dst;
		m->given |= SRTPRELAY_SPEC_OUT_RTCP_DST;
	}
	if (!(spec->given & SRTPRELAY_SPEC_FLAGS))
		m->flags = old->flags;
	if (!(spec->given & SRTPRELAY_SPEC_COOKIE))
		m->cookie = old->cookie;
}

/**
 * srtprelay_stream_set() - update a stream atomically (STREAM_SET)
 * @sn: namespace state, its lock held
 * @spec: the request; LOCAL names the stream, the rest is what changes
 * @err: filled with the attribute to blame when refused
 *
 * Crypto given with the key it already has keeps its per-SSRC state: the
 * new context is built beside the old one and the state copied over under
 * the stream lock, in the same critical section that publishes it, so no
 * packet is counted by the old context after the copy.
 *
 * Return: 0, -ENOENT, -EEXIST, -EADDRNOTAVAIL, -EINVAL or -ENOMEM.
 */
int srtprelay_stream_set(struct srtprelay_net *sn,
			 const struct srtprelay_stream_spec *spec,
			 struct srtprelay_stream_err *err)
{
	struct srtprelay_stream_conf *old, *conf;
	struct srtprelay_stream_spec *m;
	bool same_in = false, same_out = false, relatch;
	const u32 latch_flags = SRTPRELAY_STREAM_F_LATCH |
				SRTPRELAY_STREAM_F_LOCK_ON_SDP;
	struct srtprelay_stream *s;
	int ret;

	lockdep_assert_held(&sn->lock);
	s = srtprelay_stream_find(sn, &spec->local);
	if (!s)
		return fail(err, SRTPRELAY_A_STREAM_LOCAL,
			    "no stream has this LOCAL", -ENOENT);
	old = stream_conf(sn, s);

	/* Holds two copies of master keys: heap, not stack, and wiped. */
	m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return fail(err, 0, "out of memory", -ENOMEM);
	spec_merge(old, spec, m);
	ret = stream_check(m, err);
	if (ret)
		goto out;
	if ((old->flags & SRTPRELAY_STREAM_F_RTCP_MUX_IN) &&
	    !(m->flags & SRTPRELAY_STREAM_F_RTCP_MUX_IN)) {
		ret = stream_check_ports(sn, s->realm, &s->local, m->flags, s,
					 err);
		if (ret) {
			err->attr = SRTPRELAY_A_STREAM_FLAGS;
			goto out;
		}
	}
	ret = conf_build(old, m, &conf, err);
	if (ret)
		goto out;

	if (m->given & SRTPRELAY_SPEC_IN_CRYPTO)
		same_in = srtp_ctx_same_key(old->in, &m->in);
	if (m->given & SRTPRELAY_SPEC_OUT_CRYPTO)
		same_out = srtp_ctx_same_key(old->out, &m->out);
	relatch = !srtprelay_addr_equal(&old->remote, &conf->remote) ||
		  (old->flags & latch_flags) != (conf->flags & latch_flags);

	spin_lock_bh(&s->lock);
	if (same_in)
		srtp_ctx_copy_state(conf->in, old->in);
	if (same_out)
		srtp_ctx_copy_state(conf->out, old->out);
	if (relatch)
		memset(&s->latch.latched, 0, sizeof(s->latch.latched));
	/* A re-offer: learn again, a better source may take over. */
	if (spec->given & SRTPRELAY_SPEC_LATCH_WINDOW)
		latch_arm(&s->latch, srtprelay_now_ms(), spec->latch_window_ms);
	rcu_assign_pointer(s->conf, conf);
	spin_unlock_bh(&s->lock);

	/* Contexts carried over now belong to the new conf. */
	if (conf->in == old->in)
		old->owns_in = false;
	if (conf->out == old->out)
		old->owns_out = false;
	queue_rcu_work(srtprelay_wq, &old->free_work);
out:
	srtprelay_stream_spec_wipe(m);
	kfree(m);
	return ret;
}

static void stream_unlink(struct srtprelay_net *sn, struct srtprelay_stream *s)
{
	rhashtable_remove_fast(&sn->streams, &s->node, stream_params);
	list_del(&s->list);
	s->dead = true;
	s->realm->users--;
	sn->stream_count--;
	userns_stream_put(sn);
	srtprelay_stream_put(s);
}

/**
 * srtprelay_stream_del() - delete a stream (STREAM_DEL)
 * @sn: namespace state, its lock held
 * @local: the stream's local address and port
 *
 * Return: 0 or -ENOENT.
 */
int srtprelay_stream_del(struct srtprelay_net *sn,
			 const struct srtprelay_addr *local)
{
	struct srtprelay_stream *s;

	s = srtprelay_stream_find(sn, local);
	if (!s)
		return -ENOENT;
	stream_unlink(sn, s);
	return 0;
}

/**
 * srtprelay_stream_flush() - delete every stream, or those of one cookie
 * @sn: namespace state, its lock held
 * @by_cookie: delete only streams whose cookie is @cookie
 * @cookie: the cookie to match
 *
 * Return: the number of streams deleted.
 */
unsigned int srtprelay_stream_flush(struct srtprelay_net *sn, bool by_cookie,
				    u64 cookie)
{
	struct srtprelay_stream *s, *tmp;
	unsigned int n = 0;

	lockdep_assert_held(&sn->lock);
	list_for_each_entry_safe(s, tmp, &sn->stream_list, list) {
		if (by_cookie && stream_conf(sn, s)->cookie != cookie)
			continue;
		stream_unlink(sn, s);
		n++;
	}
	return n;
}

static void crypto_info(const struct srtp_ctx *ctx,
			struct srtprelay_crypto_info *info)
{
	info->suite = ctx->params.suite;
	info->flags = ctx->params.flags;
	info->mki_len = ctx->params.mki_len;
	info->replay_window = ctx->window;
}

/**
 * srtprelay_stream_get_info() - copy what a reply shows of a stream
 * @s: the stream; the namespace lock is held
 * @info: filled in; holds no key material
 */
void srtprelay_stream_get_info(struct srtprelay_stream *s,
			       struct srtprelay_stream_info *info)
{
	const struct srtprelay_stream_conf *conf;

	conf = rcu_dereference_protected(s->conf, true);
	memset(info, 0, sizeof(*info));
	info->local = s->local;
	info->remote = conf->remote;
	info->out_src = conf->out_src;
	info->out_dst = conf->out_dst;
	info->out_rtcp_dst = conf->out_rtcp_dst;
	info->flags = conf->flags;
	info->cookie = conf->cookie;
	/* params and window never change once a context is set up */
	crypto_info(conf->in, &info->in);
	crypto_info(conf->out, &info->out);
	spin_lock_bh(&s->lock);
	srtprelay_addr_from_latch(&info->latched, &s->latch.latched);
	info->latch_window_left_ms = latch_window_left_ms(&s->latch,
							  srtprelay_now_ms());
	spin_unlock_bh(&s->lock);
	srtprelay_stats_sum(s->stats, info->stats);
	info->last_rx = READ_ONCE(s->last_rx);
}

/**
 * srtprelay_stream_spec_wipe() - erase the master keys of a parsed request
 * @spec: the request
 */
void srtprelay_stream_spec_wipe(struct srtprelay_stream_spec *spec)
{
	memzero_explicit(&spec->in, sizeof(spec->in));
	memzero_explicit(&spec->out, sizeof(spec->out));
}

/* SRTPRELAY_EVENT_IDLE: a scan every few seconds is far cheaper than a
 * timer per stream, and the controller only needs the order of seconds.
 */
static void stream_idle_scan(struct work_struct *work)
{
	struct srtprelay_net *sn =
		container_of(to_delayed_work(work), struct srtprelay_net,
			     idle_work);
	struct srtprelay_stream *s;
	unsigned long last;

	mutex_lock(&sn->lock);
	list_for_each_entry(s, &sn->stream_list, list) {
		last = READ_ONCE(s->last_rx);
		if (!last || READ_ONCE(s->idle_reported) ||
		    time_before(jiffies, last + IDLE_TIMEOUT))
			continue;
		WRITE_ONCE(s->idle_reported, true);
		srtprelay_event(sn->net, SRTPRELAY_EVENT_IDLE, &s->local,
				stream_conf(sn, s)->cookie, NULL, 0);
	}
	mutex_unlock(&sn->lock);
	queue_delayed_work(srtprelay_wq, &sn->idle_work, IDLE_SCAN_INTERVAL);
}

/**
 * srtprelay_stream_net_init() - set up the streams of a new namespace
 * @sn: namespace state
 *
 * Return: 0 or a negative errno.
 */
int srtprelay_stream_net_init(struct srtprelay_net *sn)
{
	int ret;

	INIT_LIST_HEAD(&sn->stream_list);
	ret = rhashtable_init(&sn->streams, &stream_params);
	if (ret)
		return ret;
	INIT_DELAYED_WORK(&sn->idle_work, stream_idle_scan);
	queue_delayed_work(srtprelay_wq, &sn->idle_work, IDLE_SCAN_INTERVAL);
	return 0;
}

/**
 * srtprelay_stream_net_exit() - free every stream of a namespace going away
 * @sn: namespace state; the hooks are unregistered already, so the packet
 *	path no longer looks anything up
 */
void srtprelay_stream_net_exit(struct srtprelay_net *sn)
{
	cancel_delayed_work_sync(&sn->idle_work);
	mutex_lock(&sn->lock);
	srtprelay_stream_flush(sn, false, 0);
	mutex_unlock(&sn->lock);
	rhashtable_destroy(&sn->streams);
}
