#!/bin/sh
# Runs a command in network and mount namespaces of its own, with a private
# /run and /tmp, so that two suites with fixed ports and fixed paths (two
# make checks, or a developer's make sipcheck beside CI's) never meet.
#
#   scripts/isolated.sh make sipcheck
exec unshare -n -m sh -c '
	mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /tmp &&
	ip link set lo up && exec "$@"' isolated "$@"
