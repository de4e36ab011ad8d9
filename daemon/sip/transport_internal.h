/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Inside the transport layer: struct transport, and how its files share
 * it. transport.c calls down into the UDP and stream transports; they read
 * what they were started with through transport_iface.c and call nothing
 * back. Each transport keeps its own part of the struct.
 */
#ifndef SRTPRELAYD_TRANSPORT_INTERNAL_H
#define SRTPRELAYD_TRANSPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/evloop.h"
#include "base/log_limit.h"
#include "sip/conn_limits.h"
#include "sip/transport.h"
#include "sip/transport_hold.h"
#include "tls/tls_context.h"

/* One UDP socket (transport_udp.c); its event callback's argument. */
struct udp_socket {
	struct transport *tp;
	int fd;				/* -1: not listening */
	int iface;
};

/* One TCP or TLS listener (transport_tcp.c); its event callback's
 * argument. */
struct stream_listener {
	struct transport *tp;
	int fd;				/* -1: not listening */
	int iface;
	enum sip_proto proto;
};

struct conn;

/* TCP and TLS connections (transport_tcp.c). */
struct stream_conns {
	struct conn *list;
	uint32_t next_id;		/* of the next connection, never 0 */
	/* By 2 * interface + (TLS). */
	struct stream_listener listeners[2 * SIP_MAX_IFACES];
	struct ev_timer idle_timer;
	/* Caps and counters against idle connections; a listener paused
	 * when no descriptor is left resumes by @resume_timer. */
	struct conn_limits limits;
	struct ev_timer resume_timer;
	struct log_limit conn_log;
};

struct transport {
	/* What transport_start() was given (transport_iface.c). */
	struct transport_setup started;
	transport_err_cb err_cb;	/* transport_set_error_cb() */
	void *err_arg;
	struct udp_socket udp[SIP_MAX_IFACES];
	struct stream_conns stream;
	/* One per configured context, filled and swapped by config/
	 * tls_contexts.c; a connection holds its own reference to the
	 * context it was made with (transport_tls.c). */
	struct tls_slot tls_slots[TLS_MAX_SLOTS];
	struct held_sends held;		/* transport_hold() */
};

/* The UDP and stream transports; _init() for transport_new(): nothing
 * open yet, every descriptor -1. */
void transport_udp_init(struct transport *tp);
int transport_udp_start(struct transport *tp, const struct transport_setup *setup);
int transport_udp_send(struct transport *tp, const struct sip_peer *to,
		       const char *buf, size_t len);
void transport_udp_stop(struct transport *tp);
void transport_stream_init(struct transport *tp);
int transport_stream_start(struct transport *tp,
			   const struct transport_setup *setup);
int transport_stream_send(struct transport *tp, const struct sip_peer *to,
			  const char *buf, size_t len);
void transport_stream_stop(struct transport *tp);

/* The interfaces the transports were started with (transport_iface.c). */
void transport_ifaces_set(struct transport *tp,
			  const struct transport_setup *setup);
/* Interface @iface; -1 (any) is the first. */
const struct sip_iface *transport_iface(const struct transport *tp, int iface);
/* The caps on accepted connections, as they are now. */
const struct conn_caps *transport_caps(const struct transport *tp);
/* May a connection from @peer be accepted (transport_setup's accept)? */
bool transport_accepts(const struct transport *tp,
		       const struct sockaddr_storage *peer);
unsigned int transport_iface_count(const struct transport *tp);
const char *transport_tls_name(const struct transport *tp,
			       const struct sockaddr_storage *addr);
/* Hands one framed message to transport_setup's rx. */
void transport_deliver(const struct transport *tp, const struct sip_peer *from,
		       const char *buf, size_t len);
/* Tells transport_set_error_cb()'s callback of a failed connection. */
void transport_report_error(const struct transport *tp,
			    const struct sip_peer *peer);

#endif
