/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Every call, and calls by Call-ID and by id (call_index.c). */
#ifndef SRTPRELAYD_CALL_INDEX_H
#define SRTPRELAYD_CALL_INDEX_H

#include <osipparser2/osip_parser.h>

#include "call/call.h"

struct call *call_find(const osip_message_t *m, int *leg);
struct call *call_by_id(uint64_t id);	/* the media plane's cookie */
void call_list_add(struct call *c);
void call_list_remove(struct call *c);	/* and out of the hash */
/* (Re)hashes leg @k under its call_id, after the dialog set it. */
void call_index_leg(struct call *c, int k);
/* 0, or -errno when no hash key could be drawn. */
int call_index_setup(void);
unsigned int b2bua_call_count(void);	/* calls up, for status and SIGTERM */
/* Calls whose INVITE has no final answer yet (or failed before one). */
unsigned int b2bua_calls_in_progress(void);
/* INVITEs refused with 503 because max_calls_in_progress was reached. */
unsigned long long b2bua_refused_in_progress(void);
/* The call is answered at @now_ms: no longer in progress. */
void call_mark_answered(struct call *c, uint64_t now_ms);
void call_count_refused_in_progress(void);

#endif
