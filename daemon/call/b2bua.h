/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The back-to-back user agent: every call is two dialogs (call.h) and what
 * arrives on one leg is re-issued on the other, with SDP rewritten by
 * offer_answer.c and media installed by call_media.c.
 */
#ifndef SRTPRELAYD_B2BUA_H
#define SRTPRELAYD_B2BUA_H

#include <osipparser2/osip_parser.h>

#include "call/call.h"
#include "config/config.h"

/* 0, or -errno when the call tables could not be set up. */
int b2bua_setup(const struct config *cfg);
/* The transaction layer's request callback (sip_txn.h). */
void b2bua_request(uint32_t txn, osip_message_t *req,
		   const struct sip_peer *from);
/* SIGTERM: BYE confirmed calls, refuse early ones; true when none left. */
void b2bua_shutdown(void);
unsigned int b2bua_call_count(void);
/* Calls whose INVITE has no final answer yet (or failed before one). */
unsigned int b2bua_calls_in_progress(void);
/* INVITEs refused with 503 because max_calls_in_progress was reached. */
unsigned long long b2bua_refused_in_progress(void);

/* Inside the B2BUA (b2bua.c, b2bua_dialog.c, call_index.c). */
struct call *call_find(const osip_message_t *m, int *leg);
struct call *call_by_id(uint64_t id);	/* the media plane's cookie */
void call_list_add(struct call *c);
void call_list_remove(struct call *c);	/* and out of the hash */
/* (Re)hashes leg @k under its call_id, after the dialog set it. */
void call_index_leg(struct call *c, int k);
/* 0, or -errno when no hash key could be drawn. */
int call_index_setup(void);
/* The call is answered at @now_ms: no longer in progress. */
void call_mark_answered(struct call *c, uint64_t now_ms);
void call_count_refused_in_progress(void);
void call_end(struct call *c, const char *why, bool bye0, bool bye1);
void call_send_ack(struct call *c, int leg, const char *body);
void b2bua_in_dialog(uint32_t txn, osip_message_t *req, struct call *c, int x);
void b2bua_forget_forwards(struct call *c);
void warning_header(char *buf, size_t len, const char *why);
extern const struct config *bcfg;

#endif
