/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Keys never appear in core files (issue 15, item 7): core_dumps_forbid()
 * is the first thing srtprelayd and srtprelay-datapath do. It sets
 * PR_SET_DUMPABLE 0 (no core file, no ptrace by the same user,
 * /proc/PID/mem for root only) and RLIMIT_CORE 0, soft and hard, unless the
 * operator asked for core dumps (-C).
 */
#ifndef SRTPRELAY_CORE_DUMPS_H
#define SRTPRELAY_CORE_DUMPS_H

#include <stdbool.h>
#include <stddef.h>

/* 0, or -1 with @err set; @allow_core_dumps leaves both settings alone. */
int core_dumps_forbid(bool allow_core_dumps, char *err, size_t err_len);

#endif
