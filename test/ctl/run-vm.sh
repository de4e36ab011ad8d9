#!/bin/sh
# Boots the kernel test VM with test/ctl/vm-smoke.sh as its test script:
# builds test/kernel's initramfs (module, srtprelayctl, srtp_peer), puts the
# smoke script where the guest's /init runs /ktest/tests.sh, and lets
# test/kernel/run-vm.sh judge (result line, kernel splats, timeout).
#
#   run-vm.sh            Environment: BUILD (default build), KMOD, KVER
set -eu

BUILD=${BUILD:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$BUILD/ctl-vm
OUT=$WORK/initramfs.cpio.gz

rm -rf "$WORK"
mkdir -p "$WORK/root"
BUILD=$BUILD sh "$HERE/../kernel/build-initramfs.sh" "$WORK/base.cpio.gz"
(cd "$WORK/root" && gzip -dc ../base.cpio.gz | cpio -id --quiet)
cp "$HERE/vm-smoke.sh" "$WORK/root/ktest/tests.sh"
chmod 755 "$WORK/root/ktest/tests.sh"
(cd "$WORK/root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet --owner=0:0) | gzip -1 >"$OUT"
BUILD=$BUILD TIMEOUT=${TIMEOUT:-400} sh "$HERE/../kernel/run-vm.sh" "$OUT"
