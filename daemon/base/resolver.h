/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * DNS queries in the event loop (c-ares): A, AAAA, SRV and NAPTR, each
 * answer with its TTL (the smallest of its records), cached until that
 * TTL runs out. Nothing blocks: c-ares's sockets and its retry timer are
 * the loop's, and a server that never answers costs a timeout, not a
 * stall. What the answers mean for SIP (RFC 3263) is sip/sip_resolve.c.
 */
#ifndef SRTPRELAYD_RESOLVER_H
#define SRTPRELAYD_RESOLVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define DNS_NAME_MAX 256
#define DNS_MAX_RR 16

enum dns_type { DNS_A, DNS_AAAA, DNS_SRV, DNS_NAPTR };

struct dns_rr {
	struct sockaddr_storage addr;	/* A, AAAA (port 0) */
	uint16_t priority, weight, port;	/* SRV */
	uint16_t order, preference;	/* NAPTR */
	char flags[8], service[32];	/* NAPTR */
	char target[DNS_NAME_MAX];	/* SRV target, NAPTR replacement */
};

struct dns_answer {
	/* 0; -ENOENT: no such name or no record of the type; -ETIMEDOUT:
	 * no server answered; -EIO: a server failure or a bad answer. */
	int status;
	uint32_t ttl;			/* seconds, smallest of the records */
	unsigned int n;
	struct dns_rr rr[DNS_MAX_RR];
};

struct resolver;

/*
 * Called once per query, from the event loop (or at once, from
 * resolver_query(), when the answer is cached), and with -ECANCELED
 * when the resolver is freed first.
 */
typedef void (*resolver_cb)(void *arg, const struct dns_answer *a);

/*
 * @servers: "ADDR[:PORT],..." to ask, or "" for /etc/resolv.conf's. NULL
 * and a reason in @err when c-ares cannot start.
 */
struct resolver *resolver_new(const char *servers, char *err, size_t err_len);
/* Asks other servers from now on (reload); the cache is dropped. */
int resolver_set_servers(struct resolver *r, const char *servers);
void resolver_free(struct resolver *r);
/* 0, or -errno when the query could not be sent (@cb is not called;
 * -ECANCELED once resolver_free() began). */
int resolver_query(struct resolver *r, const char *name, enum dns_type type,
		   resolver_cb cb, void *arg);
const char *dns_type_name(enum dns_type type);

/* Smallest TTL of the answer section of the DNS message @buf (RFC 1035
 * 4.1); -1 when it is malformed. Parses (buf, len) only. */
long dns_answer_min_ttl(const unsigned char *buf, size_t len);

#endif
