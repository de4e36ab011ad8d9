// SPDX-License-Identifier: GPL-2.0
/*
 * nl_hold: one relay_nl handle held across a module reload (reload.sh),
 * without the events group, to show what a request alone tells a client
 * whose module went away.
 *
 *   nl_hold FILE...
 *
 * Opens the kernel backend and asks for its stats; then, for each FILE in
 * turn, waits until it exists and asks again on the same handle. Prints
 * one line per request: "ok", or "error ERRNO MESSAGE" (19, ENODEV, once
 * the family the handle was opened on is gone or registered anew).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "relay_netlink.h"

static void ask(struct relay_nl *nl)
{
	struct relay_nl_stats stats;

	if (relay_nl_stats_get(nl, &stats) == 0)
		printf("ok\n");
	else
		printf("error %d %s\n", relay_nl_error(nl)->code,
		       relay_nl_strerror(nl));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct relay_nl_err err;
	char line[320];
	struct relay_nl *nl;
	int i;

	setenv("SRTPRELAY_BACKEND", "kernel", 1);
	nl = relay_nl_open(&err);
	if (!nl) {
		fprintf(stderr, "nl_hold: %s\n",
			relay_nl_err_format(&err, line, sizeof(line)));
		return 2;
	}
	ask(nl);
	for (i = 1; i < argc; i++) {
		while (access(argv[i], F_OK))
			usleep(10000);
		ask(nl);
	}
	relay_nl_close(nl);
	return 0;
}
