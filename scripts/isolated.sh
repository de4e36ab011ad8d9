#!/bin/sh
# Runs a command in network and mount namespaces of its own, with a private
# /run and /tmp, so that two suites with fixed ports and fixed paths (two
# make checks, or a developer's make sipcheck beside CI's) never meet.
# A tree checked out under /tmp (git clone . /tmp/fresh) stays visible: the
# host's /tmp is bound aside before the private one hides it, and the
# tree is bound back at its own path.
#
#   scripts/isolated.sh make sipcheck
exec unshare -n -m sh -c '
	tree=$(pwd -P)
	mount -t tmpfs tmpfs /run && mkdir /run/host-tmp &&
	mount --bind /tmp /run/host-tmp && mount -t tmpfs tmpfs /tmp || exit 1
	case $tree in
	/tmp/*) mkdir -p "$tree" &&
		mount --bind "/run/host-tmp/${tree#/tmp/}" "$tree" || exit 1 ;;
	esac
	cd "$tree" && ip link set lo up && exec "$@"' isolated "$@"
