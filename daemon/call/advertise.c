// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * How srtprelayd names itself to a peer (advertise.h): fqdn and the
 * public side of a 1:1 NAT, as AudioCodes' "NAT translation" and
 * rtpengine's interface=private!public do: bound to the private address,
 * the public one written wherever a public-side peer reads where to send.
 */
#include <stdio.h>
#include <string.h>
#include <osipparser2/osip_parser.h>

#include "call/advertise.h"

static const struct cfg_iface *iface_of(const struct config *cfg, int iface)
{
	if (iface < 0 || (unsigned int)iface >= cfg->n_ifaces)
		iface = 0;
	return &cfg->ifaces[iface];
}

/* "host:port", IPv6 in brackets. */
static void host_port(char *out, size_t len, const char *host, uint16_t port)
{
	snprintf(out, len, strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port);
}

void advertise_self(const struct config *cfg, int iface, enum sip_proto proto,
		    bool nat_private, struct self_name *out)
{
	const struct cfg_iface *f = iface_of(cfg, iface);
	/* Where the transports listen: they were started with these
	 * interfaces, and a reload that changes one is refused. */
	uint16_t port = proto == SIP_UDP ? f->udp_port :
			proto == SIP_TCP ? f->tcp_port : f->tls_port;
	char addr[64];

	if (f->public_address[0] && !nat_private)
		snprintf(addr, sizeof(addr), "%s", f->public_address);
	else
		sockaddr_host(&f->addr, addr, sizeof(addr));
	host_port(out->sent_by, sizeof(out->sent_by),
		  f->fqdn[0] && proto == SIP_TLS ? f->fqdn : addr, port);
	host_port(out->contact, sizeof(out->contact), f->fqdn[0] ? f->fqdn : addr, port);
}

void advertise_contact(const struct self_name *self, enum sip_proto proto,
		       char *buf, size_t len)
{
	snprintf(buf, len, "Contact: <sip:srtprelayd@%s;transport=%s>\r\n",
		 self->contact, sip_proto_param(proto));
}

const char *advertise_media(const struct config *cfg, int realm, bool nat_private)
{
	const struct cfg_realm *r = &cfg->realms[realm];

	return r->public_address[0] && !nat_private ? r->public_address : r->address;
}

bool advertise_proxy_set_private(const struct config *cfg, int p)
{
	unsigned int g;

	for (g = 0; g < cfg->n_groups; g++)
		if (cfg->groups[g].proxy_set == p)
			return cfg->groups[g].nat_private;
	return false;
}

bool advertise_is_self(const struct config *cfg, const struct sip_peer *peer)
{
	uint16_t port = sockaddr_port(&peer->addr);
	struct sockaddr_storage pub;
	unsigned int i;

	for (i = 0; i < cfg->n_ifaces; i++) {
		const struct cfg_iface *f = &cfg->ifaces[i];

		if (f->public_address[0] && !sockaddr_parse(f->public_address, port, &pub) &&
		    sockaddr_equal(&pub, &peer->addr) &&
		    (port == f->udp_port || port == f->tcp_port || port == f->tls_port))
			return true;
	}
	return false;
}

/* @url's host becomes @host, its port @port ("" drops it). */
static int set_host(osip_uri_t *url, const char *host, const char *port)
{
	if (!url)
		return -1;
	osip_free(url->host);
	osip_free(url->port);
	url->host = osip_strdup(host);
	url->port = port[0] ? osip_strdup(port) : NULL;
	return url->host && (!port[0] || url->port) ? 0 : -1;
}

static int rewrite_ruri(char *ruri, size_t len, const char *host, const char *port)
{
	osip_uri_t *u = NULL;
	char *s = NULL;
	int rc = -1;

	if (osip_uri_init(&u) || osip_uri_parse(u, ruri) || set_host(u, host, port) ||
	    osip_uri_to_str(u, &s) || strlen(s) >= len)
		goto out;
	snprintf(ruri, len, "%s", s);
	rc = 0;
out:
	osip_free(s);
	osip_uri_free(u);
	return rc;
}

static int rewrite_to(char *to, size_t len, const char *host, const char *port)
{
	osip_from_t *f = NULL;
	char *s = NULL;
	int rc = -1;

	if (osip_from_init(&f) || osip_from_parse(f, to) || set_host(f->url, host, port) ||
	    osip_from_to_str(f, &s) || strlen(s) >= len)
		goto out;
	snprintf(to, len, "%s", s);
	rc = 0;
out:
	osip_free(s);
	osip_from_free(f);
	return rc;
}

int advertise_request_uri(const struct config *cfg, int group,
			  const struct cfg_target *t, char *ruri,
			  size_t ruri_len, char *to_uri, size_t to_len)
{
	const struct cfg_ip_group *g = &cfg->groups[group];
	char host[128], port[8] = "";

	if (!g->request_uri_host[0])
		return 0;
	if (!strcmp(g->request_uri_host, "target")) {
		if (!t)
			return 0;	/* a registered phone or the request-URI's host */
		if (t->tls_name[0])
			snprintf(host, sizeof(host), "%s", t->tls_name);
		else if (t->is_name)
			snprintf(host, sizeof(host), "%s", t->host);
		else
			sockaddr_host(&t->addr, host, sizeof(host));
		/* A name keeps the port written, or none: RFC 3263 finds it. */
		if (!t->is_name)
			snprintf(port, sizeof(port), "%u", sockaddr_port(&t->addr));
		else if (t->port)
			snprintf(port, sizeof(port), "%u", t->port);
	} else {
		snprintf(host, sizeof(host), "%s", g->request_uri_host);
	}
	return rewrite_ruri(ruri, ruri_len, host, port) ||
	       rewrite_to(to_uri, to_len, host, port) ? -1 : 0;
}
