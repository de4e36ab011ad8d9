/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * srtprelayd's configuration: the objects an SBC operator knows, read from
 * one libconfig file (or the embedded default, config_default.c). Every
 * object is named; references between them are by name in the file and
 * resolved to indexes here. See config_default.c for a commented example.
 */
#ifndef SRTPRELAYD_CONFIG_H
#define SRTPRELAYD_CONFIG_H

#include <stdio.h>
#include <sys/socket.h>

#include "config/config_types.h"

/* The embedded default configuration (config_default.c). */
extern const char config_default_text[];

/*
 * Loads @path, or the embedded default when @path is NULL. Every mistake
 * is printed as "file:line: what" to stderr; returns the number of
 * mistakes (0: @cfg is ready), or -1 when the file cannot be read.
 */
int config_load(const char *path, struct config *cfg);
/* The same with the mistakes (and warnings) written to @out. */
int config_load_report(const char *path, struct config *cfg, FILE *out);
void config_free(struct config *cfg);

/* Lookup helpers, -1 when absent. */
int config_group_by_addr(const struct config *cfg,
			 const struct sockaddr_storage *addr);
/* The tls_name of the first TLS proxy-set target at @addr, or NULL. */
const char *config_tls_name(const struct config *cfg,
			    const struct sockaddr_storage *addr);

#endif
