/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Printing of realms, streams and counters, as text or (with a writer) as
 * JSON; shared by show, realm list, stream get and stats. Never prints key
 * material: the kernel does not return it, and the structs printed here
 * come from dumps only.
 */
#ifndef SRTPRELAYCTL_SHOW_H
#define SRTPRELAYCTL_SHOW_H

#include "json.h"
#include "relay_netlink.h"

/* j NULL: text. */
void print_realm(struct json *j, const struct relay_nl_realm *realm);
void print_stream(struct json *j, const struct relay_nl_stream *s);

#endif /* SRTPRELAYCTL_SHOW_H */
