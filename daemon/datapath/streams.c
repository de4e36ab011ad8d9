// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Realms and streams of the userspace datapath: the same objects and rules
 * as the kernel module (include/uapi/linux/srtprelay.h), held in a hash
 * table that workers read under a read lock while the control thread
 * changes it under the write lock. In socket mode a stream holds the
 * sockets of its ports (sockets.c) from the moment it is added; in NFQUEUE
 * mode a realm installs its steering rule (steering.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "datapath.h"
#include "packet_policy.h"

static uint32_t addr_hash(const struct dp_addr *addr)
{
	return dp_addr_hash(addr) % DP_HASH_BUCKETS;
}

static bool addr_equal(const struct dp_addr *a, const struct dp_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static struct dp_addr with_port(const struct dp_addr *addr, uint16_t port)
{
	struct dp_addr copy = *addr;

	copy.port = port;
	return copy;
}

int dp_table_init(struct dp_table *table, uint16_t queue_base,
		  unsigned int queue_count, unsigned int max_streams,
		  struct dp_socks *socks)
{
	memset(table, 0, sizeof(*table));
	table->rtp_buckets = calloc(DP_HASH_BUCKETS, sizeof(void *));
	table->rtcp_buckets = calloc(DP_HASH_BUCKETS, sizeof(void *));
	if (!table->rtp_buckets || !table->rtcp_buckets)
		return -ENOMEM;
	table->queue_base = queue_base;
	table->queue_count = queue_count;
	table->max_streams = max_streams;
	table->socks = socks;
	table->next_id = 1;
	return -pthread_rwlock_init(&table->lock, NULL);
}

static void stream_free(struct dp_stream *stream)
{
	if (stream->in) {
		srtp_ctx_wipe(stream->in);
		free(stream->in);
	}
	if (stream->out) {
		srtp_ctx_wipe(stream->out);
		free(stream->out);
	}
	pthread_mutex_destroy(&stream->lock);
	OPENSSL_cleanse(stream, sizeof(*stream));
	free(stream);
}

void dp_table_destroy(struct dp_table *table)
{
	dp_stream_flush(table, NULL);
	while (table->realms) {
		struct dp_realm *realm = table->realms;

		table->realms = realm->next;
		free(realm);
	}
	free(table->rtp_buckets);
	free(table->rtcp_buckets);
	pthread_rwlock_destroy(&table->lock);
}

struct dp_stream *dp_stream_find(struct dp_table *table,
				 const struct dp_addr *local, bool *is_rtcp)
{
	uint32_t bucket = addr_hash(local);
	struct dp_stream *stream;

	for (stream = table->rtp_buckets[bucket]; stream;
	     stream = stream->next_rtp)
		if (addr_equal(&stream->local_rtp, local)) {
			*is_rtcp = false;
			return stream;
		}
	for (stream = table->rtcp_buckets[bucket]; stream;
	     stream = stream->next_rtcp)
		if (addr_equal(&stream->local_rtcp, local)) {
			*is_rtcp = true;
			return stream;
		}
	return NULL;
}

const struct dp_realm *dp_realm_find(struct dp_table *table,
				     const struct dp_addr *addr)
{
	for (const struct dp_realm *realm = table->realms; realm;
	     realm = realm->next) {
		struct dp_addr base;

		dp_addr_from_sockaddr(&base, &realm->config.addr);
		if (base.family == addr->family &&
		    !memcmp(base.addr, addr->addr, sizeof(base.addr)) &&
		    addr->port >= realm->config.port_min &&
		    addr->port <= realm->config.port_max)
			return realm;
	}
	return NULL;
}

static bool realms_overlap(const struct relay_nl_realm *a,
			   const struct relay_nl_realm *b)
{
	struct dp_addr x, y;

	dp_addr_from_sockaddr(&x, &a->addr);
	dp_addr_from_sockaddr(&y, &b->addr);
	x.port = y.port = 0;
	return addr_equal(&x, &y) && a->port_min <= b->port_max &&
	       b->port_min <= a->port_max;
}

int dp_realm_add(struct dp_table *table, const struct relay_nl_realm *config,
		 const char **why)
{
	struct dp_realm *realm;
	int ret = 0;

	if (!config->id || !config->port_min ||
	    config->port_max < config->port_min ||
	    (config->addr.ss_family != AF_INET &&
	     config->addr.ss_family != AF_INET6)) {
		*why = "realm needs a non-zero id, an address and a port range";
		return -EINVAL;
	}
	realm = calloc(1, sizeof(*realm));
	if (!realm)
		return -ENOMEM;
	realm->config = *config;

	pthread_rwlock_wrlock(&table->lock);
	for (struct dp_realm *other = table->realms; other; other = other->next) {
		if (other->config.id == config->id) {
			*why = "a realm with this id exists";
			ret = -EEXIST;
		} else if (realms_overlap(&other->config, config)) {
			*why = "port range overlaps another realm";
			ret = -EADDRINUSE;
		}
		if (ret)
			break;
	}
	if (!ret && !table->socks)
		ret = dp_steering_realm(config, true, table->queue_base,
					table->queue_count);
	if (ret && !*why)
		*why = "installing the NFQUEUE rule for the realm failed";
	if (!ret) {
		realm->next = table->realms;
		table->realms = realm;
		table->realm_count++;
		table->generation++;
	}
	pthread_rwlock_unlock(&table->lock);
	if (ret)
		free(realm);
	return ret;
}

static bool realm_in_use(struct dp_table *table, const struct dp_realm *realm)
{
	for (struct dp_stream *stream = table->all; stream;
	     stream = stream->next_all)
		if (dp_realm_find(table, &stream->local_rtp) == realm)
			return true;
	return false;
}

int dp_realm_del(struct dp_table *table, uint32_t id, const char **why)
{
	struct dp_realm **link, *realm = NULL;
	int ret = -ENOENT;

	pthread_rwlock_wrlock(&table->lock);
	for (link = &table->realms; *link; link = &(*link)->next)
		if ((*link)->config.id == id)
			break;
	realm = *link;
	if (!realm) {
		*why = "no realm with this id";
	} else if (realm_in_use(table, realm)) {
		*why = "streams still use this realm";
		ret = -EBUSY;
	} else {
		*link = realm->next;
		table->realm_count--;
		table->generation++;
		if (!table->socks)
			dp_steering_realm(&realm->config, false,
					  table->queue_base, table->queue_count);
		free(realm);
		ret = 0;
	}
	pthread_rwlock_unlock(&table->lock);
	return ret;
}

static int crypto_build(const struct relay_nl_crypto *crypto,
			struct srtp_ctx **out, const struct srtp_ctx *keep,
			const char **why)
{
	struct srtp_params params = {
		.suite = crypto->suite,
		.flags = crypto->flags,
		.mki_len = crypto->mki_len,
		.replay_window = crypto->replay_window,
		.roc = crypto->roc,
		.seq = crypto->seq,
		.has_seq = crypto->has_seq,
	};
	/* sized to its replay window */
	struct srtp_ctx *ctx = calloc(1, srtp_ctx_size(&params));
	int ret;

	if (!ctx)
		return -ENOMEM;
	memcpy(params.master_key, crypto->key, sizeof(params.master_key));
	memcpy(params.master_salt, crypto->salt, sizeof(params.master_salt));
	memcpy(params.mki, crypto->mki, sizeof(params.mki));
	ret = srtp_ctx_init(ctx, &params);
	if (!ret && keep && srtp_ctx_same_key(keep, &params))
		srtp_ctx_copy_state(ctx, keep);
	OPENSSL_cleanse(&params, sizeof(params));
	if (ret) {
		*why = "crypto parameters refused by the SRTP core";
		free(ctx);
		return ret;
	}
	*out = ctx;
	return 0;
}

/* Derived addresses of a stream (RTCP ports per the mux flags). */
static void stream_addresses(struct dp_stream *stream)
{
	const struct relay_nl_stream *c = &stream->config;
	uint32_t flags = c->flags;

	dp_addr_from_sockaddr(&stream->local_rtp, &c->local);
	stream->local_rtcp = flags & SRTPRELAY_STREAM_F_RTCP_MUX_IN ?
		stream->local_rtp :
		with_port(&stream->local_rtp, stream->local_rtp.port + 1);
	dp_addr_from_sockaddr(&stream->remote, &c->remote);
	if (!(c->has & RELAY_NL_HAS_REMOTE))
		memset(&stream->remote, 0, sizeof(stream->remote));
	dp_addr_from_sockaddr(&stream->out_src, &c->out_src);
	dp_addr_from_sockaddr(&stream->out_dst, &c->out_dst);
	if (flags & SRTPRELAY_STREAM_F_RTCP_MUX_OUT) {
		stream->out_rtcp_src = stream->out_src;
		stream->out_rtcp_dst = stream->out_dst;
	} else {
		stream->out_rtcp_src = with_port(&stream->out_src,
						 stream->out_src.port + 1);
		stream->out_rtcp_dst = with_port(&stream->out_dst,
						 stream->out_dst.port + 1);
	}
	if (c->has & RELAY_NL_HAS_OUT_RTCP_DST)
		dp_addr_from_sockaddr(&stream->out_rtcp_dst, &c->out_rtcp_dst);
}

static const char *stream_check(struct dp_table *table,
				const struct dp_stream *stream)
{
	const struct relay_nl_stream *c = &stream->config;
	bool mux = c->flags & SRTPRELAY_STREAM_F_RTCP_MUX_IN;

	if (c->flags & ~__SRTPRELAY_STREAM_F_ALL)
		return "unknown stream flags";
	if ((c->flags & SRTPRELAY_STREAM_F_LOCK_ON_SDP) &&
	    (c->flags & SRTPRELAY_STREAM_F_LATCH))
		return "lock-on-sdp and latch exclude each other";
	if ((c->flags & SRTPRELAY_STREAM_F_LOCK_ON_SDP) &&
	    !(c->has & RELAY_NL_HAS_REMOTE))
		return "lock-on-sdp needs the remote address";
	if ((c->has & RELAY_NL_HAS_LATCH_WINDOW) &&
	    c->latch_window_ms > SRTPRELAY_LATCH_WINDOW_MAX_MS)
		return "latch window longer than SRTPRELAY_LATCH_WINDOW_MAX_MS";
	if (!stream->local_rtp.port || !stream->out_dst.port ||
	    !stream->out_src.port)
		return "local, out-src and out-dst need a port";
	if (stream->out_src.family != stream->out_dst.family)
		return "out-src and out-dst are of different families";
	if (!dp_realm_find(table, &stream->local_rtp) ||
	    (!mux && !dp_realm_find(table, &stream->local_rtcp)))
		return "local address and port (and port + 1) must be in a realm";
	return NULL;
}

/*
 * Socket mode: the sockets @stream sends from, held; the write lock is
 * held. Muxed, the RTCP address is the RTP one: its socket is held twice.
 */
static int hold_out_socks(struct dp_table *table, struct dp_stream *stream,
			  const char **why)
{
	int ret;

	stream->sock_out = stream->sock_out_rtcp = NULL;
	ret = dp_sock_hold(table->socks, &stream->out_src, &stream->sock_out,
			   why);
	if (!ret)
		ret = dp_sock_hold(table->socks, &stream->out_rtcp_src,
				   &stream->sock_out_rtcp, why);
	if (ret) {
		dp_sock_put(table->socks, stream->sock_out);
		stream->sock_out = NULL;
	}
	return ret;
}

static void put_out_socks(struct dp_table *table, struct dp_stream *stream)
{
	dp_sock_put(table->socks, stream->sock_out);
	dp_sock_put(table->socks, stream->sock_out_rtcp);
	stream->sock_out = stream->sock_out_rtcp = NULL;
}

/* Socket mode: every socket of @stream; nothing held on failure. */
static int hold_socks(struct dp_table *table, struct dp_stream *stream,
		      const char **why)
{
	int ret;

	if (!table->socks)
		return 0;
	ret = dp_sock_hold(table->socks, &stream->local_rtp, &stream->sock_rtp,
			   why);
	if (!ret)
		ret = dp_sock_hold(table->socks, &stream->local_rtcp,
				   &stream->sock_rtcp, why);
	if (!ret)
		ret = hold_out_socks(table, stream, why);
	if (ret) {
		dp_sock_put(table->socks, stream->sock_rtp);
		dp_sock_put(table->socks, stream->sock_rtcp);
		stream->sock_rtp = stream->sock_rtcp = NULL;
	}
	return ret;
}

static void stream_link(struct dp_table *table, struct dp_stream *stream)
{
	uint32_t rtp = addr_hash(&stream->local_rtp);
	uint32_t rtcp = addr_hash(&stream->local_rtcp);

	stream->next_rtp = table->rtp_buckets[rtp];
	table->rtp_buckets[rtp] = stream;
	if (!(stream->config.flags & SRTPRELAY_STREAM_F_RTCP_MUX_IN)) {
		stream->next_rtcp = table->rtcp_buckets[rtcp];
		table->rtcp_buckets[rtcp] = stream;
	}
	stream->next_all = table->all;
	table->all = stream;
	table->stream_count++;
	table->generation++;
}

static void unlink_from(struct dp_stream **head, struct dp_stream *stream,
			size_t next_offset)
{
	for (struct dp_stream **link = head; *link;
	     link = (struct dp_stream **)((char *)*link + next_offset))
		if (*link == stream) {
			*link = *(struct dp_stream **)((char *)stream +
						      next_offset);
			return;
		}
}

static void stream_unlink(struct dp_table *table, struct dp_stream *stream)
{
	unlink_from(&table->rtp_buckets[addr_hash(&stream->local_rtp)], stream,
		    offsetof(struct dp_stream, next_rtp));
	unlink_from(&table->rtcp_buckets[addr_hash(&stream->local_rtcp)],
		    stream, offsetof(struct dp_stream, next_rtcp));
	unlink_from(&table->all, stream, offsetof(struct dp_stream, next_all));
	if (table->socks) {
		dp_sock_put(table->socks, stream->sock_rtp);
		dp_sock_put(table->socks, stream->sock_rtcp);
		put_out_socks(table, stream);
		stream->sock_rtp = stream->sock_rtcp = NULL;
	}
	table->stream_count--;
	table->generation++;
}

static void wipe_keys(struct relay_nl_stream *config)
{
	OPENSSL_cleanse(config->in.key, sizeof(config->in.key));
	OPENSSL_cleanse(config->in.salt, sizeof(config->in.salt));
	OPENSSL_cleanse(config->in.mki, sizeof(config->in.mki));
	OPENSSL_cleanse(config->out.key, sizeof(config->out.key));
	OPENSSL_cleanse(config->out.salt, sizeof(config->out.salt));
	OPENSSL_cleanse(config->out.mki, sizeof(config->out.mki));
}

int dp_stream_add(struct dp_table *table, struct relay_nl_stream *config,
		  const char **why)
{
	struct dp_stream *stream = calloc(1, sizeof(*stream));
	bool is_rtcp;
	int ret;

	if (!stream)
		return -ENOMEM;
	pthread_mutex_init(&stream->lock, NULL);
	stream->config = *config;
	stream->config.has &= ~(RELAY_NL_HAS_STATS | RELAY_NL_HAS_LAST_RX |
				RELAY_NL_HAS_LATCHED);
	stream_addresses(stream);
	ret = crypto_build(&config->in, &stream->in, NULL, why);
	if (!ret)
		ret = crypto_build(&config->out, &stream->out, NULL, why);
	if (!ret) {
		*why = pp_pass_through_refusal(config->flags, stream->in,
					       stream->out);
		ret = *why ? -EINVAL : 0;
	}
	wipe_keys(&stream->config);
	if (ret) {
		stream_free(stream);
		return ret;
	}

	pthread_rwlock_wrlock(&table->lock);
	*why = stream_check(table, stream);
	if (!*why && table->stream_count >= table->max_streams) {
		/* The module's words for its max_streams. */
		*why = "stream limit reached (srtprelay-datapath -m)";
		ret = -ENOSPC;
	} else if (*why) {
		ret = -EINVAL;
		if (strstr(*why, "realm"))
			ret = -EADDRNOTAVAIL;
	} else if (dp_stream_find(table, &stream->local_rtp, &is_rtcp) ||
		   dp_stream_find(table, &stream->local_rtcp, &is_rtcp)) {
		*why = "local address and port are in use by another stream";
		ret = -EEXIST;
	} else {
		ret = hold_socks(table, stream, why);
	}
	if (!ret) {
		stream->id = table->next_id++;
		latch_arm(&stream->latch, dp_now_ms(),
			  config->has & RELAY_NL_HAS_LATCH_WINDOW ?
			  config->latch_window_ms :
			  SRTPRELAY_LATCH_WINDOW_DEFAULT_MS);
		/* A request, not state: dumps say what is left of it. */
		stream->config.has &= ~RELAY_NL_HAS_LATCH_WINDOW;
		stream_link(table, stream);
	}
	pthread_rwlock_unlock(&table->lock);
	if (ret)
		stream_free(stream);
	return ret;
}

/* Replace what @config gives; keys that stay the same keep their state. */
int dp_stream_set(struct dp_table *table, struct relay_nl_stream *config,
		  const char **why)
{
	struct srtp_ctx *in = NULL, *out = NULL, *old_in, *old_out;
	struct dp_stream *stream, probe;
	struct dp_addr local;
	bool is_rtcp, probe_socks = false;
	int ret = 0;

	dp_addr_from_sockaddr(&local, &config->local);
	pthread_rwlock_wrlock(&table->lock);
	stream = dp_stream_find(table, &local, &is_rtcp);
	if (!stream || is_rtcp) {
		pthread_rwlock_unlock(&table->lock);
		*why = "no stream at this local address and port";
		return -ENOENT;
	}
	probe = *stream;
	if (config->has & RELAY_NL_HAS_REMOTE)
		probe.config.remote = config->remote;
	if (config->has & RELAY_NL_HAS_OUT_SRC)
		probe.config.out_src = config->out_src;
	if (config->has & RELAY_NL_HAS_OUT_DST)
		probe.config.out_dst = config->out_dst;
	if (config->has & RELAY_NL_HAS_OUT_RTCP_DST)
		probe.config.out_rtcp_dst = config->out_rtcp_dst;
	if (config->has & RELAY_NL_HAS_FLAGS)
		probe.config.flags = config->flags;
	if (config->has & RELAY_NL_HAS_COOKIE)
		probe.config.cookie = config->cookie;
	probe.config.latch_window_ms = config->latch_window_ms;
	probe.config.has |= config->has & (RELAY_NL_HAS_REMOTE |
		RELAY_NL_HAS_OUT_RTCP_DST | RELAY_NL_HAS_COOKIE |
		RELAY_NL_HAS_LATCH_WINDOW);
	stream_addresses(&probe);
	*why = stream_check(table, &probe);
	probe.config.has &= ~RELAY_NL_HAS_LATCH_WINDOW;
	if (*why || !addr_equal(&probe.local_rtcp, &stream->local_rtcp)) {
		*why = *why ?: "rtcp-mux-in cannot change on a live stream";
		ret = -EINVAL;
	}
	/* The new out-src's sockets before the old ones go: a shared one stays. */
	if (!ret && table->socks) {
		ret = hold_out_socks(table, &probe, why);
		probe_socks = !ret;
	}
	pthread_mutex_lock(&stream->lock);
	if (!ret && (config->has & RELAY_NL_HAS_IN_CRYPTO))
		ret = crypto_build(&config->in, &in, stream->in, why);
	if (!ret && (config->has & RELAY_NL_HAS_OUT_CRYPTO))
		ret = crypto_build(&config->out, &out, stream->out, why);
	if (!ret) {
		*why = pp_pass_through_refusal(probe.config.flags,
					       in ?: stream->in,
					       out ?: stream->out);
		ret = *why ? -EINVAL : 0;
	}
	if (!ret) {
		const uint32_t latch_flags = SRTPRELAY_STREAM_F_LATCH |
					     SRTPRELAY_STREAM_F_LOCK_ON_SDP;

		/* As the module: a new signalled source starts latching over. */
		if (!addr_equal(&probe.remote, &stream->remote) ||
		    ((probe.config.flags ^ stream->config.flags) & latch_flags))
			memset(&stream->latch.latched, 0,
			       sizeof(stream->latch.latched));
		/* A re-offer: learn again, a better source may take over. */
		if (config->has & RELAY_NL_HAS_LATCH_WINDOW)
			latch_arm(&stream->latch, dp_now_ms(),
				  config->latch_window_ms);
		old_in = stream->in;
		old_out = stream->out;
		stream->config = probe.config;
		stream->remote = probe.remote;
		stream->out_src = probe.out_src;
		stream->out_dst = probe.out_dst;
		stream->out_rtcp_src = probe.out_rtcp_src;
		stream->out_rtcp_dst = probe.out_rtcp_dst;
		if (table->socks) {
			put_out_socks(table, stream);
			stream->sock_out = probe.sock_out;
			stream->sock_out_rtcp = probe.sock_out_rtcp;
		}
		if (in) {
			stream->config.in = config->in;
			stream->in = in;
			srtp_ctx_wipe(old_in);
			free(old_in);
		}
		if (out) {
			stream->config.out = config->out;
			stream->out = out;
			srtp_ctx_wipe(old_out);
			free(old_out);
		}
		wipe_keys(&stream->config);
	}
	pthread_mutex_unlock(&stream->lock);
	if (ret && probe_socks)
		put_out_socks(table, &probe);
	pthread_rwlock_unlock(&table->lock);
	if (ret) {
		if (in) {
			srtp_ctx_wipe(in);
			free(in);
		}
		if (out) {
			srtp_ctx_wipe(out);
			free(out);
		}
	}
	return ret;
}

int dp_stream_del(struct dp_table *table, const struct sockaddr_storage *local,
		  const char **why)
{
	struct dp_stream *stream;
	struct dp_addr addr;
	bool is_rtcp;

	dp_addr_from_sockaddr(&addr, local);
	pthread_rwlock_wrlock(&table->lock);
	stream = dp_stream_find(table, &addr, &is_rtcp);
	if (stream && !is_rtcp)
		stream_unlink(table, stream);
	pthread_rwlock_unlock(&table->lock);
	if (!stream || is_rtcp) {
		*why = "no stream at this local address and port";
		return -ENOENT;
	}
	stream_free(stream);
	return 0;
}

unsigned int dp_stream_flush(struct dp_table *table, const uint64_t *cookie)
{
	struct dp_stream *stream, *next, *doomed = NULL;
	unsigned int count = 0;

	pthread_rwlock_wrlock(&table->lock);
	for (stream = table->all; stream; stream = next) {
		next = stream->next_all;
		if (cookie && (!(stream->config.has & RELAY_NL_HAS_COOKIE) ||
			       stream->config.cookie != *cookie))
			continue;
		stream_unlink(table, stream);
		stream->next_all = doomed;
		doomed = stream;
		count++;
	}
	pthread_rwlock_unlock(&table->lock);
	for (stream = doomed; stream; stream = next) {
		next = stream->next_all;
		stream_free(stream);
	}
	return count;
}

void dp_stream_snapshot(struct dp_stream *stream, struct relay_nl_stream *out)
{
	pthread_mutex_lock(&stream->lock);
	*out = stream->config;
	memcpy(out->stats, stream->stats, sizeof(out->stats));
	out->has |= RELAY_NL_HAS_STATS | RELAY_NL_HAS_FLAGS |
		    RELAY_NL_HAS_IN_CRYPTO | RELAY_NL_HAS_OUT_CRYPTO;
	if (stream->last_rx_ms) {
		out->has |= RELAY_NL_HAS_LAST_RX;
		out->last_rx_age_ms = dp_now_ms() - stream->last_rx_ms;
	}
	if (stream->latch.latched.family) {
		struct dp_addr latched = {
			.port = stream->latch.latched.port,
			.family = stream->latch.latched.family,
		};

		memcpy(latched.addr, stream->latch.latched.ip,
		       sizeof(latched.addr));
		out->has |= RELAY_NL_HAS_LATCHED;
		dp_addr_to_sockaddr(&latched, &out->latched);
	}
	out->has |= RELAY_NL_HAS_LATCH_WINDOW;
	out->latch_window_ms = latch_window_left_ms(&stream->latch,
						    dp_now_ms());
	if (!(out->has & RELAY_NL_HAS_OUT_RTCP_DST)) {
		out->has |= RELAY_NL_HAS_OUT_RTCP_DST;
		dp_addr_to_sockaddr(&stream->out_rtcp_dst, &out->out_rtcp_dst);
	}
	out->in.mki_len = stream->in->params.mki_len;
	out->out.mki_len = stream->out->params.mki_len;
	out->in.replay_window = stream->in->window;
	out->out.replay_window = stream->out->window;
	pthread_mutex_unlock(&stream->lock);
}
