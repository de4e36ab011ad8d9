/* SPDX-License-Identifier: GPL-2.0 */
/*
 * srtp_peer's shared parts: its configuration (filled by the options parsed
 * in srtp_peer.c, which also documents them), the libsrtp2 sessions and the
 * payload pattern that srtp_peer_send.c writes and srtp_peer_recv.c checks.
 */
#ifndef SRTP_PEER_H
#define SRTP_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <srtp2/srtp.h>
#include <linux/srtprelay.h>

#include "srtp_suite.h"

/* The longest key||salt: AES_256_CM, 32 + 14 bytes. */
#define KEY_SALT_MAX 46
#define MAX_BURSTS 16
#define MAX_LISTEN 4
/* The largest UDP payload: a 64K-MTU loopback carries it unfragmented. */
#define MAX_PKT 65536
#define RTCP_APP 204

enum bad { BAD_NONE, BAD_TAMPER, BAD_WRONGKEY, BAD_REPLAY, BAD_CSUM };

struct burst {
	bool rtcp;
	uint32_t ssrc;
	uint32_t first;
	uint32_t count;
	uint8_t *seen;		/* recv: how often each packet arrived */
};

struct config {
	bool send;
	uint32_t suite;			/* enum srtprelay_suite */
	uint8_t key[KEY_SALT_MAX];
	uint8_t rekey[KEY_SALT_MAX];
	unsigned int key_len, rekey_len;	/* as given; checked at the end */
	bool has_key, has_rekey;
	long rekey_at;
	uint8_t mki[4];
	unsigned int mki_len;
	uint32_t roc;
	bool has_roc;
	size_t len;
	struct sockaddr_storage dst, src, from, from_rtcp;
	socklen_t dst_len, src_len, from_len, from_rtcp_len;
	struct sockaddr_storage listen[MAX_LISTEN];
	socklen_t listen_len[MAX_LISTEN];
	bool listen_rtcp[MAX_LISTEN];	/* this socket takes RTCP only */
	bool split_ports;		/* any --listen-rtcp given */
	int n_listen;
	long interval_us;
	enum bad bad;
	long bad_every;
	bool bad_only;
	long pause_at;
	long junk;
	int ttl;			/* send: TTL/hop limit; recv: required; 0: any */
	bool no_checksum;	/* send: IPv4 UDP checksum 0 (SO_NO_CHECK) */
	const char *sync_dir;
	const char *ready_file;
	long timeout_ms, linger_ms;
	struct burst bursts[MAX_BURSTS];
	int n_bursts;
};

void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...);
const char *fmt_sockaddr(const struct sockaddr_storage *ss);
const char *suite_name(uint32_t suite);
/* key||salt bytes of a suite (0 for NONE). */
unsigned int suite_key_salt_len(uint32_t suite);
srtp_t make_session(const struct config *c, const uint8_t *key, bool outbound);
int open_socket(const struct sockaddr_storage *ss);

int do_send(struct config *c);
int do_recv(struct config *c);

/* The payload is a function of (ssrc, number, offset) only. */
static inline uint8_t pattern(uint32_t ssrc, uint32_t num, size_t i)
{
	return (uint8_t)((ssrc >> (8 * (i & 3))) ^ (num * 131) ^ (num >> 8) ^ (i * 29) ^ 0x5a);
}

static inline size_t rtcp_data_len(size_t len)
{
	return (len + 3) & ~(size_t)3;
}

#endif /* SRTP_PEER_H */
