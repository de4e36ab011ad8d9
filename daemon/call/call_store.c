// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The call store's operations, whichever backend holds the records. */
#include "call/call_store.h"

int call_store_put(struct call_store *st, uint64_t id, const uint8_t *rec,
		   size_t len)
{
	return st->ops ? st->ops->put(st, id, rec, len) : 0;
}

int call_store_remove(struct call_store *st, uint64_t id)
{
	return st->ops ? st->ops->remove(st, id) : 0;
}

int call_store_sync(struct call_store *st)
{
	return st->ops && st->ops->sync ? st->ops->sync(st) : 0;
}

int call_store_iterate(struct call_store *st, call_store_cb cb, void *arg)
{
	return st->ops ? st->ops->iterate(st, cb, arg) : 0;
}

void call_store_close(struct call_store *st)
{
	if (st->ops)
		st->ops->close(st);
	st->ops = NULL;
	st->priv = NULL;
}
