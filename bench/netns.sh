#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Calls-per-core benchmark on this host: three hosts made of network
# namespaces, as in test/kernel/tests.sh,
#
#   srb-caller (10.0.1.2) --veth-- 10.0.1.1 srb-sbc 10.0.2.1 --veth-- (10.0.2.2) srb-callee
#
# with the relay under test in srb-sbc pinned to RELAY_CPU and bench/loadgen
# (generator and receiver) pinned to GEN_CPU. RPS steers the sbc's veths'
# receive processing to RELAY_CPU and the endpoints' to GEN_CPU, so that the
# relay's core pays for the relay's whole packet path (receive stack, relay,
# send stack) and nothing of the generator's, whatever the veth would do on
# its own (it runs the receiver's stack on the sender's CPU).
#
#   netns.sh SYSTEM MODE [loadgen options...]
#   netns.sh --restart-relay SYSTEM MODE
#
# The second form is loadgen's --restart for the systems this script starts
# a process for: it stops the relay the first form started and starts it
# again in the same namespaces, and prints "relay-pid PID". After a failed
# run every such relay starts afresh (rtpengine's userspace did not recover
# from an overloaded step on this machine). The kernel rows (bench/vm.sh)
# are not restarted.
#
# SYSTEM: srtprelay-dp (build/srtprelay-datapath in its default socket mode:
#           UDP sockets, a round's reads and sends each one io_uring call)
#         | srtprelay-dp-nfqueue (the same
#           with --mode nfqueue: NFQUEUE and raw sockets) | rtpengine (userspace)
#         | srtprelay-kmod (srtprelay.ko, already loaded: the VM's case)
#         | rtpengine-kernel (rtpengine with its xt_RTPENGINE module, already
#           loaded: the VM's case; IPTABLES names the iptables to use)
# MODE:   srtp (AES_CM_128_HMAC_SHA1_80, leg A and leg B with different
#           keys: decrypt + re-encrypt) | aes256 (the same with
#           AES_256_CM_HMAC_SHA1_80) | gcm (the same with AEAD_AES_128_GCM)
#         | pass (AES_CM_128_HMAC_SHA1_80 pass-through: leg B gets leg A's
#           key, the relay forwards SRTP as it came; srtprelay checks tag
#           and replay window, rtpengine checks nothing)
#         | rtp (plain RTP forwarding)
# Environment: RELAY_CPU (0), GEN_CPU (1), CSV (rows per step), BUILD,
# DP_IO (srtprelay-dp's --io: uring, its default, or syscalls, to compare).
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
RELAY_CPU=${RELAY_CPU:-0}
GEN_CPU=${GEN_CPU:-1}
CSV=${CSV:-bench/results/steps.csv}
WORK=${WORK:-/tmp/srtprelay-bench}
restart=
if [ "${1:-}" = --restart-relay ]; then
	restart=1
	shift
fi
system=$1
mode=$2
shift 2

# The test VM's busybox ash runs its own "ip" applet (no netns) before PATH.
# The relays are started with "${IP_BIN:-ip}" itself, not this function: a
# function in the background is a subshell, and $! would be its pid, not
# the relay's.
if [ -n "${IP_BIN:-}" ]; then
	ip() { "$IP_BIN" "$@"; }
fi

NS_CALLER=srb-caller
NS_SBC=srb-sbc
NS_CALLEE=srb-callee
relay_pid=
# This machine is shared (other sessions run QEMU on both cores): the relay
# and the generator run SCHED_FIFO so that a step measures them, not the
# neighbours. RT= (empty) turns it off.
RT=${RT-chrt -f 50}
command -v chrt >/dev/null || RT=

cleanup() {
	relay_pid=$(cat "$WORK/relay.pid" 2>/dev/null)
	stop_relay
	rm -f "$WORK/relay.pid"
	for ns in $NS_CALLER $NS_SBC $NS_CALLEE; do
		ip netns del "$ns" 2>/dev/null
	done
}

# SIGTERM, then SIGKILL after 3 s: a hung relay must not hang the
# benchmark. srtprelay-datapath's NFQUEUE rules die with the namespace.
stop_relay() {
	[ -n "$relay_pid" ] || return 0
	kill "$relay_pid" 2>/dev/null
	tries=30
	while kill -0 "$relay_pid" 2>/dev/null && [ "$tries" -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	if kill -0 "$relay_pid" 2>/dev/null; then
		echo "netns.sh: $system did not stop on SIGTERM within 3 s; killed" >&2
		kill -9 "$relay_pid" 2>/dev/null
	fi
	wait "$relay_pid" 2>/dev/null
	relay_pid=
}

if [ -z "$restart" ]; then
	trap 'cleanup; exit 130' INT TERM
	trap cleanup EXIT
fi

mask() { printf '%x' $((1 << $1)); }

topology() {
	cleanup
	for ns in $NS_CALLER $NS_SBC $NS_CALLEE; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
	done
	ip link add c0 netns $NS_CALLER type veth peer name s1 netns $NS_SBC || return 1
	ip link add e0 netns $NS_CALLEE type veth peer name s2 netns $NS_SBC || return 1
	ip -n $NS_SBC addr add 10.0.1.1/24 dev s1
	ip -n $NS_SBC addr add 10.0.2.1/24 dev s2
	for pair in $NS_CALLER:c0 $NS_SBC:s1 $NS_SBC:s2 $NS_CALLEE:e0; do
		ip -n "${pair%%:*}" link set "${pair#*:}" up
	done
	# The endpoints own no address: loadgen sends from raw sockets with
	# their addresses written in, and reads the relay's packets from
	# AF_PACKET sockets, before IP. Their own stacks, not forwarding,
	# drop the packets silently at the route lookup: no UDP socket per
	# port, no ICMP back to the relay, no netfilter needed.
	ip -n $NS_CALLER route add 10.0.1.0/24 dev c0
	ip -n $NS_CALLEE route add 10.0.2.0/24 dev e0
	ip netns exec $NS_SBC sh -c "
		echo $(mask "$RELAY_CPU") >/sys/class/net/s1/queues/rx-0/rps_cpus &&
		echo $(mask "$RELAY_CPU") >/sys/class/net/s2/queues/rx-0/rps_cpus" || return 1
	for pair in $NS_CALLER:c0 $NS_CALLEE:e0; do
		ip netns exec "${pair%%:*}" sh -c \
			"echo $(mask "$GEN_CPU") >/sys/class/net/${pair#*:}/queues/rx-0/rps_cpus" || return 1
	done
	# Static neighbours: no ARP queue dropping a step's first packets.
	neigh $NS_CALLER c0 10.0.1.1 $NS_SBC s1 &&
		neigh $NS_SBC s1 10.0.1.2 $NS_CALLER c0 &&
		neigh $NS_CALLEE e0 10.0.2.1 $NS_SBC s2 &&
		neigh $NS_SBC s2 10.0.2.2 $NS_CALLEE e0
}

neigh() {	# neigh NS DEV IP PEER_NS PEER_DEV
	lladdr=$(ip -n "$4" -o link show dev "$5" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
	ip -n "$1" neigh replace "$3" lladdr "$lladdr" dev "$2" nud permanent
}

wait_for() {	# wait_for SECONDS COMMAND...: until COMMAND succeeds
	tries=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		tries=$((tries - 1))
		[ "$tries" -le 0 ] && return 1
		sleep 0.1
	done
}

start_relay() {
	mkdir -p "$WORK"
	case "$system" in
	srtprelay-dp | srtprelay-dp-nfqueue)
		sock=$WORK/datapath.sock
		rm -f "$sock"
		dp_mode=socket
		[ "$system" = srtprelay-dp-nfqueue ] && dp_mode=nfqueue
		# shellcheck disable=SC2086 # $RT is a command prefix or empty
		"${IP_BIN:-ip}" netns exec $NS_SBC $RT taskset -c "$RELAY_CPU" \
			"$BUILD/srtprelay-datapath" --mode $dp_mode ${DP_IO:+--io $DP_IO} -s "$sock" -q 8600 -w 1 \
			>"$WORK/relay.log" 2>&1 &
		relay_pid=$!
		wait_for 10 test -S "$sock" || { cat "$WORK/relay.log"; return 1; }
		setup="SRTPRELAY_SOCKET=$sock ${IP_BIN:-ip} netns exec $NS_SBC $BUILD/bench/relaysetup srtprelay"
		;;
	srtprelay-kmod)
		# srtprelay.ko, loaded by the caller (bench/vm.sh's guest): the
		# relay is softirq work on RELAY_CPU, no process to pin.
		grep -q '^srtprelay ' /proc/modules || { echo "srtprelay.ko is not loaded" >&2; return 1; }
		setup="${IP_BIN:-ip} netns exec $NS_SBC $BUILD/bench/relaysetup srtprelay"
		;;
	rtpengine | rtpengine-kernel)
		# One worker thread. Leg A on interface a, leg B on interface b.
		# rtpengine offers the callee the caller's own SDES key and
		# then forwards SRTP without decrypting it (see
		# bench/relaysetup.c). Before 13.4 it has no "recrypt" flag;
		# it decrypts when it logs DTMF events, so it does for the
		# re-keyed modes (no DTMF is ever sent: nothing is logged).
		# rtpengine: no kernel table, the userspace relay on one core.
		# rtpengine-kernel: table 0 of xt_RTPENGINE, which forwards
		# (and re-keys) every stream the daemon has pushed to it, in
		# the sbc's INPUT chain; the daemon sees only what the kernel
		# passes up (the first packets of a stream, RTCP).
		table=-1
		learning=
		if [ "$system" = rtpengine-kernel ]; then
			# A stream goes to the kernel once its peer is confirmed,
			# which rtpengine's default (delayed) learning does 3 s
			# after the first packet: longer than a step's media.
			table=0
			learning=--endpoint-learning=immediate
			[ -d /proc/rtpengine ] || { echo "xt_RTPENGINE is not loaded" >&2; return 1; }
			# shellcheck disable=SC2086 # IPTABLES may be "multi-binary iptables"
			ip netns exec $NS_SBC ${IPTABLES:-iptables} -I INPUT -p udp -j RTPENGINE --id 0 ||
				return 1
		fi
		recrypt=
		case "$mode" in srtp | aes256 | gcm) recrypt=--dtmf-log-dest=127.0.0.1:9 ;; esac
		# shellcheck disable=SC2086 # $RT is a command prefix or empty
		"${IP_BIN:-ip}" netns exec $NS_SBC $RT taskset -c "$RELAY_CPU" /usr/bin/rtpengine \
			--config-file=none --foreground --log-stderr --log-level=4 \
			--table=$table $learning $recrypt --num-threads=1 --media-num-threads=1 \
			--interface=a/10.0.1.1 --interface=b/10.0.2.1 \
			--listen-ng=127.0.0.1:2223 --port-min=30000 --port-max=65000 \
			--timeout=3600 --silent-timeout=3600 --final-timeout=0 \
			--offer-timeout=3600 --delete-delay=0 \
			>"$WORK/relay.log" 2>&1 &
		relay_pid=$!
		# Listening on UDP 2223 (0x08AF) in the sbc: /proc/net/udp, as
		# the test VM has no ss.
		wait_for 60 sh -c "${IP_BIN:-ip} netns exec $NS_SBC grep -q ':08AF ' /proc/net/udp" ||
			{ cat "$WORK/relay.log"; return 1; }
		if [ "$system" = rtpengine-kernel ] && grep -q 'KERNEL FORWARDING DISABLED' "$WORK/relay.log"; then
			cat "$WORK/relay.log"
			return 1
		fi
		setup="${IP_BIN:-ip} netns exec $NS_SBC $BUILD/bench/relaysetup rtpengine --ng 127.0.0.1:2223"
		;;
	*)
		echo "netns.sh: unknown system $system" >&2
		return 2
		;;
	esac
}

case "$mode" in
srtp | pass) suite=AES_CM_128_HMAC_SHA1_80 ;;
aes256) suite=AES_256_CM_HMAC_SHA1_80 ;;
gcm) suite=AEAD_AES_128_GCM ;;
rtp) suite=NONE ;;
*) echo "netns.sh: unknown mode $mode" >&2; exit 2 ;;
esac
suites="--suite-a $suite --suite-b $suite"

# The relay may be restarted by another instance of this script (loadgen's
# --restart): its pid is kept in a file.
if [ -n "$restart" ]; then
	relay_pid=$(cat "$WORK/relay.pid" 2>/dev/null)
	stop_relay
	start_relay >&2 || { echo "netns.sh: $system did not start again" >&2; exit 1; }
	echo "$relay_pid" >"$WORK/relay.pid"
	echo "relay-pid $relay_pid"
	exit 0
fi
topology || { echo "netns.sh: cannot build the namespaces" >&2; exit 1; }
start_relay || { echo "netns.sh: $system did not start" >&2; exit 1; }
echo "$relay_pid" >"$WORK/relay.pid"
restart_cmd=
case "$system" in
srtprelay-dp | srtprelay-dp-nfqueue | rtpengine)
	restart_cmd="BUILD=$BUILD WORK=$WORK RELAY_CPU=$RELAY_CPU RT='$RT' sh bench/netns.sh --restart-relay $system $mode"
	;;
esac
[ "$mode" = pass ] && setup="$setup --pass-through"
# The relay's process is what loadgen charges the relay for (with the core's
# interrupt time), except where the relay is kernel work: xt_RTPENGINE
# forwards in softirq, which may run in ksoftirqd, so the core's busy time
# it is, as for srtprelay.ko.
cost_pid=$relay_pid
sampler=
if [ "$system" = rtpengine-kernel ]; then
	cost_pid=
	# Proof that the kernel forwards: rtpengine falls back to its
	# userspace path silently, and the receiver cannot tell the two apart.
	# Every 2 s, the number of streams in table 0; and its whole list
	# (packets forwarded per stream, dear to read with hundreds of them)
	# until one sample shows packets forwarded in the kernel.
	: >"$WORK/kernel-streams"
	# shellcheck disable=SC2016
	taskset -c "$GEN_CPU" sh -c 'seen=0; while :; do
		if [ $seen = 0 ]; then
			n=$(awk "/stats:/{p+=\$4} END{print p+0}" /proc/rtpengine/0/list)
			[ "$n" -gt 0 ] && seen=1 && echo "packets $n"
		fi
		awk "/^Targets:/{print \"streams\", \$2}" /proc/rtpengine/0/status
		sleep 2
	done' >>"$WORK/kernel-streams" 2>/dev/null &
	sampler=$!
fi
# shellcheck disable=SC2086
$RT "$BUILD/bench/loadgen" --caller-ns /run/netns/$NS_CALLER --callee-ns /run/netns/$NS_CALLEE \
	--caller-if c0 --callee-if e0 --relay-cpu "$RELAY_CPU" --gen-cpu "$GEN_CPU" \
	${cost_pid:+--relay-pid "$cost_pid"} --label "$system,$mode" --csv "$CSV" \
	--setup "$setup" ${restart_cmd:+--restart "$restart_cmd"} $suites "$@"
status=$?
relay_pid=$(cat "$WORK/relay.pid" 2>/dev/null)
if [ -n "$sampler" ]; then
	kill "$sampler" 2>/dev/null
	wait "$sampler" 2>/dev/null
	streams=$(awk '$1 == "streams" && $2 > m { m = $2 } END { print m + 0 }' "$WORK/kernel-streams")
	packets=$(awk '$1 == "packets" { print $2 }' "$WORK/kernel-streams")
	echo "netns.sh: xt_RTPENGINE table 0: up to $streams streams in the kernel;" \
		"${packets:-no} packets forwarded there by the first sample that had any"
	if [ -z "$packets" ] || [ "$streams" = 0 ]; then
		echo "netns.sh: rtpengine forwarded nothing in the kernel; its log and table:" >&2
		grep -v Unconfirming "$WORK/relay.log" | grep -i -E 'kerneli|confirmed|support' | head -20 | sed 's/^/rtpengine-log: /' >&2
		cat /proc/rtpengine/0/status >&2
		# shellcheck disable=SC2086
		ip netns exec $NS_SBC ${IPTABLES:-iptables} -nvL INPUT >&2
		status=1
	fi
fi
if [ -n "$relay_pid" ] && ! kill -0 "$relay_pid" 2>/dev/null; then
	echo "netns.sh: $system died during the run:" >&2
	tail -20 "$WORK/relay.log" >&2
	status=1
fi
exit $status
