// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The transports behind one send call and one receive callback. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/secret_mem.h"
#include "sip/transport.h"

int transport_start(const struct transport_setup *setup)
{
	int rc;

	transport_ifaces_set(setup);
	rc = transport_udp_start(setup);
	if (!rc)
		rc = transport_stream_start(setup);
	return rc;
}

void transport_stop(void)
{
	transport_udp_stop();
	transport_stream_stop();
}

int transport_send(const struct sip_peer *to, const char *buf, size_t len)
{
	char a[64], what[96];

	if (transport_holding() && !transport_hold_add(to, buf, len))
		return 0;
	if (log_enabled(LOG_LVL_DEBUG)) {
		snprintf(what, sizeof(what), "send %s %s", sip_proto_name(to->proto),
			 sockaddr_str(&to->addr, a, sizeof(a)));
		log_sip(what, buf, len);
	}
	if (to->proto == SIP_UDP)
		return transport_udp_send(to, buf, len);
	return transport_stream_send(to, buf, len);
}

void transport_release(void)
{
	struct held_send *h;

	transport_hold_end();
	while ((h = transport_hold_take())) {
		/* A failure is logged by the transport. Sent at once, a
		 * stream's failure would have failed its client transaction
		 * at once (sip_txn_request()): held, the SIP layer hears of
		 * it as of a connection that failed. */
		if (transport_send(&h->to, h->buf, h->len) < 0 &&
		    h->to.proto != SIP_UDP)
			transport_report_error(&h->to);
		/* A 200 OK's SDP carries the call's keys. */
		secret_free(h, sizeof(*h) + h->len);
	}
}

void transport_local(int iface, enum sip_proto proto,
		     struct sockaddr_storage *out)
{
	const struct sip_iface *f = transport_iface(iface);

	*out = f->addr;
	sockaddr_set_port(out, proto == SIP_UDP ? f->udp_port :
			  proto == SIP_TCP ? f->tcp_port : f->tls_port);
}

bool transport_is_local(const struct sip_peer *peer)
{
	struct sockaddr_storage a;
	unsigned int i;
	int k;

	for (i = 0; i < transport_iface_count(); i++) {
		for (k = SIP_UDP; k <= SIP_TLS; k++) {
			transport_local((int)i, (enum sip_proto)k, &a);
			if (sockaddr_port(&a) && sockaddr_equal(&a, &peer->addr))
				return true;
		}
	}
	return false;
}
