/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * srtprelayd's own state, made in main() and passed down to what needs it
 * (the control socket, reload, signals) instead of file-level pointers:
 * the live configuration, which keeps its address across reloads (a
 * reload copies over it), how to reload it, and the border's limits.
 */
#ifndef SRTPRELAYD_SRTPRELAYD_H
#define SRTPRELAYD_SRTPRELAYD_H

#include "base/evloop.h"
#include "base/heap_trim.h"
#include "base/notify.h"
#include "base/resolver.h"
#include "call/b2bua.h"
#include "call/border.h"
#include "call/call_store.h"
#include "call/reg_client.h"
#include "config/config.h"
#include "config/reload.h"
#include "metrics.h"

struct control_server;
struct media_plane;
struct sip_txns;
struct transport;

struct srtprelayd {
	struct config cfg;
	struct ev_stats loop;		/* the event loop's idle time */
	struct reload_ctx reload;
	struct ev_timer stop_timer;	/* SIGTERM: BYEs go out, then stop */
	struct notify notify;		/* systemd READY, WATCHDOG, STOPPING */
	struct control_server *control;	/* control_start() */
	struct transport *transport;	/* transport_new(): SIP sockets, TLS slots */
	struct sip_txns *txns;		/* sip_txns_new(): SIP transactions */
	struct border border;		/* rate limits, bans, unknown sources */
	struct call_store store;	/* calls that outlive the process */
	struct media_plane *media;	/* media_new(): realm ports, streams */
	struct b2bua b2bua;		/* config, call counters, store, media,
					 * transport, transactions */
	struct metrics metrics;		/* the Prometheus endpoint */
	struct reg_clients regs;	/* our registrations with trunks */
	struct resolver *dns;		/* proxy-set targets' names (c-ares) */
	struct heap_trim heap;		/* free memory back after a burst */
};

#endif
