#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Calls per core for srtprelay.ko, in a QEMU guest running Debian's 6.1
# kernel under TCG (test/kernel's test bed: this host's own kernel cannot
# load a module built for 6.1, and KVM hangs at boot here). The guest gets
# 2 vCPUs: the module's softirq work on vCPU 0, bench/loadgen on vCPU 1,
# the same namespaces and RPS steering as bench/netns.sh on the host.
#
# TCG emulates every guest instruction: figures from the guest are
# comparable only with other relays measured in the same guest, never with
# the host's.
#
# Also measured in the guest when they are installed: rtpengine's userspace
# daemon (rtpengine-daemon) and its kernel forwarding (xt_RTPENGINE from
# rtpengine-kernel-dkms, with rtpengine-iptables).
#
# Environment: BUILD, CSV (steps, appended), SUMMARY (results, appended),
# TIMEOUT (seconds for the whole guest run, default 720), BENCHARGS
# (loadgen options, comma-separated), VM_SYSTEMS (comma-separated, to run
# fewer than every system there is), MODES (bench/netns.sh's modes,
# space-separated). rtpengine's userspace daemon runs only srtp and rtp
# here: the host's rows compare it in every mode. Its kernel module runs
# only pass and rtp: rtpengine 10.5 passes same-suite SDES through
# unless something needs the plain packet, and what bench/netns.sh uses
# to force decryption (DTMF logging) also keeps the packets out of the
# kernel, so its srtp, aes256 and gcm rows would measure the daemon.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
VMB=$BUILD/bench-vm
KVER=${KVER:-$(sh scripts/kver.sh)} || exit 2
CSV=${CSV:-bench/results/steps.csv}
SUMMARY=${SUMMARY:-}
TIMEOUT=${TIMEOUT:-720}
MODES=${MODES:-srtp aes256 gcm pass rtp}
# 32, 64, 128 calls: the guest's generator saturates near 128 (README), and
# twelve searches must fit make bench's 20 minutes.
BENCHARGS=${BENCHARGS:---start,32,--duration,3,--warmup,1,--max-steps,3,--budget,40,--attempts,2,--p99-limit,50000,--port-base,40000}

skip() {
	echo "bench-vm: SKIPPED: $*"
	[ -n "$SUMMARY" ] && echo "srtprelay-kmod,srtp,,,,,,,,,skipped: $*" >>"$SUMMARY"
	exit 0
}
[ -f srtprelay.ko ] || skip "no srtprelay.ko (make kmod)"
[ -r "/boot/vmlinuz-$KVER" ] || skip "no /boot/vmlinuz-$KVER"
command -v qemu-system-x86_64 >/dev/null || skip "no qemu-system-x86_64"
case "$(modinfo -F vermagic srtprelay.ko)" in
"$KVER "*) ;;
*) skip "srtprelay.ko is not built for $KVER" ;;
esac

initrd=$VMB/kernel/initramfs.cpio.gz
extra="$BUILD/srtprelayctl $BUILD/bench/loadgen $BUILD/bench/relaysetup"
# rtpengine's userspace daemon beside the module, for a comparison within
# the guest (VM_RTPENGINE=0 leaves it out: it brings ~170 MB of libraries).
systems=srtprelay-kmod
if [ "${VM_RTPENGINE:-1}" = 1 ] && [ -x /usr/bin/rtpengine ]; then
	extra="$extra /usr/bin/rtpengine"
	systems=srtprelay-kmod,rtpengine
fi
# rtpengine's kernel forwarding too, when its module is built for the
# guest's kernel (rtpengine-kernel-dkms) and its iptables extension is
# here (rtpengine-iptables): xt_RTPENGINE, legacy iptables to hook it into
# the sbc's INPUT chain, and the modules both need. Missing, it is a row
# that says why.
xtables=/usr/lib/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/xtables
rtpe_ko=$(modinfo -k "$KVER" -n xt_RTPENGINE 2>/dev/null)
rtpe_missing=
if [ "${VM_RTPENGINE:-1}" != 1 ] || [ ! -x /usr/bin/rtpengine ]; then
	rtpe_missing="no rtpengine in the guest"
elif [ -z "$rtpe_ko" ]; then
	rtpe_missing="no xt_RTPENGINE for $KVER (apt install rtpengine-kernel-dkms)"
elif ! modinfo -F vermagic "$rtpe_ko" | grep -q "^$KVER "; then
	rtpe_missing="$rtpe_ko is not built for $KVER"
elif [ ! -f "$xtables/libxt_RTPENGINE.so" ]; then
	rtpe_missing="no libxt_RTPENGINE.so (apt install rtpengine-iptables)"
elif [ ! -x /usr/sbin/xtables-legacy-multi ]; then
	rtpe_missing="no xtables-legacy-multi (apt install iptables)"
fi
if [ -z "$rtpe_missing" ]; then
	extra="$extra /usr/sbin/xtables-legacy-multi"
	systems=$systems,rtpengine-kernel
	[ -n "$SUMMARY" ] && for mode in $MODES; do
		case "$mode" in pass | rtp) continue ;; esac
		echo "rtpengine-kernel,$mode,,,,,,,,,skipped: rtpengine 10.5 re-keys same-suite SDES only in its daemon" >>"$SUMMARY"
	done
else
	echo "bench-vm: rtpengine kernel SKIPPED: $rtpe_missing"
	[ -n "$SUMMARY" ] && for mode in $MODES; do
		echo "rtpengine-kernel,$mode,,,,,,,,,skipped: $rtpe_missing" >>"$SUMMARY"
	done
fi
systems=${VM_SYSTEMS:-$systems}
mkdir -p "$VMB"
BUILD=$VMB KVER=$KVER KMOD=srtprelay.ko EXTRA_PROGRAMS=$extra \
	sh test/kernel/build-initramfs.sh "$initrd" >"$VMB/initramfs.log" 2>&1 ||
	{ cat "$VMB/initramfs.log"; exit 1; }
# Our /init and scripts as a second archive after the test bed's: the
# kernel unpacks concatenated archives in order, later files replacing
# earlier ones.
overlay=$VMB/overlay
rm -rf "$overlay"
mkdir -p "$overlay/bench/bench" "$overlay/bench/build/bench"
cp bench/vm-init "$overlay/init"
chmod 755 "$overlay/init"
cp bench/netns.sh "$overlay/bench/bench/"
for tool in loadgen relaysetup; do
	ln -sf "/usr/bin/$tool" "$overlay/bench/build/bench/$tool"
done
if [ -z "$rtpe_missing" ]; then
	# Loaded by /init just before rtpengine-kernel's runs, in this order,
	# so that nothing of iptables is there while the others are measured.
	mkdir -p "$overlay/lib/modules/$KVER" "$overlay/etc" "$overlay$xtables"
	: >"$overlay/etc/rtpengine-modules.order"
	for module in iptable_filter xt_RTPENGINE; do
		modprobe -S "$KVER" --show-depends "$module" | while read -r verb path _; do
			[ "$verb" = insmod ] || continue
			name=$(basename "$path")
			case "$name" in
			*.ko.xz) name=${name%.xz}; xz -dc "$path" >"$overlay/lib/modules/$KVER/$name" ;;
			*.ko.zst) name=${name%.zst}; zstd -qdc "$path" >"$overlay/lib/modules/$KVER/$name" ;;
			*) cp "$path" "$overlay/lib/modules/$KVER/$name" ;;
			esac
			grep -qx "$name" "$overlay/etc/rtpengine-modules.order" ||
				echo "$name" >>"$overlay/etc/rtpengine-modules.order"
		done
	done
	for ext in libxt_RTPENGINE.so libxt_standard.so libxt_udp.so; do
		cp "$xtables/$ext" "$overlay$xtables/"
	done
fi
(cd "$overlay" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet --owner=0:0) | gzip -1 >>"$initrd"

modes=$(echo $MODES | tr ' ' ,)
BUILD=$VMB TIMEOUT=$TIMEOUT APPEND="benchargs=$BENCHARGS benchsystems=$systems benchmodes=$modes" \
	sh test/kernel/run-vm.sh "$initrd" >"$VMB/run.log" 2>&1
status=$?
console=$VMB/kernel/console.log
grep -E '^  N=|^loadgen |^bench-vm|^netns.sh' "$console"
sed -n 's/^BENCH-CSV: //p' "$console" | grep -v '^system,' | sed 's/^rtpengine,/rtpengine-vm,/' >>"$CSV"
results=$(sed -n 's/^BENCH-RESULT: //p' "$console" | sed 's/^rtpengine,/rtpengine-vm,/')
if [ -z "$results" ]; then
	echo "bench-vm: no results from the guest:"
	tail -30 "$VMB/run.log"
	[ -n "$SUMMARY" ] && echo "srtprelay-kmod,srtp,,,,,,,,,VM run failed" >>"$SUMMARY"
	exit 1
fi
[ -n "$SUMMARY" ] && echo "$results" | sed "s|,\([a-z-]*\)\$|,\1 (TCG guest; p99 limit 50 ms)|" >>"$SUMMARY"
# As bench/run.sh does on the host: only rtpengine's "pass" may deliver
# forged SRTP (loadgen's forged packets; RESULT's tenth field).
for row in $results; do
	case "$(echo "$row" | cut -d, -f1,2,10)" in
	rtpengine*,pass,* | *,0/*) ;;
	*) echo "bench-vm: FAIL: $(echo "$row" | cut -d, -f1,2) delivered forged SRTP packets"; status=1 ;;
	esac
done
tail -3 "$VMB/run.log"
exit $status
