// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for what srtprelayd reads back after a crash: the input
 * is decoded as one call record (call_record.c) under a small configuration,
 * and written as a whole state journal that the file store opens, replays,
 * compacts and iterates (call_store_file.c). Nothing may read outside the
 * input, leak, or crash; whatever is refused is refused with a reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/secret_mem.h"
#include "call/call_record.h"
#include "call/call_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct config cfg;
static char dir[] = "/tmp/fuzz_call_store.XXXXXX";

static void setup(void)
{
	cfg.n_groups = 2;
	strcpy(cfg.groups[0].name, "g0");
	strcpy(cfg.groups[1].name, "g1");
	cfg.n_realms = 1;
	cfg.n_ifaces = 1;
	strcpy(cfg.realms[0].name, "r");
	if (!mkdtemp(dir))
		abort();
	log_setup(LOG_LVL_ERR, false);
}

/*
 * What a decoded call (whole or cut short) holds on the heap, freed as
 * call_restore.c's discard() frees it through oa_release() and
 * dialog_release(), whose modules are not linked in here.
 */
static void release(struct call *c)
{
	for (int k = 0; k < 2; k++) {
		struct leg *l = &c->leg[k];

		sdp_free(l->sdp);
		secret_free_heap(l->last_body);
		for (unsigned int i = 0; i < l->n_routes; i++)
			free(l->routes[i]);
	}
	secret_free_heap(c->late_ack_sdp);
	secret_free(c, sizeof(*c));
}

static void decode(const uint8_t *data, size_t size)
{
	struct call *c = calloc(1, sizeof(*c));
	char why[160] = "";

	if (!c)
		return;
	if (call_record_decode(c, &cfg, data, size, why, sizeof(why)) && !why[0])
		abort();	/* a refusal always says why */
	release(c);
}

static int count(uint64_t id, const uint8_t *rec, size_t len, void *arg)
{
	(void)id;
	(void)rec;
	*(size_t *)arg += len;
	return 0;
}

static void replay(const uint8_t *data, size_t size)
{
	char path[128];
	struct call_store st = { 0 };
	size_t total = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/calls.journal", dir);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	if (!call_store_open_file(&st, dir)) {
		call_store_iterate(&st, count, &total);
		if (total > size)
			abort();	/* records come from the input only */
		call_store_close(&st);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cfg.n_groups)
		setup();
	decode(data, size);
	replay(data, size);
	return 0;
}
