// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl stats: the namespace's global counters (SRTPRELAY_CMD_STATS_GET),
 * named as in the UAPI enum, lowercase without prefix.
 */
#include <inttypes.h>
#include <stdio.h>

#include "json.h"
#include "subcommands.h"

static const char stats_usage[] = "[-j] stats";

int stats_main(int argc, char *argv[])
{
	struct relay_nl_stats stats;
	struct relay_nl *nl;
	struct json j;
	unsigned int i;
	int status = EXIT_OK;

	if (argc == 2 && is_help(argv[1]))
		return usage_help(stats_usage);
	if (argc > 1)
		return usage_error(stats_usage, "stats: unexpected argument '%s'",
				   argv[1]);
	nl = ctl_open();
	if (!nl)
		return EXIT_FAIL;
	if (relay_nl_stats_get(nl, &stats) < 0) {
		status = ctl_fail(nl, "stats");
	} else if (json_output) {
		json_init(&j, stdout);
		json_object_open(&j, NULL);
		json_u64(&j, "streams", stats.stream_count);
		json_u64(&j, "realms", stats.realm_count);
		for (i = 0; i < SRTPRELAY_STAT_COUNT; i++)
			json_u64(&j, relay_nl_stat_name(i), stats.counters[i]);
		if (stats.has_last_rx)
			json_u64(&j, "last_rx_age_ms", stats.last_rx_age_ms);
		else
			json_null(&j, "last_rx_age_ms");
		json_object_close(&j);
		json_end(&j);
	} else {
		printf("streams: %" PRIu32 "\n", stats.stream_count);
		printf("realms: %" PRIu32 "\n", stats.realm_count);
		for (i = 0; i < SRTPRELAY_STAT_COUNT; i++)
			printf("%s: %" PRIu64 "\n", relay_nl_stat_name(i),
			       stats.counters[i]);
		if (stats.has_last_rx)
			printf("last packet: %" PRIu64 ".%03" PRIu64 " s ago\n",
			       stats.last_rx_age_ms / 1000,
			       stats.last_rx_age_ms % 1000);
		else
			printf("last packet: never\n");
	}
	relay_nl_close(nl);
	return status;
}
