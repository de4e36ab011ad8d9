#!/bin/sh
# Boots Debian's kernel under QEMU (TCG) with the test initramfs and reports
# the in-guest test status. The run fails when the tests fail, when the guest
# never prints its result line (hang, panic, timeout) and when the console
# shows any kernel splat, even if every check passed: a warning in the
# module is a bug whether or not the packets arrived.
#
#   run-vm.sh [INITRAMFS]
#
# Environment: KVER, BUILD, TIMEOUT (seconds, default 1200), KTEST (run only
# checks whose names contain one of these comma-separated words), APPEND
# (more kernel parameters), ACCEL (default tcg: a KVM guest hangs at boot on
# this host).
set -u

KVER=${KVER:-$(sh "$(dirname "$0")/../../scripts/kver.sh")} || exit 2
BUILD=${BUILD:-build}
TIMEOUT=${TIMEOUT:-1200}
ACCEL=${ACCEL:-tcg}
CPU=${CPU:-max}
INITRD=${1:-$BUILD/kernel/initramfs.cpio.gz}
KERNEL=/boot/vmlinuz-$KVER
LOG=${LOG:-$BUILD/kernel/console.log}

[ -r "$KERNEL" ] || { echo "run-vm: cannot read $KERNEL" >&2; exit 2; }
[ -r "$INITRD" ] || { echo "run-vm: no initramfs $INITRD" >&2; exit 2; }
mkdir -p "$(dirname "$LOG")"

# oops=panic and panic=-1 end the run at the first oops (-no-reboot makes
# QEMU exit instead of rebooting); warnings are found on the console.
# the module's slab caches apart so /proc/slabinfo shows what it frees.
append="console=ttyS0 panic=-1 oops=panic slab_nomerge"
# slub_debug=FZP: sanity checks, red zones and poisoning in every slab, so
# a use after free or an overrun in the module is reported, not silent
# (the Debian kernel has no KASAN). About a third slower under TCG.
append="$append loglevel=5 mitigations=off ${SLUB_DEBUG-slub_debug=FZP}"
# no_timer_check: under TCG on a loaded host the boot-time check of the
# IO-APIC timer can miss its ticks and panic ("IO-APIC + timer doesn't
# work"), seen here at a load of 15; the emulated timer works regardless.
append="$append no_timer_check"
append="$append ${KTEST:+ktest=$KTEST} ${APPEND:-}"

capture=$(mktemp)
trap 'rm -f "$capture"' EXIT
start=$(date +%s)
echo "run-vm: booting $KERNEL ($ACCEL), timeout ${TIMEOUT}s, console in $LOG"
# -nic none: the guest has no network card; its traffic stays in the
# namespaces it creates.
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 \
	-accel "$ACCEL" -cpu "$CPU" -m 1024 -smp 2 \
	-nographic -no-reboot -nic none \
	-kernel "$KERNEL" -initrd "$INITRD" -append "$append" \
	</dev/null 2>&1 | tr -d '\r' | tee "$capture"
end=$(date +%s)
# The verdict is taken from this run's own capture: another run (make check
# beside make kboot) may be writing $LOG at the same time.
cp "$capture" "$LOG"

status=0
result=$(sed -n 's/^KTEST-RESULT: exit=\([0-9]*\).*/\1/p' "$capture" | tail -1)
booted=$(sed -n 's/^KTEST-BOOTED: uptime=//p' "$capture" | tail -1)
finished=$(sed -n 's/^KTEST-FINISHED: uptime=//p' "$capture" | tail -1)

if [ -z "$result" ]; then
	echo "run-vm: FAIL: the guest printed no result (hang, panic or timeout)"
	status=1
elif [ "$result" -ne 0 ]; then
	echo "run-vm: FAIL: the tests in the guest exited $result"
	status=1
fi

# "BUG kmalloc-64 (...): Poison overwritten" is how SLUB debugging reports.
splats='WARNING:|BUG:|BUG [^ ]+ \(|Oops|refcount_t|lockdep|KASAN|general protection|Call Trace'
if grep -aEn "$splats" "$capture" >/dev/null; then
	echo "run-vm: FAIL: kernel splat on the console:"
	grep -aEn "$splats" "$capture" | head -20
	status=1
fi

echo "run-vm: guest boot to /init ${booted:-?} s, tests until ${finished:-?} s of guest uptime;" \
	"wall clock $((end - start)) s"
[ "$status" -eq 0 ] && echo "run-vm: PASS"
exit "$status"
