// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Reads the configuration with libconfig and checks it whole: every mistake
 * is reported as file:line, and loading goes on to find the next one, so
 * `srtprelayd -t -c FILE` lists them all at once.
 */
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libconfig.h>
#include <openssl/ssl.h>

#include "config/config.h"
#include "config/config_parse.h"
#include "base/log.h"
#include "sdes.h"

/* A group name, or a number that /etc/group need not know. */
static void load_control_group(struct cfg_ctx *ctx, config_setting_t *root,
			       struct config *cfg)
{
	const struct group *gr;
	char name[64], *end;
	long n;

	if (!cfg_str(ctx, root, "control_group", name, sizeof(name), false) ||
	    !name[0])
		return;
	gr = getgrnam(name);
	n = strtol(name, &end, 10);
	if (gr)
		cfg->control_group = gr->gr_gid;
	else if (!*end && n >= 0 && n <= 0x7fffffff)
		cfg->control_group = (gid_t)n;
	else {
		cfg_error(ctx, config_setting_get_member(root, "control_group"),
			  "control_group '%s': no such group", name);
		return;
	}
	cfg->has_control_group = true;
}

static void load_globals(struct cfg_ctx *ctx, config_setting_t *root,
			 struct config *cfg)
{
	static const char *const known[] = { "log_level", "log_syslog",
		"state_dir", "control_socket", "control_group", "media_backend", "user_agent",
		"tls_contexts", "media_realms", "sip_interfaces", "proxy_sets",
		"ip_groups", "routing", "max_calls", "max_call_rate", "sip_limits",
		"registrar", "metrics", "dns", NULL };
	char level[16];
	long v;

	cfg_check_keys(ctx, root, known);
	if (cfg_str(ctx, root, "log_level", level, sizeof(level), false)) {
		cfg->log_level = log_level_parse(level);
		if (cfg->log_level < 0) {
			cfg_error(ctx, config_setting_get_member(root, "log_level"),
				  "log_level '%s': use error, warning, info or debug",
				  level);
			cfg->log_level = LOG_LVL_INFO;
		}
	}
	cfg_bool(ctx, root, "log_syslog", &cfg->log_syslog);
	if (cfg_int(ctx, root, "max_calls", 0, 10000000, &v))
		cfg->max_calls = (unsigned int)v;
	if (cfg_int(ctx, root, "max_call_rate", 0, 1000000, &v))
		cfg->max_call_rate = (unsigned int)v;
	cfg_str(ctx, root, "state_dir", cfg->state_dir, sizeof(cfg->state_dir), false);
	cfg_str(ctx, root, "control_socket", cfg->control_socket,
		sizeof(cfg->control_socket), false);
	load_control_group(ctx, root, cfg);
	cfg_str(ctx, root, "user_agent", cfg->user_agent, sizeof(cfg->user_agent),
		false);
	if (cfg_str(ctx, root, "media_backend", cfg->media_backend,
		    sizeof(cfg->media_backend), false) &&
	    strcmp(cfg->media_backend, "auto") &&
	    strcmp(cfg->media_backend, "record"))
		cfg_error(ctx, config_setting_get_member(root, "media_backend"),
			  "media_backend '%s': use auto or record",
			  cfg->media_backend);
}

static void set_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->log_level = LOG_LVL_INFO;
	strcpy(cfg->state_dir, "/var/lib/srtprelayd");
	strcpy(cfg->media_backend, "auto");
	strcpy(cfg->user_agent, "srtprelayd");
	config_limits_defaults(&cfg->limits);
}

static void cross_checks(struct cfg_ctx *ctx, config_setting_t *root,
			 struct config *cfg)
{
	if (!cfg->n_ifaces)
		cfg_error(ctx, root, "no sip_interfaces: nothing to listen on");
	if (!cfg->n_realms)
		cfg_error(ctx, root, "no media_realms: calls would have no media ports");
	if (!cfg->control_socket[0])
		snprintf(cfg->control_socket, sizeof(cfg->control_socket),
			 "%.400s/control.sock", cfg->state_dir);
}

int config_load(const char *path, struct config *cfg)
{
	return config_load_report(path, cfg, stderr);
}

int config_load_report(const char *path, struct config *cfg, FILE *out)
{
	struct cfg_ctx ctx = { .file = path ? path : "(embedded default)",
			       .out = out };
	config_t lc;
	config_setting_t *root;
	int ok;

	set_defaults(cfg);
	snprintf(cfg->source, sizeof(cfg->source), "%s", ctx.file);
	config_init(&lc);
	ok = path ? config_read_file(&lc, path) :
		    config_read_string(&lc, config_default_text);
	if (!ok) {
		if (config_error_type(&lc) == CONFIG_ERR_FILE_IO) {
			fprintf(out, "%s: cannot read: %s\n", ctx.file,
				strerror(errno));
			config_destroy(&lc);
			return -1;
		}
		fprintf(out, "%s:%d: %s\n", config_error_file(&lc) ?
			config_error_file(&lc) : ctx.file,
			config_error_line(&lc), config_error_text(&lc));
		config_destroy(&lc);
		return 1;
	}
	root = config_root_setting(&lc);
	load_globals(&ctx, root, cfg);
	config_load_limits(&ctx, root, cfg);
	config_load_metrics(&ctx, root, cfg);
	config_load_dns(&ctx, root, cfg);
	config_load_tls(&ctx, root, cfg);
	config_load_realms(&ctx, root, cfg);
	config_load_ifaces(&ctx, root, cfg);
	config_load_proxy_sets(&ctx, root, cfg);
	config_load_groups(&ctx, root, cfg);
	config_load_routes(&ctx, root, cfg);
	config_load_registrar(&ctx, root, cfg);
	cross_checks(&ctx, root, cfg);
	config_destroy(&lc);
	return ctx.errors;
}

void config_free(struct config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->n_routes; i++) {
		if (cfg->routes[i].has_user)
			regfree(&cfg->routes[i].user_re);
		if (cfg->routes[i].has_host)
			regfree(&cfg->routes[i].host_re);
	}
	cfg->n_routes = 0;
	config_free_secrets(cfg);
}
