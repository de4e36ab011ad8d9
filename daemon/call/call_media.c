// SPDX-License-Identifier: GPL-2.0 OR MIT
/* From a call's negotiated legs to media plane streams, and back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "call/call_index.h"
#include "call/call_media.h"
#include "base/log.h"
#include "call/media.h"
#include "srtp_suite.h"

static void on_media_event(void *arg, const struct relay_nl_event *e);
static void on_events_lost(void *arg);
static void on_plane_back(void *arg);

void call_media_setup(struct media_plane *mp)
{
	media_set_event_handler(mp, on_media_event, on_events_lost, mp);
	media_set_reinstall_handler(mp, on_plane_back, mp);
}

/*
 * One key on both sides of a stream (srtp_pass_through handed it on): the
 * media plane checks SRTP and forwards it as it came.
 */
static bool same_nl_crypto(const struct relay_nl_crypto *a,
			   const struct relay_nl_crypto *b)
{
	return a->suite != SRTPRELAY_SUITE_NONE && a->suite == b->suite &&
	       !srtp_suite_info(a->suite).aead && a->flags == b->flags &&
	       a->mki_len == b->mki_len && !memcmp(a->mki, b->mki, a->mki_len) &&
	       !CRYPTO_memcmp(a->key, b->key, sizeof(a->key)) &&
	       !CRYPTO_memcmp(a->salt, b->salt, sizeof(a->salt));
}

static void to_nl_crypto(const struct leg_media *lm, const struct leg_key *k,
			 struct relay_nl_crypto *out)
{
	struct srtp_suite_info suite;

	memset(out, 0, sizeof(*out));
	if (!lm->srtp || !k->set)
		return;
	out->suite = sdes_suite_to_relay(k->suite);
	suite = srtp_suite_info(out->suite);
	memcpy(out->key, k->key.key_salt, suite.key_len);
	memcpy(out->salt, k->key.key_salt + suite.key_len, suite.salt_len);
	out->mki_len = k->key.mki_len;
	for (unsigned int i = 0; i < out->mki_len; i++)
		out->mki[i] = (uint8_t)(k->key.mki >> (8 * (out->mki_len - 1 - i)));
	out->flags = k->flags;
	if (k->wsh)
		out->replay_window = k->wsh > SRTPRELAY_REPLAY_WINDOW_MAX ?
				     SRTPRELAY_REPLAY_WINDOW_MAX :
				     k->wsh < SRTPRELAY_REPLAY_WINDOW_MIN ?
				     SRTPRELAY_REPLAY_WINDOW_MIN : (uint16_t)k->wsh;
}

/* Where leg @x's stream of media slot @s arrives; false if it has no port. */
static bool leg_local(const struct call *c, int x, unsigned int s,
		      struct sockaddr_storage *local)
{
	if (!c->leg[x].media[s].port)
		return false;
	*local = c->cfg->realms[c->leg[x].realm].addr;
	sockaddr_set_port(local, c->leg[x].media[s].port);
	return true;
}

static bool sends(enum sdp_dir d)
{
	return d == SDP_SENDRECV || d == SDP_SENDONLY;
}

static bool receives(enum sdp_dir d)
{
	return d == SDP_SENDRECV || d == SDP_RECVONLY;
}

int call_media_stream(const struct call *c, int x, unsigned int s,
		      struct relay_nl_stream *st)
{
	int y = 1 - x;
	const struct leg_media *mx = &c->leg[x].media[s], *my = &c->leg[y].media[s];
	const struct cfg_ip_group *gx = &c->leg[x].policy;

	memset(st, 0, sizeof(*st));
	if (!mx->port || !my->port || c->leg[x].slot_rejected[s] ||
	    c->leg[y].slot_rejected[s] || !my->remote_known)
		return -ENOENT;
	st->local = c->cfg->realms[c->leg[x].realm].addr;
	sockaddr_set_port(&st->local, mx->port);
	st->out_src = c->cfg->realms[c->leg[y].realm].addr;
	sockaddr_set_port(&st->out_src, my->port);
	/* Symmetric RTP (RFC 4961): once leg y's peer was latched, send to
	 * where it sends from, not to what its SDP says. */
	st->out_dst = my->latched_known && !c->leg[y].policy.lock_on_sdp ?
		      my->latched : my->remote;
	/*
	 * Given always, as the module would derive it (port + 1, or the RTP
	 * port with rtcp-mux): once given the module keeps it, so a stream
	 * moved to a latched source and back must be told both times.
	 */
	st->out_rtcp_dst = st->out_dst;
	if (!my->rtcp_mux)
		sockaddr_set_port(&st->out_rtcp_dst,
				  (uint16_t)(sockaddr_port(&st->out_dst) + 1));
	st->has = RELAY_NL_HAS_OUT_SRC | RELAY_NL_HAS_OUT_DST |
		  RELAY_NL_HAS_OUT_RTCP_DST | RELAY_NL_HAS_FLAGS |
		  RELAY_NL_HAS_COOKIE | RELAY_NL_HAS_IN_CRYPTO | RELAY_NL_HAS_OUT_CRYPTO;
	if (mx->remote_known) {
		st->remote = mx->remote;
		st->has |= RELAY_NL_HAS_REMOTE;
	}
	if (gx->lock_on_sdp && mx->remote_known)
		st->flags |= SRTPRELAY_STREAM_F_LOCK_ON_SDP;
	else
		st->flags |= SRTPRELAY_STREAM_F_LATCH;
	if (mx->rtcp_mux)
		st->flags |= SRTPRELAY_STREAM_F_RTCP_MUX_IN;
	if (my->rtcp_mux)
		st->flags |= SRTPRELAY_STREAM_F_RTCP_MUX_OUT;
	if (!sends(mx->dir) || !receives(my->dir))
		st->flags |= SRTPRELAY_STREAM_F_HOLD;
	st->cookie = c->id;
	to_nl_crypto(mx, &mx->peer_key, &st->in);
	to_nl_crypto(my, &my->our_key, &st->out);
	if (same_nl_crypto(&st->in, &st->out))
		st->flags |= SRTPRELAY_STREAM_F_PASS_THROUGH;
	return 0;
}

int call_media_apply(struct call *c)
{
	struct relay_nl_stream st;
	unsigned int s;
	int x, rc = 0;

	for (s = 0; s < c->n_slots; s++) {
		for (x = 0; x < 2; x++) {
			if (call_media_stream(c, x, s, &st)) {
				struct sockaddr_storage local;

				if (leg_local(c, x, s, &local))
					media_stream_del(c->media, &local);
				continue;
			}
			/*
			 * An answer or a re-offer: the media plane learns
			 * where leg x's peer sends from for a while, then
			 * takes no other source (RTP Bleed).
			 */
			st.has |= RELAY_NL_HAS_LATCH_WINDOW;
			st.latch_window_ms = c->leg[x].policy.latch_window_ms;
			if (media_stream_put(c->media, &st) < 0)
				rc = -EIO;
			memset(&st, 0, sizeof(st));
		}
	}
	c->media_installed = true;
	return rc;
}

void call_media_remove(struct call *c)
{
	struct sockaddr_storage local;
	unsigned int s;
	int x;

	for (s = 0; s < c->n_slots; s++) {
		for (x = 0; x < 2; x++) {
			if (leg_local(c, x, s, &local))
				media_stream_del(c->media, &local);
		}
	}
	c->media_installed = false;
}

int call_media_idle_ms(const struct call *c, uint64_t *idle)
{
	struct relay_nl_stream st;
	struct sockaddr_storage local;
	uint64_t best = UINT64_MAX;
	unsigned int s;
	int x;

	if (!media_has_datapath(c->media))
		return -ENOTSUP;
	for (s = 0; s < c->n_slots; s++) {
		for (x = 0; x < 2; x++) {
			if (!leg_local(c, x, s, &local) ||
			    media_stream_stats(c->media, &local, &st) < 0)
				continue;
			if (!(st.has & RELAY_NL_HAS_LAST_RX))
				continue;
			if (st.last_rx_age_ms < best)
				best = st.last_rx_age_ms;
		}
	}
	*idle = best;
	return 0;
}

/* Leg and slot of the call whose stream arrives on @local. */
static bool find_stream(const struct call *c, const struct sockaddr_storage *local,
			int *leg, unsigned int *slot)
{
	struct sockaddr_storage addr;
	unsigned int s;
	int x;

	for (s = 0; s < c->n_slots; s++) {
		for (x = 0; x < 2; x++) {
			if (leg_local(c, x, s, &addr) &&
			    sockaddr_equal(&addr, local)) {
				*leg = x;
				*slot = s;
				return true;
			}
		}
	}
	return false;
}

/*
 * The stream arriving on leg @x, slot @s latched @src: the stream that
 * sends to leg x's peer now sends there (and its RTCP to port + 1, or the
 * same port with rtcp-mux), as an SBC must for a phone behind NAT.
 */
static void latch(struct call *c, int x, unsigned int s,
		  const struct sockaddr_storage *src)
{
	struct leg_media *lm = &c->leg[x].media[s];
	struct relay_nl_stream st;
	struct sockaddr_storage was;
	char sdp[64], to[64];

	/* lock-on-sdp: the signalled address is the only one, both ways. */
	if (c->leg[x].policy.lock_on_sdp)
		return;
	was = lm->latched_known ? lm->latched : lm->remote;
	lm->latched = *src;
	lm->latched_known = true;
	/* No stream sends to a peer without an address; and a peer that
	 * sends from where its SDP says (no NAT) needs no change. */
	if (!lm->remote_known || sockaddr_equal(&was, src))
		return;
	sockaddr_str(&lm->remote, sdp, sizeof(sdp));
	log_info("call %llu leg %s call-id %s media %u: latched, media to the peer goes to %s (SDP said %s)",
		 (unsigned long long)c->id, x ? "callee" : "caller",
		 c->leg[x].call_id, s, sockaddr_str(src, to, sizeof(to)), sdp);
	if (call_media_stream(c, 1 - x, s, &st))
		return;
	/* Only the destination moves: no keys sent, none derived again. */
	st.has &= RELAY_NL_HAS_OUT_DST | RELAY_NL_HAS_OUT_RTCP_DST;
	media_stream_put(c->media, &st);
	memset(&st, 0, sizeof(st));
}

/* The media plane refused packets from @src (at most one report a second
 * per stream): a stranger, or the peer after a NAT rebinding. */
static void refusal_reported(uint64_t cookie, const struct sockaddr_storage *local,
			     const struct sockaddr_storage *src)
{
	struct call *c = call_by_id(cookie);
	char from[64], at[64];
	unsigned int s;
	int x;

	if (!c || !c->media_installed || !find_stream(c, local, &x, &s))
		return;
	log_info("call %llu leg %s media %u: media from %s refused (not the peer's source; see source_rejected on %s)",
		 (unsigned long long)c->id, x ? "callee" : "caller", s,
		 sockaddr_str(src, from, sizeof(from)),
		 sockaddr_str(local, at, sizeof(at)));
}

/*
 * The media plane says the stream with @cookie arriving at @local latched
 * @src. Another controller's stream, or a call that just ended: not ours.
 */
static void latch_reported(uint64_t cookie, const struct sockaddr_storage *local,
			   const struct sockaddr_storage *src)
{
	struct call *c = call_by_id(cookie);
	unsigned int s;
	int x;

	if (c && c->media_installed && find_stream(c, local, &x, &s))
		latch(c, x, s, src);
}

static void on_media_event(void *arg, const struct relay_nl_event *e)
{
	if (!e->has_cookie || e->remote.ss_family == AF_UNSPEC)
		return;
	if (e->type == SRTPRELAY_EVENT_REMOTE_LATCHED ||
	    e->type == SRTPRELAY_EVENT_REMOTE_CHANGED)
		latch_reported(e->cookie, &e->local, &e->remote);
	else if (e->type == SRTPRELAY_EVENT_SOURCE_REJECTED)
		refusal_reported(e->cookie, &e->local, &e->remote);
}

/* A dumped stream's latched source, applied once the dump is read. */
struct latched_source {
	uint64_t cookie;
	struct sockaddr_storage local, src;
};

struct latched_sources {
	struct latched_source *v;
	size_t n, cap;
};

static int collect_latched(const struct relay_nl_stream *st, void *arg)
{
	struct latched_sources *l = arg;

	if (!(st->has & RELAY_NL_HAS_LATCHED) || !(st->has & RELAY_NL_HAS_COOKIE))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct latched_source *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			/* Stops the dump; what was read is still used. */
			log_warn("media events: out of memory re-reading latched sources; some calls keep sending to the old ones");
			return -ENOMEM;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct latched_source){ st->cookie, st->local,
						st->latched };
	return 0;
}

/*
 * Events were lost: what each stream latched is still in the media plane.
 * One dump of every stream, each latched source matched to its call and
 * stream as an event's would be: with thousands of calls a
 * STREAM_GET per stream would hold the event loop for seconds, just when
 * a burst of new calls overran the events socket. @arg: the media plane.
 */
static void on_events_lost(void *arg)
{
	struct media_plane *mp = arg;
	struct latched_sources l = { NULL, 0, 0 };

	/* A failed dump is logged there; one cut short still brings what it
	 * read. */
	media_stream_dump(mp, collect_latched, &l);
	for (size_t i = 0; i < l.n; i++)
		latch_reported(l.v[i].cookie, &l.v[i].local, &l.v[i].src);
	free(l.v);
}

/*
 * The media plane came back empty: every call that had streams gets them
 * again from its own state (keys, ports, destinations, the latched
 * source), with a learning window open as after an answer, so that a
 * peer whose NAT moved while the plane was gone is found again.
 */
static void on_plane_back(void *arg)
{
	struct call *c;

	for (c = calls; c; c = c->next)
		if (c->media_installed)
			call_media_apply(c);
}
