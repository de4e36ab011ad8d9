// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Call admission control (daemon/call/admission.c, compiled in): max_calls per
 * group and in all, the max_call_rate token bucket against a clock the test
 * sets, a call counted in both of its groups, and a reload's new rate.
 */
#include <string.h>

#include "../../daemon/call/admission.c"
#include "testing.h"

static struct config cfg;
static char why[160];
static unsigned int retry_after;

static void setup(void)
{
	memset(&cfg, 0, sizeof(cfg));
	memset(&total, 0, sizeof(total));
	memset(groups, 0, sizeof(groups));
	cfg.n_groups = 3;
	strcpy(cfg.groups[0].name, "carrier");
	strcpy(cfg.groups[1].name, "pbx");
	strcpy(cfg.groups[2].name, "phones");
}

static int try_call(int from, int to, unsigned long long now_ms)
{
	return admission_take(&cfg, from, to, now_ms, why, sizeof(why),
			      &retry_after);
}

static void max_calls_per_group(void)
{
	setup();
	cfg.groups[0].max_calls = 2;
	CHECK(try_call(0, 1, 0) == 0 && try_call(0, 1, 0) == 0, "two admitted");
	CHECK(try_call(0, 1, 0) == 503, "the third refused");
	CHECK(strstr(why, "IP group carrier is at its limit of 2 calls") != NULL,
	      "why: %s", why);
	CHECK(retry_after == 0, "no Retry-After for calls up");
	CHECK(try_call(2, 1, 0) == 0, "another group still admitted");
	CHECK(try_call(1, 0, 0) == 503, "calls into the full group refused too");
	admission_release(0, 1);
	CHECK(try_call(0, 1, 0) == 0, "admitted again after one ended");
	CHECK(admission_calls(0) == 2 && admission_calls(1) == 3,
	      "calls up: carrier %u, pbx %u", admission_calls(0), admission_calls(1));
	CHECK(admission_refused(0) == 2 && admission_refused(-1) == 2,
	      "refused: carrier %llu, all %llu", admission_refused(0),
	      admission_refused(-1));
}

static void max_calls_in_all(void)
{
	setup();
	cfg.max_calls = 3;
	CHECK(!try_call(0, 1, 0) && !try_call(1, 2, 0) && !try_call(2, 2, 0), "three admitted");
	CHECK(try_call(2, 0, 0) == 503, "the fourth refused");
	CHECK(strstr(why, "srtprelayd is at its limit of 3 calls") != NULL,
	      "why: %s", why);
	CHECK(admission_calls(2) == 2, "a call within one group counts once: %u",
	      admission_calls(2));
	admission_release(2, 2);
	CHECK(admission_calls(2) == 1 && admission_calls(-1) == 2,
	      "released: phones %u, all %u", admission_calls(2), admission_calls(-1));
	CHECK(try_call(2, 0, 0) == 0, "admitted after a release");
}

static unsigned int admitted_in(int group, unsigned long long from_ms,
				unsigned long long to_ms, unsigned int step_ms)
{
	unsigned long long t;
	unsigned int n = 0;

	for (t = from_ms; t < to_ms; t += step_ms) {
		if (!try_call(group, 1, t)) {
			n++;
			admission_release(group, 1);	/* short calls */
		}
	}
	return n;
}

static void rate_is_a_token_bucket(void)
{
	unsigned int n;

	setup();
	cfg.groups[0].max_call_rate = 10;
	for (n = 0; !try_call(0, 1, 5000); n++)
		admission_release(0, 1);
	CHECK(n == 10, "a burst of one second's calls passes: %u", n);
	CHECK(retry_after == 1 && strstr(why, "over its rate of 10 calls per second"),
	      "refusal: retry %u, %s", retry_after, why);
	n = admitted_in(0, 5001, 15001, 10);	/* 100 tries/s for 10 s */
	CHECK(n >= 99 && n <= 101, "a steady excess gets the rate: %u in 10 s", n);
	CHECK(try_call(0, 1, 15001 + 100000) == 0, "an idle bucket refills");
}

static void reload_changes_the_rate(void)
{
	unsigned int n;

	setup();
	cfg.groups[0].max_call_rate = 2;
	n = admitted_in(0, 0, 1000, 1);
	CHECK(n >= 3 && n <= 4, "rate 2: %u in the first second", n);
	cfg.groups[0].max_call_rate = 50;	/* as a reload would */
	n = admitted_in(0, 1000, 2000, 1);
	CHECK(n >= 99 && n <= 101, "rate 50: %u in the next second", n);
	cfg.groups[0].max_call_rate = 0;
	n = admitted_in(0, 2000, 2100, 1);
	CHECK(n == 100, "no limit: %u of 100", n);
}

int main(void)
{
	RUN(max_calls_per_group, "max_calls in a group, both directions");
	RUN(max_calls_in_all, "the daemon's max_calls");
	RUN(rate_is_a_token_bucket, "max_call_rate: burst, steady rate, refill");
	RUN(reload_changes_the_rate, "a new rate applies at once");
	return testing_summary();
}
