// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * SIGHUP and "reload" (reload.h): read and check everything first, apply
 * only when all of it is good. The live struct config keeps its address
 * (every part holds a pointer to it), so applying is a copy over it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/secret_mem.h"
#include "config/reload.h"
#include "config/tls_contexts.h"


static bool addr_same(const struct sockaddr_storage *a,
		      const struct sockaddr_storage *b)
{
	return sockaddr_equal(a, b) && sockaddr_port(a) == sockaddr_port(b);
}

/*
 * What listens, what owns media ports and where state lives are set up
 * once at start; changing them under active calls and connections is a
 * restart. The first difference is said in @why.
 */
static bool needs_restart(const struct config *o, const struct config *n,
			  char *why, size_t len)
{
	unsigned int i;

#define DIFF(...) do { snprintf(why, len, __VA_ARGS__); return true; } while (0)
	if (strcmp(o->state_dir, n->state_dir))
		DIFF("state_dir changed (%s -> %s)", o->state_dir, n->state_dir);
	if (strcmp(o->control_socket, n->control_socket))
		DIFF("control_socket changed (%s -> %s)", o->control_socket, n->control_socket);
	if (o->has_control_group != n->has_control_group ||
	    o->control_group != n->control_group)
		DIFF("control_group changed");
	if (strcmp(o->media_backend, n->media_backend))
		DIFF("media_backend changed (%s -> %s)", o->media_backend, n->media_backend);
	if (o->log_syslog != n->log_syslog)
		DIFF("log_syslog changed");
	if (memcmp(&o->metrics, &n->metrics, sizeof(o->metrics)))
		DIFF("metrics changed");
	if (o->n_ifaces != n->n_ifaces)
		DIFF("sip_interfaces: %u -> %u interfaces", o->n_ifaces, n->n_ifaces);
	for (i = 0; i < o->n_ifaces; i++) {
		const struct cfg_iface *a = &o->ifaces[i], *b = &n->ifaces[i];

		if (strcmp(a->name, b->name))
			DIFF("sip interface %u renamed (%s -> %s)", i + 1, a->name, b->name);
		if (!addr_same(&a->addr, &b->addr))
			DIFF("sip interface '%s': address changed (%s -> %s)", a->name,
			     a->address, b->address);
		if (a->udp_port != b->udp_port || a->tcp_port != b->tcp_port ||
		    a->tls_port != b->tls_port)
			DIFF("sip interface '%s': listen ports changed (udp %u tcp %u tls %u -> udp %u tcp %u tls %u)",
			     a->name, a->udp_port, a->tcp_port, a->tls_port,
			     b->udp_port, b->tcp_port, b->tls_port);
		if (a->tls != b->tls || a->realm != b->realm)
			DIFF("sip interface '%s': tls_context or media_realm changed", a->name);
	}
	if (o->n_realms != n->n_realms)
		DIFF("media_realms: %u -> %u realms", o->n_realms, n->n_realms);
	for (i = 0; i < o->n_realms; i++) {
		const struct cfg_realm *a = &o->realms[i], *b = &n->realms[i];

		if (strcmp(a->name, b->name))
			DIFF("media realm %u renamed (%s -> %s)", i + 1, a->name, b->name);
		if (!addr_same(&a->addr, &b->addr) || a->port_min != b->port_min ||
		    a->port_max != b->port_max || a->max_sessions != b->max_sessions)
			DIFF("media realm '%s' changed (address, ports or max_sessions)", a->name);
	}
	/* Interfaces name TLS contexts by position. */
	if (o->n_tls != n->n_tls)
		DIFF("tls_contexts: %u -> %u contexts", o->n_tls, n->n_tls);
	for (i = 0; i < o->n_tls; i++)
		if (strcmp(o->tls[i].name, n->tls[i].name))
			DIFF("tls context %u renamed (%s -> %s)", i + 1, o->tls[i].name,
			     n->tls[i].name);
	/* Calls in progress hold their IP group and its proxy set by
	 * position: those may only be appended to. */
	if (n->n_proxy_sets < o->n_proxy_sets)
		DIFF("proxy_sets: %u -> %u (active calls may use the removed ones)",
		     o->n_proxy_sets, n->n_proxy_sets);
	for (i = 0; i < o->n_proxy_sets; i++)
		if (strcmp(o->proxy_sets[i].name, n->proxy_sets[i].name))
			DIFF("proxy set %u is '%s', was '%s' (append new ones at the end)",
			     i + 1, n->proxy_sets[i].name, o->proxy_sets[i].name);
	if (n->n_groups < o->n_groups)
		DIFF("ip_groups: %u -> %u (active calls may use the removed ones)",
		     o->n_groups, n->n_groups);
	for (i = 0; i < o->n_groups; i++)
		if (strcmp(o->groups[i].name, n->groups[i].name))
			DIFF("ip group %u is '%s', was '%s' (append new ones at the end)",
			     i + 1, n->groups[i].name, o->groups[i].name);
#undef DIFF
	return false;
}

/* Each line of @text as "error LINE" in @report and in the log. */
static void refuse_lines(struct sbuf *report, const char *text)
{
	const char *p = text, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (nl > p) {
			log_err("reload refused: %.*s", (int)(nl - p), p);
			sb_printf(report, "error %.*s\n", (int)(nl - p), p);
		}
		p = *nl ? nl + 1 : nl;
	}
}

/* Reads @next; 0, or the mistakes in @report. Warnings are logged. */
static int read_config(const char *file, struct config *next, struct sbuf *report)
{
	char *text = NULL, *p, *nl;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int errors;

	if (!out) {
		sb_puts(report, "error out of memory\n");
		return -1;
	}
	errors = config_load_report(file, next, out);
	fclose(out);
	if (errors) {
		refuse_lines(report, text);
		free(text);
		return -1;
	}
	for (p = text; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		log_warn("%.*s", (int)(nl - p), p);
	}
	free(text);
	return 0;
}

int reload_run(const struct reload_ctx *ctx, struct sbuf *report)
{
	struct config *live = ctx->live;
	struct config *next = calloc(1, sizeof(*next));
	/* Built and swapped in within this call: nothing outlives it. */
	struct tls_pending tls;
	struct sbuf tls_errs;
	char why[1536];	/* two paths of CFG_PATH_MAX */

	if (!next) {
		sb_puts(report, "error out of memory\n");
		return -1;
	}
	log_info("reloading %s", live->source);
	if (read_config(ctx->file, next, report))
		goto refused;
	if (needs_restart(live, next, why, sizeof(why))) {
		log_err("reload refused: %s: needs a restart", why);
		sb_printf(report, "error %s: needs a restart\n", why);
		goto refused;
	}
	sb_init(&tls_errs);
	if (tls_prepare(&tls, next, &tls_errs)) {
		if (!tls_errs.failed && tls_errs.p)
			refuse_lines(report, tls_errs.p);
		sb_free(&tls_errs);
		goto refused;
	}
	sb_free(&tls_errs);

	/* Nothing can fail from here on. */
	tls_commit(&tls, next, ctx->transport);
	ctx->apply(live, next);
	config_free(live);
	*live = *next;		/* the compiled route patterns move with it */
	secret_free(next, sizeof(*next));	/* a copy of the passwords */
	ctx->applied(live);
	if (!ctx->debug)
		log_setup((enum log_level)live->log_level, live->log_syslog);
	log_info("reloaded %s: %u tls context(s), %u proxy set(s), %u ip group(s), %u route(s)",
		 live->source, live->n_tls, live->n_proxy_sets, live->n_groups,
		 live->n_routes);
	sb_printf(report, "ok reloaded %s\n", live->source);
	return 0;
refused:
	config_free(next);
	secret_free(next, sizeof(*next));
	return -1;
}
