# A minimal Debian 12 root as a new machine has it, for the scripts that
# prove an install step there (fresh-machine.sh, fresh-packages.sh).
# Sourced, not run; the caller defines say() and die() and sets LOG.
#
#   fresh_root_build PREFIX INCLUDES   mmdebstrap a bookworm root with this
#                                      machine's apt sources, a clean clone
#                                      of HEAD in /root/srtprelay, mounted
#   in_root COMMAND                    sh -c COMMAND in /root/srtprelay
#   fresh_root_unmount                 what fresh_root_build mounted
#   fresh_root_cleanup                 kill what runs there, unmount, remove
#                                      (KEEP=1 keeps the root)
# FRESH_ROOT names the root's folder (default: a new one under /var/tmp).

fresh_root_build() {
	command -v mmdebstrap >/dev/null ||
		apt-get install -y --no-install-recommends mmdebstrap >>"$LOG" 2>&1 ||
		die "cannot install mmdebstrap"
	ROOT=${FRESH_ROOT:-$(mktemp -d "/var/tmp/$1.XXXXXX")}
	# This machine's apt sources and fetch options, as a new machine of
	# this workplace has them.
	sources=""
	for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[ -s "$file" ] && sources="$sources $file"
	done
	aptopts=""
	for file in /etc/apt/apt.conf.d/*; do
		grep -q '^Acquire::' "$file" 2>/dev/null && aptopts="$aptopts --aptopt=$file"
	done
	say "building a minimal Debian 12 root in $ROOT"
	started=$(date +%s)
	# shellcheck disable=SC2086
	mmdebstrap --variant=minbase --include="$2" $aptopts bookworm "$ROOT" \
		$sources >>"$LOG" 2>&1 || die "mmdebstrap failed (see $LOG)"
	say "root built in $(( $(date +%s) - started )) s"
	git clone -q "$(pwd)" "$ROOT/root/srtprelay"
	git -C "$ROOT/root/srtprelay" checkout -q "$(git rev-parse HEAD)"
	say "clean clone of $(git rev-parse --short HEAD) in /root/srtprelay"
	# The root is a mount point, as / is on a machine: ip netns and
	# unshare -m change its propagation, which fails on a plain folder.
	mount --bind "$ROOT" "$ROOT"
	mount -t proc proc "$ROOT/proc"
	mount --rbind /sys "$ROOT/sys" && mount --make-rslave "$ROOT/sys"
	mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev"
	mount -t tmpfs tmpfs "$ROOT/run"
}

in_root() {
	chroot "$ROOT" /usr/bin/env -i HOME=/root TERM=dumb \
		DEBIAN_FRONTEND=noninteractive CI="${CI:-}" \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c "cd /root/srtprelay && $1"
}

fresh_root_unmount() {
	for mnt in run dev/pts dev sys proc; do
		umount -R -l "$ROOT/$mnt" 2>/dev/null
	done
	umount -l "$ROOT" 2>/dev/null
	return 0
}

fresh_root_cleanup() {
	set +e
	[ -n "${ROOT:-}" ] || return 0
	# Processes a suite may have left inside the root hold its mounts.
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		[ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$ROOT" ] &&
			kill -KILL "$pid" 2>/dev/null
	done
	sleep 1
	fresh_root_unmount
	if [ "${KEEP:-0}" = 1 ]; then
		say "root kept in $ROOT"
	else
		rm -rf --one-file-system "$ROOT"
	fi
}
