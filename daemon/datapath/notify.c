// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sd_notify(3) for srtprelay-datapath's Type=notify unit. READY=1 once the
 * workers read their NFQUEUEs and the control socket listens; STOPPING=1
 * when SIGTERM is seen. WATCHDOG=1 comes from the control thread's loop:
 * it is the thread srtprelayd talks to, and it blocks on the stream table's
 * lock behind any worker stuck holding it, so a datapath that can no
 * longer install a stream stops pinging and is restarted. Not started by
 * systemd (no NOTIFY_SOCKET), every call does nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <systemd/sd-daemon.h>

#include "datapath.h"

#define POLL_MAX_MS 500

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void notify_send(struct dp_notify *n, const char *state)
{
	int ret = sd_notify(0, state);

	if (ret >= 0 || n->failure_logged)
		return;
	n->failure_logged = true;
	fprintf(stderr, "srtprelay-datapath: sd_notify to the service manager: %s (further failures not logged)\n",
		strerror(-ret));
}

/**
 * dp_notify_init() - read the watchdog interval the manager asked for
 * @n: the notification state, cleared here
 */
void dp_notify_init(struct dp_notify *n)
{
	uint64_t usec = 0;
	int ret;

	memset(n, 0, sizeof(*n));
	/* 0: no watchdog, or one meant for another process (WATCHDOG_PID). */
	ret = sd_watchdog_enabled(0, &usec);
	if (ret < 0)
		fprintf(stderr, "srtprelay-datapath: WATCHDOG_USEC: %s; running without the watchdog\n",
			strerror(-ret));
	if (ret <= 0)
		return;
	n->interval_ms = usec / 2000 ? usec / 2000 : 1;
	n->next_ms = now_ms();
	fprintf(stderr, "srtprelay-datapath: systemd watchdog: a ping every %llu ms\n",
		(unsigned long long)n->interval_ms);
}

/**
 * dp_notify_ready() - READY=1, with what runs as STATUS=
 * @n: the notification state
 * @fmt: printf format of the status line
 */
void dp_notify_ready(struct dp_notify *n, const char *fmt, ...)
{
	char state[512];
	va_list ap;
	int len;

	len = snprintf(state, sizeof(state), "READY=1\nSTATUS=");
	va_start(ap, fmt);
	vsnprintf(state + len, sizeof(state) - (size_t)len, fmt, ap);
	va_end(ap);
	notify_send(n, state);
}

/**
 * dp_notify_watchdog() - ping when due; called on every control loop turn
 * @n: the notification state
 *
 * Return: how long the loop may sleep in poll(), in ms, so that the next
 * ping is not late.
 */
int dp_notify_watchdog(struct dp_notify *n)
{
	uint64_t now;

	if (!n->interval_ms)
		return POLL_MAX_MS;
	now = now_ms();
	if (now >= n->next_ms) {
		notify_send(n, "WATCHDOG=1");
		n->next_ms = now + n->interval_ms;
	}
	return n->next_ms - now < POLL_MAX_MS ? (int)(n->next_ms - now) :
						POLL_MAX_MS;
}

/**
 * dp_notify_stopping() - STOPPING=1, once the stop is decided
 * @n: the notification state
 */
void dp_notify_stopping(struct dp_notify *n)
{
	notify_send(n, "STOPPING=1\nSTATUS=stopping");
}
