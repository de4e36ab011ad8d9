// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A call to bytes and back (call_record.h). Every field is written with
 * its own width or length, and read back with bounds checks: a record is
 * never trusted to fit a buffer, and one cut short or from another format
 * version is refused with a reason, not read past.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/secret_mem.h"
#include "call/call_record.h"

#define RECORD_VERSION 1

struct rec_w {
	uint8_t *p;
	size_t len, cap;
	bool failed;
};

struct rec_r {
	const uint8_t *p;
	size_t len, off;
	bool bad;
};

static void w_bytes(struct rec_w *w, const void *v, size_t n)
{
	if (w->failed)
		return;
	if (w->len + n > w->cap) {
		size_t cap = (w->cap ? w->cap * 2 : 4096) + n;
		uint8_t *p = secret_realloc(w->p, cap);

		if (!p) {
			w->failed = true;
			return;
		}
		w->p = p;
		w->cap = cap;
	}
	memcpy(w->p + w->len, v, n);
	w->len += n;
}

static void w_uint(struct rec_w *w, uint64_t v, int n)
{
	uint8_t b[8];

	for (int i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	w_bytes(w, b, (size_t)n);
}

static void w_str(struct rec_w *w, const char *s)
{
	size_t n = strlen(s);

	w_uint(w, n, 2);
	w_bytes(w, s, n);
}

static void r_bytes(struct rec_r *r, void *v, size_t n)
{
	if (r->bad || r->len - r->off < n) {
		r->bad = true;
		memset(v, 0, n);
		return;
	}
	memcpy(v, r->p + r->off, n);
	r->off += n;
}

static uint64_t r_uint(struct rec_r *r, int n)
{
	uint8_t b[8];
	uint64_t v = 0;

	r_bytes(r, b, (size_t)n);
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* Into @s of @size bytes; a longer string makes the record bad. */
static void r_str(struct rec_r *r, char *s, size_t size)
{
	size_t n = (size_t)r_uint(r, 2);

	if (n >= size) {
		r->bad = true;
		n = 0;
	}
	r_bytes(r, s, n);
	s[r->bad ? 0 : n] = 0;
}

/* A string of fewer than @size bytes in a block of its size; NULL (and
 * the record bad) when it is not there or out of memory. It may hold keys. */
static char *r_str_dup(struct rec_r *r, size_t size)
{
	char *buf = malloc(size), *s;

	if (!buf) {
		r->bad = true;
		return NULL;
	}
	r_str(r, buf, size);
	s = r->bad ? NULL : strdup(buf);
	secret_free(buf, size);
	if (!s)
		r->bad = true;
	return s;
}

/* An SDP body we sent, NULL for "" (w_str()'s length has 16 bits). */
static char *r_body(struct rec_r *r)
{
	char *s = r_str_dup(r, 65536);

	if (s && !s[0]) {
		free(s);
		s = NULL;
	}
	return s;
}

/* A bounded count: more than @max makes the record bad. */
static unsigned int r_count(struct rec_r *r, int width, unsigned int max)
{
	unsigned int n = (unsigned int)r_uint(r, width);

	if (n > max) {
		r->bad = true;
		return 0;
	}
	return n;
}

static void w_addr(struct rec_w *w, const struct sockaddr_storage *a)
{
	const struct sockaddr_in *in = (const void *)a;
	const struct sockaddr_in6 *in6 = (const void *)a;

	w_uint(w, a->ss_family == AF_INET6 ? 6 : a->ss_family == AF_INET ? 4 : 0, 1);
	if (a->ss_family == AF_INET)
		w_bytes(w, &in->sin_addr, 4);
	else if (a->ss_family == AF_INET6)
		w_bytes(w, &in6->sin6_addr, 16);
	w_uint(w, sockaddr_port(a), 2);
}

static void r_addr(struct rec_r *r, struct sockaddr_storage *a)
{
	struct sockaddr_in *in = (void *)a;
	struct sockaddr_in6 *in6 = (void *)a;
	unsigned int fam = (unsigned int)r_uint(r, 1);

	memset(a, 0, sizeof(*a));
	if (fam == 4) {
		a->ss_family = AF_INET;
		r_bytes(r, &in->sin_addr, 4);
	} else if (fam == 6) {
		a->ss_family = AF_INET6;
		r_bytes(r, &in6->sin6_addr, 16);
	} else if (fam) {
		r->bad = true;
	}
	sockaddr_set_port(a, (uint16_t)r_uint(r, 2));
}

static void w_key(struct rec_w *w, const struct sdes_key *k)
{
	w_uint(w, k->key_salt_len, 1);
	w_bytes(w, k->key_salt, k->key_salt_len);
	w_uint(w, k->lifetime_form, 1);
	w_uint(w, k->mki_len, 1);
	w_uint(w, k->lifetime, 8);
	w_uint(w, k->mki, 8);
}

static void r_key(struct rec_r *r, struct sdes_key *k)
{
	k->key_salt_len = (uint8_t)r_count(r, 1, SDES_KEY_SALT_MAX);
	r_bytes(r, k->key_salt, k->key_salt_len);
	k->lifetime_form = (uint8_t)r_uint(r, 1);
	k->mki_len = (uint8_t)r_uint(r, 1);
	k->lifetime = r_uint(r, 8);
	k->mki = r_uint(r, 8);
}

static void w_crypto(struct rec_w *w, const struct sdes_crypto *c)
{
	w_uint(w, c->tag, 4);
	w_uint(w, (uint64_t)c->suite, 4);
	w_str(w, c->suite_name);
	w_uint(w, c->n_keys, 1);
	for (unsigned int i = 0; i < c->n_keys; i++)
		w_key(w, &c->keys[i]);
	w_uint(w, c->flags, 4);
	w_uint(w, c->has_kdr, 1);
	w_uint(w, c->kdr, 1);
	w_uint(w, c->fec_order, 1);
	w_uint(w, c->n_fec_keys, 1);
	for (unsigned int i = 0; i < c->n_fec_keys; i++)
		w_key(w, &c->fec_keys[i]);
	w_uint(w, c->wsh, 4);
	w_uint(w, c->n_ignored, 4);
}

static void r_crypto(struct rec_r *r, struct sdes_crypto *c)
{
	c->tag = (uint32_t)r_uint(r, 4);
	c->suite = (enum sdes_suite)r_uint(r, 4);
	r_str(r, c->suite_name, sizeof(c->suite_name));
	c->n_keys = r_count(r, 1, SDES_MAX_KEYS);
	for (unsigned int i = 0; i < c->n_keys; i++)
		r_key(r, &c->keys[i]);
	c->flags = (uint32_t)r_uint(r, 4);
	c->has_kdr = r_uint(r, 1);
	c->kdr = (uint8_t)r_uint(r, 1);
	c->fec_order = (uint8_t)r_uint(r, 1);
	c->n_fec_keys = r_count(r, 1, SDES_MAX_KEYS);
	for (unsigned int i = 0; i < c->n_fec_keys; i++)
		r_key(r, &c->fec_keys[i]);
	c->wsh = (uint32_t)r_uint(r, 4);
	c->n_ignored = (unsigned int)r_uint(r, 4);
}

/*
 * A call keeps one key per line (leg_key.h); the record keeps the form of
 * a whole a=crypto line, as records written before did. A line's FEC_KEY
 * values were never kept, and neither is the mark that it had some.
 */
static void w_leg_key(struct rec_w *w, const struct leg_key *k)
{
	struct sdes_crypto c;

	leg_key_to_sdes(k, &c);
	w_crypto(w, &c);
	sdes_crypto_wipe(&c);
}

static void r_leg_key(struct rec_r *r, struct leg_key *k)
{
	struct sdes_crypto c;

	memset(&c, 0, sizeof(c));
	r_crypto(r, &c);
	if (c.n_keys > 1)
		r->bad = true;
	leg_key_from_sdes(k, &c);
	sdes_crypto_wipe(&c);
}

/* Attribute offsets and the text they point into. */
static void w_text(struct rec_w *w, const uint16_t *offs, unsigned int n,
		   const char *text, uint16_t text_len)
{
	w_uint(w, n, 1);
	for (unsigned int i = 0; i < n; i++)
		w_uint(w, offs[i], 2);
	w_uint(w, text_len, 2);
	if (text_len)		/* else text is NULL */
		w_bytes(w, text, text_len);
}

/* The text into a block of its size (one more byte: a NUL after the last
 * string, whatever the record says); NULL when empty. */
static unsigned int r_text(struct rec_r *r, uint16_t *offs, unsigned int max,
			   char **text, uint16_t *text_len)
{
	unsigned int n = r_count(r, 1, max);

	for (unsigned int i = 0; i < n; i++)
		offs[i] = (uint16_t)r_uint(r, 2);
	*text_len = (uint16_t)r_count(r, 2, SDP_TEXT_MAX - 1);
	*text = NULL;
	if (*text_len) {
		*text = malloc((size_t)*text_len + 1);
		if (!*text) {
			r->bad = true;
			*text_len = 0;
			return 0;
		}
		r_bytes(r, *text, *text_len);
		(*text)[*text_len] = 0;
	}
	for (unsigned int i = 0; i < n; i++)
		if (offs[i] >= *text_len)
			r->bad = true;
	return n;
}

static void w_sdp_media(struct rec_w *w, const struct sdp_media *m)
{
	w_str(w, m->type);
	w_uint(w, m->port, 2);
	w_str(w, m->proto);
	w_str(w, m->fmts);
	w_str(w, m->addr);
	w_uint(w, (uint64_t)m->addr_ip6 | (uint64_t)m->has_dir << 1 |
		  (uint64_t)m->rtcp_mux << 2, 1);
	w_uint(w, m->dir, 1);
	/* The attributes' offsets, then the crypto lines' with the text
	 * both point into. */
	w_uint(w, m->n_attr, 1);
	for (unsigned int i = 0; i < m->n_attr; i++)
		w_uint(w, m->attr[i], 2);
	w_text(w, m->crypto, m->n_crypto, m->text, m->text_len);
}

static void r_sdp_media(struct rec_r *r, struct sdp_media *m)
{
	unsigned int flags;

	r_str(r, m->type, sizeof(m->type));
	m->port = (uint16_t)r_uint(r, 2);
	r_str(r, m->proto, sizeof(m->proto));
	r_str(r, m->fmts, sizeof(m->fmts));
	r_str(r, m->addr, sizeof(m->addr));
	flags = (unsigned int)r_uint(r, 1);
	m->addr_ip6 = flags & 1;
	m->has_dir = flags & 2;
	m->rtcp_mux = flags & 4;
	m->dir = (enum sdp_dir)r_count(r, 1, SDP_INACTIVE);
	m->n_attr = r_count(r, 1, SDP_MAX_ATTR);
	for (unsigned int i = 0; i < m->n_attr; i++)
		m->attr[i] = (uint16_t)r_uint(r, 2);
	m->n_crypto = r_text(r, m->crypto, SDP_MAX_CRYPTO, &m->text, &m->text_len);
	for (unsigned int i = 0; i < m->n_attr; i++)
		if (m->attr[i] >= m->text_len)
			r->bad = true;
}

static void w_sdp(struct rec_w *w, const struct sdp *s)
{
	w_uint(w, s != NULL, 1);
	if (!s)
		return;
	w_str(w, s->origin_user);
	w_str(w, s->sess_id);
	w_str(w, s->sess_version);
	w_str(w, s->sess_addr);
	w_uint(w, s->sess_dir, 1);
	w_text(w, s->attr, s->n_attr, s->text, s->text_len);
	w_uint(w, s->n_media, 1);
	for (unsigned int i = 0; i < s->n_media; i++)
		w_sdp_media(w, &s->media[i]);
}

static void r_sdp(struct rec_r *r, struct sdp **out)
{
	struct sdp *s;

	*out = NULL;
	if (!r_uint(r, 1))
		return;
	s = calloc(1, sizeof(*s));
	if (!s) {
		r->bad = true;
		return;
	}
	r_str(r, s->origin_user, sizeof(s->origin_user));
	r_str(r, s->sess_id, sizeof(s->sess_id));
	r_str(r, s->sess_version, sizeof(s->sess_version));
	r_str(r, s->sess_addr, sizeof(s->sess_addr));
	s->sess_dir = (enum sdp_dir)r_count(r, 1, SDP_INACTIVE);
	s->n_attr = r_text(r, s->attr, SDP_MAX_ATTR, &s->text, &s->text_len);
	s->n_media = r_count(r, 1, SDP_MAX_MEDIA);
	for (unsigned int i = 0; i < s->n_media; i++)
		r_sdp_media(r, &s->media[i]);
	*out = s;
}

static void w_leg_media(struct rec_w *w, const struct leg_media *lm)
{
	w_uint(w, (uint64_t)(int64_t)lm->line, 1);
	w_uint(w, lm->port, 2);
	w_addr(w, &lm->remote);
	w_addr(w, &lm->latched);
	w_uint(w, (uint64_t)lm->remote_known | (uint64_t)lm->latched_known << 1 |
		  (uint64_t)lm->rtcp_mux << 2 | (uint64_t)lm->srtp << 3, 1);
	w_uint(w, lm->dir, 1);
	w_leg_key(w, &lm->peer_key);
	w_leg_key(w, &lm->our_key);
}

static void r_leg_media(struct rec_r *r, struct leg_media *lm)
{
	unsigned int flags;

	lm->line = (int8_t)r_uint(r, 1);
	lm->port = (uint16_t)r_uint(r, 2);
	r_addr(r, &lm->remote);
	r_addr(r, &lm->latched);
	flags = (unsigned int)r_uint(r, 1);
	lm->remote_known = flags & 1;
	lm->latched_known = flags & 2;
	lm->rtcp_mux = flags & 4;
	lm->srtp = flags & 8;
	lm->dir = (enum sdp_dir)r_count(r, 1, SDP_INACTIVE);
	r_leg_key(r, &lm->peer_key);
	r_leg_key(r, &lm->our_key);
}

static void w_dialog(struct rec_w *w, const struct leg *l)
{
	w_uint(w, l->peer.proto, 1);
	w_addr(w, &l->peer.addr);
	w_uint(w, (uint64_t)(int64_t)l->peer.iface, 1);
	w_str(w, l->call_id);
	w_str(w, l->local_tag);
	w_str(w, l->remote_tag);
	w_str(w, l->local_uri);
	w_str(w, l->remote_uri);
	w_str(w, l->remote_target);
	w_uint(w, l->n_routes, 1);
	for (unsigned int i = 0; i < l->n_routes; i++)
		w_str(w, l->routes[i]);
	w_uint(w, l->local_cseq, 4);
	w_uint(w, l->remote_cseq, 4);
	w_uint(w, l->invite_cseq, 4);
	w_uint(w, (uint64_t)(int64_t)l->max_forwards, 1);
}

static void r_dialog(struct rec_r *r, struct leg *l)
{
	l->peer.proto = (enum sip_proto)r_count(r, 1, SIP_TLS);
	r_addr(r, &l->peer.addr);
	l->peer.iface = (int8_t)r_uint(r, 1);
	r_str(r, l->call_id, sizeof(l->call_id));
	r_str(r, l->local_tag, sizeof(l->local_tag));
	r_str(r, l->remote_tag, sizeof(l->remote_tag));
	r_str(r, l->local_uri, sizeof(l->local_uri));
	r_str(r, l->remote_uri, sizeof(l->remote_uri));
	r_str(r, l->remote_target, sizeof(l->remote_target));
	l->n_routes = r_count(r, 1, CALL_MAX_ROUTES);
	for (unsigned int i = 0; i < l->n_routes; i++)
		l->routes[i] = r_str_dup(r, CALL_ROUTE_MAX);
	l->local_cseq = (uint32_t)r_uint(r, 4);
	l->remote_cseq = (uint32_t)r_uint(r, 4);
	l->invite_cseq = (uint32_t)r_uint(r, 4);
	l->max_forwards = (int8_t)r_uint(r, 1);
}

static void w_leg(struct rec_w *w, const struct call *c, const struct leg *l)
{
	w_str(w, l->policy.name);
	w_str(w, c->cfg->realms[l->realm].name);
	w_dialog(w, l);
	w_uint(w, l->sdp_sess, 8);
	w_uint(w, l->sdp_version, 8);
	w_str(w, leg_last_body(l));
	w_uint(w, l->n_lines, 1);
	w_sdp(w, l->sdp);
	for (unsigned int s = 0; s < c->n_slots; s++) {
		w_uint(w, l->slot_rejected[s], 1);
		w_leg_media(w, &l->media[s]);
	}
}

static int group_by_name(const struct config *cfg, const char *name)
{
	for (unsigned int i = 0; i < cfg->n_groups; i++)
		if (!strcmp(cfg->groups[i].name, name))
			return (int)i;
	return -1;
}

static int realm_by_name(const struct config *cfg, const char *name)
{
	for (unsigned int i = 0; i < cfg->n_realms; i++)
		if (!strcmp(cfg->realms[i].name, name))
			return (int)i;
	return -1;
}

/* The leg's group and realm, as the configuration now names them. */
static int r_leg_places(struct rec_r *r, const struct config *cfg,
			struct leg *l, char *why, size_t wl)
{
	char group[CFG_NAME_MAX], realm[CFG_NAME_MAX];

	r_str(r, group, sizeof(group));
	r_str(r, realm, sizeof(realm));
	if (r->bad)
		return -EINVAL;
	l->group = group_by_name(cfg, group);
	l->realm = realm_by_name(cfg, realm);
	if (l->group < 0 || l->realm < 0) {
		snprintf(why, wl, "%s %s is no longer configured",
			 l->group < 0 ? "IP group" : "media realm",
			 l->group < 0 ? group : realm);
		return -EINVAL;
	}
	l->policy = cfg->groups[l->group];
	return 0;
}

static int r_leg(struct rec_r *r, const struct config *cfg, struct call *c,
		 struct leg *l, char *why, size_t wl)
{
	if (r_leg_places(r, cfg, l, why, wl))
		return -EINVAL;
	r_dialog(r, l);
	if (!r->bad && (l->peer.iface < 0 || (unsigned int)l->peer.iface >= cfg->n_ifaces)) {
		snprintf(why, wl, "SIP interface %d is no longer configured", l->peer.iface);
		return -EINVAL;
	}
	l->sdp_sess = r_uint(r, 8);
	l->sdp_version = r_uint(r, 8);
	l->last_body = r_body(r);
	l->n_lines = r_count(r, 1, SDP_MAX_MEDIA);
	r_sdp(r, &l->sdp);
	for (unsigned int s = 0; s < c->n_slots; s++) {
		l->slot_rejected[s] = r_uint(r, 1);
		r_leg_media(r, &l->media[s]);
	}
	return 0;
}

int call_record_encode(const struct call *c, uint8_t **out, size_t *len)
{
	struct rec_w w = { 0 };

	w_uint(&w, RECORD_VERSION, 1);
	w_uint(&w, c->n_slots, 1);
	w_uint(&w, (uint64_t)c->late_offer | (uint64_t)c->early_answered << 1, 1);
	w_uint(&w, (uint64_t)(int64_t)c->target_idx, 2);
	w_str(&w, c->route_name);
	w_uint(&w, c->started_ms, 8);
	w_uint(&w, c->answered_ms, 8);
	w_str(&w, c->late_ack_sdp ? c->late_ack_sdp : "");
	w_leg(&w, c, &c->leg[0]);
	w_leg(&w, c, &c->leg[1]);
	if (w.failed) {
		secret_free(w.p, w.cap);
		return -ENOMEM;
	}
	*out = w.p;
	*len = w.len;
	return 0;
}

static void r_late_ack(struct rec_r *r, struct call *c)
{
	c->late_ack_sdp = r_body(r);
}

int call_record_decode(struct call *c, const struct config *cfg,
		       const uint8_t *rec, size_t len, char *why, size_t wl)
{
	struct rec_r r = { .p = rec, .len = len };
	unsigned int flags;

	snprintf(why, wl, "record cut short or malformed");
	if (r_uint(&r, 1) != RECORD_VERSION) {
		snprintf(why, wl, "record format %u, not %u", rec[0], RECORD_VERSION);
		return -EINVAL;
	}
	c->cfg = cfg;
	c->n_slots = r_count(&r, 1, SDP_MAX_MEDIA);
	flags = (unsigned int)r_uint(&r, 1);
	c->late_offer = flags & 1;
	c->early_answered = flags & 2;
	c->target_idx = (int16_t)r_uint(&r, 2);
	r_str(&r, c->route_name, sizeof(c->route_name));
	c->started_ms = r_uint(&r, 8);
	c->answered_ms = r_uint(&r, 8);
	r_late_ack(&r, c);
	if (r.bad || r_leg(&r, cfg, c, &c->leg[0], why, wl) ||
	    r_leg(&r, cfg, c, &c->leg[1], why, wl) || r.bad)
		return -EINVAL;
	if (r.off != len) {
		snprintf(why, wl, "%zu bytes after the record", len - r.off);
		return -EINVAL;
	}
	c->state = CALL_CONFIRMED;
	return 0;
}
