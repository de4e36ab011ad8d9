// SPDX-License-Identifier: GPL-2.0 OR MIT
/* One epoll set and a sorted timer list: the daemon's only thread. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/resource.h>

#include "base/evloop.h"
#include "base/log.h"

/* The table of handlers has a slot for every descriptor the process may
 * open (RLIMIT_NOFILE at ev_init()), up to this: a fixed 4096 refused
 * every connection past it while the file limit allowed more. */
#define EV_MAX_FDS_CAP (1 << 20)

struct ev_handler {
	ev_fd_cb cb;
	void *arg;
	bool used;
};

static int epfd = -1;
static struct ev_handler *handlers;
static int n_handlers;
static struct ev_timer **heap;	/* heap[1..heap_len], min expiry on top */
static size_t heap_len, heap_cap;
static volatile bool stop_requested;

int ev_init(void)
{
	struct rlimit r;

	n_handlers = 4096;
	if (!getrlimit(RLIMIT_NOFILE, &r) && r.rlim_cur > (rlim_t)n_handlers)
		n_handlers = r.rlim_cur > EV_MAX_FDS_CAP ? EV_MAX_FDS_CAP : (int)r.rlim_cur;
	handlers = calloc((size_t)n_handlers, sizeof(*handlers));
	if (!handlers) {
		log_err("event loop: no memory for %d descriptors", n_handlers);
		return -ENOMEM;
	}
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0) {
		log_err("epoll_create1: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

int ev_fd_add(int fd, uint32_t events, ev_fd_cb cb, void *arg)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (fd < 0 || fd >= n_handlers) {
		log_err("fd %d beyond the event loop's table of %d", fd,
			n_handlers);
		return -EMFILE;
	}
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		log_err("epoll_ctl add fd %d: %s", fd, strerror(errno));
		return -errno;
	}
	handlers[fd] = (struct ev_handler){ .cb = cb, .arg = arg, .used = true };
	return 0;
}

int ev_fd_mod(int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) < 0) {
		log_err("epoll_ctl mod fd %d: %s", fd, strerror(errno));
		return -errno;
	}
	return 0;
}

void ev_fd_del(int fd)
{
	if (fd < 0 || fd >= n_handlers)
		return;
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	handlers[fd].used = false;
}

uint64_t ev_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

uint64_t ev_now_ms(void)
{
	return ev_now_ns() / 1000000;
}

void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->cb = cb;
	t->arg = arg;
}

static void heap_set(size_t i, struct ev_timer *t)
{
	heap[i] = t;
	t->heap_idx = i;
}

static void sift_up(size_t i)
{
	struct ev_timer *t = heap[i];

	while (i > 1 && heap[i / 2]->when_ms > t->when_ms) {
		heap_set(i, heap[i / 2]);
		i /= 2;
	}
	heap_set(i, t);
}

static void sift_down(size_t i)
{
	struct ev_timer *t = heap[i];

	for (;;) {
		size_t c = 2 * i;

		if (c > heap_len)
			break;
		if (c < heap_len && heap[c + 1]->when_ms < heap[c]->when_ms)
			c++;
		if (heap[c]->when_ms >= t->when_ms)
			break;
		heap_set(i, heap[c]);
		i = c;
	}
	heap_set(i, t);
}

void ev_timer_cancel(struct ev_timer *t)
{
	size_t i = t->heap_idx;

	if (!t->armed || !i)
		return;
	t->armed = false;
	t->heap_idx = 0;
	if (i == heap_len) {
		heap_len--;
		return;
	}
	/* The last timer fills the hole, then moves down or up. */
	struct ev_timer *moved = heap[heap_len--];

	heap_set(i, moved);
	sift_down(i);
	if (moved->heap_idx == i)
		sift_up(i);
}

void ev_timer_arm(struct ev_timer *t, uint64_t delay_ms)
{
	ev_timer_cancel(t);
	if (heap_len + 1 >= heap_cap) {
		size_t cap = heap_cap ? heap_cap * 2 : 1024;
		struct ev_timer **h = realloc(heap, cap * sizeof(*h));

		if (!h) {
			log_err("timer heap: out of memory, timer dropped");
			return;
		}
		heap = h;
		heap_cap = cap;
	}
	t->when_ms = ev_now_ms() + delay_ms;
	t->armed = true;
	heap_set(++heap_len, t);
	sift_up(heap_len);
}

static int next_timeout(void)
{
	uint64_t now = ev_now_ms();

	if (!heap_len)
		return 1000;
	if (heap[1]->when_ms <= now)
		return 0;
	return (int)(heap[1]->when_ms - now > 1000 ? 1000 : heap[1]->when_ms - now);
}

static void run_timers(void)
{
	uint64_t now = ev_now_ms();

	while (heap_len && heap[1]->when_ms <= now) {
		struct ev_timer *t = heap[1];

		ev_timer_cancel(t);
		t->cb(t->arg);
	}
}

int ev_run(struct ev_stats *stats, ev_timer_cb round_end, void *arg)
{
	struct epoll_event evs[64];
	uint64_t t0;
	int n, i, timeout;

	while (!stop_requested) {
		timeout = next_timeout();
		/* A poll that cannot sleep is work, not idle time: only a
		 * wait that may block is timed (two clock reads a wakeup). */
		t0 = stats && timeout ? ev_now_ns() : 0;
		n = epoll_wait(epfd, evs, 64, timeout);
		if (t0)
			stats->idle_ns += ev_now_ns() - t0;
		if (stats)
			stats->wakeups++;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd >= 0 && fd < n_handlers && handlers[fd].used)
				handlers[fd].cb(fd, evs[i].events,
						handlers[fd].arg);
		}
		run_timers();
		if (round_end)
			round_end(arg);
	}
	return 0;
}

void ev_stop(void)
{
	stop_requested = true;
}

bool ev_stopping(void)
{
	return stop_requested;
}
