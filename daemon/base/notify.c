// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sd_notify(3) for srtprelayd. The watchdog ping is an event-loop timer,
 * so it proves what matters: the one thread that serves SIP, the control
 * socket and the media plane still turns. Pinged at half the manager's
 * WATCHDOG_USEC, as sd_watchdog_enabled(3) advises.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "base/log.h"
#include "base/notify.h"

static void notify_send(struct notify *n, const char *state)
{
	int ret = sd_notify(0, state);

	if (ret >= 0 || n->failure_logged)
		return;
	n->failure_logged = true;
	log_warn("sd_notify to the service manager: %s (further failures not logged)",
		 strerror(-ret));
}

static void watchdog_ping(void *arg)
{
	struct notify *n = arg;

	notify_send(n, "WATCHDOG=1");
	ev_timer_arm(&n->watchdog, n->interval_ms);
}

void notify_start(struct notify *n)
{
	uint64_t usec = 0;
	int ret;

	memset(n, 0, sizeof(*n));
	ev_timer_init(&n->watchdog, watchdog_ping, n);
	/* 0: no watchdog, or one meant for another process (WATCHDOG_PID). */
	ret = sd_watchdog_enabled(0, &usec);
	if (ret < 0)
		log_warn("WATCHDOG_USEC: %s; running without the watchdog",
			 strerror(-ret));
	if (ret <= 0)
		return;
	n->interval_ms = usec / 2000 ? usec / 2000 : 1;
	log_info("systemd watchdog: a ping every %llu ms",
		 (unsigned long long)n->interval_ms);
	ev_timer_arm(&n->watchdog, n->interval_ms);
}

void notify_ready(struct notify *n, const char *fmt, ...)
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

void notify_stopping(struct notify *n)
{
	notify_send(n, "STOPPING=1\nSTATUS=ending calls and stopping");
}
