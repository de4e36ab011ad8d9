/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Log lines a peer can cause at will (a refused connection, a request
 * from a banned source) pass a limiter: at most LOG_LIMIT_LINES of one
 * kind in LOG_LIMIT_WINDOW_MS, then they are counted, and the first line
 * of the next window says how many were suppressed. An attacker gets a
 * few lines a second out of srtprelayd, never a full disk.
 */
#ifndef SRTPRELAYD_LOG_LIMIT_H
#define SRTPRELAYD_LOG_LIMIT_H

#include <stdint.h>

#include "base/log.h"

#define LOG_LIMIT_LINES 10
#define LOG_LIMIT_WINDOW_MS 10000

/* One per kind of line; zeroed is ready. */
struct log_limit {
	uint64_t window_start_ms;
	unsigned int lines;		/* printed in this window */
	unsigned long long suppressed;	/* not printed in this window */
};

void log_limited(struct log_limit *limit, enum log_level level,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
