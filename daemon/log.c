// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Operator logs to stderr or syslog, filtered by level. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <sys/time.h>

#include "log.h"

static enum log_level max_level = LOG_LVL_INFO;
static bool to_syslog;

static const char *const level_names[] = { "error", "warning", "info", "debug" };
static const int syslog_prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

void log_setup(enum log_level level, bool use_syslog)
{
	max_level = level;
	to_syslog = use_syslog;
	if (use_syslog)
		openlog("srtprelayd", LOG_PID, LOG_DAEMON);
}

int log_level_parse(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (!strcmp(name, level_names[i]))
			return (int)i;
	return -1;
}

bool log_enabled(enum log_level level)
{
	return level <= max_level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[4096], stamp[32];
	struct timeval tv;
	struct tm tm;
	va_list ap;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (to_syslog) {
		syslog(syslog_prio[level], "%s", line);
		return;
	}
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld %-7s %s\n", stamp, (long)(tv.tv_usec / 1000),
		level_names[level], line);
}

void log_sip(const char *what, const char *buf, size_t len)
{
	char copy[8192];
	size_t i, n = len < sizeof(copy) - 1 ? len : sizeof(copy) - 1;

	if (!log_enabled(LOG_LVL_DEBUG))
		return;
	memcpy(copy, buf, n);
	copy[n] = 0;
	for (i = 0; i + 7 <= n; i++) {
		if (strncasecmp(copy + i, "inline:", 7))
			continue;
		for (i += 7; i < n && copy[i] != '|' && copy[i] != ';' &&
		     copy[i] != ' ' && copy[i] != '\r' && copy[i] != '\n'; i++)
			copy[i] = '*';
	}
	log_debug("%s (%zu bytes):\n%s%s", what, len, copy, n < len ? "[...]" : "");
}
