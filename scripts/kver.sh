#!/bin/sh
# The one place that decides which Debian kernel srtprelay.ko is built for
# and the test guest boots: the newest installed linux-image-*-amd64 that has
# its modules (/lib/modules/V/kernel), its image (/boot/vmlinuz-V) and its
# headers (/lib/modules/V/build). Debian moves the ABI number with its
# updates, so no version is written anywhere in the tree.
#
#   kver.sh              print the guest kernel (KVER= in the environment wins)
#   kver.sh kdir         print the headers make kmod builds against: the running
#                        kernel's when it has them (an SBC host), else the guest's
#   kver.sh check KDIR   fail with one line when KDIR does not build for KVER
#
# Every failure is one line on stderr naming what to install or set.
set -eu

install_hint="apt-get install linux-image-amd64 linux-headers-amd64 (or make deps)"

complete_kernel() {
	[ -d "/lib/modules/$1/kernel" ] && [ -r "/boot/vmlinuz-$1" ] &&
		[ -e "/lib/modules/$1/build/Makefile" ]
}

newest_kernel() {
	for dir in /lib/modules/*-amd64; do
		[ -d "$dir" ] || continue
		version=${dir##*/}
		complete_kernel "$version" && echo "$version"
	done | sort -V | tail -n 1
}

# KVER from the environment is taken as given, but must be complete too.
guest_kernel() {
	if [ -n "${KVER:-}" ]; then
		if ! complete_kernel "$KVER"; then
			echo "kver: KVER=$KVER lacks its image, modules or headers: apt-get install linux-image-$KVER linux-headers-$KVER" >&2
			return 1
		fi
		echo "$KVER"
		return 0
	fi
	found=$(newest_kernel)
	if [ -z "$found" ]; then
		echo "kver: no Debian amd64 kernel with image, modules and headers is installed: $install_hint" >&2
		return 1
	fi
	echo "$found"
}

# The kernel release a header tree builds for: what the module's vermagic
# will say (kernel.release holds the upstream version on Debian, not this).
release_of() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$1/include/generated/utsrelease.h" 2>/dev/null || true
}

case "${1:-kver}" in
kver)
	guest_kernel
	;;
kdir)
	running=/lib/modules/$(uname -r)/build
	if [ -e "$running/Makefile" ]; then
		echo "$running"
	else
		echo "/lib/modules/$(guest_kernel)/build"
	fi
	;;
check)
	kdir=${2:?usage: kver.sh check KDIR}
	guest=$(guest_kernel)
	built_for=$(release_of "$kdir")
	if [ -z "$built_for" ]; then
		echo "kver: KDIR=$kdir holds no kernel headers: apt-get install linux-headers-$guest" >&2
		exit 1
	fi
	if [ "$built_for" != "$guest" ]; then
		echo "kver: KDIR=$kdir builds for $built_for but the guest boots $guest: set KDIR=/lib/modules/$guest/build or KVER=$built_for (apt-get install linux-image-$built_for)" >&2
		exit 1
	fi
	;;
*)
	echo "usage: kver.sh [kver | kdir | check KDIR]" >&2
	exit 2
	;;
esac
