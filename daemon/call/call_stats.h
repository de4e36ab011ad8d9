/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What became of the INVITEs that would start a call (outside a dialog):
 * attempts, the ones answered, and every refusal by the SIP code the
 * caller got and why, for the metrics endpoint. The reasons are a short
 * fixed list, not the free text of the log or the Warning header: each
 * (code, reason) pair is a time series in Prometheus, so the set must stay
 * small whatever peers send.
 */
#ifndef SRTPRELAYD_CALL_STATS_H
#define SRTPRELAYD_CALL_STATS_H

enum call_fail_reason {
	CALL_FAIL_LOOP,			/* 483: Max-Forwards ran out */
	CALL_FAIL_SHUTTING_DOWN,	/* 503: SIGTERM */
	CALL_FAIL_NO_MEDIA_PLANE,	/* 503: datapath or module gone */
	CALL_FAIL_OVERLOAD,		/* 503: max_calls_in_progress */
	CALL_FAIL_UNKNOWN_SOURCE,	/* 403: in no IP group; 503: none exists */
	CALL_FAIL_NO_ROUTE,		/* 404: no routing rule */
	CALL_FAIL_ADMISSION,		/* 503: max_calls / max_call_rate */
	CALL_FAIL_INTERNAL,		/* 500: out of memory */
	CALL_FAIL_OFFER,		/* 415, 488: the caller's offer; 422 */
	CALL_FAIL_NO_TARGET,		/* 503: no target to send to */
	CALL_FAIL_CALLEE,		/* the callee's answer, 408: none */
	CALL_FAIL_ANSWER,		/* 488, 500: the callee's SDP */
	CALL_FAIL_CANCELLED,		/* 487: CANCEL from the caller */
	CALL_FAIL_COUNT
};

/* Final codes 300..699 are counted by their value. */
#define CALL_STATS_CODE_MIN 300
#define CALL_STATS_CODES 400

struct call_stats {
	unsigned long long attempts;	/* new INVITEs, retransmissions not */
	unsigned long long answered;	/* 2xx relayed to the caller */
	unsigned long long failed[CALL_FAIL_COUNT][CALL_STATS_CODES];
};

/* Counts the final response @code sent to a new call's INVITE. */
void call_stats_failed(struct call_stats *s, int code,
		       enum call_fail_reason why);
/* "no_route", "callee", ...: the metrics' reason label. */
const char *call_fail_reason_name(enum call_fail_reason why);

#endif
