/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Who may use a local control socket (the userspace datapath's and
 * srtprelayd's): the peer's credentials as the kernel reports them for a
 * connected unix socket (peer_cred.c).
 */
#ifndef SRTPRELAY_PEER_CRED_H
#define SRTPRELAY_PEER_CRED_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Root, our own effective user, or a member of @group (primary or
 * supplementary; NULL: no group). The kernel gives the peer's ids as our
 * user namespace sees them, so root of a user namespace of one's own is
 * its real user here.
 */
bool peer_cred_allowed(int fd, const gid_t *group);

#endif
