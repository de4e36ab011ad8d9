/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Call admission control: limits on calls up at once and on new calls per
 * second, for srtprelayd as a whole and per IP group, checked before a
 * call takes media ports or sends anything on.
 */
#ifndef SRTPRELAYD_ADMISSION_H
#define SRTPRELAYD_ADMISSION_H

#include <stddef.h>

#include "config/config.h"

/*
 * A new call from IP group @from to IP group @to at @now_ms (ev_now_ms();
 * a parameter so that tests set the clock). Returns 0 and counts the
 * call (admission_release() ends it), or the SIP code to refuse it with
 * (503) and @why for the log and the Warning header; *@retry_after is the
 * Retry-After value to send, 0 for none.
 */
int admission_take(const struct config *cfg, int from, int to,
		   unsigned long long now_ms, char *why, size_t why_len,
		   unsigned int *retry_after);
void admission_release(int from, int to);
/* A call already up (restored from the call store) counts, unchecked. */
void admission_count(int from, int to);

/* Calls up in group @group (0..CFG_MAX_OBJ-1), for status. */
unsigned int admission_calls(int group);
/* INVITEs refused by a limit since start: of @group, or all for -1. */
unsigned long long admission_refused(int group);
/* INVITEs admitted since start: of @group, or all for -1. */
unsigned long long admission_admitted(int group);

#endif
