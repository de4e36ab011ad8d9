/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A hash table of IP addresses (without port), for what srtprelayd counts
 * per peer address: connections, request rates, bans. The address comes
 * from the network, so buckets are chosen by a keyed hash (base/hash.h).
 * Entries are embedded in the user's own records (first member) and
 * owned by the user; the table only links them.
 */
#ifndef SRTPRELAYD_IP_TABLE_H
#define SRTPRELAYD_IP_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "base/hash.h"

#define IP_TABLE_BUCKETS 4096

struct ip_key {
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t addr[16];		/* IPv4 in the first 4 bytes */
};

struct ip_entry {
	struct ip_entry *next;		/* bucket chain */
	struct ip_key ip;
};

struct ip_table {
	struct hash_key key;
	struct ip_entry *buckets[IP_TABLE_BUCKETS];
	unsigned int count;
};

/* 0, or -errno if no hash key could be drawn. */
int ip_table_init(struct ip_table *t);
/* The address part of @ss (v4-mapped v6 stays v6: sockets say which). */
void ip_key_of(const struct sockaddr_storage *ss, struct ip_key *out);
/* "192.0.2.1" / "2001:db8::1" into @buf. */
const char *ip_key_str(const struct ip_key *ip, char *buf, size_t len);

struct ip_entry *ip_table_find(const struct ip_table *t, const struct ip_key *ip);
void ip_table_insert(struct ip_table *t, struct ip_entry *e);
void ip_table_remove(struct ip_table *t, struct ip_entry *e);

#endif
