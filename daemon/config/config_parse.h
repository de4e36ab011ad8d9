/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Internal to config*.c: readers of one object list each, and their
 * helpers (config_parse.c). */
#ifndef SRTPRELAYD_CONFIG_PARSE_H
#define SRTPRELAYD_CONFIG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <libconfig.h>

#include "config/config_types.h"

struct cfg_ctx {
	const char *file;
	FILE *out;			/* where mistakes go, "file:line: what" */
	int errors;
};

void cfg_error(struct cfg_ctx *ctx, const config_setting_t *s,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same, prefixed "warning: ", not counted as a mistake. */
void cfg_warn(struct cfg_ctx *ctx, const config_setting_t *s,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void cfg_check_keys(struct cfg_ctx *ctx, const config_setting_t *group,
		    const char *const *known);
bool cfg_str(struct cfg_ctx *ctx, const config_setting_t *g, const char *key,
	     char *out, size_t size, bool required);
bool cfg_int(struct cfg_ctx *ctx, const config_setting_t *g, const char *key,
	     long min, long max, long *out);
bool cfg_bool(struct cfg_ctx *ctx, const config_setting_t *g, const char *key,
	      bool *out);
int cfg_ref(struct cfg_ctx *ctx, const config_setting_t *g, const char *key,
	    const void *base, size_t stride, unsigned int n, const char *what,
	    bool required);
/* The list @key of @root as an array of groups, or NULL (not an error). */
config_setting_t *cfg_list(struct cfg_ctx *ctx, config_setting_t *root,
			   const char *key);
/* Common part of every object: a group with a unique name. */
bool cfg_object(struct cfg_ctx *ctx, config_setting_t *o, char *name,
		const void *base, size_t stride, unsigned int n, unsigned int max);

void config_load_tls(struct cfg_ctx *ctx, config_setting_t *root,
		     struct config *cfg);
void config_load_realms(struct cfg_ctx *ctx, config_setting_t *root,
			struct config *cfg);
void config_load_ifaces(struct cfg_ctx *ctx, config_setting_t *root,
			struct config *cfg);
/* dns = { servers = [...] } (config_dns.c). */
void config_load_dns(struct cfg_ctx *ctx, config_setting_t *root,
		     struct config *cfg);
void config_load_proxy_sets(struct cfg_ctx *ctx, config_setting_t *root,
			    struct config *cfg);
/* A proxy set's auth and register groups (config_auth.c). */
void config_load_proxy_auth(struct cfg_ctx *ctx, config_setting_t *o,
			    struct cfg_proxy_set *p);
void config_load_registrar(struct cfg_ctx *ctx, config_setting_t *root,
			   struct config *cfg);
/* Wipes the passwords and frees the users (config_free). */
void config_free_secrets(struct config *cfg);
void config_load_groups(struct cfg_ctx *ctx, config_setting_t *root,
			struct config *cfg);
/* sip_limits: defaults first, then what the file says. */
void config_limits_defaults(struct cfg_limits *limits);
void config_load_limits(struct cfg_ctx *ctx, config_setting_t *root,
			struct config *cfg);
void config_load_metrics(struct cfg_ctx *ctx, config_setting_t *root,
			 struct config *cfg);
void config_load_routes(struct cfg_ctx *ctx, config_setting_t *root,
			struct config *cfg);
/* config_identity.c: fqdn, public addresses, NAT side, request-URI host. */
bool config_is_host_name(const char *s);
void config_load_iface_identity(struct cfg_ctx *ctx, config_setting_t *o,
				struct cfg_iface *f);
void config_load_realm_nat(struct cfg_ctx *ctx, config_setting_t *o,
			   struct cfg_realm *r);
void config_load_group_identity(struct cfg_ctx *ctx, config_setting_t *o,
				struct cfg_ip_group *g);

#endif
