/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * SIP transports: UDP datagrams, TCP and TLS byte streams (framed by
 * Content-Length, RFC 3261 18.3). Everything received goes to one callback
 * with its origin; everything sent names a struct sip_peer. Connections are
 * reused in both directions: a request to a peer that has a connection open
 * to us goes over it (RFC 3261 18.1.1, and what phones behind NAT need).
 */
#ifndef SRTPRELAYD_TRANSPORT_H
#define SRTPRELAYD_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "sip/conn_limits.h"
#include "sip/sip_frame.h"
#include "sip/sip_types.h"

#define SIP_MAX_IFACES 32
#define TLS_MAX_SLOTS 32	/* configured TLS contexts */

/* A message as framed from the wire; @arg: transport_setup's rx_arg. */
typedef void (*transport_rx_cb)(void *arg, const struct sip_peer *from,
				const char *buf, size_t len);
/*
 * The SIP domain a TLS server at @addr must carry (RFC 5922 7), or NULL:
 * asked when a TLS connection there is opened. The caller knows (a proxy
 * set target's ;tls_name); an IP literal says nothing about who answers.
 */
typedef const char *(*transport_tls_name_cb)(void *arg,
					     const struct sockaddr_storage *addr);

/* One SIP interface as the transports see it (struct sip_peer's iface is
 * its index). */
struct sip_iface {
	char name[64];
	struct sockaddr_storage addr;		/* its port is not used */
	uint16_t udp_port, tcp_port, tls_port;	/* 0: not listening */
	int tls;				/* TLS slot, -1: none */
};

/*
 * Asked for every accepted TCP or TLS connection before it takes a slot:
 * false closes it at once (a banned source, call/border.c).
 */
typedef bool (*transport_accept_cb)(void *arg,
				    const struct sockaddr_storage *peer);

/* What the transports start with; copied, the caller may drop it. */
struct transport_setup {
	struct sip_iface ifaces[SIP_MAX_IFACES];
	unsigned int n_ifaces;
	transport_rx_cb rx;
	void *rx_arg;
	transport_tls_name_cb tls_name;
	void *tls_name_arg;
	/* Not copied: read at every use (it lives in the configuration). */
	const struct conn_caps *caps;
	transport_accept_cb accept;	/* NULL: every connection */
	void *accept_arg;
};

/*
 * The transport layer's state: one per srtprelayd (struct srtprelayd),
 * handed to every call below. transport_new() opens nothing; NULL when
 * out of memory (logged). transport_free() after transport_stop().
 */
struct transport;
struct transport *transport_new(void);
void transport_free(struct transport *tp);

int transport_start(struct transport *tp, const struct transport_setup *setup);
void transport_stop(struct transport *tp);
/* 0, or -errno with the reason logged; 0 while held (logged at release). */
int transport_send(struct transport *tp, const struct sip_peer *to,
		   const char *buf, size_t len);
/* From now on every message sent is held back until transport_release()
 * (sip/transport_hold.h says what for). */
void transport_hold(struct transport *tp);
bool transport_holding(const struct transport *tp);
/* Ends transport_hold(): the held messages go out, in order. */
void transport_release(struct transport *tp);
/*
 * Called when a connection we opened failed before it could carry what was
 * queued (refused, TLS handshake failed): the SIP layer fails the client
 * transactions to that peer at once instead of after 64*T1. @arg: what
 * transport_set_error_cb() was given.
 */
typedef void (*transport_err_cb)(void *arg, const struct sip_peer *peer);
void transport_set_error_cb(struct transport *tp, transport_err_cb cb,
			    void *arg);

/* Is @peer one of our own listening addresses (a loop)? */
bool transport_is_local(const struct transport *tp, const struct sip_peer *peer);

/* Number of open TCP/TLS connections, for the control socket. */
unsigned int transport_conn_count(const struct transport *tp);
/* The fullest TCP/TLS send queue, in % of what one may hold: a peer that
 * reads slower than srtprelayd sends (for overload control). */
unsigned int transport_stream_tx_fill_pct(const struct transport *tp);
struct conn_limits_stats;
/* Accepted connections against their caps and deadlines, for status. */
void transport_conn_stats(const struct transport *tp,
			  struct conn_limits_stats *out);

#endif
