// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Overload control's pieces, compiled in: the admitted share falls while
 * the loop is busy (from the second busy tick in a row) or a send queue
 * fills, holds between the marks, climbs back step by step and
 * is spread evenly; the raw peek at a request finds its method, branch and
 * To tag (long and compact headers, a tag inside the URI not taken for
 * one), refuses what it does not understand, never reads past the length,
 * and the 503 built from it copies the Vias in order and adds a To tag.
 */
#include <stdlib.h>
#include <string.h>

#include "../../daemon/base/evloop.c"
#include "../../daemon/base/log.c"
#include "../../daemon/base/log_limit.c"
#include "../../daemon/base/overload.c"
#include "../../daemon/base/sbuf.c"
#include "../../daemon/base/secret_mem.c"
#include "../../daemon/sip/sip_peek.c"
#include "testing.h"

static const struct overload_params params = { .busy_high = 90, .busy_low = 75,
					       .retry_after = 2 };

/* One tick after 100 ms of which the loop slept @idle_pct. */
static void tick(struct overload *o, struct ev_stats *loop, unsigned int idle_pct)
{
	o->last_ns = ev_now_ns() - 100000000;
	o->tick_due_ms = ev_now_ms();
	loop->idle_ns += idle_pct * 1000000ULL;
	ev_timer_cancel(&o->tick);
	on_tick(o);
}

static void admitted_share_falls_holds_and_climbs(void)
{
	struct ev_stats loop = { 0 };
	struct overload o;
	int i;

	overload_start(&o, &params, &loop, NULL, NULL);
	tick(&o, &loop, 50);
	CHECK(!overload_shedding(&o) && o.busy_pct >= 49 && o.busy_pct <= 51, "busy %u", o.busy_pct);
	tick(&o, &loop, 0);
	CHECK(o.busy_pct == 100 && !overload_shedding(&o),
	      "one busy tick is no overload: admit %u", o.admit);
	tick(&o, &loop, 50);
	tick(&o, &loop, 0);
	CHECK(!overload_shedding(&o), "nor are two apart: admit %u", o.admit);
	tick(&o, &loop, 5);
	CHECK(o.busy_pct >= 94 && o.admit == 750 && o.episodes == 1,
	      "two in a row are: busy %u admit %u", o.busy_pct, o.admit);
	for (i = 0; i < 30; i++)
		tick(&o, &loop, 2);
	CHECK(o.admit == ADMIT_MIN, "floor %u", o.admit);
	tick(&o, &loop, 50);
	CHECK(o.admit == ADMIT_MIN + ADMIT_INCREASE, "climbs %u", o.admit);
	tick(&o, &loop, 15);
	CHECK(o.admit == ADMIT_MIN + ADMIT_INCREASE, "holds between marks %u", o.admit);
	for (i = 0; i < 19; i++)
		tick(&o, &loop, 50);
	CHECK(!overload_shedding(&o) && o.admit == OVERLOAD_ADMIT_ALL &&
	      o.episodes == 1, "all admitted after %d steps: %u", i, o.admit);
	overload_stop(&o);
}

/* One tick 800 ms late, after 900 ms of which the loop slept @idle_ms. */
static void late_tick(struct overload *o, struct ev_stats *loop, unsigned int idle_ms)
{
	o->last_ns = ev_now_ns() - 900000000;
	o->tick_due_ms = ev_now_ms() - 800;
	loop->idle_ns += idle_ms * 1000000ULL;
	ev_timer_cancel(&o->tick);
	on_tick(o);
}

/*
 * A tick that ran late while the loop slept: the host did not schedule us
 * (other processes, a SIGSTOP), and refusing calls would not make the loop
 * any faster. Seen as 503s under a loaded host at 1 % busy.
 */
static void a_late_tick_of_an_idle_loop_is_no_overload(void)
{
	struct ev_stats loop = { 0 };
	struct overload o;

	overload_start(&o, &params, &loop, NULL, NULL);
	for (int i = 0; i < 3; i++)
		late_tick(&o, &loop, 891);
	CHECK(o.lag_ms >= 800 && o.busy_pct <= 2 && !overload_shedding(&o),
	      "late by %u ms at %u%% busy: admit %u", o.lag_ms, o.busy_pct, o.admit);
	/* Late and busy is overload: the loop's own work made it late. */
	for (int i = 0; i < 2; i++)
		late_tick(&o, &loop, 90);
	CHECK(o.busy_pct >= 89 && overload_shedding(&o),
	      "late at %u%% busy: admit %u", o.busy_pct, o.admit);
	overload_stop(&o);
}

/*
 * Time in the round-end's journal sync is the disk's, not the loop's: one
 * fdatasync() per round takes all its calls, and refusing some would not
 * shorten it. Counted as busy, it had srtprelayd refuse 35-47 % of the
 * calls it could take at 1x its capacity, at 67 % CPU (make bench, state
 * on the VM's ext4 disk; on tmpfs 13 %).
 */
static void waiting_for_the_disk_is_no_overload(void)
{
	struct ev_stats loop = { 0 };
	struct overload o;

	overload_start(&o, &params, &loop, NULL, NULL);
	for (int i = 0; i < 3; i++) {
		loop.sync_wait_ns += 60 * 1000000ULL;
		tick(&o, &loop, 10);
	}
	CHECK(o.busy_pct >= 29 && o.busy_pct <= 31 && !overload_shedding(&o),
	      "60 ms syncing, 10 ms asleep: busy %u%%, admit %u", o.busy_pct,
	      o.admit);
	for (int i = 0; i < 2; i++) {
		loop.sync_wait_ns += 5 * 1000000ULL;
		tick(&o, &loop, 0);
	}
	CHECK(o.busy_pct >= 94 && overload_shedding(&o),
	      "5 ms syncing, never asleep: busy %u%%, admit %u", o.busy_pct,
	      o.admit);
	overload_stop(&o);
}

static void admissions_spread_evenly(void)
{
	struct ev_stats loop = { 0 };
	struct overload o;
	int i, taken = 0, run = 0, longest = 0;

	overload_start(&o, &params, &loop, NULL, NULL);
	o.admit = 250;
	for (i = 0; i < 1000; i++) {
		if (overload_admit(&o)) {
			taken++;
			run = 0;
		} else if (++run > longest) {
			longest = run;
		}
	}
	CHECK(taken == 250 && o.shed == 750, "taken %d shed %llu", taken, o.shed);
	CHECK(longest == 3, "longest run of refusals %d", longest);
	overload_stop(&o);
}

static unsigned int queue_fill;

static unsigned int probe(void *arg)
{
	return *(unsigned int *)arg;
}

static void a_full_send_queue_is_overload_too(void)
{
	struct overload_params q = params;
	struct ev_stats loop = { 0 };
	struct overload o;

	q.queue_high = 25;
	overload_start(&o, &q, &loop, probe, &queue_fill);
	queue_fill = 30;
	tick(&o, &loop, 80);
	tick(&o, &loop, 80);
	CHECK(o.queue_pct == 30 && o.admit == 750, "idle loop, full queue: admit %u",
	      o.admit);
	queue_fill = 20;
	tick(&o, &loop, 80);
	CHECK(o.admit == 750, "holds until the queue is below half its mark: %u",
	      o.admit);
	queue_fill = 10;
	tick(&o, &loop, 80);
	CHECK(o.admit == 800, "then climbs: %u", o.admit);
	overload_stop(&o);
}

static void turned_off_admits_all(void)
{
	struct overload_params off = params;
	struct ev_stats loop = { 0 };
	struct overload o;

	off.busy_high = 0;
	overload_start(&o, &off, &loop, NULL, NULL);
	tick(&o, &loop, 0);
	tick(&o, &loop, 0);
	CHECK(!overload_shedding(&o), "admit %u", o.admit);
	overload_stop(&o);
}

/* @text copied to a buffer of exactly its length: ASan sees any read past. */
static bool peek(const char *text, struct sip_peek *pk, char **copy)
{
	size_t n = strlen(text);

	*copy = malloc(n);
	memcpy(*copy, text, n);
	return sip_peek_request(*copy, n, pk);
}

static const char invite[] =
	"INVITE sip:bob@example.test SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-top;rport\r\n"
	"v: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-second\r\n"
	"f: <sip:alice@example.test>;tag=a1\r\n"
	"t: <sip:bob@example.test;tag=not-this>\r\n"
	"i: call-1@192.0.2.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static void peek_reads_a_new_invite(void)
{
	struct sip_peek pk;
	char *buf;

	CHECK(peek(invite, &pk, &buf), "peeked");
	CHECK(sip_span_is(&pk.method, "INVITE"), "method");
	CHECK(sip_span_is(&pk.branch, "z9hG4bK-top"), "branch '%.*s'",
	      (int)pk.branch.len, pk.branch.p);
	CHECK(pk.to_tag.len == 0, "the URI's tag parameter is no To tag");
	CHECK(pk.n_via == 2, "vias %u", pk.n_via);
	free(buf);
}

static void peek_finds_a_to_tag(void)
{
	static const char reinvite[] =
		"INVITE sip:bob@192.0.2.7 SIP/2.0\r\n"
		"Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK-re\r\n"
		"From: <sip:alice@example.test>;tag=a1\r\n"
		"To: \"Bob\" <sip:bob@example.test> ; TAG = x7 ;x=y\r\n"
		"Call-ID: call-1@192.0.2.1\r\n"
		"CSeq: 2 INVITE\r\n"
		"\r\n";
	struct sip_peek pk;
	char *buf;

	CHECK(peek(reinvite, &pk, &buf), "peeked");
	CHECK(sip_span_is(&pk.to_tag, "x7"), "tag '%.*s'", (int)pk.to_tag.len,
	      pk.to_tag.p);
	free(buf);
}

static void peek_leaves_the_unusual_to_the_parser(void)
{
	static const char *const odd[] = {
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=b\r\n\r\n",
		/* folded header */
		"INVITE sip:b SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=b\r\n f: x\r\nt: y\r\ni: c\r\nCSeq: 1 INVITE\r\n\r\n",
		/* no branch */
		"INVITE sip:b SIP/2.0\r\nVia: SIP/2.0/UDP a\r\nf: x\r\nt: y\r\ni: c\r\nCSeq: 1 INVITE\r\n\r\n",
		/* no Call-ID */
		"INVITE sip:b SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=b\r\nf: x\r\nt: y\r\nCSeq: 1 INVITE\r\n\r\n",
		/* two To headers */
		"INVITE sip:b SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=b\r\nf: x\r\nt: y\r\nTo: z\r\ni: c\r\nCSeq: 1 INVITE\r\n\r\n",
		/* bare LF */
		"INVITE sip:b SIP/2.0\nVia: SIP/2.0/UDP a;branch=b\nf: x\nt: y\ni: c\nCSeq: 1 INVITE\n\n",
		/* headers never end */
		"INVITE sip:b SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=b\r\nf: x\r\nt: y\r\ni: c\r\nCSeq: 1 INVITE\r\n",
		"INVITE",
		"",
	};
	struct sip_peek pk;
	unsigned int i;
	char *buf;

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		CHECK(!peek(odd[i], &pk, &buf), "case %u peeked", i);
		free(buf);
	}
}

static void response_copies_vias_and_adds_a_tag(void)
{
	static const char want[] =
		"SIP/2.0 503 Service Unavailable\r\n"
		"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-top;rport\r\n"
		"v: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-second\r\n"
		"f: <sip:alice@example.test>;tag=a1\r\n"
		"t: <sip:bob@example.test;tag=not-this>;tag=ours\r\n"
		"i: call-1@192.0.2.1\r\n"
		"CSeq: 1 INVITE\r\n"
		"Server: srtprelayd\r\n"
		"Retry-After: 2\r\n"
		"Content-Length: 0\r\n\r\n";
	struct sip_peek pk;
	struct sbuf b;
	char *buf;

	CHECK(peek(invite, &pk, &buf), "peeked");
	sb_init(&b);
	sip_peek_response(&b, &pk, 503, "Service Unavailable", "ours",
			  "Retry-After: 2\r\n");
	CHECK(!b.failed && b.len == strlen(want) && !memcmp(b.p, want, b.len),
	      "got:\n%.*s", (int)b.len, b.p);
	sb_free(&b);
	free(buf);
}

int main(void)
{
	RUN(admitted_share_falls_holds_and_climbs, "busy twice in a row: admit less; between the marks: hold; idle: climb back");
	RUN(a_late_tick_of_an_idle_loop_is_no_overload, "late while idle: not scheduled, nothing to shed; late and busy: shed");
	RUN(waiting_for_the_disk_is_no_overload, "time in the journal's sync is not the loop's work");
	RUN(admissions_spread_evenly, "a quarter admitted is every fourth call");
	RUN(a_full_send_queue_is_overload_too, "a peer reading slower than we send: admit less");
	RUN(turned_off_admits_all, "overload_busy_high 0 never sheds");
	RUN(peek_reads_a_new_invite, "method, top branch, no To tag, compact headers");
	RUN(peek_finds_a_to_tag, "a To tag after the URI is found");
	RUN(peek_leaves_the_unusual_to_the_parser, "responses, folding, missing headers, bare LF, no end");
	RUN(response_copies_vias_and_adds_a_tag, "the 503: Vias in order, To tag added, Retry-After");
	return testing_summary();
}
