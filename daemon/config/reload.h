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

struct transport;

/* What a reload works on, filled by main(). */
struct reload_ctx {
	/* The configuration every part was started with. It keeps its
	 * address: applying is a copy over it. */
	struct config *live;
	const char *file;	/* NULL: the embedded default */
	bool debug;		/* -d was given: log_level stays debug */
	/* What the layers above do with a checked configuration: @apply
	 * before it is copied over @live (routing takes its targets'
	 * state), @applied after (keep-alives restart). */
	void (*apply)(const struct config *live, const struct config *next);
	void (*applied)(const struct config *live);
	struct transport *transport;	/* whose TLS slots a reload swaps */
};

/*
 * Reloads as above. Appends to @report one line "ok ..." on success, or
 * one line per refusal ("error ..."); each refusal is logged too. Returns
 * 0 when applied, -1 when refused (nothing changed).
 */
int reload_run(const struct reload_ctx *ctx, struct sbuf *report);

#endif
