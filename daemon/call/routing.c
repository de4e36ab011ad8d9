// SPDX-License-Identifier: GPL-2.0 OR MIT
/* IP groups, routing rules, and the target of a new call. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "call/proxy_targets.h"
#include "call/registrar.h"
#include "call/routing.h"

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

/* The request-URI's transport, port (0: none) and scheme. */
static int ruri_parts(const osip_message_t *req, int *proto, uint16_t *port,
		      bool *sips)
{
	osip_uri_param_t *tp = NULL;
	enum sip_proto p;
	long n = 0;

	if (!req->req_uri || !req->req_uri->host)
		return -1;
	*proto = -1;
	if (!osip_uri_uparam_get_byname(req->req_uri, "transport", &tp) && tp &&
	    tp->gvalue) {
		if (sip_proto_parse(tp->gvalue, &p))
			return -1;
		*proto = (int)p;
	}
	if (req->req_uri->port)
		n = strtol(req->req_uri->port, NULL, 10);
	if (n < 0 || n > 65535 || (req->req_uri->port && !n))
		return -1;
	*port = (uint16_t)n;
	*sips = req->req_uri->scheme && !strcasecmp(req->req_uri->scheme, "sips");
	return 0;
}

/*
 * An IP literal at once; a name from @resolved (RFC 3263, asked by
 * routing_resolve_ruri()), or ROUTING_RESOLVE when it was not asked yet.
 */
static int ruri_target(const osip_message_t *req, int nth,
		       const struct sip_resolved *resolved, struct sip_peer *to)
{
	const char *host;
	uint16_t port;
	int proto;
	bool sips;

	if (ruri_parts(req, &proto, &port, &sips))
		return -1;
	host = req->req_uri->host;
	if (!sockaddr_parse(host, 0, &to->addr)) {
		to->proto = proto >= 0 ? (enum sip_proto)proto : sips ? SIP_TLS : SIP_UDP;
		sockaddr_set_port(&to->addr, port ? port : to->proto == SIP_TLS ? 5061 : 5060);
		return nth == 0 ? 0 : -1;
	}
	if (!sip_host_is_name(host, strlen(host)))
		return -1;
	if (!resolved)
		return ROUTING_RESOLVE;
	if (nth < 0 || (unsigned int)nth >= resolved->n)
		return -1;
	to->addr = resolved->a[nth].addr;
	to->proto = resolved->a[nth].proto;
	return 0;
}

int routing_resolve_ruri(const osip_message_t *req, sip_resolve_cb cb, void *arg)
{
	uint16_t port;
	int proto;
	bool sips;

	if (ruri_parts(req, &proto, &port, &sips))
		return -EINVAL;
	return sip_resolve(proxy_targets_dns(), req->req_uri->host, port, proto,
			   sips, cb, arg);
}

int routing_target(const struct config *cfg, int dst_group,
		   const osip_message_t *req, int nth,
		   const struct sip_resolved *resolved, struct sip_peer *to,
		   const struct cfg_target **target, char *ruri, size_t ruri_len)
{
	const struct cfg_ip_group *g = &cfg->groups[dst_group];
	char *u = NULL;

	memset(to, 0, sizeof(*to));
	*target = NULL;
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
		return ruri_target(req, nth, resolved, to);
	}
	if (cfg->proxy_sets[g->proxy_set].iface >= 0)
		to->iface = cfg->proxy_sets[g->proxy_set].iface;
	return proxy_targets_pick(cfg, g->proxy_set, nth, to, target);
}
