// SPDX-License-Identifier: GPL-2.0 OR MIT
/* DNS in the event loop: c-ares's sockets and timer, parsed answers, a cache. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>

#include <ares.h>

#include "base/evloop.h"
#include "base/log.h"
#include "base/resolver.h"

/* c-ares keeps one UDP socket per server and a TCP one for truncated
 * answers: a handful. */
#define RESOLVER_MAX_FDS 32
/* Names of proxy-set targets and of request-URIs; the oldest entry goes. */
#define RESOLVER_CACHE_MAX 128
/* The first try's wait per server; c-ares waits longer on the retry.
 * Measured (test/trunk/t_01_dns.sh): a server that drops every query
 * fails a name in 3 s, and stalls nothing meanwhile. */
#define RESOLVER_TIMEOUT_MS 500
#define RESOLVER_TRIES 2

struct cache_entry {
	enum dns_type type;
	char name[DNS_NAME_MAX];
	uint64_t expires_ms;
	struct dns_answer answer;
};

struct resolver {
	ares_channel channel;
	struct ev_timer timer;		/* c-ares's next retransmission */
	int fds[RESOLVER_MAX_FDS];
	unsigned int n_fds;
	struct cache_entry *cache[RESOLVER_CACHE_MAX];
	unsigned int n_cache;
	bool closing;			/* in resolver_free(): ask nothing more */
};

struct query {
	struct resolver *r;
	enum dns_type type;
	resolver_cb cb;
	void *arg;
	char name[DNS_NAME_MAX];
};

const char *dns_type_name(enum dns_type type)
{
	static const char *const names[] = { "A", "AAAA", "SRV", "NAPTR" };

	return names[type];
}

static int type_code(enum dns_type type)
{
	static const int codes[] = { 1, 28, 33, 35 };	/* RFC 1035, 3596, 2782, 3403 */

	return codes[type];
}

/* The length of the (possibly compressed) name at @off, or 0. */
static size_t skip_name(const unsigned char *buf, size_t len, size_t off)
{
	size_t start = off;

	while (off < len) {
		unsigned char l = buf[off];

		if ((l & 0xc0) == 0xc0)
			return off + 2 <= len ? off + 2 - start : 0;
		if (l & 0xc0)
			return 0;
		if (!l)
			return off + 1 - start;
		off += 1 + (size_t)l;
	}
	return 0;
}

long dns_answer_min_ttl(const unsigned char *buf, size_t len)
{
	unsigned int qd, an, i;
	size_t off = 12, n;
	long min = -1;

	if (len < 12)
		return -1;
	qd = (unsigned int)buf[4] << 8 | buf[5];
	an = (unsigned int)buf[6] << 8 | buf[7];
	for (i = 0; i < qd; i++) {
		if (!(n = skip_name(buf, len, off)) || off + n + 4 > len)
			return -1;
		off += n + 4;
	}
	for (i = 0; i < an; i++) {
		uint32_t ttl;
		size_t rdlen;

		if (!(n = skip_name(buf, len, off)) || off + n + 10 > len)
			return -1;
		off += n;
		ttl = (uint32_t)buf[off + 4] << 24 | (uint32_t)buf[off + 5] << 16 |
		      (uint32_t)buf[off + 6] << 8 | buf[off + 7];
		rdlen = (size_t)buf[off + 8] << 8 | buf[off + 9];
		off += 10;
		if (off + rdlen > len)
			return -1;
		off += rdlen;
		if (ttl > 0x7fffffff)	/* RFC 2181 8: as if zero */
			ttl = 0;
		if (min < 0 || ttl < (uint32_t)min)
			min = ttl;
	}
	return min < 0 ? 0 : min;
}

static void parse_addrs(const unsigned char *buf, int len, enum dns_type type,
			struct dns_answer *a)
{
	struct ares_addr6ttl v6[DNS_MAX_RR];
	struct ares_addrttl v4[DNS_MAX_RR];
	struct hostent *h = NULL;
	int i, n = DNS_MAX_RR, rc;

	rc = type == DNS_A ? ares_parse_a_reply(buf, len, &h, v4, &n) :
			     ares_parse_aaaa_reply(buf, len, &h, v6, &n);
	if (h)
		ares_free_hostent(h);
	if (rc != ARES_SUCCESS) {
		a->status = rc == ARES_ENODATA ? -ENOENT : -EIO;
		return;
	}
	for (i = 0; i < n && a->n < DNS_MAX_RR; i++) {
		struct dns_rr *rr = &a->rr[a->n++];

		if (type == DNS_A) {
			struct sockaddr_in *s = (struct sockaddr_in *)&rr->addr;

			s->sin_family = AF_INET;
			s->sin_addr = v4[i].ipaddr;
		} else {
			struct sockaddr_in6 *s = (struct sockaddr_in6 *)&rr->addr;

			s->sin6_family = AF_INET6;
			memcpy(&s->sin6_addr, &v6[i].ip6addr, sizeof(s->sin6_addr));
		}
	}
}

static void parse_srv(const unsigned char *buf, int len, struct dns_answer *a)
{
	struct ares_srv_reply *list = NULL, *s;

	if (ares_parse_srv_reply(buf, len, &list) != ARES_SUCCESS) {
		a->status = -EIO;
		return;
	}
	for (s = list; s && a->n < DNS_MAX_RR; s = s->next) {
		struct dns_rr *rr = &a->rr[a->n++];

		rr->priority = s->priority;
		rr->weight = s->weight;
		rr->port = s->port;
		snprintf(rr->target, sizeof(rr->target), "%s", s->host);
	}
	ares_free_data(list);
}

static void parse_naptr(const unsigned char *buf, int len, struct dns_answer *a)
{
	struct ares_naptr_reply *list = NULL, *p;

	if (ares_parse_naptr_reply(buf, len, &list) != ARES_SUCCESS) {
		a->status = -EIO;
		return;
	}
	for (p = list; p && a->n < DNS_MAX_RR; p = p->next) {
		struct dns_rr *rr = &a->rr[a->n++];

		rr->order = p->order;
		rr->preference = p->preference;
		snprintf(rr->flags, sizeof(rr->flags), "%s", (const char *)p->flags);
		snprintf(rr->service, sizeof(rr->service), "%s", (const char *)p->service);
		snprintf(rr->target, sizeof(rr->target), "%s", p->replacement);
	}
	ares_free_data(list);
}

static int status_of(int ares_status)
{
	switch (ares_status) {
	case ARES_SUCCESS:
		return 0;
	case ARES_ENODATA:
	case ARES_ENOTFOUND:
		return -ENOENT;
	case ARES_ETIMEOUT:
	case ARES_ECONNREFUSED:
		return -ETIMEDOUT;
	case ARES_EDESTRUCTION:
	case ARES_ECANCELLED:
		return -ECANCELED;
	default:
		return -EIO;
	}
}

static void cache_put(struct resolver *r, const struct query *q,
		      const struct dns_answer *a)
{
	struct cache_entry *e = NULL;
	uint64_t now = ev_now_ms();
	unsigned int i, oldest = 0;

	for (i = 0; i < r->n_cache; i++) {
		if (r->cache[i]->type == q->type && !strcasecmp(r->cache[i]->name, q->name))
			e = r->cache[i];
		if (r->cache[i]->expires_ms < r->cache[oldest]->expires_ms)
			oldest = i;
	}
	if (!e && r->n_cache < RESOLVER_CACHE_MAX) {
		e = malloc(sizeof(*e));
		if (!e)
			return;
		r->cache[r->n_cache++] = e;
	} else if (!e) {
		e = r->cache[oldest];
	}
	e->type = q->type;
	snprintf(e->name, sizeof(e->name), "%s", q->name);
	e->expires_ms = now + (uint64_t)a->ttl * 1000;
	e->answer = *a;
}

static const struct dns_answer *cache_get(struct resolver *r, const char *name,
					  enum dns_type type)
{
	uint64_t now = ev_now_ms();
	unsigned int i;

	for (i = 0; i < r->n_cache; i++) {
		struct cache_entry *e = r->cache[i];

		if (e->type == type && !strcasecmp(e->name, name) && e->expires_ms > now) {
			struct dns_answer *a = &e->answer;

			/* What is left of the TTL, as a cache hands it on. */
			a->ttl = (uint32_t)((e->expires_ms - now + 999) / 1000);
			return a;
		}
	}
	return NULL;
}

static void cache_clear(struct resolver *r)
{
	while (r->n_cache)
		free(r->cache[--r->n_cache]);
}

static void on_answer(void *arg, int status, int timeouts, unsigned char *buf,
		      int len)
{
	struct query *q = arg;
	struct dns_answer *a = calloc(1, sizeof(*a));
	long ttl;

	(void)timeouts;
	if (!a) {
		log_err("dns: no memory for an answer to %s %s", dns_type_name(q->type),
			q->name);
		free(q);
		return;
	}
	a->status = status_of(status);
	if (!a->status) {
		ttl = dns_answer_min_ttl(buf, (size_t)len);
		a->ttl = ttl > 0 ? (uint32_t)ttl : 0;
		if (ttl < 0)
			a->status = -EIO;
		else if (q->type == DNS_SRV)
			parse_srv(buf, len, a);
		else if (q->type == DNS_NAPTR)
			parse_naptr(buf, len, a);
		else
			parse_addrs(buf, len, q->type, a);
		if (!a->status && !a->n)
			a->status = -ENOENT;
	}
	if (!a->status && a->ttl)
		cache_put(q->r, q, a);
	q->cb(q->arg, a);
	free(a);
	free(q);
}

static void rearm(struct resolver *r)
{
	struct timeval tv, *next = ares_timeout(r->channel, NULL, &tv);

	if (!next) {
		if (r->timer.armed)
			ev_timer_cancel(&r->timer);
		return;
	}
	ev_timer_arm(&r->timer, (uint64_t)next->tv_sec * 1000 +
		     (uint64_t)next->tv_usec / 1000 + 1);
}

static void on_timer(void *arg)
{
	struct resolver *r = arg;

	ares_process_fd(r->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	rearm(r);
}

static void on_fd(int fd, uint32_t events, void *arg)
{
	struct resolver *r = arg;

	ares_process_fd(r->channel,
			events & (EPOLLIN | EPOLLERR | EPOLLHUP) ? fd : ARES_SOCKET_BAD,
			events & EPOLLOUT ? fd : ARES_SOCKET_BAD);
	rearm(r);
}

/* c-ares opens, watches and closes its sockets; the loop polls them. */
static void sock_state(void *arg, ares_socket_t fd, int readable, int writable)
{
	struct resolver *r = arg;
	uint32_t events = (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0);
	unsigned int i;

	for (i = 0; i < r->n_fds && r->fds[i] != fd; i++)
		;
	if (!events) {
		if (i < r->n_fds) {
			ev_fd_del(fd);
			r->fds[i] = r->fds[--r->n_fds];
		}
		return;
	}
	if (i < r->n_fds) {
		ev_fd_mod(fd, events);
		return;
	}
	if (r->n_fds == RESOLVER_MAX_FDS || ev_fd_add(fd, events, on_fd, r)) {
		log_err("dns: cannot watch resolver socket %d", fd);
		return;
	}
	r->fds[r->n_fds++] = fd;
}

int resolver_set_servers(struct resolver *r, const char *servers)
{
	int rc;

	cache_clear(r);
	if (!servers || !servers[0])
		return 0;
	rc = ares_set_servers_ports_csv(r->channel, servers);
	if (rc != ARES_SUCCESS) {
		log_err("dns: servers '%s': %s", servers, ares_strerror(rc));
		return -EINVAL;
	}
	return 0;
}

struct resolver *resolver_new(const char *servers, char *err, size_t err_len)
{
	struct ares_options o = { .sock_state_cb = sock_state,
				  .timeout = RESOLVER_TIMEOUT_MS,
				  .tries = RESOLVER_TRIES };
	struct resolver *r = calloc(1, sizeof(*r));
	int rc;

	if (!r) {
		snprintf(err, err_len, "no memory");
		return NULL;
	}
	o.sock_state_cb_data = r;
	rc = ares_library_init(ARES_LIB_INIT_ALL);
	if (rc == ARES_SUCCESS)
		rc = ares_init_options(&r->channel, &o, ARES_OPT_SOCK_STATE_CB |
				       ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
	if (rc != ARES_SUCCESS) {
		snprintf(err, err_len, "c-ares: %s", ares_strerror(rc));
		free(r);
		return NULL;
	}
	ev_timer_init(&r->timer, on_timer, r);
	if (servers && servers[0] &&
	    (rc = ares_set_servers_ports_csv(r->channel, servers)) != ARES_SUCCESS) {
		snprintf(err, err_len, "servers '%s': %s", servers, ares_strerror(rc));
		ares_destroy(r->channel);
		free(r);
		return NULL;
	}
	return r;
}

void resolver_free(struct resolver *r)
{
	if (!r)
		return;
	/* Pending callbacks get -ECANCELED, and may not ask again. */
	r->closing = true;
	ares_destroy(r->channel);
	if (r->timer.armed)
		ev_timer_cancel(&r->timer);
	cache_clear(r);
	free(r);
}

int resolver_query(struct resolver *r, const char *name, enum dns_type type,
		   resolver_cb cb, void *arg)
{
	const struct dns_answer *hit = cache_get(r, name, type);
	struct query *q;

	if (r->closing)
		return -ECANCELED;
	if (strlen(name) >= DNS_NAME_MAX)
		return -ENAMETOOLONG;
	if (hit) {
		cb(arg, hit);
		return 0;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	*q = (struct query){ .r = r, .type = type, .cb = cb, .arg = arg };
	snprintf(q->name, sizeof(q->name), "%s", name);
	log_debug("dns: %s %s?", dns_type_name(type), name);
	ares_query(r->channel, name, 1 /* IN */, type_code(type), on_answer, q);
	rearm(r);
	return 0;
}
