// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What srtprelayctl's subcommands share (subcommands.h): the program's
 * name and -j, usage messages, dispatch within a group, opening the
 * netlink handle and saying why a call of it failed. ctl.c calls the
 * subcommands; they call this, and this calls neither.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "subcommands.h"

const char *PROG_NAME = "srtprelayctl";
bool json_output;

bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help") ||
	       !strcmp(arg, "help");
}

int usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROG_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nUsage: %s %s\n", PROG_NAME, usage);
	return EXIT_USAGE;
}

int usage_help(const char *usage)
{
	printf("Usage: %s %s\n", PROG_NAME, usage);
	return EXIT_OK;
}

int ctl_dispatch(const char *group, const char *group_usage,
		 const char *choices, const struct ctl_op *ops, size_t count,
		 int argc, char *argv[])
{
	size_t i;

	if (argc < 2)
		return usage_error(group_usage, "%s: what to do? (%s)", group,
				   choices);
	if (is_help(argv[1]))
		return usage_help(group_usage);
	for (i = 0; i < count; i++) {
		if (strcmp(argv[1], ops[i].name))
			continue;
		if (ops[i].usage && argc == 3 && is_help(argv[2]))
			return usage_help(ops[i].usage);
		return ops[i].function(argc - 1, argv + 1);
	}
	return usage_error(group_usage, "%s: unknown command '%s'", group,
			   argv[1]);
}

struct relay_nl *ctl_open(void)
{
	struct relay_nl_err err;
	struct relay_nl *nl = relay_nl_open(&err);
	char line[512];

	if (!nl)
		fprintf(stderr, "%s: %s\n", PROG_NAME,
			relay_nl_err_format(&err, line, sizeof(line)));
	return nl;
}

int ctl_fail(const struct relay_nl *nl, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROG_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", relay_nl_strerror(nl));
	return EXIT_FAIL;
}
