/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The userspace datapath: the kernel module's stream model run in a
 * process, for hosts where srtprelay.ko is not loaded. Packets to realm
 * ports are received on UDP sockets bound to the streams' ports (socket
 * mode, the default) or taken from NFQUEUE with rules installed per realm
 * (--mode nfqueue), transformed by the same SRTP core and per-packet
 * policy the module runs, and sent from the stream's out-src socket (or a
 * raw socket in NFQUEUE mode). It is controlled with the module's own generic netlink messages
 * over a unix socket, so every client (srtprelayd, srtprelayctl, the tests)
 * drives both the same way.
 */
#ifndef SRTPRELAY_DATAPATH_H
#define SRTPRELAY_DATAPATH_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <liburing.h>
#include <netinet/in.h>

#include "latch.h"
#include "packet_policy.h"
#include "relay_netlink.h"
#include "srtp.h"

#define DP_MAX_WORKERS 16
#define DP_HASH_BUCKETS 65536

/* An address and UDP port, compared with memcmp (unused bytes zero). */
struct dp_addr {
	uint8_t addr[16];	/* IPv4 in the first 4 bytes */
	uint16_t port;		/* host order */
	uint16_t family;	/* AF_INET or AF_INET6 */
};
_Static_assert(sizeof(struct dp_addr) % 4 == 0, "hashed as 32-bit words");

/* sockets.c: a UDP socket of socket mode, shared by the streams that
 * receive on its address or send from it.
 */
struct dp_sock {
	struct dp_addr addr;		/* bound to */
	int fd;
	unsigned int refs;		/* streams holding it */
	uint32_t slot, generation;	/* what its epoll events carry */
	unsigned int worker;		/* whose epoll set watches it */
	uint32_t drops_seen;		/* its drop count (SO_RXQ_OVFL), as
					 * its worker last saw it */
	struct dp_sock *next;		/* hash chain by address */
};

/* All sockets of socket mode; changed under the table's write lock. */
struct dp_socks {
	struct dp_sock **buckets;	/* by address */
	struct dp_sock **slots;		/* by slot, for epoll events */
	uint32_t *free_slots;		/* a stack of free slot numbers */
	uint32_t slot_cap, free_count;
	uint32_t generation;
	unsigned int count;
	unsigned int workers;
	int epoll_fd[DP_MAX_WORKERS];	/* one set per worker */
};

struct dp_realm {
	struct relay_nl_realm config;
	struct dp_realm *next;
};

/*
 * Field order is for the packet path: the hash keys and chains come first
 * (a lookup walks them in one cache line), then what every relayed packet
 * reads or writes; the installed configuration (over 1 KB of addresses,
 * keys wiped, and counters for dumps) last, read only for its flags.
 */
struct dp_stream {
	struct dp_addr local_rtp, local_rtcp;
	struct dp_stream *next_rtp;	/* hash chains */
	struct dp_stream *next_rtcp;
	pthread_mutex_t lock;		/* crypto state, latch, counters */
	struct srtp_ctx *in, *out;
	uint64_t last_rx_ms;		/* CLOCK_MONOTONIC, 0 if none */
	struct dp_addr remote;		/* signalled source, if any */
	struct latch_state latch;	/* learning window, latched source */
	struct dp_addr out_src, out_dst, out_rtcp_src, out_rtcp_dst;
	/* Socket mode: the sockets of local_rtp, local_rtcp, out_src and
	 * out_rtcp_src (muxed: the RTP one, held twice). */
	struct dp_sock *sock_rtp, *sock_rtcp, *sock_out, *sock_out_rtcp;
	uint64_t stats[SRTPRELAY_STAT_COUNT];
	uint64_t id;			/* creation order, for dumps */
	struct dp_stream *next_all;	/* creation-ordered list */
	struct relay_nl_stream config;	/* as installed; keys wiped */
};

/* Everything the control thread changes and the workers read. */
struct dp_table {
	pthread_rwlock_t lock;		/* workers read, control writes */
	struct dp_realm *realms;
	unsigned int realm_count;
	struct dp_stream **rtp_buckets;
	struct dp_stream **rtcp_buckets;
	struct dp_stream *all;		/* newest first */
	unsigned int stream_count;
	unsigned int max_streams;	/* the cap, as the module's max_streams */
	/* Bumped by every add and delete: a dump that resumes after a change
	 * marks its messages NLM_F_DUMP_INTR, as the kernel does.
	 */
	uint64_t generation;
	uint64_t next_id;
	uint16_t queue_base;
	unsigned int queue_count;
	struct dp_socks *socks;		/* socket mode; NULL with NFQUEUE */
};

/* Global counters, one block per worker, summed when read. */
struct dp_counters {
	uint64_t stats[SRTPRELAY_STAT_COUNT];
	/* This worker's last authenticated packet (CLOCK_MONOTONIC ms, 0:
	 * none): STATS_GET's LAST_RX_AGE_MS, as the module sends it. */
	uint64_t last_rx_ms;
} __attribute__((aligned(64)));

/* An event of the packet path, as the module multicasts it. */
struct dp_event {
	uint32_t type;		/* enum srtprelay_event */
	uint32_t ssrc;		/* SSRC_CHANGED */
	uint64_t cookie;
	struct dp_addr local;	/* the stream's RTP port */
	struct dp_addr remote;	/* REMOTE_LATCHED, REMOTE_CHANGED */
};

#define DP_EVENT_QUEUE_LEN 1024

/* Workers append, the control thread sends on (events.c). */
struct dp_events {
	pthread_mutex_t lock;
	unsigned int head, count;
	uint64_t dropped;		/* queue full: lost, counted */
	int wake_fd;			/* eventfd: the queue became non-empty */
	int listeners;			/* clients that joined; 0: no events */
	struct dp_event ring[DP_EVENT_QUEUE_LEN];
};

/* notify.c: systemd's READY, WATCHDOG and STOPPING (sd_notify). */
struct dp_notify {
	uint64_t interval_ms;	/* half of WATCHDOG_USEC; 0: no watchdog */
	uint64_t next_ms;	/* CLOCK_MONOTONIC of the next ping */
	bool failure_logged;	/* one warning, not one per ping */
};

void dp_notify_init(struct dp_notify *n);
void dp_notify_ready(struct dp_notify *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int dp_notify_watchdog(struct dp_notify *n);
void dp_notify_stopping(struct dp_notify *n);

enum dp_mode {
	DP_MODE_SOCKET,		/* UDP sockets per port (sockets.c, sock_workers.c) */
	DP_MODE_NFQUEUE,	/* NFQUEUE and raw sockets (steering.c, queue.c) */
};

struct dp_sock_worker;

struct datapath {
	enum dp_mode mode;
	bool io_uring;		/* socket mode: a round's calls in one (--io) */
	struct dp_table table;
	struct dp_socks socks;
	struct dp_sock_worker *sock_workers[DP_MAX_WORKERS];
	struct dp_events events;
	struct dp_counters counters[DP_MAX_WORKERS + 1];  /* + control */
	unsigned int worker_count;
	bool stopping;		/* dp_stop(), dp_stopping() only */
	int stop_fd;		/* signalfd of SIGTERM and SIGINT */
	struct dp_notify notify;
};

/*
 * The stop flag is written by whichever thread sees SIGTERM first and read
 * by all: a volatile int so shared is still a data race in C11, atomics
 * are not. Release/acquire costs nothing on x86 and orders the stop after
 * whatever its setter did before.
 */
static inline void dp_stop(struct datapath *dp)
{
	__atomic_store_n(&dp->stopping, true, __ATOMIC_RELEASE);
}

static inline bool dp_stopping(struct datapath *dp)
{
	return __atomic_load_n(&dp->stopping, __ATOMIC_ACQUIRE);
}

/* stop.c: SIGTERM and SIGINT, seen by every thread. */
int dp_stop_init(struct datapath *dp);
bool dp_stop_requested(struct datapath *dp);

/* streams.c */
int dp_table_init(struct dp_table *table, uint16_t queue_base,
		  unsigned int queue_count, unsigned int max_streams,
		  struct dp_socks *socks);
void dp_table_destroy(struct dp_table *table);

/* addr.c */
uint32_t dp_addr_hash(const struct dp_addr *addr);
void dp_addr_from_sockaddr(struct dp_addr *addr,
			   const struct sockaddr_storage *ss);
void dp_addr_to_sockaddr(const struct dp_addr *addr,
			 struct sockaddr_storage *ss);

/* The same address as the latch policy (kmod/latch.h) compares it. */
static inline struct latch_addr dp_latch_addr(const struct dp_addr *addr)
{
	struct latch_addr l = { .port = addr->port, .family = addr->family };

	memcpy(l.ip, addr->addr, sizeof(l.ip));
	return l;
}
/* Callers hold table->lock for reading or writing. */
struct dp_stream *dp_stream_find(struct dp_table *table,
				 const struct dp_addr *local, bool *is_rtcp);
const struct dp_realm *dp_realm_find(struct dp_table *table,
				     const struct dp_addr *addr);
/* Control operations, each taking the write lock; errors as -errno with a
 * message in @why (the extended ACK text the kernel would give).
 */
int dp_realm_add(struct dp_table *table, const struct relay_nl_realm *realm,
		 const char **why);
int dp_realm_del(struct dp_table *table, uint32_t id, const char **why);
int dp_stream_add(struct dp_table *table, struct relay_nl_stream *config,
		  const char **why);
int dp_stream_set(struct dp_table *table, struct relay_nl_stream *config,
		  const char **why);
int dp_stream_del(struct dp_table *table, const struct sockaddr_storage *local,
		  const char **why);
unsigned int dp_stream_flush(struct dp_table *table, const uint64_t *cookie);
/* A copy of a stream's public state (no keys) for replies. */
void dp_stream_snapshot(struct dp_stream *stream, struct relay_nl_stream *out);

/* sockets.c: socket mode's sockets, held by streams. */
int dp_socks_init(struct dp_socks *socks, unsigned int workers);
void dp_socks_destroy(struct dp_socks *socks);
int dp_sock_hold(struct dp_socks *socks, const struct dp_addr *addr,
		 struct dp_sock **out, const char **why);
void dp_sock_put(struct dp_socks *socks, struct dp_sock *sock);
struct dp_sock *dp_sock_of_event(struct dp_socks *socks, uint64_t data);

/* steering.c: netfilter rules steering realm ports to our queues. */
int dp_steering_setup(uint16_t queue_base);
int dp_steering_realm(const struct relay_nl_realm *realm, bool add,
		      uint16_t queue_base, unsigned int queue_count);
void dp_steering_teardown(void);

/* packet.c: one packet through a stream. */
enum dp_verdict {
	DP_PASS,	/* not ours: give it back to the stack */
	DP_DROP,	/* ours, dropped and counted */
	DP_SEND,	/* ours, transformed into the send buffer */
};

/* A datagram as a backend received it, for dp_rx_handle(). */
struct dp_rx {
	struct dp_addr src, dst;
	struct pp_packet pkt;	/* what the shared policy looks at */
	const uint8_t *payload;
	unsigned int payload_len;
};

/*
 * What to send: the UDP payload at buf + DP_HEADROOM, and where. @stream
 * stays valid while the worker holds the table's read lock, which it does
 * until the packet is sent (dp_tx_refused()).
 */
struct dp_send {
	uint8_t *payload;
	unsigned int payload_len;
	struct dp_addr src, dst;
	uint8_t ttl;		/* TTL or hop limit to leave with */
	int fd;			/* socket mode: the socket bound to src */
	struct dp_stream *stream;	/* counted as sent from */
	bool rtcp;
	/* NFQUEUE mode: the IP packet built in front of the payload */
	uint8_t *ip;
	unsigned int len;
	struct sockaddr_storage sa;
};

#define DP_HEADROOM 48	/* IPv6 + UDP headers in front of the payload */
/* The largest UDP payload (65527 bytes, IPv6 on a 64K-MTU loopback) and
 * the largest trailer protect appends.
 */
#define DP_BUF_LEN (DP_HEADROOM + 65536 + 64)

enum dp_verdict dp_packet_handle(struct datapath *dp, unsigned int worker,
				 const uint8_t *ip, unsigned int len,
				 bool csum_verified, uint8_t *buf,
				 struct dp_send *send);
enum dp_verdict dp_rx_handle(struct datapath *dp, unsigned int worker,
			     const struct dp_rx *d, uint8_t *buf,
			     struct dp_send *send);
void dp_count_socket_drops(struct datapath *dp, unsigned int worker,
			   const struct dp_addr *local, uint32_t drops);
void dp_tx_refused(struct datapath *dp, unsigned int worker,
		   const struct dp_send *send);

/* Milliseconds of CLOCK_MONOTONIC_COARSE: a packet's time of arrival and
 * a stream's age, read by packet.c and streams.c alike. */
static inline uint64_t dp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* events.c: latch and SSRC events from workers to the control thread. */
int dp_events_init(struct dp_events *events);
void dp_event_push(struct dp_events *events, const struct dp_event *event);
unsigned int dp_events_take(struct dp_events *events, struct dp_event *out,
			    unsigned int max, uint64_t *dropped);

/* control.c: the generic netlink protocol over a unix socket. */
int dp_control_listen(const char *path, const gid_t *group);
int dp_control_serve(struct datapath *dp, int listen_fd, const gid_t *group);

/* queue.c: NFQUEUE workers. */
int dp_workers_start(struct datapath *dp, unsigned int count);
void dp_workers_stop(struct datapath *dp);
int dp_worker_cpu(unsigned int index);
bool dp_worker_stopping(struct datapath *dp, unsigned int *busy_batches,
			bool idle);

/* sock_ring.c: a socket worker's round of calls in one system call. */
struct dp_ring {
	struct io_uring uring;
	unsigned int entries;		/* 0: no ring (calls one by one) */
};

struct dp_ring_call {
	int fd;
	bool send;			/* sendmsg(), else recvmsg() */
	struct msghdr *msg;
	int res;			/* bytes, or a negative errno */
};

int dp_ring_init(struct dp_ring *ring, unsigned int entries);
void dp_ring_exit(struct dp_ring *ring);
int dp_ring_run(struct dp_ring *ring, struct dp_ring_call *calls,
		unsigned int count);

/* sock_workers.c: socket mode's workers. */
int dp_sock_workers_start(struct datapath *dp, unsigned int count);
void dp_sock_workers_stop(struct datapath *dp);
unsigned int dp_sock_workers_with_ring(const struct datapath *dp);

#endif /* SRTPRELAY_DATAPATH_H */
