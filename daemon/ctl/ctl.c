// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl: the operator's view of srtprelay.ko. This file only parses
 * the global options and dispatches to a subcommand, as wg(8) does; each
 * subcommand group lives in its own file.
 */
#include <stdio.h>
#include <string.h>

#include "subcommands.h"

static const struct {
	const char *subcommand;
	int (*function)(int argc, char *argv[]);
	const char *description;
} subcommands[] = {
	{ "show", show_main, "Shows realms and streams with their counters" },
	{ "realm", realm_main, "Adds, deletes and lists media realms" },
	{ "stream", stream_main, "Adds, changes, deletes, shows and flushes streams" },
	{ "stats", stats_main, "Shows the global counters" },
	{ "monitor", monitor_main, "Prints the module's events until killed" },
	{ "tls", tls_main, "Certificates and TLS contexts: csr, import, show, verify" },
	{ "calls", calls_main, "srtprelayd's calls: legs, suites, media counters" },
	{ "status", calls_main, "srtprelayd's media backend and what is in use" },
	{ "reload", calls_main, "srtprelayd re-reads its configuration and certificates" },
};

static void show_usage(FILE *file)
{
	size_t i;

	fprintf(file, "Usage: %s [-j] <cmd> [<args>]\n\n", PROG_NAME);
	fprintf(file, "Controls srtprelay.ko, the kernel SRTP media relay.\n");
	fprintf(file, "Available subcommands:\n");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(file, "  %-8s %s\n", subcommands[i].subcommand,
			subcommands[i].description);
	fprintf(file, "Options:\n"
		"  -j, --json     print JSON instead of text\n"
		"  -h, --help     print this help\n"
		"  -V, --version  print the version\n"
		"You may pass `--help' to any subcommand to see its usage.\n"
		"See %s(8) for the full syntax.\n", PROG_NAME);
}

int main(int argc, char *argv[])
{
	size_t i;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-') {
		if (!strcmp(argv[0], "-j") || !strcmp(argv[0], "--json")) {
			json_output = true;
		} else if (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help")) {
			show_usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[0], "-V") ||
			   !strcmp(argv[0], "--version")) {
			printf("%s %s (srtprelay netlink family version %d)\n",
			       PROG_NAME, SRTPRELAY_VERSION,
			       SRTPRELAY_GENL_VERSION);
			return EXIT_OK;
		} else {
			fprintf(stderr, "%s: unknown option '%s'\n", PROG_NAME,
				argv[0]);
			show_usage(stderr);
			return EXIT_USAGE;
		}
		argc--;
		argv++;
	}
	if (argc == 0) {
		fprintf(stderr, "%s: no subcommand given\n", PROG_NAME);
		show_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[0], "help")) {
		show_usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[0], subcommands[i].subcommand))
			return subcommands[i].function(argc, argv);
	fprintf(stderr, "%s: invalid subcommand '%s'\n", PROG_NAME, argv[0]);
	show_usage(stderr);
	return EXIT_USAGE;
}
