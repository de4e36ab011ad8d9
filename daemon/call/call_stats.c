// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The counters of call_stats.h. */
#include "call/call_stats.h"

void call_stats_failed(struct call_stats *s, int code,
		       enum call_fail_reason why)
{
	/* A 2xx or a provisional is not a failure; 7xx does not exist. */
	if (code < CALL_STATS_CODE_MIN ||
	    code >= CALL_STATS_CODE_MIN + CALL_STATS_CODES)
		return;
	s->failed[why][code - CALL_STATS_CODE_MIN]++;
}

const char *call_fail_reason_name(enum call_fail_reason why)
{
	static const char *const names[CALL_FAIL_COUNT] = {
		[CALL_FAIL_LOOP] = "loop",
		[CALL_FAIL_SHUTTING_DOWN] = "shutting_down",
		[CALL_FAIL_NO_MEDIA_PLANE] = "no_media_plane",
		[CALL_FAIL_OVERLOAD] = "overload",
		[CALL_FAIL_UNKNOWN_SOURCE] = "unknown_source",
		[CALL_FAIL_NO_ROUTE] = "no_route",
		[CALL_FAIL_ADMISSION] = "admission",
		[CALL_FAIL_INTERNAL] = "internal",
		[CALL_FAIL_OFFER] = "offer",
		[CALL_FAIL_NO_TARGET] = "no_target",
		[CALL_FAIL_CALLEE] = "callee",
		[CALL_FAIL_ANSWER] = "answer",
		[CALL_FAIL_CANCELLED] = "cancelled",
	};

	return why < CALL_FAIL_COUNT ? names[why] : "unknown";
}
