// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * At start, before any new call: the calls a previous run left in the call
 * store carry on (issue 16). Each record becomes a call again (its dialogs,
 * ports and keys); its port pairs are taken back from the realms; the
 * media plane's streams are read in one dump and each is adopted by the
 * call whose cookie and local address it carries (the media plane kept
 * relaying them while srtprelayd was gone, with their rollover counters
 * and latched sources), a stream no call claims is removed, a call's
 * stream the plane lost is installed again from the call's state, and a
 * call the plane has no stream of at all (the host rebooted) ends. The
 * calls are in the index, counted by admission, and their media timers
 * run: re-INVITEs, BYEs from either side and the media timeout work as
 * before the restart.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/secret_mem.h"
#include "call/admission.h"
#include "call/advertise.h"
#include "call/b2bua.h"
#include "call/call_index.h"
#include "call/call_media.h"
#include "call/call_ops.h"
#include "call/call_record.h"
#include "call/call_restore.h"
#include "call/media.h"
#include "call/offer_answer.h"
#include "call/sip_dialog.h"

/*
 * Requests we sent on a leg after its record was last written (INFO,
 * PRACK...) took CSeqs the record does not have: the next ones start this
 * far above, as RFC 3261 12.2.2 lets a UAS take any higher number.
 */
#define CSEQ_AFTER_RESTART 100

struct restore {
	struct b2bua *b2bua;
	struct call *pending;		/* decoded, not yet in the index */
	unsigned int restored, dropped;
	uint64_t *drop;			/* ids to remove from the store */
	size_t n_drop, cap_drop;
};

/* One stream of the media plane, read in the dump. */
struct plane_stream {
	struct sockaddr_storage local;
	uint64_t cookie;
	bool has_cookie;
};

struct plane_streams {
	struct plane_stream *v;
	size_t n, cap;
};

static void forget_later(struct restore *r, uint64_t id)
{
	if (r->n_drop == r->cap_drop) {
		size_t cap = r->cap_drop ? 2 * r->cap_drop : 64;
		uint64_t *v = realloc(r->drop, cap * sizeof(*v));

		if (!v)
			return;	/* read again, and refused again, next start */
		r->drop = v;
		r->cap_drop = cap;
	}
	r->drop[r->n_drop++] = id;
}

/* A call that was never in the index: ports back, keys wiped, freed. */
static void discard(struct call *c)
{
	oa_release(c);
	dialog_release(&c->leg[0]);
	dialog_release(&c->leg[1]);
	secret_free_heap(c->late_ack_sdp);
	secret_free(c, sizeof(*c));
}

static struct leg_media *nth_media(struct call *c, unsigned int i)
{
	return &c->leg[i / SDP_MAX_MEDIA].media[i % SDP_MAX_MEDIA];
}

/*
 * Its port pairs back from the realms; false if another call holds one:
 * then the pairs claimed so far go back, and the call keeps none (it is
 * discarded, and must not free what others hold).
 */
static bool claim_ports(struct call *c)
{
	unsigned int i, n = 2 * SDP_MAX_MEDIA, failed = n;

	for (i = 0; i < n && failed == n; i++) {
		struct leg_media *lm = nth_media(c, i);

		if (i % SDP_MAX_MEDIA < c->n_slots && lm->port &&
		    media_port_claim(c->media, c->leg[i / SDP_MAX_MEDIA].realm,
				     lm->port))
			failed = i;
	}
	if (failed == n)
		return true;
	for (i = 0; i < n; i++) {
		struct leg_media *lm = nth_media(c, i);

		if (i < failed && i % SDP_MAX_MEDIA < c->n_slots && lm->port)
			media_port_free(c->media, c->leg[i / SDP_MAX_MEDIA].realm,
					lm->port);
		lm->port = 0;
	}
	return false;
}

static int take_record(uint64_t id, const uint8_t *rec, size_t len, void *arg)
{
	struct restore *r = arg;
	struct call *c = calloc(1, sizeof(*c));
	char why[160];

	if (!c)
		return -ENOMEM;
	c->id = id;
	c->media = r->b2bua->media;
	c->transport = r->b2bua->transport;
	c->txns = r->b2bua->txns;
	if (call_record_decode(c, r->b2bua->cfg, rec, len, why, sizeof(why))) {
		log_warn("state journal: call %llu: %s; not restored",
			 (unsigned long long)id, why);
		/* Its ports were never claimed: discard() must not free them. */
		for (unsigned int i = 0; i < 2 * SDP_MAX_MEDIA; i++)
			nth_media(c, i)->port = 0;
	} else if (!claim_ports(c))
		log_warn("state journal: call %llu: a media port of it is another call's; not restored",
			 (unsigned long long)id);
	else {
		c->next = r->pending;
		r->pending = c;
		return 0;
	}
	discard(c);
	forget_later(r, id);
	r->dropped++;
	return 0;
}

/* Into the index, counted, its timers running: a call like any other. */
static void adopt_call(struct restore *r, struct call *c)
{
	uint64_t answered = c->answered_ms;

	c->next = NULL;
	c->answered_ms = 0;
	c->stats = &r->b2bua->stats;
	c->store = r->b2bua->store;
	c->stored = true;
	for (int k = 0; k < 2; k++) {
		struct leg *l = &c->leg[k];

		/* How we name ourselves to the peer, as now configured. */
		advertise_self(c->cfg, l->peer.iface, l->peer.proto,
			       l->policy.nat_private, &l->self);
		l->local_cseq += CSEQ_AFTER_RESTART;
		for (unsigned int s = c->n_slots; s < SDP_MAX_MEDIA; s++)
			l->media[s].line = -1;
	}
	call_list_add(c);
	call_index_leg(c, 0);
	call_index_leg(c, 1);
	call_mark_answered(c, answered);
	admission_count(c->leg[0].group, c->leg[1].group);
	c->admitted = true;
	c->media_installed = true;
	b2bua_adopt(c);
	r->restored++;
}

static int collect_stream(const struct relay_nl_stream *st, void *arg)
{
	struct plane_streams *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct plane_stream *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct plane_stream){ st->local, st->cookie,
					      (st->has & RELAY_NL_HAS_COOKIE) != 0 };
	return 0;
}

/* The stream of @c arriving at @local, as the call would install it. */
static bool call_stream_at(const struct call *c, const struct sockaddr_storage *local,
			   struct relay_nl_stream *st)
{
	for (unsigned int s = 0; s < c->n_slots; s++) {
		for (int x = 0; x < 2; x++) {
			if (!call_media_stream(c, x, s, st) &&
			    sockaddr_equal(&st->local, local))
				return true;
			memset(st, 0, sizeof(*st));
		}
	}
	return false;
}

/* Each stream of the plane: adopted by its call, or removed. */
static void sort_streams(struct media_plane *mp, const struct plane_streams *l,
			 unsigned int *adopted, unsigned int *removed)
{
	struct relay_nl_stream st;

	for (size_t i = 0; i < l->n; i++) {
		const struct plane_stream *p = &l->v[i];
		struct call *c = p->has_cookie ? call_by_id(p->cookie) : NULL;

		if (c && call_stream_at(c, &p->local, &st)) {
			*adopted += !media_stream_adopt(mp, &st);
			memset(&st, 0, sizeof(st));
		} else {
			*removed += !media_stream_del_foreign(mp, &p->local);
		}
	}
}

/* Does the media plane (still) have any stream of @c? */
static bool plane_has_some(const struct call *c)
{
	struct relay_nl_stream st;
	bool some = false;

	for (unsigned int s = 0; s < c->n_slots && !some; s++) {
		for (int x = 0; x < 2 && !some; x++)
			some = !call_media_stream(c, x, s, &st) &&
			       media_stream_known(c->media, &st.local);
		memset(&st, 0, sizeof(st));
	}
	return some || !c->n_slots;
}

/* What the plane lost of a restored call, from the call's state. */
static unsigned int install_missing(struct call *c)
{
	struct relay_nl_stream st;
	unsigned int n = 0;

	for (unsigned int s = 0; s < c->n_slots; s++) {
		for (int x = 0; x < 2; x++) {
			if (call_media_stream(c, x, s, &st) ||
			    media_stream_known(c->media, &st.local)) {
				memset(&st, 0, sizeof(st));
				continue;
			}
			st.has |= RELAY_NL_HAS_LATCH_WINDOW;
			st.latch_window_ms = c->leg[x].policy.latch_window_ms;
			n += !media_stream_put(c->media, &st);
			memset(&st, 0, sizeof(st));
		}
	}
	return n;
}

/*
 * A call none of whose streams the plane kept lost its media while
 * srtprelayd was down too (the host rebooted, the module was reloaded):
 * its peers have most likely hung up. It ends here, without a BYE (no
 * transport runs yet), rather than hold its ports for ever.
 */
static unsigned int end_lost(void)
{
	struct call *c, *next;
	unsigned int n = 0;

	for (c = calls; c; c = next) {
		next = c->next;
		if (!c->stored || plane_has_some(c))
			continue;
		call_end(c, "restored, but the media plane has none of its streams any more", false, false);
		n++;
	}
	return n;
}

static void match_media_plane(struct restore *r)
{
	struct media_plane *mp = r->b2bua->media;
	struct plane_streams l = { NULL, 0, 0 };
	unsigned int adopted = 0, removed = 0, installed = 0, lost = 0;
	struct call *c;

	if (media_has_datapath(mp)) {
		log_info("calls restored: %u from the state journal; reading the media plane's streams",
			 r->restored);
		int rc = media_stream_dump(mp, collect_stream, &l);

		sort_streams(mp, &l, &adopted, &removed);
		free(l.v);
		if (rc)
			log_warn("calls restored: the media plane's streams could not all be read; the calls' streams are installed again");
		else
			lost = end_lost();
	}
	for (c = calls; c; c = c->next)
		if (c->stored)
			installed += install_missing(c);
	log_info("calls restored: %u streams of the media plane adopted, %u installed again, %u that no call has removed; %u calls ended (the plane had none of their streams)",
		 adopted, installed, removed, lost);
}

int call_restore(struct b2bua *b)
{
	struct restore r = { .b2bua = b };
	struct call *c, *next;
	int rc;

	rc = call_store_iterate(b->store, take_record, &r);
	for (c = r.pending; c; c = next) {
		next = c->next;
		if (c->id >= b->next_id)
			b->next_id = c->id + 1;
		adopt_call(&r, c);
	}
	match_media_plane(&r);
	for (size_t i = 0; i < r.n_drop; i++)
		call_store_remove(b->store, r.drop[i]);
	free(r.drop);
	log_info("calls restored: %u from the state journal, %u not restored; new calls from id %llu",
		 r.restored, r.dropped, (unsigned long long)b->next_id);
	return rc;
}
