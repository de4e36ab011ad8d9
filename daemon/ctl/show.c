// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl show: every realm and stream of this network namespace, with
 * addresses, suites, MKI lengths, counters and the age of the last packet.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "show.h"
#include "subcommands.h"

static const char show_usage[] = "[-j] show";

void print_realm(struct json *j, const struct relay_nl_realm *r)
{
	char addr[ENDPOINT_STRLEN];

	format_address(&r->addr, addr, sizeof(addr));
	if (j) {
		json_object_open(j, NULL);
		json_u64(j, "id", r->id);
		json_string(j, "addr", addr);
		json_u64(j, "port_min", r->port_min);
		json_u64(j, "port_max", r->port_max);
		if (r->has_nfqueue)
			json_u64(j, "nfqueue", r->nfqueue);
		else
			json_null(j, "nfqueue");
		json_object_close(j);
		return;
	}
	printf("realm %" PRIu32 ": %s ports %u-%u", r->id, addr, r->port_min,
	       r->port_max);
	if (r->has_nfqueue)
		printf(" nfqueue %u", r->nfqueue);
	printf("\n");
}

/* Stream flag names as the command line spells them: lock-on-sdp. */
static void text_flags(uint32_t flags, const char *(*name)(uint32_t))
{
	bool any = false;
	uint32_t bit;

	for (bit = 1; bit; bit <<= 1) {
		const char *n;

		if (!(flags & bit))
			continue;
		n = name(bit);
		if (any)
			putchar(' ');
		any = true;
		if (!n) {
			printf("0x%" PRIx32, bit);
			continue;
		}
		for (; *n; n++)
			putchar(*n == '_' ? '-' : *n);
	}
	if (!any)
		printf("none");
}

static void json_flags(struct json *j, const char *key, uint32_t flags,
		       const char *(*name)(uint32_t))
{
	uint32_t bit;

	json_array_open(j, key);
	for (bit = 1; bit; bit <<= 1) {
		char unknown[16];
		const char *n;

		if (!(flags & bit))
			continue;
		n = name(bit);
		if (!n) {
			snprintf(unknown, sizeof(unknown), "0x%" PRIx32, bit);
			n = unknown;
		}
		json_string(j, NULL, n);
	}
	json_array_close(j);
}

static const char *suite_or_number(uint32_t suite, char *buf, size_t size)
{
	const char *name = relay_nl_suite_name(suite);

	if (name)
		return name;
	snprintf(buf, size, "suite-%" PRIu32, suite);
	return buf;
}

static void print_crypto(struct json *j, const char *key,
			 const struct relay_nl_crypto *c)
{
	char buf[24];
	const char *suite = suite_or_number(c->suite, buf, sizeof(buf));

	if (j) {
		json_object_open(j, key);
		json_string(j, "suite", suite);
		json_u64(j, "mki_len", c->mki_len);
		if (c->replay_window)
			json_u64(j, "replay_window", c->replay_window);
		if (c->has_roc)
			json_u64(j, "roc", c->roc);
		if (c->has_seq)
			json_u64(j, "seq", c->seq);
		json_flags(j, "flags", c->flags, relay_nl_crypto_flag_name);
		json_object_close(j);
		return;
	}
	printf("  %s crypto: %s", key, suite);
	if (c->suite != SRTPRELAY_SUITE_NONE) {
		if (c->mki_len)
			printf(", mki %u byte%s", c->mki_len,
			       c->mki_len == 1 ? "" : "s");
		else
			printf(", no mki");
	}
	/* Plain RTP has no replay window worth showing. */
	if (c->replay_window && c->suite != SRTPRELAY_SUITE_NONE)
		printf(", replay window %u", c->replay_window);
	if (c->flags) {
		printf(", ");
		text_flags(c->flags, relay_nl_crypto_flag_name);
	}
	printf("\n");
}

/* The counters the rx/tx lines do not already show, when not zero. */
static void text_drops(const uint64_t *stats)
{
	static const unsigned int drops[] = {
		SRTPRELAY_STAT_AUTH_FAILED, SRTPRELAY_STAT_REPLAYED,
		SRTPRELAY_STAT_TOO_OLD, SRTPRELAY_STAT_MKI_MISMATCH,
		SRTPRELAY_STAT_MALFORMED, SRTPRELAY_STAT_SOURCE_REJECTED,
		SRTPRELAY_STAT_HELD, SRTPRELAY_STAT_TX_ERRORS,
		SRTPRELAY_STAT_TX_REFUSED,
		SRTPRELAY_STAT_SSRC_CHANGES, SRTPRELAY_STAT_ROC_CHANGES,
		SRTPRELAY_STAT_PUNTED, SRTPRELAY_STAT_FRAGMENTS,
		SRTPRELAY_STAT_LATCHES,
		SRTPRELAY_STAT_BAD_CHECKSUM, SRTPRELAY_STAT_TTL_EXPIRED,
		SRTPRELAY_STAT_TOO_LONG, SRTPRELAY_STAT_ROC_MISMATCH,
	};
	bool any = false;
	size_t i;

	for (i = 0; i < sizeof(drops) / sizeof(drops[0]); i++) {
		if (!stats[drops[i]])
			continue;
		printf("%s%s %" PRIu64, any ? ", " : "  other counters: ",
		       relay_nl_stat_name(drops[i]), stats[drops[i]]);
		any = true;
	}
	if (any)
		printf("\n");
}

void print_stream(struct json *j, const struct relay_nl_stream *s)
{
	char a[ENDPOINT_STRLEN], b[ENDPOINT_STRLEN];
	unsigned int i;

	if (j) {
		json_object_open(j, NULL);
		json_string(j, "local", format_endpoint(&s->local, a, sizeof(a)));
		if (s->has & RELAY_NL_HAS_REMOTE)
			json_string(j, "remote",
				    format_endpoint(&s->remote, a, sizeof(a)));
		else
			json_null(j, "remote");
		if (s->has & RELAY_NL_HAS_LATCHED)
			json_string(j, "latched",
				    format_endpoint(&s->latched, a, sizeof(a)));
		else
			json_null(j, "latched");
		if (s->has & RELAY_NL_HAS_LATCH_WINDOW)
			json_u64(j, "latch_window_ms", s->latch_window_ms);
		json_string(j, "out_src",
			    format_endpoint(&s->out_src, a, sizeof(a)));
		json_string(j, "out_dst",
			    format_endpoint(&s->out_dst, a, sizeof(a)));
		if (s->has & RELAY_NL_HAS_OUT_RTCP_DST)
			json_string(j, "out_rtcp_dst",
				    format_endpoint(&s->out_rtcp_dst, a,
						    sizeof(a)));
		else
			json_null(j, "out_rtcp_dst");
		json_flags(j, "flags", s->flags, relay_nl_stream_flag_name);
		json_u64(j, "cookie", s->cookie);
		print_crypto(j, "in", &s->in);
		print_crypto(j, "out", &s->out);
		json_object_open(j, "stats");
		for (i = 0; i < SRTPRELAY_STAT_COUNT; i++)
			json_u64(j, relay_nl_stat_name(i), s->stats[i]);
		json_object_close(j);
		if (s->has & RELAY_NL_HAS_LAST_RX)
			json_u64(j, "last_rx_age_ms", s->last_rx_age_ms);
		else
			json_null(j, "last_rx_age_ms");
		json_object_close(j);
		return;
	}

	printf("stream %s\n", format_endpoint(&s->local, a, sizeof(a)));
	if (s->has & RELAY_NL_HAS_COOKIE)
		printf("  cookie: %" PRIu64 "\n", s->cookie);
	if (s->has & RELAY_NL_HAS_REMOTE)
		printf("  remote: %s\n", format_endpoint(&s->remote, a, sizeof(a)));
	if (s->has & RELAY_NL_HAS_LATCHED)
		printf("  latched: %s\n",
		       format_endpoint(&s->latched, a, sizeof(a)));
	if (s->has & RELAY_NL_HAS_LATCH_WINDOW)
		printf("  source: %s (%" PRIu32 " ms left)\n",
		       s->latch_window_ms ? "learning" : "fixed",
		       s->latch_window_ms);
	printf("  send: %s -> %s", format_endpoint(&s->out_src, a, sizeof(a)),
	       format_endpoint(&s->out_dst, b, sizeof(b)));
	if (s->has & RELAY_NL_HAS_OUT_RTCP_DST)
		printf(", rtcp -> %s",
		       format_endpoint(&s->out_rtcp_dst, a, sizeof(a)));
	printf("\n  flags: ");
	text_flags(s->flags, relay_nl_stream_flag_name);
	printf("\n");
	print_crypto(NULL, "in", &s->in);
	print_crypto(NULL, "out", &s->out);
	printf("  rx: %" PRIu64 " packets, %" PRIu64 " bytes, %" PRIu64
	       " rtcp\n", s->stats[SRTPRELAY_STAT_RX_PACKETS],
	       s->stats[SRTPRELAY_STAT_RX_BYTES],
	       s->stats[SRTPRELAY_STAT_RTCP_RX_PACKETS]);
	printf("  tx: %" PRIu64 " packets, %" PRIu64 " bytes, %" PRIu64
	       " rtcp\n", s->stats[SRTPRELAY_STAT_TX_PACKETS],
	       s->stats[SRTPRELAY_STAT_TX_BYTES],
	       s->stats[SRTPRELAY_STAT_RTCP_TX_PACKETS]);
	text_drops(s->stats);
	if (s->has & RELAY_NL_HAS_LAST_RX)
		printf("  last packet: %" PRIu64 ".%03" PRIu64 " s ago\n",
		       s->last_rx_age_ms / 1000, s->last_rx_age_ms % 1000);
	else
		printf("  last packet: never\n");
}

struct show_state {
	struct json *j;
	bool first;
	unsigned int realms;
};

static int show_realm(const struct relay_nl_realm *realm, void *arg)
{
	struct show_state *st = arg;

	st->realms++;
	print_realm(st->j, realm);
	return 0;
}

static int show_stream(const struct relay_nl_stream *s, void *arg)
{
	struct show_state *st = arg;

	/* A blank line between blocks, as wg show does. */
	if (!st->j && (!st->first || st->realms))
		printf("\n");
	st->first = false;
	print_stream(st->j, s);
	return 0;
}

int show_main(int argc, char *argv[])
{
	struct json json, *j = NULL;
	struct show_state st;
	struct relay_nl *nl;
	int status = EXIT_OK;

	if (argc == 2 && is_help(argv[1]))
		return usage_help(show_usage);
	if (argc > 1)
		return usage_error(show_usage, "show: unexpected argument '%s'",
				   argv[1]);
	nl = ctl_open();
	if (!nl)
		return EXIT_FAIL;
	if (json_output) {
		j = &json;
		if (!json_init_buffered(j)) {
			relay_nl_close(nl);
			fprintf(stderr, "%s: show: out of memory\n", PROG_NAME);
			return EXIT_FAIL;
		}
		json_object_open(j, NULL);
		json_array_open(j, "realms");
	}
	st.j = j;
	st.first = true;
	st.realms = 0;
	if (relay_nl_realm_dump(nl, show_realm, &st) < 0) {
		status = ctl_fail(nl, "show: listing realms");
		goto out;
	}
	if (j) {
		json_array_close(j);
		json_array_open(j, "streams");
	}
	if (relay_nl_stream_dump(nl, show_stream, &st) < 0) {
		status = ctl_fail(nl, "show: listing streams");
		goto out;
	}
	if (j) {
		json_array_close(j);
		json_object_close(j);
	}
out:
	if (j)
		json_commit(j, stdout, status == EXIT_OK);
	relay_nl_close(nl);
	return status;
}
