/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * systemd's service notifications (sd_notify(3)) for srtprelayd's
 * Type=notify unit: READY=1 once it can take calls or knows what it waits
 * for (STATUS= says which), WATCHDOG=1 from the event loop every half
 * WatchdogSec, so a loop that hangs is restarted, and STOPPING=1 when it
 * starts to end its calls. Not started by systemd (no NOTIFY_SOCKET),
 * every call does nothing.
 */
#ifndef SRTPRELAYD_NOTIFY_H
#define SRTPRELAYD_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/evloop.h"

struct notify {
	struct ev_timer watchdog;
	uint64_t interval_ms;	/* half of WATCHDOG_USEC; 0: no watchdog */
	bool failure_logged;	/* one warning, not one per ping */
};

/* Arms the watchdog timer when the manager asked for one (after ev_init). */
void notify_start(struct notify *n);
/* READY=1 with STATUS= formatted from @fmt. */
void notify_ready(struct notify *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void notify_stopping(struct notify *n);

#endif
