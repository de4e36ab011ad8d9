/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The Prometheus endpoint (metrics in the configuration): GET /metrics
 * answers the text exposition format, built on the event loop's thread
 * from what the call layer, the configuration and the media plane hold
 * (daemon/README.md, "Metrics", lists every metric).
 */
#ifndef SRTPRELAYD_METRICS_H
#define SRTPRELAYD_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "relay_netlink.h"

struct srtprelayd;
struct http_server;

struct metrics {
	struct http_server *http;	/* NULL: off */
	/* The media plane's counters are one request (STATS_GET) away:
	 * read at most once a second, however often anyone scrapes. */
	struct relay_nl_stats plane;
	uint64_t plane_read_ms;		/* ev_now_ms() of the read, 0: never */
	bool plane_ok;			/* the read succeeded */
};

/* Listens when the configuration has a metrics group; 0 or -1 (logged). */
int metrics_start(struct srtprelayd *d);
void metrics_stop(struct srtprelayd *d);

#endif
