/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Configuration reload: SIGHUP and the control socket's "reload" run the
 * same reload_run(). It re-reads the file srtprelayd was started with (or
 * the embedded default) and every TLS context's certificate, key, chain
 * and trust store, and applies all of it or nothing:
 *
 *   - a file with mistakes is refused with each one as "file:line: what";
 *   - a change that needs a restart (sip_interfaces, media_realms,
 *     state_dir, control_socket, media_backend, log_syslog, adding,
 *     removing or renaming TLS contexts, removing, renaming or reordering
 *     proxy sets or IP groups) is refused with one line naming it;
 *   - a TLS context whose files do not build is refused with the reason.
 *
 * Otherwise TLS contexts, proxy sets, IP groups (new ones appended), routes,
 * user_agent and log_level take effect for what starts next: new TLS
 * connections get the new contexts, new calls the new groups and routes.
 * Established connections keep their context and every call keeps the IP
 * group settings it was set up with (struct leg's policy).
 */
#ifndef SRTPRELAYD_RELOAD_H
#define SRTPRELAYD_RELOAD_H

#include <stdbool.h>

#include "config/config.h"
#include "base/sbuf.h"

/* @live is the configuration every part was started with; @file NULL: the
 * embedded default; @debug: -d was given (log_level stays debug). */
void reload_setup(struct config *live, const char *file, bool debug);
/*
 * Reloads as above. Appends to @report one line "ok ..." on success, or
 * one line per refusal ("error ..."); each refusal is logged too. Returns
 * 0 when applied, -1 when refused (nothing changed).
 */
int reload_run(struct sbuf *report);

#endif
