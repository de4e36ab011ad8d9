// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Rate-limited log lines that say how many of them were suppressed. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "base/log_limit.h"

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void log_limited(struct log_limit *limit, enum log_level level,
		 const char *fmt, ...)
{
	uint64_t now = now_ms();
	char line[1024];
	va_list ap;

	if (!log_enabled(level))
		return;
	if (!limit->window_start_ms ||
	    now - limit->window_start_ms >= LOG_LIMIT_WINDOW_MS) {
		if (limit->suppressed)
			log_msg(level, "(%llu more lines like the next one suppressed in %u s)",
				limit->suppressed, LOG_LIMIT_WINDOW_MS / 1000);
		limit->window_start_ms = now;
		limit->lines = 0;
		limit->suppressed = 0;
	}
	if (limit->lines >= LOG_LIMIT_LINES) {
		limit->suppressed++;
		return;
	}
	limit->lines++;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_msg(level, "%s", line);
}
