#!/bin/sh
# The Debian packages on a new Debian 12 machine: builds a minimal bookworm
# root (scripts/fresh-root.sh: mmdebstrap, this machine's apt sources), puts a clean clone of HEAD in it and, chrooted there, installs the
# Build-Depends, builds the .debs with dpkg-buildpackage -us -uc -b and runs
# lintian (scripts/packages.sh), installs them with apt beside the 6.1
# kernel's headers, and checks what an operator relies on: DKMS built
# srtprelay.ko for that kernel (modinfo shows it) and for one whose headers
# come later, the service user exists,
# srtprelayd is enabled and the datapath is not, systemd-analyze verify
# prints nothing on the installed units, srtprelayd -t accepts the
# installed configuration; a purge takes the module away again; then the
# root is booted with systemd-nspawn and the units checked as systemd runs
# them (scripts/boot-units.sh).
# Not part of make check (minutes of apt work): run it when debian/,
# dkms.conf, the units or make install change.
#
#   scripts/fresh-packages.sh        (as root; about 10 minutes here)
#
# Environment: FRESH_ROOT (the root's folder, default a new one under
# /var/tmp), KEEP=1 (keep the root), LOG (default
# build/fresh-packages.log). The last line is "N passed, N failed".
set -eu
cd "$(dirname "$0")/.."
TREE=$(pwd)
LOG=${LOG:-$TREE/build/fresh-packages.log}
passed=0
failed=0

say() { echo "fresh-packages: $*" | tee -a "$LOG"; }
die() { say "$*"; echo "$passed passed, $((failed + 1)) failed"; exit 2; }

[ "$(id -u)" -eq 0 ] || { echo "fresh-packages: run as root (mmdebstrap, chroot, mounts)" >&2; exit 2; }
mkdir -p "$(dirname "$LOG")"
: >"$LOG"
. scripts/fresh-root.sh
trap fresh_root_cleanup EXIT
trap 'exit 130' INT TERM

fresh_root_build srtprelay-packages make,git,dpkg-dev

check() {
	desc=$1
	shift
	if in_root "$*" >"$LOG.out" 2>&1; then
		passed=$((passed + 1))
		echo "  ok   $desc"
	else
		failed=$((failed + 1))
		echo "  FAIL $desc"
		sed 's/^/  | /' "$LOG.out" | tail -n 15
	fi
	cat "$LOG.out" >>"$LOG"
}

say "installing the Build-Depends (dpkg-checkbuilddeps) and lintian"
started=$(date +%s)
# mmdebstrap leaves the root without package lists.
in_root "apt-get update" >>"$LOG" 2>&1 || die "apt-get update failed (see $LOG)"
# shellcheck disable=SC2016 # expanded in the root
in_root 'apt-get install -y --no-install-recommends lintian $(dpkg-checkbuilddeps 2>&1 |
	sed -n "s/.*Unmet build dependencies: //p" | sed "s/([^)]*)//g")' \
	>>"$LOG" 2>&1 || die "cannot install the Build-Depends (see $LOG)"
say "Build-Depends installed in $(( $(date +%s) - started )) s"

check "the .debs build (dpkg-buildpackage -us -uc -b), lintian has no error" \
	sh scripts/packages.sh /root/deb
grep -E '^packages: ' "$LOG.out" | sed 's/^/  /'
grep -E '^lintian: [EW]: ' "$LOG.out" | sed 's/^/  /'

say "installing the .debs with the 6.1 kernel's headers and systemd"
started=$(date +%s)
check "apt-get installs srtprelay-dkms, srtprelayd, srtprelay-tools" \
	apt-get install -y --no-install-recommends linux-headers-amd64 \
	systemd man-db /root/deb/srtprelay-dkms_*.deb /root/deb/srtprelayd_*.deb \
	/root/deb/srtprelay-tools_*.deb
say "installed in $(( $(date +%s) - started )) s"
grep -E 'dkms|srtprelay\.ko|Building module' "$LOG.out" | tail -n 8 | sed 's/^/  | /'
KVER=$(in_root "ls /lib/modules | grep '^6\.1\.' | sort -V | tail -n 1")
say "kernel headers: ${KVER:-none}"

check "dkms status: srtprelay installed for $KVER" \
	"dkms status srtprelay | grep -q '$KVER.*: installed'"
check "modinfo -k $KVER srtprelay shows the DKMS-built module" \
	"modinfo -k $KVER srtprelay | tee /dev/stderr | grep -Eq '^filename: +/lib/modules/$KVER/updates/dkms/srtprelay.ko'"
grep -E '^(filename|vermagic|srcversion|license):' "$LOG.out" | sed 's/^/  | /'
check "srtprelay.ko is loaded at boot (modules-load.d)" \
	"grep -qx srtprelay /usr/lib/modules-load.d/srtprelay.conf"
check "the service user srtprelay exists, a system user without a shell" \
	"id srtprelay && getent passwd srtprelay | grep -q ':/usr/sbin/nologin$'"
check "srtprelayd.service is enabled, srtprelay-datapath.service is not" \
	"test -L /etc/systemd/system/multi-user.target.wants/srtprelayd.service &&
	 ! test -e /etc/systemd/system/multi-user.target.wants/srtprelay-datapath.service"
check "systemd-analyze verify prints nothing on the installed units" \
	"out=\$(systemd-analyze verify /lib/systemd/system/srtprelayd.service \
		/lib/systemd/system/srtprelay-datapath.service 2>&1); rc=\$?;
	 printf '%s' \"\$out\"; [ \$rc -eq 0 ] && [ -z \"\$out\" ]"
check "srtprelayd -t accepts /etc/srtprelay/srtprelayd.conf" \
	srtprelayd -t -c /etc/srtprelay/srtprelayd.conf
check "srtprelayctl -V says the package's version" \
	"srtprelayctl -V | grep -q \"\$(dpkg-query -W -f='\${Version}' srtprelay-tools)\""
# A kernel installed after the package: its headers' hook runs DKMS.
LATER=$(in_root "apt-cache search --names-only '^linux-headers-6\.1\.0-[0-9]+-amd64\$' |
	sed 's/^linux-headers-\([^ ]*\) .*/\1/' | grep -vx '$KVER' | sort -V | tail -n 1")
check "a kernel's headers installed later (${LATER:-none}) get the module too" \
	"[ -n '$LATER' ] &&
	 apt-get install -y --no-install-recommends linux-headers-$LATER &&
	 dkms status srtprelay | grep -q '$LATER.*: installed' &&
	 modinfo -k $LATER -F filename srtprelay"
check "apt-get purge srtprelay-dkms removes the module" \
	"apt-get purge -y srtprelay-dkms && ! modinfo -k $KVER srtprelay &&
	 ! modinfo -k $LATER srtprelay &&
	 ! test -e /usr/src/srtprelay-*"
rm -f "$LOG.out"

# The units under a real systemd: the root booted with systemd-nspawn.
fresh_root_unmount
say "booting the root with systemd-nspawn (scripts/boot-units.sh)"
LOG=$LOG sh scripts/boot-units.sh "$ROOT" >"$LOG.boot" 2>&1
grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$LOG.boot"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$LOG.boot" | tail -n 1)
passed=$((passed + ${summary%% *}))
failed=$((failed + $(echo "${summary:-0 passed, 1 failed}" | sed -E 's/.* ([0-9]+) failed/\1/')))
rm -f "$LOG.boot"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
