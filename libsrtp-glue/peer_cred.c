// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The peer-credential check of peer_cred.h. */
#include <sys/socket.h>
#include <unistd.h>

#include "peer_cred.h"

#define MAX_PEER_GROUPS 256

static bool in_groups(gid_t group, const gid_t *groups, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (groups[i] == group)
			return true;
	return false;
}

bool peer_cred_allowed(int fd, const gid_t *group)
{
	gid_t groups[MAX_PEER_GROUPS];
	socklen_t len = sizeof(struct ucred);
	struct ucred cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return false;
	if (cred.uid == 0 || cred.uid == geteuid())
		return true;
	if (!group)
		return false;
	if (cred.gid == *group)
		return true;
	len = sizeof(groups);
	return !getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) &&
	       in_groups(*group, groups, len / sizeof(gid_t));
}
