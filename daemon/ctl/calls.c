// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl calls | status | reload: srtprelayd's control socket
 * (daemon/control.h: one command line in, the reply until the daemon
 * closes). calls lists every call with its legs, negotiated suites and
 * media counters; status the media backend and what is in use; reload
 * does what SIGHUP does and prints the verdict ("ok ...", or one "error
 * ..." line per refusal, then exit status 1).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include "subcommands.h"

#define DEFAULT_CONTROL_SOCKET "/var/lib/srtprelayd/control.sock"
/*
 * srtprelayd answers from its event loop at once; silence this long means
 * it is stuck (or is not srtprelayd), and a script calling us must not
 * hang with it.
 */
#define ANSWER_TIMEOUT_S 5

static const char calls_usage[] =
	"[-j] calls|status [-s SOCKET], or reload [-s SOCKET]   (default socket "
	DEFAULT_CONTROL_SOCKET ", or $SRTPRELAYD_SOCKET)";

static int ask_daemon(const char *path, const char *command)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct timeval limit = { .tv_sec = ANSWER_TIMEOUT_S };
	char line[64], buf[4096];
	bool refused = false;
	int seen = 0;		/* of "error " at this line's start; -1: not */
	size_t k;
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "%s: control socket path too long: %s\n",
			PROG_NAME, path);
		return EXIT_FAIL;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* Reads, writes and a connect() to a full backlog give up in time. */
	if (fd >= 0 &&
	    (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit)) ||
	     setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit)))) {
		close(fd);
		fd = -1;
	}
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "%s: cannot reach srtprelayd at %s: %s\n",
			PROG_NAME, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_FAIL;
	}
	snprintf(line, sizeof(line), "%s%s\n", command,
		 json_output && strcmp(command, "reload") ? " -j" : "");
	if (send(fd, line, strlen(line), MSG_NOSIGNAL) != (ssize_t)strlen(line)) {
		fprintf(stderr, "%s: writing to %s: %s\n", PROG_NAME, path,
			strerror(errno));
		close(fd);
		return EXIT_FAIL;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		/* A line "error ..." is a refusal (reload, unknown command). */
		for (k = 0; k < (size_t)n; k++) {
			if (buf[k] == '\n')
				seen = 0;
			else if (seen < 0 || seen == 6)
				continue;
			else if (buf[k] == "error "[seen])
				refused |= ++seen == 6;
			else
				seen = -1;
		}
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
	}
	close(fd);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		fprintf(stderr, "%s: srtprelayd at %s said nothing for %d s\n",
			PROG_NAME, path, ANSWER_TIMEOUT_S);
		return EXIT_FAIL;
	}
	if (n < 0 && errno == ECONNRESET) {
		/* srtprelayd closes at once on a peer that may not use it. */
		fprintf(stderr, "%s: srtprelayd at %s closed the connection: only root, its own user and its control_group may use it\n",
			PROG_NAME, path);
		return EXIT_FAIL;
	}
	if (n < 0) {
		fprintf(stderr, "%s: reading from %s: %s\n", PROG_NAME, path,
			strerror(errno));
		return EXIT_FAIL;
	}
	return refused ? EXIT_FAIL : EXIT_OK;
}

int calls_main(int argc, char *argv[])
{
	const char *path = getenv("SRTPRELAYD_SOCKET");

	if (argc == 2 && is_help(argv[1]))
		return usage_help(calls_usage);
	if (argc == 3 && !strcmp(argv[1], "-s"))
		path = argv[2];
	else if (argc != 1)
		return usage_error(calls_usage, "%s: unexpected argument '%s'",
				   argv[0], argv[1]);
	if (!path || !*path)
		path = DEFAULT_CONTROL_SOCKET;
	return ask_daemon(path, argv[0]);
}
