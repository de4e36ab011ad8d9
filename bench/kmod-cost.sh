#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# What srtprelay.ko costs, measured in the TCG guest of test/kernel (issue
# 18, items 3 and 5), apart from bench/vm.sh's calls-per-core searches:
#
#   - memory per stream: the growth of the guest's Slab and Percpu
#     counters (/proc/meminfo) when 1,000 and then 10,000 streams
#     (AES_CM_128_HMAC_SHA1_80 both ways) are added, divided by their
#     number, beside the goal of 4 KB;
#   - ns per packet on the relay's vCPU: one fixed step of bench/netns.sh
#     (srtp mode, $CALLS calls, no search), loadgen's ns_per_pkt (the
#     relay core's busy time over the packets it relayed);
#   - where those ns go: perf (cpu-clock samples on the relay's vCPU) in a
#     second run of the same step, shown by symbol with its callees.
#
# With BASE_KO=path/to/srtprelay.ko (built for the same kernel, e.g. from
# the commit before a change) both modules are measured in the same boot,
# one after the other and then again in the other order, so that a before
# and an after are compared under the same host load.
#
# Environment: BUILD, KVER, BASE_KO, CALLS (default 64), DURATION (seconds
# per step, default 5), TIMEOUT (whole guest run, default 900).
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
VMB=$BUILD/bench-kmod
KVER=${KVER:-$(sh scripts/kver.sh)} || exit 2
BASE_KO=${BASE_KO:-}
CALLS=${CALLS:-64}
DURATION=${DURATION:-5}
TIMEOUT=${TIMEOUT:-900}

skip() {
	echo "kmod-cost: SKIPPED: $*"
	exit 0
}
[ -f srtprelay.ko ] || skip "no srtprelay.ko (make kmod)"
[ -x "$BUILD/kernel/nl_raw" ] || skip "no $BUILD/kernel/nl_raw (make ktools)"
[ -r "/boot/vmlinuz-$KVER" ] || skip "no /boot/vmlinuz-$KVER"
command -v qemu-system-x86_64 >/dev/null || skip "no qemu-system-x86_64"
for ko in srtprelay.ko $BASE_KO; do
	case "$(modinfo -F vermagic "$ko")" in
	"$KVER "*) ;;
	*) skip "$ko is not built for $KVER" ;;
	esac
done
perf=
command -v perf >/dev/null && perf=$(command -v perf)

initrd=$VMB/kernel/initramfs.cpio.gz
mkdir -p "$VMB"
extra="$BUILD/srtprelayctl $BUILD/bench/loadgen $BUILD/bench/relaysetup $BUILD/kernel/nl_raw $perf"
BUILD=$VMB KVER=$KVER KMOD=srtprelay.ko EXTRA_PROGRAMS=$extra \
	sh test/kernel/build-initramfs.sh "$initrd" >"$VMB/initramfs.log" 2>&1 ||
	{ cat "$VMB/initramfs.log"; exit 1; }
# Our /init, netns.sh and the modules to compare, as a second archive
# after the test bed's (later files replace earlier ones).
overlay=$VMB/overlay
rm -rf "$overlay"
mkdir -p "$overlay/bench/bench" "$overlay/bench/build/bench" "$overlay/etc" \
	"$overlay/lib/modules/$KVER"
cp bench/kmod-cost-init "$overlay/init"
chmod 755 "$overlay/init"
cp bench/netns.sh "$overlay/bench/bench/"
for tool in loadgen relaysetup; do
	ln -sf "/usr/bin/$tool" "$overlay/bench/build/bench/$tool"
done
cp srtprelay.ko "$overlay/lib/modules/$KVER/srtprelay-new.ko"
variants=new
if [ -n "$BASE_KO" ]; then
	cp "$BASE_KO" "$overlay/lib/modules/$KVER/srtprelay-base.ko"
	variants="base new new base"
fi
echo "$variants" >"$overlay/etc/kmod-variants"
echo "calls=$CALLS duration=$DURATION" >"$overlay/etc/kmod-cost.conf"
(cd "$overlay" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet --owner=0:0) | gzip -1 >>"$initrd"

echo "kmod-cost: load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
# No slub_debug: its red zones would be counted as the module's memory.
BUILD=$VMB TIMEOUT=$TIMEOUT SLUB_DEBUG= sh test/kernel/run-vm.sh "$initrd" >"$VMB/run.log" 2>&1
status=$?
grep -a -E '^KMOD-|^kmod-cost' "$VMB/kernel/console.log" | sed 's/^KMOD-[A-Z]*: //'
echo "kmod-cost: load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
tail -2 "$VMB/run.log"
exit $status
