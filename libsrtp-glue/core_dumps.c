// SPDX-License-Identifier: GPL-2.0 OR MIT
/* No core dumps of processes that hold keys: see core_dumps.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "core_dumps.h"

int core_dumps_forbid(bool allow_core_dumps, char *err, size_t err_len)
{
	const struct rlimit none = { 0, 0 };

	if (allow_core_dumps)
		return 0;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)) {
		snprintf(err, err_len, "prctl(PR_SET_DUMPABLE, 0): %s", strerror(errno));
		return -1;
	}
	if (setrlimit(RLIMIT_CORE, &none)) {
		snprintf(err, err_len, "setrlimit(RLIMIT_CORE, 0): %s", strerror(errno));
		return -1;
	}
	return 0;
}
