// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The transports behind one send call and one receive callback. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "sip/transport.h"
#include "sip/transport_internal.h"

struct transport *transport_new(void)
{
	struct transport *tp = calloc(1, sizeof(*tp));

	if (!tp) {
		log_err("transports: out of memory");
		return NULL;
	}
	transport_udp_init(tp);
	transport_stream_init(tp);
	held_sends_init(&tp->held);
	return tp;
}

void transport_free(struct transport *tp)
{
	struct held_send *h;

	if (!tp)
		return;
	/* Every loop round releases what it held, but a call_restore()
	 * that failed midway ends start() with messages held, and an SDP
	 * among them carries a call's keys. */
	while ((h = held_sends_take(&tp->held)))
		held_send_free(h);
	free(tp);
}

int transport_start(struct transport *tp, const struct transport_setup *setup)
{
	int rc;

	transport_ifaces_set(tp, setup);
	rc = transport_udp_start(tp, setup);
	if (!rc)
		rc = transport_stream_start(tp, setup);
	return rc;
}

void transport_stop(struct transport *tp)
{
	transport_udp_stop(tp);
	transport_stream_stop(tp);
}

int transport_send(struct transport *tp, const struct sip_peer *to,
		   const char *buf, size_t len)
{
	char a[64], what[96];

	if (tp->held.holding && !held_sends_add(&tp->held, to, buf, len))
		return 0;
	if (log_enabled(LOG_LVL_DEBUG)) {
		snprintf(what, sizeof(what), "send %s %s", sip_proto_name(to->proto),
			 sockaddr_str(&to->addr, a, sizeof(a)));
		log_sip(what, buf, len);
	}
	if (to->proto == SIP_UDP)
		return transport_udp_send(tp, to, buf, len);
	return transport_stream_send(tp, to, buf, len);
}

void transport_hold(struct transport *tp)
{
	tp->held.holding = true;
}

bool transport_holding(const struct transport *tp)
{
	return tp->held.holding;
}

void transport_release(struct transport *tp)
{
	struct held_send *h;

	tp->held.holding = false;
	while ((h = held_sends_take(&tp->held))) {
		/* A failure is logged by the transport. Sent at once, a
		 * stream's failure would have failed its client transaction
		 * at once (sip_txn_request()): held, the SIP layer hears of
		 * it as of a connection that failed. */
		if (transport_send(tp, &h->to, h->buf, h->len) < 0 &&
		    h->to.proto != SIP_UDP)
			transport_report_error(tp, &h->to);
		held_send_free(h);
	}
}

/* Local address and port of @iface for @proto. */
static void local_addr(const struct transport *tp, int iface,
		       enum sip_proto proto, struct sockaddr_storage *out)
{
	const struct sip_iface *f = transport_iface(tp, iface);

	*out = f->addr;
	sockaddr_set_port(out, proto == SIP_UDP ? f->udp_port :
			  proto == SIP_TCP ? f->tcp_port : f->tls_port);
}

bool transport_is_local(const struct transport *tp, const struct sip_peer *peer)
{
	struct sockaddr_storage a;
	unsigned int i;
	int k;

	for (i = 0; i < transport_iface_count(tp); i++) {
		for (k = SIP_UDP; k <= SIP_TLS; k++) {
			local_addr(tp, (int)i, (enum sip_proto)k, &a);
			if (sockaddr_port(&a) && sockaddr_equal(&a, &peer->addr))
				return true;
		}
	}
	return false;
}
