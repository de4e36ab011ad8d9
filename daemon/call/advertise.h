/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * How srtprelayd names itself to a peer (call/advertise.c): the sent-by of
 * its Via, the host of its Contact and of an OPTIONS ping's From, and the
 * address in its SDP, from the interface's fqdn and the public addresses
 * of a 1:1 NAT (config/config_identity.c); and the host an IP group wants
 * in the request-URI and To of the INVITE sent to it.
 */
#ifndef SRTPRELAYD_ADVERTISE_H
#define SRTPRELAYD_ADVERTISE_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "sip/sip_types.h"

#define SELF_HOST_MAX 160

struct self_name {
	char sent_by[SELF_HOST_MAX];	/* Via: host:port */
	char contact[SELF_HOST_MAX];	/* Contact and From: host:port */
};

/*
 * What we call ourselves on @iface over @proto to a peer on the private
 * side of the NAT (@nat_private) or the public one. Contact carries the
 * fqdn when there is one, else the address the peer reaches us at; Via
 * carries the fqdn over TLS only (the name the peer's certificate check
 * and connection reuse know us by, RFC 5923), else that address, so a
 * peer answering without rport never needs DNS to reach us.
 */
void advertise_self(const struct config *cfg, int iface, enum sip_proto proto,
		    bool nat_private, struct self_name *out);
/* Our "Contact: <sip:srtprelayd@HOST:PORT;transport=...>" header line. */
void advertise_contact(const struct self_name *self, enum sip_proto proto,
		       char *buf, size_t len);
/*
 * Is @peer one of our public addresses (a request the NAT would hand back
 * to us, a loop transport_is_local() cannot see)?
 */
bool advertise_is_self(const struct config *cfg, const struct sip_peer *peer);
/* The SDP c=/o= address of @realm to a peer on that side. */
const char *advertise_media(const struct config *cfg, int realm, bool nat_private);
/* The side of the NAT IP groups using proxy set @p are on. */
bool advertise_proxy_set_private(const struct config *cfg, int p);
/*
 * The request-URI @ruri and To URI @to_uri (as "<uri>" or "name <uri>")
 * of an INVITE to @group, with their host replaced as the group's
 * request_uri_host says: "target" names @target, the proxy-set target the
 * call goes to (its tls_name, else its name as configured with the port
 * written, else its address with its port; NULL: a registered phone or
 * the request-URI's host, left alone), else the host given, without a
 * port. 0, or -1 when a URI cannot be rewritten.
 */
int advertise_request_uri(const struct config *cfg, int group,
			  const struct cfg_target *target, char *ruri,
			  size_t ruri_len, char *to_uri, size_t to_len);

#endif
