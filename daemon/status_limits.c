// SPDX-License-Identifier: GPL-2.0 OR MIT
/* What the flood and connection limits did, for srtprelayctl status. */
#include "sip/conn_limits.h"
#include "sip/transport.h"
#include "status_limits.h"

static void status_connections(struct sbuf *b, bool json)
{
	struct conn_limits_stats s;

	transport_conn_stats(&s);
	if (json) {
		sb_printf(b, ",\"connection_limits\":{\"open\":%u,\"cap\":%u,"
			  "\"refused_total\":%llu,\"refused_per_ip\":%llu,"
			  "\"refused_no_fd\":%llu,\"closed_handshake\":%llu,"
			  "\"closed_first_message\":%llu,\"closed_idle\":%llu}",
			  s.open, s.cap, s.refused_total, s.refused_per_ip,
			  s.refused_no_fd, s.closed_handshake,
			  s.closed_first_message, s.closed_idle);
		return;
	}
	sb_printf(b, "connections-open %u cap %u\n"
		  "connections-refused total %llu per-ip %llu no-fd %llu\n"
		  "connections-closed handshake %llu first-message %llu idle %llu\n",
		  s.open, s.cap, s.refused_total, s.refused_per_ip, s.refused_no_fd,
		  s.closed_handshake, s.closed_first_message, s.closed_idle);
}

void status_limits(struct sbuf *b, bool json)
{
	status_connections(b, json);
}
