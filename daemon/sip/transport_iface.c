// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What the transports were started with: the interfaces, whom to hand
 * what arrives, whom to ask for a TLS server's name, whom to tell of a
 * failed connection. Read through here so that transport.c calls down
 * into the UDP and stream transports and nothing calls back up.
 */
#include <string.h>

#include "sip/transport.h"
#include "sip/transport_internal.h"

void transport_ifaces_set(struct transport *tp,
			  const struct transport_setup *setup)
{
	tp->started = *setup;
	if (tp->started.n_ifaces > SIP_MAX_IFACES)
		tp->started.n_ifaces = SIP_MAX_IFACES;
}

const struct sip_iface *transport_iface(const struct transport *tp, int iface)
{
	if (iface < 0 || (unsigned int)iface >= tp->started.n_ifaces)
		iface = 0;
	return &tp->started.ifaces[iface];
}

const struct conn_caps *transport_caps(const struct transport *tp)
{
	static const struct conn_caps defaults = CONN_CAPS_DEFAULTS;

	return tp->started.caps ? tp->started.caps : &defaults;
}

bool transport_accepts(const struct transport *tp,
		       const struct sockaddr_storage *peer)
{
	return !tp->started.accept ||
	       tp->started.accept(tp->started.accept_arg, peer);
}

unsigned int transport_iface_count(const struct transport *tp)
{
	return tp->started.n_ifaces;
}

const char *transport_tls_name(const struct transport *tp,
			       const struct sockaddr_storage *addr)
{
	return tp->started.tls_name ?
	       tp->started.tls_name(tp->started.tls_name_arg, addr) : NULL;
}

void transport_deliver(const struct transport *tp, const struct sip_peer *from,
		       const char *buf, size_t len)
{
	tp->started.rx(tp->started.rx_arg, from, buf, len);
}

void transport_set_error_cb(struct transport *tp, transport_err_cb cb,
			    void *arg)
{
	tp->err_cb = cb;
	tp->err_arg = arg;
}

void transport_report_error(const struct transport *tp,
			    const struct sip_peer *peer)
{
	if (tp->err_cb)
		tp->err_cb(tp->err_arg, peer);
}
