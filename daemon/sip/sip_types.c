// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Transport names, as they appear in logs, Via headers and the
 * configuration's ;transport= parameters. */
#include <ctype.h>
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

bool sip_host_is_name(const char *host, size_t len)
{
	size_t i, label = 0;
	bool alpha = false;

	if (!len || len > 253 || host[0] == '.' || host[0] == '-')
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)host[i];

		if (c == '.') {
			if (!label || host[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-')
			return false;
		if (++label > 63)
			return false;
		alpha |= isalpha(c) || c == '-';
	}
	/* "1.2.3.4" is no name, and a last label of digits is no TLD. */
	return alpha && host[len - 1] != '-';
}
