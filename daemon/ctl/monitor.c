// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl monitor: joins the "events" multicast group and prints one
 * line per event (one JSON object per line with -j) until killed. Output
 * is flushed per event so that a pipe to grep or a test script sees each
 * event as it happens.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "args.h"
#include "json.h"
#include "subcommands.h"

static const char monitor_usage[] = "[-j] monitor";

static int print_event(const struct relay_nl_event *e, void *arg)
{
	const char *name = relay_nl_event_name(e->type);
	char local[ENDPOINT_STRLEN], remote[ENDPOINT_STRLEN], type[24];
	struct json *j = arg;

	if (!name) {
		snprintf(type, sizeof(type), "event-%" PRIu32, e->type);
		name = type;
	}
	format_endpoint(&e->local, local, sizeof(local));
	format_endpoint(&e->remote, remote, sizeof(remote));
	if (j) {
		json_object_open(j, NULL);
		json_string(j, "event", name);
		json_string(j, "local", local);
		if (e->has_cookie)
			json_u64(j, "cookie", e->cookie);
		if (e->remote.ss_family)
			json_string(j, "remote", remote);
		if (e->has_ssrc)
			json_u64(j, "ssrc", e->ssrc);
		json_object_close(j);
		json_end(j);
		return 0;
	}
	printf("%s local %s", name, local);
	if (e->has_cookie)
		printf(" cookie %" PRIu64, e->cookie);
	if (e->remote.ss_family)
		printf(" remote %s", remote);
	if (e->has_ssrc)
		printf(" ssrc 0x%08" PRIx32, e->ssrc);
	printf("\n");
	fflush(stdout);
	return 0;
}

int monitor_main(int argc, char *argv[])
{
	struct relay_nl *nl;
	struct json json;

	if (argc == 2 && is_help(argv[1]))
		return usage_help(monitor_usage);
	if (argc > 1)
		return usage_error(monitor_usage, "monitor: unexpected argument '%s'",
				   argv[1]);
	nl = ctl_open();
	if (!nl)
		return EXIT_FAIL;
	if (relay_nl_subscribe(nl) < 0) {
		ctl_fail(nl, "monitor");
		relay_nl_close(nl);
		return EXIT_FAIL;
	}
	json_init(&json, stdout);
	for (;;) {
		int ret = relay_nl_event_recv(nl, print_event,
					      json_output ? &json : NULL);

		/* Lost events are worth a warning, not the end of watching. */
		if (ret == -ENOBUFS) {
			fprintf(stderr, "%s: monitor: %s\n", PROG_NAME,
				relay_nl_strerror(nl));
			continue;
		}
		if (ret < 0)
			break;
	}
	ctl_fail(nl, "monitor");
	relay_nl_close(nl);
	return EXIT_FAIL;
}
