/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The daemon is one thread around one epoll set: sockets register a
 * callback, timers sit in a binary heap by expiry (every transaction has
 * two, so tens of thousands are armed under load). Nothing blocks.
 */
#ifndef SRTPRELAYD_EVLOOP_H
#define SRTPRELAYD_EVLOOP_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*ev_fd_cb)(int fd, uint32_t events, void *arg);
typedef void (*ev_timer_cb)(void *arg);

struct ev_timer {
	size_t heap_idx;	/* 1-based place in the timer heap, 0: none */
	uint64_t when_ms;
	ev_timer_cb cb;
	void *arg;
	bool armed;
};

int ev_init(void);
/* events: EPOLLIN / EPOLLOUT. add fails if fd is already registered. */
int ev_fd_add(int fd, uint32_t events, ev_fd_cb cb, void *arg);
int ev_fd_mod(int fd, uint32_t events);
void ev_fd_del(int fd);

uint64_t ev_now_ms(void);
uint64_t ev_now_ns(void);	/* CLOCK_MONOTONIC, as ev_now_ms() */
void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg);
void ev_timer_arm(struct ev_timer *t, uint64_t delay_ms);
void ev_timer_cancel(struct ev_timer *t);

/*
 * How busy the loop is, for whoever judges overload (base/overload.h):
 * the time it slept in epoll_wait() with nothing to do, and the time it
 * waited for the disk to take the journal (the owner of the round-end
 * sync counts that). Busy time is the rest of the wall clock, so it
 * includes time the thread was runnable but not running, which a peer
 * waiting for an answer also waits out. The sync's wait is left out of
 * it: one sync per round takes every call of the round (group commit),
 * so it costs the same whether the round brought one call or a thousand,
 * and refusing calls would not shorten it.
 */
struct ev_stats {
	uint64_t idle_ns;	/* asleep in epoll_wait(), in total */
	uint64_t sync_wait_ns;	/* in the round-end's fdatasync(), in total */
	uint64_t wakeups;	/* epoll_wait() calls */
};

/* What of the wall clock was not work: asleep, or waiting for the disk. */
static inline uint64_t ev_stats_resting_ns(const struct ev_stats *s)
{
	return s->idle_ns + s->sync_wait_ns;
}

/* Runs until ev_stop(), counting into @stats (may be NULL); returns 0,
 * or -errno if epoll failed. @round_end (may be NULL) is called with
 * @arg after each wake-up's events and timers: work done once for all
 * a round brought (one journal sync for every call it answered). */
int ev_run(struct ev_stats *stats, ev_timer_cb round_end, void *arg);
void ev_stop(void);
bool ev_stopping(void);

#endif
