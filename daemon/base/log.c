// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Operator logs to stderr or syslog, filtered by level. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <sys/time.h>

#include "base/log.h"

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

/*
 * The one place every log line passes: copies @in into @out with the key of
 * each "inline:" (SDES key-params, RFC 4568 9.2, any case) replaced by
 * "<redacted>", up to the "|" of a lifetime or MKI or the end of the
 * word. Whatever path formats SIP or SDP into a line (a message traced at
 * debug, a parser's complaint quoting it, a request that failed to build),
 * no key reaches stderr or syslog.
 */
static void mask_keys(const char *in, char *out, size_t size)
{
	static const char method[] = "inline:";
	static const char mask[] = "<redacted>";
	size_t o = 0;

	while (*in && o + 1 < size) {
		if (strncasecmp(in, method, sizeof(method) - 1)) {
			out[o++] = *in++;
			continue;
		}
		if (o + sizeof(method) - 1 + sizeof(mask) - 1 >= size)
			break;
		memcpy(out + o, in, sizeof(method) - 1);
		o += sizeof(method) - 1;
		in += sizeof(method) - 1;
		memcpy(out + o, mask, sizeof(mask) - 1);
		o += sizeof(mask) - 1;
		while (*in && !strchr("|; \t\r\n\"'<>,", *in))
			in++;
	}
	out[o] = 0;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[8192], masked[8192], stamp[32];
	struct timeval tv;
	struct tm tm;
	va_list ap;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	mask_keys(line, masked, sizeof(masked));
	/* The unmasked text must not stay on the stack either. */
	explicit_bzero(line, sizeof(line));
	if (to_syslog) {
		syslog(syslog_prio[level], "%s", masked);
		return;
	}
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld %-7s %s\n", stamp, (long)(tv.tv_usec / 1000),
		level_names[level], masked);
}

void log_sip(const char *what, const char *buf, size_t len)
{
	/* log_msg() masks the keys, as it does in every line. */
	log_debug("%s (%zu bytes):\n%.*s", what, len, (int)len, buf);
}
