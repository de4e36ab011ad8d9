// SPDX-License-Identifier: GPL-2.0 OR MIT
/* RFC 3263 section 4 over the event loop's resolver: NAPTR, SRV, A/AAAA. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sip/sip_resolve.h"

#define MAX_SRV_NAMES 3		/* _sips._tcp, _sip._tcp, _sip._udp */
#define MAX_HOSTS 8		/* SRV targets whose addresses are asked */
#define MAX_FOUND (SIP_RESOLVE_MAX * 4)

struct job;

struct qref {
	struct job *j;
	unsigned int idx;		/* SRV name or host index */
	enum dns_type type;
};

/* A host to ask A/AAAA for: an SRV target, or the URI's host. */
struct host {
	char name[DNS_NAME_MAX];
	uint16_t port, priority, weight;
	enum sip_proto proto;
	unsigned int group;		/* NAPTR/SRV name order, then the rest */
};

struct job {
	struct resolver *r;
	sip_resolve_cb cb;
	void *arg;
	char host[DNS_NAME_MAX];
	uint16_t port;
	int proto;
	bool sips;
	int pending;			/* queries in flight, +1 while asking */
	int worst;			/* the failure to report when nothing is found */
	bool have_ttl;
	void (*next)(struct job *j);	/* what to do when pending reaches 0 */
	struct {
		char name[DNS_NAME_MAX];
		enum sip_proto proto;
	} srv[MAX_SRV_NAMES];
	unsigned int n_srv;
	struct host hosts[MAX_HOSTS * 2];
	unsigned int n_hosts;
	struct qref refs[MAX_HOSTS * 2];
	struct {
		struct sip_resolved_addr a;
		unsigned int order;	/* host index * 2 + AAAA */
	} found[MAX_FOUND];
	unsigned int n_found;
	struct sip_resolved res;
};

static uint16_t default_port(enum sip_proto proto)
{
	return proto == SIP_TLS ? 5061 : 5060;
}

static void note_ttl(struct job *j, uint32_t ttl)
{
	if (!j->have_ttl || ttl < j->res.ttl)
		j->res.ttl = ttl;
	j->have_ttl = true;
}

static void note_failure(struct job *j, int status)
{
	if (status == -ETIMEDOUT || status == -ECANCELED || !j->worst)
		j->worst = status;
}

/* One answer is in; the stage's next step once the last one is. */
static void done_one(struct job *j)
{
	if (--j->pending == 0)
		j->next(j);
}

static void finish(struct job *j)
{
	unsigned int i, k;

	/* Stable by host order: SRV order, then A before AAAA. */
	for (i = 0; i < j->n_found && j->res.n < SIP_RESOLVE_MAX; i++) {
		unsigned int best = UINT32_MAX, at = 0;

		for (k = 0; k < j->n_found; k++)
			if (j->found[k].order < best) {
				best = j->found[k].order;
				at = k;
			}
		j->res.a[j->res.n++] = j->found[at].a;
		j->found[at].order = UINT32_MAX;
	}
	j->res.status = j->res.n ? 0 : j->worst ? j->worst : -ENOENT;
	j->cb(j->arg, &j->res);
	free(j);
}

static void addr_answer(void *arg, const struct dns_answer *a)
{
	struct qref *ref = arg;
	struct job *j = ref->j;
	const struct host *h = &j->hosts[ref->idx];
	unsigned int i;

	if (a->status) {
		note_failure(j, a->status);
	} else {
		note_ttl(j, a->ttl);
		for (i = 0; i < a->n && j->n_found < MAX_FOUND; i++) {
			struct sip_resolved_addr *x = &j->found[j->n_found].a;

			x->addr = a->rr[i].addr;
			sockaddr_set_port(&x->addr, h->port);
			x->proto = h->proto;
			x->priority = h->priority;
			x->weight = h->weight;
			j->found[j->n_found++].order = ref->idx * 2 + (ref->type == DNS_AAAA);
		}
	}
	done_one(j);
}

static void ask_with(struct job *j, struct qref *ref, const char *name,
		     resolver_cb cb)
{
	int rc;

	j->pending++;
	rc = resolver_query(j->r, name, ref->type, cb, ref);
	if (rc < 0) {
		j->pending--;
		note_failure(j, rc);
	}
}

static void ask_addresses(struct job *j)
{
	unsigned int i;

	j->next = finish;
	j->pending = 1;
	for (i = 0; i < j->n_hosts && i < MAX_HOSTS; i++) {
		struct qref *r4 = &j->refs[i * 2], *r6 = &j->refs[i * 2 + 1];

		*r4 = (struct qref){ .j = j, .idx = i, .type = DNS_A };
		*r6 = (struct qref){ .j = j, .idx = i, .type = DNS_AAAA };
		ask_with(j, r4, j->hosts[i].name, addr_answer);
		ask_with(j, r6, j->hosts[i].name, addr_answer);
	}
	done_one(j);
}

/* The URI's own host, when DNS has no SRV for it (RFC 3263 4.2). */
static void host_itself(struct job *j)
{
	struct host *h = &j->hosts[0];
	enum sip_proto proto = j->proto >= 0 ? (enum sip_proto)j->proto :
			       j->sips ? SIP_TLS : SIP_UDP;

	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", j->host);
	h->proto = proto;
	h->port = j->port ? j->port : default_port(proto);
	j->n_hosts = 1;
	ask_addresses(j);
}

/*
 * RFC 2782: lowest priority first; within one priority, a weighted random
 * order (a record of weight 0 has a small chance to come first).
 */
static void order_hosts(struct job *j)
{
	unsigned int i, k, done;

	for (done = 0; done < j->n_hosts; done++) {
		unsigned int lo = done, sum = 0, pick;

		for (i = done; i < j->n_hosts; i++)
			if (j->hosts[i].group < j->hosts[lo].group ||
			    (j->hosts[i].group == j->hosts[lo].group &&
			     j->hosts[i].priority < j->hosts[lo].priority))
				lo = i;
		for (i = done; i < j->n_hosts; i++)
			if (j->hosts[i].group == j->hosts[lo].group &&
			    j->hosts[i].priority == j->hosts[lo].priority)
				sum += j->hosts[i].weight + 1;
		pick = (unsigned int)random() % sum;
		for (k = done; k < j->n_hosts; k++) {
			if (j->hosts[k].group != j->hosts[lo].group ||
			    j->hosts[k].priority != j->hosts[lo].priority)
				continue;
			if (pick < j->hosts[k].weight + 1u)
				break;
			pick -= j->hosts[k].weight + 1u;
		}
		if (k != done) {
			struct host t = j->hosts[done];

			j->hosts[done] = j->hosts[k];
			j->hosts[k] = t;
		}
	}
}

static void srv_done(struct job *j)
{
	if (!j->n_hosts && (j->worst == -ETIMEDOUT || j->worst == -ECANCELED)) {
		finish(j);	/* a dead server: falling back would wait again */
		return;
	}
	if (!j->n_hosts) {
		host_itself(j);
		return;
	}
	order_hosts(j);
	if (j->n_hosts > MAX_HOSTS)
		j->n_hosts = MAX_HOSTS;
	ask_addresses(j);
}

static void srv_answer(void *arg, const struct dns_answer *a)
{
	struct qref *ref = arg;
	struct job *j = ref->j;
	unsigned int i;

	if (a->status) {
		note_failure(j, a->status);
	} else {
		note_ttl(j, a->ttl);
		for (i = 0; i < a->n && j->n_hosts < MAX_HOSTS * 2; i++) {
			struct host *h = &j->hosts[j->n_hosts];

			if (!strcmp(a->rr[i].target, ".") || !a->rr[i].target[0])
				continue;	/* RFC 2782: not offered here */
			snprintf(h->name, sizeof(h->name), "%s", a->rr[i].target);
			h->port = a->rr[i].port;
			h->priority = a->rr[i].priority;
			h->weight = a->rr[i].weight;
			h->proto = j->srv[ref->idx].proto;
			h->group = ref->idx;
			j->n_hosts++;
		}
	}
	done_one(j);
}

static void add_srv(struct job *j, const char *name, enum sip_proto proto)
{
	if (j->n_srv == MAX_SRV_NAMES)
		return;
	snprintf(j->srv[j->n_srv].name, sizeof(j->srv[0].name), "%s", name);
	j->srv[j->n_srv++].proto = proto;
}

static void ask_srv(struct job *j)
{
	unsigned int i;

	j->next = srv_done;
	j->pending = 1;
	for (i = 0; i < j->n_srv; i++) {
		j->refs[i] = (struct qref){ .j = j, .idx = i, .type = DNS_SRV };
		ask_with(j, &j->refs[i], j->srv[i].name, srv_answer);
	}
	done_one(j);
}

/* The SRV names of the transports we speak, when NAPTR names none. */
static void srv_names_by_transport(struct job *j)
{
	static const struct {
		const char *prefix;
		enum sip_proto proto;
	} all[] = { { "_sips._tcp.", SIP_TLS }, { "_sip._tcp.", SIP_TCP },
		    { "_sip._udp.", SIP_UDP } };
	char name[DNS_NAME_MAX + 16];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (j->proto >= 0 && (enum sip_proto)j->proto != all[i].proto)
			continue;
		if (j->sips && all[i].proto != SIP_TLS)
			continue;
		snprintf(name, sizeof(name), "%s%s", all[i].prefix, j->host);
		if (strlen(name) < DNS_NAME_MAX)
			add_srv(j, name, all[i].proto);
	}
}

static int naptr_service(const char *service, bool sips, enum sip_proto *proto)
{
	if (!strcasecmp(service, "SIPS+D2T"))
		*proto = SIP_TLS;
	else if (!strcasecmp(service, "SIP+D2T") && !sips)
		*proto = SIP_TCP;
	else if (!strcasecmp(service, "SIP+D2U") && !sips)
		*proto = SIP_UDP;
	else
		return -1;
	return 0;
}

/* RFC 3263 4.1: the usable records by order, then preference. */
static void naptr_answer(void *arg, const struct dns_answer *a)
{
	struct qref *ref = arg;
	struct job *j = ref->j;
	bool used[DNS_MAX_RR] = { false };
	unsigned int i, k;

	if (!a->status)
		note_ttl(j, a->ttl);
	for (k = 0; !a->status && k < a->n; k++) {
		int best = -1;
		enum sip_proto proto;

		for (i = 0; i < a->n; i++) {
			const struct dns_rr *rr = &a->rr[i];

			if (used[i] || strcasecmp(rr->flags, "s") ||
			    naptr_service(rr->service, j->sips, &proto))
				continue;
			if (best < 0 || rr->order < a->rr[best].order ||
			    (rr->order == a->rr[best].order &&
			     rr->preference < a->rr[best].preference))
				best = (int)i;
		}
		if (best < 0)
			break;
		used[best] = true;
		naptr_service(a->rr[best].service, j->sips, &proto);
		add_srv(j, a->rr[best].target, proto);
	}
	done_one(j);
}

static void after_naptr(struct job *j)
{
	/* RFC 3263's fallbacks are for names without such records, not for
	 * a server that does not answer: each would wait its timeout out. */
	if (j->worst == -ETIMEDOUT || j->worst == -ECANCELED) {
		finish(j);
		return;
	}
	if (!j->n_srv)		/* no NAPTR, or none we can use */
		srv_names_by_transport(j);
	ask_srv(j);
}

int sip_resolve(struct resolver *r, const char *host, uint16_t port, int proto,
		bool sips, sip_resolve_cb cb, void *arg)
{
	struct job *j;

	if (strlen(host) >= DNS_NAME_MAX)
		return -ENAMETOOLONG;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	*j = (struct job){ .r = r, .cb = cb, .arg = arg, .port = port,
			   .proto = proto, .sips = sips };
	snprintf(j->host, sizeof(j->host), "%s", host);
	if (!sockaddr_parse(host, 0, &j->found[0].a.addr)) {
		/* A literal: RFC 3263 4.2, no DNS. */
		struct sip_resolved_addr *x = &j->found[0].a;

		x->proto = proto >= 0 ? (enum sip_proto)proto : sips ? SIP_TLS : SIP_UDP;
		sockaddr_set_port(&x->addr, port ? port : default_port(x->proto));
		j->n_found = 1;
		finish(j);
		return 0;
	}
	if (port) {
		host_itself(j);
	} else if (proto >= 0 || sips) {
		srv_names_by_transport(j);
		ask_srv(j);
	} else {
		j->refs[0] = (struct qref){ .j = j, .type = DNS_NAPTR };
		j->pending = 1;
		j->next = after_naptr;
		ask_with(j, &j->refs[0], host, naptr_answer);
		done_one(j);
	}
	return 0;
}
