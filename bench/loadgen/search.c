// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * loadgen: which steps to run. Either the --steps list, or a search for the
 * largest N that passes: from --start, doubling until a step fails, then
 * bisecting, within --max-steps and --budget.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loadgen.h"

/*
 * This machine is shared and virtual: a step can fail on a stall that is
 * neither the relay's nor the generator's (another guest's vCPU, a TCG
 * neighbour; LOADGEN_LATE shows them as isolated bursts). A failed step is
 * run again, up to --attempts runs in all, and counts as passed if one run
 * passes; every run is printed and written to the CSV, and every system
 * gets the same rule.
 */
/*
 * Calls new to the relay first carry --warmup seconds of media that is not
 * judged: rtpengine's kernel module takes a stream over only after its first
 * packets went through the daemon, and under TCG that hand-over delays and
 * reorders a whole step's new calls for a moment. A call that lasts minutes
 * pays it once; a 3-second step would be judged on it.
 */
static void warm_up(unsigned int calls)
{
	struct step_result r;

	if (opt.warmup <= 0 || calls <= setup_calls_ready())
		return;
	run_step(calls, opt.warmup, &r);
	printf("  N=%-6u warm-up of %.1f s, not judged: loss=%.4f%% p99=%.0fus\n",
	       calls, opt.warmup, 100 * r.loss, r.p99);
}

/*
 * With --restart, the run after a failed one starts on a fresh relay, so
 * that it (a retry or another step) does not measure what the overload
 * left behind. The restart waits for that next run: after a search's last
 * run there is none. Its seconds count against --budget like any others:
 * make bench has a time limit. *@relay_spoilt, the search's own, says a
 * run failed since the last restart.
 */
static void restart_if_spoilt(unsigned int calls, bool *relay_spoilt)
{
	if (!*relay_spoilt)
		return;
	*relay_spoilt = false;
	printf("  N=%-6u relay restarted in %.1f s, calls to be set up again\n",
	       calls, setup_restart());
}

static void run_checked(unsigned int calls, struct step_result *r,
			bool *relay_spoilt)
{
	for (unsigned int attempt = 1;; attempt++) {
		restart_if_spoilt(calls, relay_spoilt);
		warm_up(calls);
		run_step(calls, opt.duration, r);
		print_step(r);
		*relay_spoilt = !r->pass && opt.restart;
		if (r->pass || attempt >= opt.attempts)
			break;
		printf("  N=%-6u retry\n", calls);
	}
}

static void search_list(struct step_result *best, struct step_result *fail,
			bool *relay_spoilt)
{
	char *list = strdup(opt.steps), *save = NULL;
	struct step_result r;
	unsigned int n;

	for (char *tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		n = (unsigned int)atoi(tok);
		if (!n || n > opt.max)
			continue;
		run_checked(n, &r, relay_spoilt);
		if (r.pass && n >= best->calls)
			*best = r;
		else if (!r.pass && (!fail->calls || n < fail->calls))
			*fail = r;
	}
	free(list);
}

static void search_limit(struct step_result *best, struct step_result *fail,
			 u64 began, bool *relay_spoilt)
{
	unsigned int lo = 0, hi = 0, n, steps = 0;
	struct step_result r;

	n = opt.start;
	while (steps < opt.max_steps) {
		run_checked(n, &r, relay_spoilt);
		steps++;
		if (r.pass) {
			lo = n;
			*best = r;
		} else {
			hi = n;
			*fail = r;
		}
		if ((clock_ns(CLOCK_MONOTONIC) - began) / 1e9 > opt.budget)
			break;
		if (!hi) {
			if (n >= opt.max)
				break;
			n = n * 2 > opt.max ? opt.max : n * 2;
		} else {
			if (hi - lo <= (lo / 20 > 10 ? lo / 20 : 10))
				break;
			n = lo + (hi - lo) / 2;
		}
	}
}

/* Runs the steps; *@best is the largest passing, *@fail the smallest failing. */
void search(struct step_result *best, struct step_result *fail)
{
	u64 began = clock_ns(CLOCK_MONOTONIC);
	bool relay_spoilt = false;

	if (opt.steps)
		search_list(best, fail, &relay_spoilt);
	else
		search_limit(best, fail, began, &relay_spoilt);
}
