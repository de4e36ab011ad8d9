// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayd's timer heap (daemon/base/evloop.c, compiled in): timers fire in
 * expiry order, cancelled and re-armed ones behave, thousands at once.
 */
#include <stdlib.h>
#include <unistd.h>

#include "../../daemon/base/log.c"
#include "../../daemon/base/evloop.c"
#include "testing.h"

#define N 3000

static struct ev_timer timers[N];
static uint64_t fired_when[N];
static int fired_order[N], n_fired, fired_count[N];

static void on_fire(void *arg)
{
	int i = (int)(long)arg;

	fired_when[n_fired] = timers[i].when_ms;
	fired_order[n_fired++] = i;
	fired_count[i]++;
}

static void drain(int ms)
{
	uint64_t end = ev_now_ms() + (uint64_t)ms;

	while (ev_now_ms() < end) {
		run_timers();
		usleep(1000);
	}
	run_timers();
}

static void timers_fire_in_order_and_once(void)
{
	int i, k;

	srand(7);
	for (i = 0; i < N; i++) {
		ev_timer_init(&timers[i], on_fire, (void *)(long)i);
		ev_timer_arm(&timers[i], (uint64_t)(rand() % 60));
	}
	for (i = 0; i < N; i += 3)
		ev_timer_cancel(&timers[i]);		/* a third never fires */
	for (i = 1; i < N; i += 3)
		ev_timer_arm(&timers[i], (uint64_t)(rand() % 60));	/* re-armed */
	CHECK(heap_len == N - (N + 2) / 3, "heap holds %zu", heap_len);
	drain(80);
	CHECK(n_fired == N - (N + 2) / 3, "%d fired", n_fired);
	for (k = 1; k < n_fired; k++)
		CHECK(fired_when[k - 1] <= fired_when[k], "order at %d", k);
	for (i = 0; i < N; i++)
		CHECK(fired_count[i] == (i % 3 ? 1 : 0), "timer %d fired %d times", i,
		      fired_count[i]);
	CHECK(heap_len == 0, "heap empty");
}

static void cancel_inside_callback(void)
{
	static struct ev_timer a, b;

	n_fired = 0;
	ev_timer_init(&a, on_fire, (void *)0L);
	ev_timer_init(&b, on_fire, (void *)1L);
	timers[0] = a;
	ev_timer_arm(&timers[0], 0);
	ev_timer_arm(&timers[1], 0);
	ev_timer_cancel(&timers[1]);
	ev_timer_cancel(&timers[1]);		/* twice is harmless */
	drain(5);
	CHECK(n_fired == 1 && fired_order[0] == 0, "only the armed one fired");
	(void)b;
}

static int heap_ok(void)
{
	size_t i;

	for (i = 1; i <= heap_len; i++) {
		if (heap[i]->heap_idx != i || !heap[i]->armed)
			return 0;
		if (i > 1 && heap[i / 2]->when_ms > heap[i]->when_ms)
			return 0;
	}
	return 1;
}

static void random_operations_keep_the_heap(void)
{
	static struct ev_timer t[500];
	int op, i, bad = 0;

	srand(11);
	for (i = 0; i < 500; i++)
		ev_timer_init(&t[i], on_fire, (void *)0L);
	for (op = 0; op < 200000 && !bad; op++) {
		i = rand() % 500;
		if (rand() % 3)
			ev_timer_arm(&t[i], (uint64_t)(1000 + rand() % 100000));
		else
			ev_timer_cancel(&t[i]);
		if (op % 97 == 0 && !heap_ok())
			bad = op + 1;
	}
	CHECK(!bad && heap_ok(), "heap broken after operation %d", bad - 1);
	for (i = 0; i < 500; i++)
		ev_timer_cancel(&t[i]);
	CHECK(heap_len == 0, "empty after cancelling all");
}

int main(void)
{
	RUN(random_operations_keep_the_heap, "200000 random arms and cancels");
	RUN(timers_fire_in_order_and_once, "3000 timers: order, cancel, re-arm");
	RUN(cancel_inside_callback, "double cancel, zero delay");
	return testing_summary();
}
