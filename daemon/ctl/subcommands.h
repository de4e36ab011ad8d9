/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * srtprelayctl's subcommands and what they share. Each subcommand is
 * called with argv[0] its own name and returns the exit status: 0 done,
 * 1 the operation failed (the kernel refused, the module is missing),
 * 2 the command line was wrong (a usage message went to stderr).
 */
#ifndef SRTPRELAYCTL_SUBCOMMANDS_H
#define SRTPRELAYCTL_SUBCOMMANDS_H

#include <stdbool.h>

#include "relay_netlink.h"

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

extern const char *PROG_NAME;
extern bool json_output;	/* -j */

int show_main(int argc, char *argv[]);
int realm_main(int argc, char *argv[]);
int stream_main(int argc, char *argv[]);
int stats_main(int argc, char *argv[]);
int monitor_main(int argc, char *argv[]);
int tls_main(int argc, char *argv[]);
int calls_main(int argc, char *argv[]);	/* calls, status and reload */

/* Prints "PROG: <fmt>" and "Usage: PROG <usage>" to stderr; returns 2. */
int usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints "Usage: PROG <usage>" to stdout, for --help; returns 0. */
int usage_help(const char *usage);
/* True if argv[i] is -h or --help. */
bool is_help(const char *arg);

/* One command of a group ("realm add"); @usage NULL: it handles --help. */
struct ctl_op {
	const char *name;
	int (*function)(int argc, char *argv[]);
	const char *usage;
};

/*
 * Runs the command argv[1] of @group from @ops with argv shifted by one;
 * usage errors name @choices ("add, del, list"). Returns the exit status.
 */
int ctl_dispatch(const char *group, const char *group_usage,
		 const char *choices, const struct ctl_op *ops, size_t count,
		 int argc, char *argv[]);
/* Opens the netlink handle, or prints why not and returns NULL. */
struct relay_nl *ctl_open(void);
/* Prints "PROG: <fmt>: <why the last call of nl failed>"; returns 1. */
int ctl_fail(const struct relay_nl *nl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* SRTPRELAYCTL_SUBCOMMANDS_H */
