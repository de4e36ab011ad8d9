// SPDX-License-Identifier: GPL-2.0 OR MIT
/* IP groups, routing rules, and the target of a new call. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "base/evloop.h"
#include "base/log.h"
#include "call/proxy_targets.h"
#include "call/registrar.h"
#include "call/routing.h"
#include "base/sbuf.h"
#include "sip/sip_msg.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"

int routing_classify(const struct config *cfg, const struct sockaddr_storage *src)
{
	int g = config_group_by_addr(cfg, src);

	return g >= 0 ? g : proxy_targets_group_of(cfg, src);
}

static bool pattern_match(const regex_t *re, const char *s)
{
	return !regexec(re, s ? s : "", 0, NULL, 0);
}

int routing_match(const struct config *cfg, int src_group,
		  const osip_message_t *req)
{
	const char *user = req->req_uri ? req->req_uri->username : NULL;
	const char *host = req->req_uri ? req->req_uri->host : NULL;
	unsigned int i;

	for (i = 0; i < cfg->n_routes; i++) {
		const struct cfg_route *r = &cfg->routes[i];

		if (r->src_group >= 0 && r->src_group != src_group)
			continue;
		if (r->has_user && !pattern_match(&r->user_re, user))
			continue;
		if (r->has_host && !pattern_match(&r->host_re, host))
			continue;
		return (int)i;
	}
	return -1;
}

static int ruri_target(const osip_message_t *req, struct sip_peer *to)
{
	osip_uri_param_t *tp = NULL;
	long port;

	if (!req->req_uri || !req->req_uri->host ||
	    sockaddr_parse(req->req_uri->host, 0, &to->addr))
		return -1;	/* no DNS: the request-URI host must be an IP */
	to->proto = SIP_UDP;
	if (!osip_uri_uparam_get_byname(req->req_uri, "transport", &tp) && tp &&
	    tp->gvalue && sip_proto_parse(tp->gvalue, &to->proto))
		return -1;
	port = req->req_uri->port ? strtol(req->req_uri->port, NULL, 10) :
	       to->proto == SIP_TLS ? 5061 : 5060;
	if (port < 1 || port > 65535)
		return -1;
	sockaddr_set_port(&to->addr, (uint16_t)port);
	return 0;
}

int routing_target(const struct config *cfg, int dst_group,
		   const osip_message_t *req, int nth, struct sip_peer *to,
		   char *ruri, size_t ruri_len)
{
	const struct cfg_ip_group *g = &cfg->groups[dst_group];
	char *u = NULL;

	memset(to, 0, sizeof(*to));
	to->iface = g->iface >= 0 ? g->iface : 0;
	if (osip_uri_to_str(req->req_uri, &u))
		return -1;
	snprintf(ruri, ruri_len, "%s", u);
	osip_free(u);
	if (g->proxy_set < 0) {
		/* A registered user first, else the request-URI's host. */
		if (nth == 0 && req->req_uri &&
		    !registrar_lookup(req->req_uri->username, to, ruri, ruri_len))
			return 0;
		return nth == 0 ? ruri_target(req, to) : -1;
	}
	if (cfg->proxy_sets[g->proxy_set].iface >= 0)
		to->iface = cfg->proxy_sets[g->proxy_set].iface;
	return proxy_targets_pick(cfg, g->proxy_set, nth, to);
}
