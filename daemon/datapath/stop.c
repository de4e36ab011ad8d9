// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Stopping on SIGTERM or SIGINT, seen by every thread on its own.
 *
 * A signal handler runs in one thread the kernel picks, and only once
 * that thread gets a CPU. Run as the benchmarks run us (SCHED_FIFO, all
 * threads pinned to one CPU), a worker whose queue never empties never
 * blocks, so the thread picked for the handler (the main thread, asleep
 * in poll) never runs, no flag is set, and the worker relays on until
 * SIGKILL. So there is no handler: both signals are blocked in every
 * thread and stay pending for the process, where each thread can see
 * them. The control thread waits for them on a signalfd; a worker asks
 * sigpending() between batches; whoever sees one first sets the flag
 * that the others read for free.
 */
#include <errno.h>
#include <signal.h>
#include <sys/signalfd.h>

#include "datapath.h"

static sigset_t stop_signals;

/**
 * dp_stop_init() - block SIGTERM and SIGINT, for this thread and all later
 * @dp: the datapath, whose stop_fd is set
 *
 * Called before any thread is started, which then inherits the mask.
 * Programs we spawn get an empty mask back (steering.c).
 *
 * Return: 0 or a negative errno.
 */
int dp_stop_init(struct datapath *dp)
{
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	if (sigprocmask(SIG_BLOCK, &stop_signals, NULL) < 0)
		return -errno;
	dp->stop_fd = signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
	return dp->stop_fd < 0 ? -errno : 0;
}

/**
 * dp_stop_requested() - whether the datapath is to stop
 * @dp: the datapath
 *
 * Reads the flag and, when it is not set, looks for a pending SIGTERM or
 * SIGINT; the signal is left pending (the process exits with it blocked).
 * sigpending() takes the process's signal lock: busy workers call this
 * only every few batches, and otherwise read the flag (dp_stopping()).
 */
bool dp_stop_requested(struct datapath *dp)
{
	sigset_t pending;

	if (dp_stopping(dp))
		return true;
	if (sigpending(&pending) < 0 ||
	    (!sigismember(&pending, SIGTERM) && !sigismember(&pending, SIGINT)))
		return false;
	dp_stop(dp);
	return true;
}
