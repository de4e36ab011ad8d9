// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Per-address records behind a keyed hash (ip_table.h). */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "base/ip_table.h"

int ip_table_init(struct ip_table *t)
{
	memset(t, 0, sizeof(*t));
	return hash_key_init(&t->key);
}

void ip_key_of(const struct sockaddr_storage *ss, struct ip_key *out)
{
	memset(out, 0, sizeof(*out));
	out->family = (uint8_t)ss->ss_family;
	if (ss->ss_family == AF_INET)
		memcpy(out->addr, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	else if (ss->ss_family == AF_INET6)
		memcpy(out->addr, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
}

const char *ip_key_str(const struct ip_key *ip, char *buf, size_t len)
{
	if (!inet_ntop(ip->family, ip->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static unsigned int bucket(const struct ip_table *t, const struct ip_key *ip)
{
	return (unsigned int)(hash_bytes(&t->key, ip, sizeof(*ip)) % IP_TABLE_BUCKETS);
}

struct ip_entry *ip_table_find(const struct ip_table *t, const struct ip_key *ip)
{
	struct ip_entry *e;

	for (e = t->buckets[bucket(t, ip)]; e; e = e->next)
		if (!memcmp(&e->ip, ip, sizeof(*ip)))
			return e;
	return NULL;
}

void ip_table_insert(struct ip_table *t, struct ip_entry *e)
{
	struct ip_entry **head = &t->buckets[bucket(t, &e->ip)];

	e->next = *head;
	*head = e;
	t->count++;
}

void ip_table_remove(struct ip_table *t, struct ip_entry *e)
{
	struct ip_entry **p;

	for (p = &t->buckets[bucket(t, &e->ip)]; *p; p = &(*p)->next) {
		if (*p == e) {
			*p = e->next;
			t->count--;
			return;
		}
	}
}
