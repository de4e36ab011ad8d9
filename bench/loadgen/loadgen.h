/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * loadgen: what its files share. main.c describes the program; the others:
 *
 *   setup.c    the setup coprocess: calls, keys, suites
 *   socket.c   the endpoints' raw and AF_PACKET sockets, in their netns
 *   packet.c   building and protecting one RTP or RTCP packet
 *   step.c     one step: its packets, its threads, its measurements
 *   send.c     the paced sendmmsg loop of a step
 *   receive.c  the receiver: verifies every packet, records latency
 *   stats.c    CPU accounting, percentiles, a step's result and CSV row
 *   search.c   the search for the largest passing N, and retries
 *   util.c     die(), pinning
 */
#ifndef LOADGEN_H
#define LOADGEN_H

#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include <netinet/in.h>

#include "srtp.h"

#define PAYLOAD 160
#define PTIME_NS 20000000ULL		/* 20 ms: 50 packets/s */
#define RTCP_INTERVAL_NS 5000000000ULL	/* RTCP every 5 s */
#define PKT_STRIDE 256			/* bytes per pre-built packet */
#define IPUDP 28
#define RTCP_SR_LEN 28
#define BATCH 256
#define SEND_QUANTUM_NS 500000ULL	/* generator wakes every 500 us */
#define DRAIN_NS 300000000ULL		/* wait for stragglers after a step */
#define HIST_US 200000			/* latency histogram, 1 us buckets */
#define SR_MAGIC 0x5352424eU		/* "SRBN" in every RTCP we send */
#define FORGED_SSRC 0x464f5247U		/* "FORG": send_forged()'s packets */
#define FORGED_PER_STEP 16
#define LOSS_LIMIT 0.001		/* pass: loss < 0.1 % */
#define P99_LIMIT_US 1000.0		/* pass: p99 < 1 ms (--p99-limit) */
#define KEY_B64_MAX 96			/* base64 key || salt of any suite, NUL */

enum side { CALLER, CALLEE };

/*
 * One direction of one call: sent by one endpoint to the relay, received by
 * the other endpoint from the relay. Stream 2c is caller -> callee of call
 * c, 2c + 1 callee -> caller.
 */
struct stream {
	enum side from;			/* whose raw socket sends it */
	struct sockaddr_in src, dst;	/* endpoint port -> relay port */
	struct sockaddr_in relay_src;	/* where the relay must send from */
	u16 rx_port;			/* port it arrives on at the other end */
	u32 ssrc;
	struct srtp_ctx *tx, *rx;	/* endpoint's key; relay's out key */
	u64 next_index;			/* next RTP packet index (ROC << 16 | seq) */
	u64 phase_ns, rtcp_phase_ns;
	/* this step */
	u64 first_index;		/* index of the step's first packet */
	u64 rtp_slot, rtcp_slot;	/* first slot of its packets */
	u32 rtcp_count;
	u64 highest;			/* highest index received */
	bool seen;
};

struct counters {
	u64 ok, ok_rtcp, auth_failed, replayed, bad_payload, bad_source,
	    reordered, duplicates, stale, unknown, rtcp_from_rtp_port,
	    forged;			/* forged packets the relay delivered */
};

struct step_result {
	unsigned int calls;
	double seconds, pps, relay_cpu, relay_cost, relay_proc_cpu, gen_core_cpu, gen_cpu;
	double ns_per_packet, p50, p99, p999, loss;
	u64 sent, lost;
	unsigned int forged_sent;
	struct counters c;
	bool pass;
};

struct options {
	const char *caller_ns, *callee_ns, *caller_if, *callee_if;
	const char *caller_ip, *callee_ip;
	const char *setup, *restart, *label, *csv, *steps;
	u32 suite_a, suite_b;
	unsigned int start, max, max_steps, attempts;
	double duration, warmup, budget, p99_limit;
	int relay_cpu, gen_cpu;
	long relay_pid;
	long relay_thread;		/* a host thread that is the relay core */
	bool relay_stat_from_setup;	/* relay core = the setup's /proc/stat */
	u16 port_base;
	unsigned int seed;
};

struct cpu_sample {
	u64 busy[2], total[2];	/* jiffies of the relay and generator cores;
				 * ns of --relay-thread's and the wall clock */
	u64 guest_busy, guest_total;	/* the setup's /proc/stat, jiffies */
	u64 irq;		/* irq + softirq jiffies of the relay core */
	u64 relay_proc;		/* relay process utime + stime, jiffies */
	u64 self_ns;		/* this process's CPU time */
	u64 wall;
};

struct rtcp_event {
	u64 at;
	unsigned int stream;
	u64 slot;
};

/* main.c */
extern struct options opt;

/* setup.c */
extern struct stream *streams;
extern u32 *port_map[2];			/* port -> stream * 2 + rtcp, + 1 */
const char *suite_name(u32 suite);
u32 suite_parse(const char *name);
void stream_init(struct stream *s, unsigned int call, enum side from, u64 *rng);
void setup_start(void);
void setup_calls(unsigned int want);
void setup_cpu_stat(u64 *busy, u64 *total);
unsigned int setup_calls_ready(void);
double setup_restart(void);
void setup_finish(void);

/* socket.c */
extern int raw_fd[2], cap_fd[2];
void open_side(enum side side, const char *ns, const char *ifname);

/* packet.c */
void build_rtp(struct stream *s, unsigned int id, u64 index, u8 *pkt,
	       u16 *len);
void build_rtcp(struct stream *s, unsigned int id, u64 slot, u8 *pkt,
		u16 *len);

/* step.c: the step in flight, shared by generator and receiver threads. */
extern u8 *pkts;
extern u16 *pkt_len;
extern u64 *sent_at;		/* CLOCK_REALTIME ns, 0 if not sent */
extern u8 *received;
extern u64 nslots;
void run_step(unsigned int calls, double seconds, struct step_result *r);

/* send.c */
void send_step(unsigned int frames, const unsigned int *order,
	       unsigned int nstreams, const struct rtcp_event *events,
	       unsigned int nrtcp);
unsigned int send_forged(unsigned int nstreams, unsigned int frames);

/* receive.c */
extern u32 *hist;
extern struct counters rx_count;
extern volatile int rx_stop;
extern u64 late_us;
void *receiver(void *arg);

/* stats.c */
void cpu_sample(struct cpu_sample *sample);
void step_result_fill(struct step_result *r, unsigned int calls,
		      const struct cpu_sample *before,
		      const struct cpu_sample *after);
void print_step(const struct step_result *r);

/* search.c */
void search(struct step_result *best, struct step_result *fail);

/* util.c */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void pin(int cpu);

static inline u64 clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/* The payload byte @i of packet @index of stream @stream: the receiver
 * checks every one.
 */
static inline u8 payload_byte(u64 index, unsigned int stream, unsigned int i)
{
	return (u8)(index * 31 + stream * 7 + i);
}

#endif /* LOADGEN_H */
