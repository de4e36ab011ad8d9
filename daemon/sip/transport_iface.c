// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What the transports were started with: the interfaces, whom to ask for
 * a TLS server's name, whom to tell of a failed connection. Kept here so
 * that transport.c calls down into the UDP and stream transports and
 * nothing calls back up.
 */
#include <string.h>

#include "sip/transport.h"

static struct transport_setup started;
static transport_err_cb err_cb;

void transport_ifaces_set(const struct transport_setup *setup)
{
	started = *setup;
	if (started.n_ifaces > SIP_MAX_IFACES)
		started.n_ifaces = SIP_MAX_IFACES;
}

const struct sip_iface *transport_iface(int iface)
{
	if (iface < 0 || (unsigned int)iface >= started.n_ifaces)
		iface = 0;
	return &started.ifaces[iface];
}

const struct conn_caps *transport_caps(void)
{
	static const struct conn_caps defaults = CONN_CAPS_DEFAULTS;

	return started.caps ? started.caps : &defaults;
}

bool transport_accepts(const struct sockaddr_storage *peer)
{
	return !started.accept || started.accept(started.accept_arg, peer);
}

unsigned int transport_iface_count(void)
{
	return started.n_ifaces;
}

const char *transport_tls_name(const struct sockaddr_storage *addr)
{
	return started.tls_name ? started.tls_name(started.tls_name_arg, addr) : NULL;
}

void transport_set_error_cb(transport_err_cb cb)
{
	err_cb = cb;
}

void transport_report_error(const struct sip_peer *peer)
{
	if (err_cb)
		err_cb(peer);
}
