/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Where the state of live calls outlives srtprelayd (issue 16): one opaque
 * record per call (call_record.h encodes it, keys included), put when the
 * call is answered or changed and removed when it ends, read back at start
 * (call_restore.c). The store knows nothing of calls: a record is bytes
 * under a call id, so a shared store (Redis, for an active/standby pair)
 * can replace the file journal behind these five operations.
 *
 * Durability is the backend's promise: put() and remove() return once the
 * record would survive the process dying, and sync() once every put before
 * it would survive the host dying too (the file journal's fdatasync()), so
 * a 200 OK sent after put() and sync() names a call a restart can carry
 * on. srtprelayd holds its sends from a put to the end of the event loop's
 * round, and syncs once there for every call the round answered
 * (transport_hold(), main.c). A remove lost with the host brings back a
 * call the restart then ends: the rebooted host's media plane has no
 * stream of it.
 */
#ifndef SRTPRELAYD_CALL_STORE_H
#define SRTPRELAYD_CALL_STORE_H

#include <stddef.h>
#include <stdint.h>

struct call_store;

/* One stored call; @rec is only valid during the callback. */
typedef int (*call_store_cb)(uint64_t id, const uint8_t *rec, size_t len,
			     void *arg);

struct call_store_ops {
	const char *name;
	int (*put)(struct call_store *st, uint64_t id, const uint8_t *rec,
		   size_t len);
	int (*remove)(struct call_store *st, uint64_t id);
	/* NULL when put() alone is durable. */
	int (*sync)(struct call_store *st);
	/* Every stored call, once; a non-zero return from @cb stops. */
	int (*iterate)(struct call_store *st, call_store_cb cb, void *arg);
	void (*close)(struct call_store *st);
};

struct call_store {
	const struct call_store_ops *ops;	/* NULL: no store (closed) */
	void *priv;				/* the backend's */
};

/*
 * The file journal in @dir (state_dir): <dir>/calls.journal, mode 0600.
 * Reads what an earlier run left (corrupt or cut records are logged and
 * skipped) and compacts it. 0 or -errno (logged).
 */
int call_store_open_file(struct call_store *st, const char *dir);

/* 0 or -errno; a store that is not open accepts and drops everything. */
int call_store_put(struct call_store *st, uint64_t id, const uint8_t *rec,
		   size_t len);
int call_store_remove(struct call_store *st, uint64_t id);
/* Every put so far on disk: 0 or -errno (logged). */
int call_store_sync(struct call_store *st);
int call_store_iterate(struct call_store *st, call_store_cb cb, void *arg);
void call_store_close(struct call_store *st);

#endif
