#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Calls per guest vCPU for srtprelay.ko and rtpengine's kernel forwarding
# (xt_RTPENGINE), in one QEMU guest running Debian's 6.1 kernel under TCG
# (test/kernel's test bed: this host's own kernel cannot load a module built
# for 6.1, and KVM hangs at boot here). The guest only relays: bench/loadgen
# runs natively on this host, on the other side of the guest's virtio-net
# cards, each on a tap device in a network namespace of this script's own:
#
#   loadgen c0 (10.0.1.2) --tap-- guest 10.0.1.1 [relay] 10.0.2.1 --tap-- e0 (10.0.2.2) loadgen
#   this host m0 (10.0.3.2) --tap-- guest 10.0.3.1: relaysetup --listen (calls, keys, /proc/stat)
#
# The guest has one vCPU. QEMU's vCPU thread is pinned to RELAY_CPU and
# every other thread of QEMU (the I/O thread that moves the taps' packets)
# to GEN_CPU with loadgen, so that the core measured is the guest's, and the
# relay's cost is the CPU time of that vCPU thread (loadgen --relay-thread;
# the guest's own /proc/stat, which misses the work its tickless idle CPU
# does between ticks, is the "proc" column). Both relays run in the same
# boot, with the same calls and the same search, each mode's rows one after
# the other; a step fails on loss or latency, and the search ends on a
# failed step.
#
# TCG emulates every guest instruction: figures from the guest compare the
# two modules with each other, never with the host's rows.
#
# Environment: BUILD, CSV (steps, appended), SUMMARY (results, appended),
# TIMEOUT (seconds for the whole guest run), VM_SYSTEMS (comma-separated,
# fewer than both), VM_MODES (space-separated: rekey and bench/netns.sh's
# modes; what each system runs of them is below; a mode named twice runs
# twice, its second rows MODE-2), VM_TX (timer or bh, below), QUICK=1 (one
# brief step each), SEARCH (loadgen's search options), RELAY_CPU (0),
# GEN_CPU (1).
set -u
cd "$(dirname "$0")/.." || exit 2
# A network namespace of our own: the taps' names and addresses are fixed.
if [ -z "${BENCH_VM_NETNS:-}" ]; then
	BENCH_VM_NETNS=1 exec unshare -n sh "$0" "$@"
fi
BUILD=${BUILD:-build}
VMB=$BUILD/bench-vm
KVER=${KVER:-$(sh scripts/kver.sh)} || exit 2
CSV=${CSV:-$VMB/steps.csv}
SUMMARY=${SUMMARY:-}
QUICK=${QUICK:-0}
RELAY_CPU=${RELAY_CPU:-0}
GEN_CPU=${GEN_CPU:-1}
# The re-keyed rows, the goal's, run twice (the second time rtpengine's
# first): this host's speed drifts between minutes. srtp and pass are left
# out to keep make bench under 20 minutes: the README has what they showed.
MODES=${VM_MODES:-rekey rtp rekey}
# How QEMU's virtio-net takes the packets the guest sends on the media legs.
# "bh", QEMU's default: the guest notifies it of each one, a write that
# under TCG stops the vCPU in QEMU's device code, which wakes the I/O thread
# on the other core (eventfd_write() and the big lock's futex were 15 % of
# the vCPU thread's time in perf); both relays paid it on every packet.
# "timer": the I/O thread takes what was queued every 150 us, unasked;
# closer to KVM with vhost-net, where a notification is a short exit that
# the host's kernel handles.
VM_TX=${VM_TX:-timer}
TIMEOUT=${TIMEOUT:-660}
if [ "$QUICK" = 1 ]; then
	# Correctness only: 4 calls through each relay, every packet checked.
	SEARCH="--steps 4 --duration 1 --warmup 1 --attempts 1 --p99-limit 1000000"
	TIMEOUT=${TIMEOUT_QUICK:-240}
else
	SEARCH=${SEARCH:---start 50 --duration 2 --warmup 1 --max-steps 7 --budget 60 --attempts 2 --p99-limit 20000}
fi

summary() { [ -n "$SUMMARY" ] && echo "$1" >>"$SUMMARY"; }
skip() {
	echo "bench-vm: SKIPPED: $*"
	summary "srtprelay-kmod,srtp,,,,,,,,,skipped: $*"
	exit 0
}
[ -f srtprelay.ko ] || skip "no srtprelay.ko (make kmod)"
[ -r "/boot/vmlinuz-$KVER" ] || skip "no /boot/vmlinuz-$KVER"
command -v qemu-system-x86_64 >/dev/null || skip "no qemu-system-x86_64"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
case "$(modinfo -F vermagic srtprelay.ko)" in
"$KVER "*) ;;
*) skip "srtprelay.ko is not built for $KVER" ;;
esac

# What each system runs. rtpengine 10.5 answers a same-suite SDES offer by
# giving each side the other's key and passing SRTP through, unchecked, in
# its kernel module as in its daemon (its "pass" row delivers the forged
# packets). So re-keying is compared in "rekey": leg A
# AES_CM_128_HMAC_SHA1_80, leg B AES_CM_128_HMAC_SHA1_32, where rtpengine
# offers and answers keys of its own (relaysetup says so for call 0) and
# neither relay can pass a packet through. Its "srtp" row asks for
# decryption the way the host's rows do (DTMF logging): its kernel module
# then checks, decrypts and re-encrypts with the endpoints' own keys.
# BENCH-KERNEL says how many packets its kernel table forwarded. aes256 and
# gcm are srtprelay.ko's alone (VM_MODES=...): rtpengine would pass them
# through.
modes_of() {
	for mode in $MODES; do
		case "$1,$mode" in
		rtpengine-kernel,aes256 | rtpengine-kernel,gcm) ;;
		*) echo "$mode" ;;
		esac
	done | tr '\n' ',' | sed 's/,$//'
}
suites_of() {
	case "$1" in
	rekey) echo "--suite-a AES_CM_128_HMAC_SHA1_80 --suite-b AES_CM_128_HMAC_SHA1_32" ;;
	srtp | pass) echo "--suite-a AES_CM_128_HMAC_SHA1_80 --suite-b AES_CM_128_HMAC_SHA1_80" ;;
	aes256) echo "--suite-a AES_256_CM_HMAC_SHA1_80 --suite-b AES_256_CM_HMAC_SHA1_80" ;;
	gcm) echo "--suite-a AEAD_AES_128_GCM --suite-b AEAD_AES_128_GCM" ;;
	rtp) echo "--suite-a NONE --suite-b NONE" ;;
	esac
}

initrd=$VMB/kernel/initramfs.cpio.gz
extra="$BUILD/srtprelayctl $BUILD/bench/relaysetup"
systems=srtprelay-kmod
# rtpengine's kernel forwarding, when its module is built for the guest's
# kernel (rtpengine-kernel-dkms) and its daemon and iptables extension are
# here: xt_RTPENGINE, legacy iptables to hook it into INPUT, and the
# modules both need. Missing, it is a row that says why.
xtables=/usr/lib/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/xtables
rtpe_ko=$(modinfo -k "$KVER" -n xt_RTPENGINE 2>/dev/null)
rtpe_missing=
if [ ! -x /usr/bin/rtpengine ]; then
	rtpe_missing="no rtpengine (apt install rtpengine-daemon)"
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
	extra="$extra /usr/bin/rtpengine /usr/sbin/xtables-legacy-multi"
	systems=$systems,rtpengine-kernel
else
	echo "bench-vm: rtpengine kernel SKIPPED: $rtpe_missing"
	for mode in $(modes_of rtpengine-kernel | tr ',' ' '); do
		summary "rtpengine-kernel,$mode,,,,,,,,,skipped: $rtpe_missing"
	done
fi
systems=${VM_SYSTEMS:-$systems}
mkdir -p "$VMB"
BUILD=$VMB KVER=$KVER KMOD=srtprelay.ko EXTRA_PROGRAMS=$extra \
	sh test/kernel/build-initramfs.sh "$initrd" >"$VMB/initramfs.log" 2>&1 ||
	{ cat "$VMB/initramfs.log"; exit 1; }

# Our /init, the virtio modules and rtpengine's as a second archive after
# the test bed's: the kernel unpacks concatenated archives in order, later
# files replacing earlier ones.
overlay=$VMB/overlay
rm -rf "$overlay"
mkdir -p "$overlay/lib/modules/$KVER" "$overlay/etc" "$overlay$xtables"
cp bench/vm-init "$overlay/init"
chmod 755 "$overlay/init"
add_modules() {	# add_modules ORDER-FILE MODULE...: with their dependencies, in load order
	order=$1
	shift
	: >"$overlay/etc/$order"
	for module in "$@"; do
		modprobe -S "$KVER" --show-depends "$module" | while read -r verb path _; do
			[ "$verb" = insmod ] || continue
			name=$(basename "$path")
			case "$name" in
			*.ko.xz) name=${name%.xz}; xz -dc "$path" >"$overlay/lib/modules/$KVER/$name" ;;
			*.ko.zst) name=${name%.zst}; zstd -qdc "$path" >"$overlay/lib/modules/$KVER/$name" ;;
			*) cp "$path" "$overlay/lib/modules/$KVER/$name" ;;
			esac
			grep -qx "$name" "$overlay/etc/$order" || echo "$name" >>"$overlay/etc/$order"
		done
	done
}
add_modules bench-modules.order virtio_pci virtio_net
if [ -z "$rtpe_missing" ]; then
	# Loaded by /init just before rtpengine-kernel's runs, so that nothing
	# of iptables is there while srtprelay.ko is measured.
	add_modules rtpengine-modules.order iptable_filter xt_RTPENGINE
	for ext in libxt_RTPENGINE.so libxt_standard.so libxt_udp.so; do
		cp "$xtables/$ext" "$overlay$xtables/"
	done
fi
(cd "$overlay" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet --owner=0:0) | gzip -1 >>"$initrd"

# The taps, each with a fixed MAC the guest knows, and the guest's cards'
# MACs as static neighbours: loadgen's endpoints own no address.
ip link set lo up
for tap in c0:02:00:00:00:01:02 e0:02:00:00:00:02:02 m0:02:00:00:00:03:02; do
	name=${tap%%:*}
	ip tuntap add "$name" mode tap || exit 1
	ip link set "$name" address "${tap#*:}" up || exit 1
done
ip route add 10.0.1.0/24 dev c0
ip route add 10.0.2.0/24 dev e0
ip addr add 10.0.3.2/24 dev m0
ip neigh replace 10.0.1.1 lladdr 52:54:00:00:01:01 dev c0 nud permanent
ip neigh replace 10.0.2.1 lladdr 52:54:00:00:02:01 dev e0 nud permanent

console=$VMB/console.log
: >"$console"
modes=$(modes_of srtprelay-kmod)
# No slub_debug here (kcheck has it): it would slow both modules' packets.
append="console=ttyS0 panic=-1 oops=panic loglevel=5 mitigations=off no_timer_check"
append="$append benchsystems=$systems benchmodes=$modes"
# shellcheck disable=SC2046
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m 1024 -smp 1 \
	-name srtprelay-bench,debug-threads=on -display none -monitor none \
	-serial "file:$console" -no-reboot \
	$(for n in 1:c0:$VM_TX 2:e0:$VM_TX 3:m0:bh; do
		set -- $(echo "$n" | tr : ' ')
		echo "-netdev tap,id=n$1,ifname=$2,script=no,downscript=no"
		echo "-device virtio-net-pci,netdev=n$1,mac=52:54:00:00:0$1:01,tx=$3"
	done) \
	-kernel "/boot/vmlinuz-$KVER" -initrd "$initrd" -append "$append" \
	>"$VMB/qemu.log" 2>&1 &
qemu=$!
started=$(date +%s)
trap 'kill $qemu 2>/dev/null' EXIT
trap 'exit 130' INT TERM

# Every thread of QEMU to GEN_CPU, then its vCPU thread to RELAY_CPU, all
# SCHED_FIFO as bench/netns.sh runs relays and loadgen: this machine is
# shared, and a step should measure the relay, not the neighbours.
qemu_pid=
vcpu=
for _ in $(seq 100); do
	qemu_pid=$(pgrep -P "$qemu" -x qemu-system-x86 || echo "$qemu")
	for task in /proc/"$qemu_pid"/task/*; do
		case "$(cat "$task/comm" 2>/dev/null)" in "CPU 0/TCG") vcpu=${task##*/} ;; esac
	done
	[ -n "$vcpu" ] && break
	sleep 0.1
done
[ -n "$vcpu" ] || { echo "bench-vm: no vCPU thread in QEMU ($qemu_pid)"; cat "$VMB/qemu.log"; exit 1; }
taskset -a -p -c "$GEN_CPU" "$qemu_pid" >/dev/null
taskset -p -c "$RELAY_CPU" "$vcpu" >/dev/null
RT="chrt -f 50"
command -v chrt >/dev/null || RT=
[ -n "$RT" ] && chrt -a -f -p 50 "$qemu_pid"
echo "bench-vm: QEMU $qemu_pid, vCPU thread $vcpu on CPU $RELAY_CPU, its other threads and loadgen on CPU $GEN_CPU"

# wait_line PATTERN: sets $line to the console's next line matching PATTERN
# after line $seen (the guest's progress); fails when QEMU has ended. Not
# in a subshell: $seen must move on.
seen=0
wait_line() {
	while :; do
		line=$(tail -n +"$((seen + 1))" "$console" | tr -d '\r' | grep -n -m1 -E "$1")
		if [ -n "$line" ]; then
			seen=$((seen + ${line%%:*}))
			line=${line#*:}
			return 0
		fi
		kill -0 "$qemu" 2>/dev/null || return 1
		sleep 0.2
	done
}

status=0
results=
rows=
while wait_line '^BENCH-SETUP: |^BENCH-SKIP: |^KTEST-FINISHED'; do
	set -- $line
	case "$1" in
	KTEST-FINISHED*) break ;;
	BENCH-SETUP:) [ $# -ge 3 ] || { echo "bench-vm: a garbled line: $line"; status=1; break; } ;;
	BENCH-SKIP:) echo "bench-vm: $*"; summary "$2,$3,,,,,,,,,skipped: ${line#* * * }"; status=1; continue ;;
	esac
	system=$2 mode=$3
	# A mode's second round (the guest runs a mode named twice again) is
	# its own row: MODE-2.
	row=$mode
	case " $rows " in *" $system,$mode "*) row=$mode-2 ;; esac
	rows="$rows $system,$mode"
	echo "== $system $row (guest vCPU $RELAY_CPU; loadgen on this host)"
	# shellcheck disable=SC2046,SC2086
	out=$($RT "$BUILD/bench/loadgen" --setup tcp:10.0.3.1:7000 \
		--relay-thread "$vcpu" --relay-cpu-from-setup \
		--caller-if c0 --callee-if e0 --relay-cpu "$RELAY_CPU" --gen-cpu "$GEN_CPU" \
		--port-base 40000 --label "$system,$row" --csv "$CSV" $(suites_of "$mode") $SEARCH 2>&1)
	echo "$out" | grep -v '^RESULT'
	result=$(echo "$out" | sed -n 's/^RESULT //p')
	# From the guest: rtpengine's keys (relaysetup, call 0) and what its
	# kernel table forwarded.
	kernel=
	keys=
	while wait_line "^BENCH-DONE: $system $mode|^BENCH-KERNEL: $system $mode|^relaysetup: call 0:"; do
		case "$line" in
		BENCH-DONE:*) break ;;
		BENCH-KERNEL:*) kernel=${line##* }
			echo "bench-vm: xt_RTPENGINE forwarded $kernel packets in the kernel" ;;
		relaysetup:*) keys=$line; echo "bench-vm: $line" ;;
		esac
	done
	if [ -z "$result" ]; then
		echo "bench-vm: FAIL: $system $mode: loadgen gave no result"
		summary "$system,$row,,,,,,,,,failed to run"
		status=1
		continue
	fi
	# What the row measured: re-keyed (decrypt, check, re-encrypt) or
	# passed through, and for rtpengine whether its kernel carried it.
	what="TCG guest; 1 vCPU; loadgen on the host"
	case "$system,$mode,$keys" in
	srtprelay-kmod,pass,*) what="$what; passed through; tag and replay checked" ;;
	rtpengine-kernel,pass,*) what="$what; passed through unchecked" ;;
	*,rtp,*) what="$what; plain RTP" ;;
	*"own key"*) what="$what; decrypted and re-encrypted with the endpoints' keys" ;;
	*) what="$what; re-keyed" ;;
	esac
	[ -n "$kernel" ] && what="$what; $kernel packets in xt_RTPENGINE"
	summary "$result ($what)"
	# Which rule ended the search: the smallest failing step's first run.
	if [ "$QUICK" != 1 ]; then
		best=$(echo "$result" | cut -d, -f3)
		echo "$out" | awk -v s="$system" -v m="$row" -v best="$best" -v cost="$(echo "$result" | cut -d, -f8)" '
			$2 == "FAIL" { n = substr($1, 3) + 0; if (!(n in seen) && n > best && (!lim || n < lim)) {
				lim = n; why = $4 " " $6 } seen[n] = 1 }
			END { printf "bench-vm: %s %s: limit %s calls at %s %% of the guest vCPU; ", s, m, best, cost
				if (lim) printf "%d calls failed on %s\n", lim, why
				else print "no step above it failed (a lower bound)" }'
	fi
	results="$results $system,$row"
	# A relay that delivers forged SRTP did not authenticate it: a bug in
	# srtprelay.ko, and in rtpengine a pass-through (only its "pass" row
	# forwards SRTP unchecked, by design).
	case "$system,$mode,$(echo "$result" | cut -d, -f10)" in
	rtpengine*,pass,* | *,0/*) ;;
	*) echo "bench-vm: FAIL: $system $mode delivered forged SRTP packets"; status=1 ;;
	esac
done
wait "$qemu"
echo "bench-vm: guest ran $(($(date +%s) - started)) s:" \
	"$(grep -a -E '^KTEST-RESULT|^bench-vm' "$console" | tr -d '\r' | tr '\n' ' ')"
grep -q '^KTEST-RESULT: exit=0' "$console" || status=1
splats='WARNING:|BUG:|BUG [^ ]+ \(|Oops|refcount_t|general protection|Call Trace'
if grep -aEn "$splats" "$console" >/dev/null; then
	echo "bench-vm: FAIL: kernel splat on the guest's console:"
	grep -aEn "$splats" "$console" | head -20
	status=1
fi
[ -n "$results" ] || { echo "bench-vm: no results; the guest's console:"; tail -30 "$console"; status=1; }
exit $status
