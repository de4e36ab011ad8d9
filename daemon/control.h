/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The control socket: a unix stream socket (config control_socket). A
 * client writes one command line, reads the reply until the daemon closes
 * the connection. Commands:
 *   calls      every call, its legs, negotiated suites and media counters
 *   streams    every stream given to the media plane (no key material:
 *              keys appear as "key-id", the first 4 bytes of
 *              SHA-256(key||salt) in hex, enough to tell keys apart)
 *   status     backend, counts of calls, transactions, connections
 *   reload     what SIGHUP does (reload.h): one line "ok reloaded FILE",
 *              or one line "error WHY" per refusal (a file:line mistake,
 *              a change that needs a restart, a TLS context that does not
 *              build); nothing is applied unless the answer is ok
 * calls and status may be followed by " -j" for one JSON object instead
 * of text.
 * Replies end with a line "end" (text) so a client can tell a complete
 * answer from a truncated one.
 */
#ifndef SRTPRELAYD_CONTROL_H
#define SRTPRELAYD_CONTROL_H

struct srtprelayd;

/* The socket at @d's control_socket; commands read @d's configuration
 * and reload it. */
int control_start(struct srtprelayd *d);
void control_stop(struct srtprelayd *d);

#endif
