/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The back-to-back user agent: every call is two dialogs (call.h) and what
 * arrives on one leg is re-issued on the other, with SDP rewritten by
 * offer_answer.c and media installed by call_media.c.
 */
#ifndef SRTPRELAYD_B2BUA_H
#define SRTPRELAYD_B2BUA_H

#include <osipparser2/osip_parser.h>

#include "base/log_limit.h"
#include "call/call.h"
#include "call/call_index.h"
#include "call/call_stats.h"
#include "call/call_store.h"
#include "config/config.h"

/* What the B2BUA is handed by main() (struct srtprelayd). */
struct b2bua {
	/* The live configuration: it keeps its address across reloads. */
	const struct config *cfg;
	struct call_stats stats;	/* the calls' counters */
	struct call_store *store;	/* where answered calls are kept */
	struct media_plane *media;	/* ports and streams of every call */
	struct transport *transport;	/* every call's: ACK to a 2xx, held sends */
	struct sip_txns *txns;		/* every call's SIP transactions */
	uint64_t next_id;		/* of the next call: its cookie, store key */
	/* Refused REGISTERs (wrong passwords) are a guesser's to cause;
	 * INVITEs refused over an admission limit or while there is no
	 * media plane, a trunk's to send all night. */
	struct log_limit register_refusals, admission_refusals;
	struct log_limit no_plane_refusals;
};

/* 0, or -errno when the call tables could not be set up. */
int b2bua_setup(struct b2bua *b);
/* The transaction layer's request callback (sip_txn.h); @arg is the
 * struct b2bua. */
void b2bua_request(void *arg, uint32_t txn, osip_message_t *req,
		   const struct sip_peer *from);
/* A call restored from the store (call_restore.c): its timers run. */
void b2bua_adopt(struct call *c);
/* SIGTERM: BYE confirmed calls, refuse early ones; true when none left. */
void b2bua_shutdown(void);

/* Inside the B2BUA: b2bua.c hands requests within a dialog to
 * b2bua_dialog.c (call_index.h and call_ops.h are what both use). */
void b2bua_in_dialog(uint32_t txn, osip_message_t *req, struct call *c, int x);

#endif
