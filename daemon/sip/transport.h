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

#include "config/config.h"
#include "sip/sip_types.h"

#define SIP_MAX_MESSAGE 65535	/* larger messages are refused */

typedef void (*transport_rx_cb)(const struct sip_peer *from, const char *buf,
				size_t len);

int transport_start(const struct config *cfg, transport_rx_cb cb);
void transport_stop(void);
/* 0, or -errno with the reason logged. */
int transport_send(const struct sip_peer *to, const char *buf, size_t len);
/* Local address and port of @iface for @proto (for Via and Contact). */
void transport_local(int iface, enum sip_proto proto,
		     struct sockaddr_storage *out);
/*
 * Called when a connection we opened failed before it could carry what was
 * queued (refused, TLS handshake failed): the SIP layer fails the client
 * transactions to that peer at once instead of after 64*T1.
 */
typedef void (*transport_err_cb)(const struct sip_peer *peer);
void transport_set_error_cb(transport_err_cb cb);
void transport_report_error(const struct sip_peer *peer);

/* Is @peer one of our own listening addresses (a loop)? */
bool transport_is_local(const struct sip_peer *peer);

/* Number of open TCP/TLS connections, for the control socket. */
unsigned int transport_conn_count(void);

/* Inside the transport layer. */
int transport_udp_start(const struct config *cfg, transport_rx_cb cb);
int transport_udp_send(const struct sip_peer *to, const char *buf, size_t len);
void transport_udp_stop(void);
int transport_stream_start(const struct config *cfg, transport_rx_cb cb);
int transport_stream_send(const struct sip_peer *to, const char *buf,
			  size_t len);
void transport_stream_stop(void);

/*
 * Where one SIP message ends in a stream: the length of the first complete
 * message in (buf, len), 0 if more bytes are needed, -1 if the stream is
 * broken (no or bad Content-Length, header section too large). Leading
 * CRLFs (keep-alives) are reported separately through *@crlf.
 */
long sip_frame(const char *buf, size_t len, size_t *crlf);
/* Content-Length of a header section, -1 absent, -2 malformed. */
long sip_content_length(const char *buf, size_t len);

#endif
