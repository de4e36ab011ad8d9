/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Operator logs: one line per event, level first, to stderr (default) or
 * syslog. Lines never carry key material: log_msg() masks the key after
 * every "inline:" in every line, whatever formatted it.
 */
#ifndef SRTPRELAYD_LOG_H
#define SRTPRELAYD_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_setup(enum log_level level, bool use_syslog);
/* "error", "warning", "info", "debug"; -1 if unknown. */
int log_level_parse(const char *name);
bool log_enabled(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A SIP message at debug level (its keys masked as in every line). */
void log_sip(const char *what, const char *buf, size_t len);

#define log_err(...) log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
