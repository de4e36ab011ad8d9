// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Media plane access: realm port pairs, and streams through relay_nl (or
 * only recorded, with the "record" backend). Every installed stream is
 * also kept here, keys stripped, so the control socket can list exactly
 * what the datapath was told.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/sha.h>

#include "base/evloop.h"
#include "base/log.h"
#include "base/log_limit.h"
#include "call/media.h"


struct realm_ports {
	struct cfg_realm realm;	/* as configured; a reload cannot change it */
	uint16_t min, max, next;
	uint8_t *used;		/* one byte per pair */
	unsigned int in_use, limit;
	/* A full realm refuses every INVITE a trunk sends it: a few lines
	 * say so, not one per INVITE. */
	struct log_limit full_log;
};

/*
 * A datapath restarted by systemd (or a module reloaded) is back within a
 * second: calls are refused only while it is gone, so retry often. A
 * failed attempt costs one connect() and is not logged again.
 */
#define MEDIA_RETRY_MS 250
/*
 * Every stream's first packets bring a latch and an SSRC event: a burst of
 * new calls must not overrun the events socket (the kernel's default
 * receive buffer holds a few hundred events).
 */
#define MEDIA_EVENTS_RCVBUF (4 << 20)

struct media_plane {
	struct relay_nl *nl;		/* NULL: none connected (yet) */
	/* A second handle, joined to the "events" group: a handle that joined
	 * must do nothing but receive events (relay_netlink.h). */
	struct relay_nl *events;
	media_event_cb event_cb;
	media_events_lost_cb events_lost_cb;
	void *event_arg;		/* for both */
	media_reinstall_cb reinstall_cb;
	void *reinstall_arg;
	struct ev_timer retry_timer;
	bool record_only;
	struct realm_ports ports[CFG_MAX_OBJ];
	unsigned int n_realms;
	struct media_record *records;	/* grows as calls do */
	unsigned int n_records, cap_records;
};

static int realm_install(struct media_plane *mp, const struct cfg_realm *r,
			 bool keep);
static void plane_lost(struct media_plane *mp, const char *why);
static void plane_reinstall(struct media_plane *mp);

void media_set_event_handler(struct media_plane *mp, media_event_cb cb,
			     media_events_lost_cb lost, void *arg)
{
	mp->event_cb = cb;
	mp->events_lost_cb = lost;
	mp->event_arg = arg;
}

void media_set_reinstall_handler(struct media_plane *mp, media_reinstall_cb cb,
				 void *arg)
{
	mp->reinstall_cb = cb;
	mp->reinstall_arg = arg;
}

static int deliver_event(const struct relay_nl_event *e, void *arg)
{
	struct media_plane *mp = arg;

	if (mp->event_cb)
		mp->event_cb(mp->event_arg, e);
	return 0;
}

static void events_close(struct media_plane *mp)
{
	if (!mp->events)
		return;
	ev_fd_del(relay_nl_fd(mp->events));
	relay_nl_close(mp->events);
	mp->events = NULL;
}

/* @arg: the media plane. */
static void on_events(int fd, uint32_t ev, void *arg)
{
	struct media_plane *mp = arg;
	int ret;

	(void)fd;
	(void)ev;
	ret = relay_nl_event_recv(mp->events, deliver_event, mp);
	if (ret == -ENOBUFS) {
		log_warn("media events: %s; re-reading the latched sources of every call",
			 relay_nl_strerror(mp->events));
		if (mp->events_lost_cb)
			mp->events_lost_cb(mp->event_arg);
		return;
	}
	if (ret == -EINTR || ret == -EAGAIN)
		return;
	/*
	 * The events socket closing (a datapath that died) or nlctrl's
	 * DELFAMILY of our family on it (a module unloaded, ENODEV) is the
	 * first sign the plane is gone: reconnect to the whole plane rather
	 * than go on without it.
	 */
	if (ret < 0)
		plane_lost(mp, relay_nl_strerror(mp->events));
}

/*
 * Symmetric RTP needs the media plane's latch events; without them calls
 * still work, but a peer behind NAT hears nothing, so say so.
 */
static void events_open(struct media_plane *mp)
{
	struct relay_nl_err err;
	int rcvbuf = MEDIA_EVENTS_RCVBUF;
	char line[320];
	struct relay_nl *events;

	events = relay_nl_open(&err);
	if (!events) {
		log_warn("media events: %s; media_source = \"latch\" will not redirect media to a latched source",
			 relay_nl_err_format(&err, line, sizeof(line)));
		return;
	}
	if (strcmp(relay_nl_backend(events), relay_nl_backend(mp->nl))) {
		log_warn("media events: opened the %s, but streams go to the %s; latched sources are not followed",
			 relay_nl_backend(events), relay_nl_backend(mp->nl));
		relay_nl_close(events);
		return;
	}
	if (relay_nl_subscribe(events) < 0) {
		log_warn("media events: joining the '%s' group: %s; media_source = \"latch\" will not redirect media to a latched source",
			 SRTPRELAY_MCGRP_EVENTS, relay_nl_strerror(events));
		relay_nl_close(events);
		return;
	}
	/* Best effort: without it the default buffer, and resyncs on overrun. */
	setsockopt(relay_nl_fd(events), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		   sizeof(rcvbuf));
	if (ev_fd_add(relay_nl_fd(events), EPOLLIN, on_events, mp) < 0) {
		log_warn("media events: cannot watch the events socket; latched sources are not followed");
		relay_nl_close(events);
		return;
	}
	mp->events = events;
}

/*
 * Connects to the media plane; without one, calls are refused (503) and
 * the connection is retried, so starting srtprelay-datapath (or loading
 * the module) later is enough.
 */
static bool media_open(struct media_plane *mp, bool first)
{
	struct relay_nl_err err;
	char line[320];
	unsigned int i;

	mp->nl = relay_nl_open(&err);
	if (!mp->nl) {
		if (first) {
			log_err("media plane: %s", relay_nl_err_format(&err, line, sizeof(line)));
			log_err("NO MEDIA PLANE: calls are refused with 503 until srtprelay.ko is loaded or srtprelay-datapath runs (retrying every %d ms); media_backend = \"record\" runs signalling only",
				MEDIA_RETRY_MS);
		}
		return false;
	}
	for (i = 0; i < mp->n_realms; i++) {
		if (realm_install(mp, &mp->ports[i].realm, first)) {
			relay_nl_close(mp->nl);
			mp->nl = NULL;
			return false;
		}
	}
	/* At start the plane may carry the calls of a run that died: they
	 * are adopted or removed by call_restore.c, not flushed here. */
	if (!first)
		relay_nl_stream_flush(mp->nl, NULL);
	log_info("media plane: %s", relay_nl_backend(mp->nl));
	events_open(mp);
	if (!first)
		plane_reinstall(mp);
	return true;
}

/*
 * A media plane that came back has none of our streams: forget what was
 * recorded (the records would turn each add into a set of a stream that
 * is not there) and have every live call install its streams again from
 * the call state, keys included.
 */
static void plane_reinstall(struct media_plane *mp)
{
	unsigned int had = mp->n_records;

	mp->n_records = 0;
	if (mp->reinstall_cb)
		mp->reinstall_cb(mp->reinstall_arg);
	log_warn("media plane: back; %u of %u streams re-installed",
		 mp->n_records, had);
}

/* @arg: the media plane. */
static void media_retry(void *arg)
{
	struct media_plane *mp = arg;

	if (!media_open(mp, false))
		ev_timer_arm(&mp->retry_timer, MEDIA_RETRY_MS);
}

/*
 * The datapath died or the module went away: drop both handles, refuse
 * calls (media_ready()) and reconnect. The calls keep their state; their
 * streams are installed again when the plane is back.
 */
static void plane_lost(struct media_plane *mp, const char *why)
{
	if (!mp->nl)
		return;
	log_err("media plane lost (%s): calls are refused with 503 until it is back; reconnecting every %d ms",
		why, MEDIA_RETRY_MS);
	events_close(mp);
	relay_nl_close(mp->nl);
	mp->nl = NULL;
	ev_timer_arm(&mp->retry_timer, MEDIA_RETRY_MS);
}

/*
 * Errors that say the media plane itself is gone, not this request:
 * the datapath's socket broke, or the module's family went (relay_nl
 * turns genetlink's ENOENT for a vanished family into ENODEV).
 */
static bool plane_gone(int rc)
{
	return rc == -EPIPE || rc == -ECONNRESET || rc == -ENOTCONN ||
	       rc == -ECONNREFUSED || rc == -ENODEV;
}

bool media_ready(const struct media_plane *mp)
{
	return mp->nl || mp->record_only;
}

struct realm_match {
	struct relay_nl_realm want;
	bool found;
};

static int realm_same(const struct relay_nl_realm *have, void *arg)
{
	struct realm_match *m = arg;
	struct sockaddr_storage a = have->addr, b = m->want.addr;

	sockaddr_set_port(&a, 0);
	sockaddr_set_port(&b, 0);
	m->found = have->id == m->want.id && sockaddr_equal(&a, &b) &&
		   have->port_min == m->want.port_min &&
		   have->port_max == m->want.port_max;
	return m->found;	/* found: the dump stops */
}

/*
 * A realm a previous run of srtprelayd left (@keep: at start) stays when
 * it is the one configured: its streams are the calls that run carried,
 * which call_restore.c adopts. A different one, or any on reconnect,
 * makes way; its streams go first, as they cannot be carried on.
 */
static int realm_install(struct media_plane *mp, const struct cfg_realm *r,
			 bool keep)
{
	struct relay_nl *nl = mp->nl;
	struct relay_nl_realm nr = { .id = r->id, .addr = r->addr,
				     .port_min = r->port_min, .port_max = r->port_max };
	struct realm_match m = { .want = nr };

	if (!nl)
		return 0;
	if (keep && !relay_nl_realm_dump(nl, realm_same, &m) && m.found) {
		log_info("media realm %s: kept from the previous run, with its streams",
			 r->name);
		return 0;
	}
	if (relay_nl_realm_del(nl, r->id) == -EBUSY) {
		log_warn("media realm %s: the media plane has it with other addresses or ports: its streams are removed",
			 r->name);
		relay_nl_stream_flush(nl, NULL);
		relay_nl_realm_del(nl, r->id);
	}
	if (relay_nl_realm_add(nl, &nr) < 0) {
		log_err("media realm %s: add to the media plane: %s", r->name,
			relay_nl_strerror(nl));
		return -EIO;
	}
	return 0;
}

/* Each realm's port pairs, as configured; -ENOMEM. */
static int ports_init(struct media_plane *mp, const struct config *cfg)
{
	unsigned int i;

	mp->n_realms = cfg->n_realms;
	for (i = 0; i < cfg->n_realms; i++) {
		const struct cfg_realm *r = &cfg->realms[i];
		struct realm_ports *p = &mp->ports[i];
		unsigned int pairs = (unsigned int)(r->port_max - r->port_min + 1) / 2;

		p->realm = *r;
		p->min = r->port_min;
		p->max = (uint16_t)(r->port_min + pairs * 2 - 1);
		p->used = calloc(pairs, 1);
		p->limit = r->max_sessions ? r->max_sessions : pairs;
		if (!p->used)
			return -ENOMEM;
		log_info("media realm %s: %s ports %u-%u (%u pairs)", r->name, r->address,
			 p->min, p->max, pairs);
	}
	return 0;
}

struct media_plane *media_new(const struct config *cfg)
{
	struct media_plane *mp = calloc(1, sizeof(*mp));

	if (!mp || ports_init(mp, cfg)) {
		log_err("media plane: out of memory for the realms' port tables");
		media_free(mp);
		return NULL;
	}
	ev_timer_init(&mp->retry_timer, media_retry, mp);
	mp->record_only = !strcmp(cfg->media_backend, "record");
	if (mp->record_only) {
		log_warn("media backend 'record': NO MEDIA IS RELAYED; streams are only recorded (see the control socket's 'streams')");
		return mp;
	}
	if (!media_open(mp, true))
		ev_timer_arm(&mp->retry_timer, MEDIA_RETRY_MS);
	return mp;
}

void media_free(struct media_plane *mp)
{
	unsigned int i;

	if (!mp)
		return;
	ev_timer_cancel(&mp->retry_timer);
	for (i = 0; i < mp->n_realms; i++) {
		if (mp->nl)
			relay_nl_realm_del(mp->nl, mp->ports[i].realm.id);
		free(mp->ports[i].used);
	}
	events_close(mp);
	if (mp->nl)
		relay_nl_close(mp->nl);
	free(mp->records);
	free(mp);
}

const char *media_backend_name(const struct media_plane *mp)
{
	return mp->nl ? relay_nl_backend(mp->nl) :
	       mp->record_only ? "record (no datapath)" :
	       "none (waiting for srtprelay.ko or srtprelay-datapath)";
}

bool media_has_datapath(const struct media_plane *mp)
{
	return mp->nl != NULL;
}

int media_port_alloc(struct media_plane *mp, int realm, uint16_t *port)
{
	struct realm_ports *p = &mp->ports[realm];
	unsigned int pairs = (unsigned int)(p->max - p->min + 1) / 2, i, k;

	if (p->in_use >= p->limit) {
		log_limited(&p->full_log, LOG_LVL_WARN,
			    "media realm %s: session limit %u reached",
			    p->realm.name, p->limit);
		return -EBUSY;
	}
	/* Round robin, so a port just freed is not reused at once. */
	for (i = 0; i < pairs; i++) {
		k = (p->next + i) % pairs;
		if (!p->used[k]) {
			p->used[k] = 1;
			p->in_use++;
			p->next = (uint16_t)((k + 1) % pairs);
			*port = (uint16_t)(p->min + 2 * k);
			return 0;
		}
	}
	log_limited(&p->full_log, LOG_LVL_WARN,
		    "media realm %s: all %u port pairs in use", p->realm.name,
		    pairs);
	return -EBUSY;
}

void media_port_free(struct media_plane *mp, int realm, uint16_t port)
{
	struct realm_ports *p = &mp->ports[realm];
	unsigned int k;

	if (port < p->min || port > p->max)
		return;
	k = (unsigned int)(port - p->min) / 2;
	if (p->used[k]) {
		p->used[k] = 0;
		p->in_use--;
	}
}

unsigned int media_ports_in_use(const struct media_plane *mp, int realm)
{
	return mp->ports[realm].in_use;
}

unsigned int media_ports_limit(const struct media_plane *mp, int realm)
{
	return mp->ports[realm].limit;
}

static struct media_record *record_find(const struct media_plane *mp,
					const struct sockaddr_storage *local)
{
	unsigned int i;

	for (i = 0; i < mp->n_records; i++)
		if (sockaddr_equal(&mp->records[i].s.local, local))
			return &mp->records[i];
	return NULL;
}

static uint32_t key_id(const struct relay_nl_crypto *c)
{
	uint8_t buf[SRTPRELAY_MASTER_KEY_MAX_LEN + SRTPRELAY_MASTER_SALT_MAX_LEN];
	uint8_t md[SHA256_DIGEST_LENGTH];

	if (c->suite == SRTPRELAY_SUITE_NONE)
		return 0;
	memcpy(buf, c->key, sizeof(c->key));
	memcpy(buf + sizeof(c->key), c->salt, sizeof(c->salt));
	SHA256(buf, sizeof(buf), md);
	memset(buf, 0, sizeof(buf));
	return (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 | md[2] << 8 | md[3];
}

const char *media_record_str(const struct media_record *r, char *buf,
			     size_t len)
{
	char l[64], rem[64], src[64], dst[64];
	const char *is = relay_nl_suite_name(r->s.in.suite);
	const char *os = relay_nl_suite_name(r->s.out.suite);
	size_t n;
	unsigned int bit;

	sockaddr_str(&r->s.local, l, sizeof(l));
	if (r->s.has & RELAY_NL_HAS_REMOTE)
		sockaddr_str(&r->s.remote, rem, sizeof(rem));
	else
		snprintf(rem, sizeof(rem), "-");
	sockaddr_str(&r->s.out_src, src, sizeof(src));
	sockaddr_str(&r->s.out_dst, dst, sizeof(dst));
	n = (size_t)snprintf(buf, len, "local %s remote %s out-src %s out-dst %s cookie %llu flags",
			     l, rem, src, dst, (unsigned long long)r->s.cookie);
	for (bit = 0; (1U << bit) & __SRTPRELAY_STREAM_F_ALL && n < len; bit++)
		if (r->s.flags & (1U << bit))
			n += (size_t)snprintf(buf + n, len - n, " %s",
					      relay_nl_stream_flag_name(1U << bit));
	if (n < len)
		snprintf(buf + n, len - n, " in %s key-id %08x mki-len %u out %s key-id %08x mki-len %u updates %u",
			 is ? is : "?", r->in_key_id, r->s.in.mki_len, os ? os : "?",
			 r->out_key_id, r->s.out.mki_len, r->updates);
	return buf;
}

/* A STREAM_SET changes what it gives; the record follows it. */
static void record_update(struct media_record *r, const struct relay_nl_stream *s)
{
	if (s->has & RELAY_NL_HAS_REMOTE)
		r->s.remote = s->remote;
	if (s->has & RELAY_NL_HAS_OUT_SRC)
		r->s.out_src = s->out_src;
	if (s->has & RELAY_NL_HAS_OUT_DST)
		r->s.out_dst = s->out_dst;
	if (s->has & RELAY_NL_HAS_OUT_RTCP_DST)
		r->s.out_rtcp_dst = s->out_rtcp_dst;
	if (s->has & RELAY_NL_HAS_FLAGS)
		r->s.flags = s->flags;
	if (s->has & RELAY_NL_HAS_COOKIE)
		r->s.cookie = s->cookie;
	if (s->has & RELAY_NL_HAS_IN_CRYPTO)
		r->s.in = s->in;
	if (s->has & RELAY_NL_HAS_OUT_CRYPTO)
		r->s.out = s->out;
	r->s.has |= s->has;
}

/* Room for one more record; false (logged) when there is none. */
static bool records_room(struct media_plane *mp)
{
	unsigned int cap = mp->cap_records ? mp->cap_records * 2 : 256;
	struct media_record *nr;

	if (mp->n_records < mp->cap_records)
		return true;
	nr = realloc(mp->records, cap * sizeof(*nr));
	if (!nr) {
		log_err("media: out of memory for the stream table");
		return false;
	}
	mp->records = nr;
	mp->cap_records = cap;
	return true;
}

/* What the media plane now has for @s (@r: its record, or NULL: new),
 * keys stripped. */
static void record_store(struct media_plane *mp, struct media_record *r,
			 const struct relay_nl_stream *s, const char *what)
{
	char line[512];

	if (!r) {
		r = &mp->records[mp->n_records++];
		memset(r, 0, sizeof(*r));
		r->s = *s;
	} else {
		r->updates++;
		record_update(r, s);
	}
	if (s->has & RELAY_NL_HAS_IN_CRYPTO)
		r->in_key_id = key_id(&s->in);
	if (s->has & RELAY_NL_HAS_OUT_CRYPTO)
		r->out_key_id = key_id(&s->out);
	/* A request to open the learning window, not part of the stream. */
	r->s.has &= ~RELAY_NL_HAS_LATCH_WINDOW;
	memset(&r->s.in.key, 0, sizeof(r->s.in.key));
	memset(&r->s.in.salt, 0, sizeof(r->s.in.salt));
	memset(&r->s.out.key, 0, sizeof(r->s.out.key));
	memset(&r->s.out.salt, 0, sizeof(r->s.out.salt));
	log_info("media: stream %s %s", what, media_record_str(r, line, sizeof(line)));
}

int media_stream_put(struct media_plane *mp, const struct relay_nl_stream *s)
{
	struct media_record *r = record_find(mp, &s->local);
	struct relay_nl *nl = mp->nl;
	char a[64];
	int rc = 0;

	if (!r && !records_room(mp))
		return -ENOMEM;
	if (nl) {
		rc = r ? relay_nl_stream_set(nl, s) : relay_nl_stream_add(nl, s);
		if (rc < 0 && plane_gone(rc)) {
			/* Recorded below, installed when the plane is back. */
			plane_lost(mp, relay_nl_strerror(nl));
		} else if (rc < 0) {
			log_err("media: stream %s %s: %s", r ? "set" : "add",
				sockaddr_str(&s->local, a, sizeof(a)), relay_nl_strerror(nl));
			return rc;
		}
	}
	record_store(mp, r, s, r ? "set" : "add");
	return 0;
}

int media_stream_del(struct media_plane *mp,
		     const struct sockaddr_storage *local)
{
	struct media_record *r = record_find(mp, local);
	struct relay_nl *nl = mp->nl;
	char a[64];
	int rc;

	if (!r)
		return -ENOENT;
	rc = nl ? relay_nl_stream_del(nl, local) : 0;
	if (rc < 0 && plane_gone(rc))
		plane_lost(mp, relay_nl_strerror(nl));
	else if (rc < 0)
		log_warn("media: stream del %s: %s", sockaddr_str(local, a, sizeof(a)),
			 relay_nl_strerror(nl));
	log_info("media: stream del local %s", sockaddr_str(local, a, sizeof(a)));
	*r = mp->records[--mp->n_records];
	return 0;
}

int media_stream_stats(struct media_plane *mp,
		       const struct sockaddr_storage *local,
		       struct relay_nl_stream *out)
{
	int rc;

	if (!mp->nl)
		return -ENOTSUP;
	rc = relay_nl_stream_get(mp->nl, local, out);
	if (rc < 0 && plane_gone(rc))
		plane_lost(mp, relay_nl_strerror(mp->nl));
	return rc;
}

int media_plane_stats(struct media_plane *mp, struct relay_nl_stats *out)
{
	int rc;

	if (!mp->nl)
		return -ENOTSUP;
	rc = relay_nl_stats_get(mp->nl, out);
	if (rc < 0 && plane_gone(rc))
		plane_lost(mp, relay_nl_strerror(mp->nl));
	return rc < 0 ? rc : 0;
}

int media_stream_dump(struct media_plane *mp, relay_nl_stream_cb cb, void *arg)
{
	int rc;

	if (!mp->nl)
		return -ENOTSUP;
	rc = relay_nl_stream_dump(mp->nl, cb, arg);
	if (rc < 0 && plane_gone(rc)) {
		plane_lost(mp, relay_nl_strerror(mp->nl));
		return -EIO;
	}
	if (rc < 0) {
		log_warn("media: stream dump: %s", relay_nl_strerror(mp->nl));
		return -EIO;
	}
	return 0;
}

void media_record_walk(const struct media_plane *mp, media_record_cb cb,
		       void *arg)
{
	unsigned int i;

	for (i = 0; i < mp->n_records; i++)
		cb(&mp->records[i], arg);
}

int media_port_claim(struct media_plane *mp, int realm, uint16_t port)
{
	struct realm_ports *p = &mp->ports[realm];
	unsigned int k;

	if (port < p->min || port > p->max || (port - p->min) % 2)
		return -ERANGE;
	k = (unsigned int)(port - p->min) / 2;
	if (p->used[k])
		return -EBUSY;
	p->used[k] = 1;
	p->in_use++;
	return 0;
}

bool media_stream_known(const struct media_plane *mp,
			const struct sockaddr_storage *local)
{
	return record_find(mp, local) != NULL;
}

int media_stream_adopt(struct media_plane *mp, const struct relay_nl_stream *s)
{
	if (record_find(mp, &s->local))
		return -EEXIST;
	if (!records_room(mp))
		return -ENOMEM;
	record_store(mp, NULL, s, "adopted");
	return 0;
}

int media_stream_del_foreign(struct media_plane *mp,
			     const struct sockaddr_storage *local)
{
	char a[64];

	if (!mp->nl || record_find(mp, local))
		return -EINVAL;
	if (relay_nl_stream_del(mp->nl, local) < 0) {
		log_warn("media: stream del %s: %s", sockaddr_str(local, a, sizeof(a)),
			 relay_nl_strerror(mp->nl));
		return -EIO;
	}
	return 0;
}
