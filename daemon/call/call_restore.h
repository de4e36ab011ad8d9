/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * At start: the calls of the call store carry on, their media plane
 * streams adopted, the plane's other streams removed (call_restore.c).
 * Run after media_new() and before the transports take new calls.
 */
#ifndef SRTPRELAYD_CALL_RESTORE_H
#define SRTPRELAYD_CALL_RESTORE_H

#include "call/b2bua.h"

/* 0, or the store's -errno (what was read is restored). */
int call_restore(struct b2bua *b);

#endif
