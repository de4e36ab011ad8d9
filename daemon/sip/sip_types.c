// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Transport names, as they appear in logs, Via headers and the
 * configuration's ;transport= parameters. */
#include <errno.h>
#include <strings.h>

#include "sip/sip_types.h"

const char *sip_proto_name(enum sip_proto proto)
{
	switch (proto) {
	case SIP_UDP: return "UDP";
	case SIP_TCP: return "TCP";
	case SIP_TLS: return "TLS";
	}
	return "?";
}

const char *sip_proto_param(enum sip_proto proto)
{
	switch (proto) {
	case SIP_UDP: return "udp";
	case SIP_TCP: return "tcp";
	case SIP_TLS: return "tls";
	}
	return "?";
}

int sip_proto_parse(const char *name, enum sip_proto *proto)
{
	if (!strcasecmp(name, "udp"))
		*proto = SIP_UDP;
	else if (!strcasecmp(name, "tcp"))
		*proto = SIP_TCP;
	else if (!strcasecmp(name, "tls"))
		*proto = SIP_TLS;
	else
		return -EINVAL;
	return 0;
}
