#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel scenarios, run inside the test VM by /init (see README.md).
#
# Three hosts built from network namespaces, as in WireGuard's netns.sh:
#
#   caller 10.0.1.2 fd00:1::2 --veth-- 10.0.1.1 fd00:1::1  sbc
#   callee 10.0.2.2 fd00:2::2 --veth-- 10.0.2.1 fd00:2::1  (the relay)
#   stranger 10.0.3.2 fd00:3::2 --veth-- 10.0.3.1 fd00:3::1  (an attacker)
#
# The sbc is not a router (forwarding off): a packet reaches the other side
# only if srtprelay.ko relays it. The caller and the callee run srtp_peer,
# whose receiver checks every packet with libsrtp2 and every payload byte;
# srtprelayctl configures the module in the sbc namespace and reads its
# counters. nl_raw sends what srtprelayctl cannot (malformed requests, bulk).
#
# Every check prints what it checked and "PASS name" or "FAIL name"; the
# last line is "N passed, N failed". KTEST_FILTER=word,word runs only the
# checks whose name contains one of the words (set-up always runs).

export PATH=${EXTRA_PATH:+$EXTRA_PATH:}/bin:/sbin:/usr/bin:/usr/sbin
KVER=$(cat /etc/kver 2>/dev/null || uname -r)
KMOD=/lib/modules/$KVER/srtprelay.ko
WORK=${WORK:-/tmp/ktest}
# One test, two backends: BACKEND=userspace runs the same scenarios against
# srtprelay-datapath on a host without the module (test/datapath/run.sh).
# Checks of what only a kernel module has (crypto API drivers, rmmod, slab,
# raw netlink, events) run only with BACKEND=kernel.
BACKEND=${BACKEND:-kernel}
# The userspace datapath's mode: socket (its default, batching through
# io_uring), socket-syscalls (socket mode with a system call per socket,
# what a kernel that refuses io_uring gets) or nfqueue; DP_OPTIONS are its
# options for that mode (test/datapath/run.sh sets both).
DP_MODE=${DP_MODE:-socket}
DP_OPTIONS=${DP_OPTIONS:---mode $DP_MODE}

IP_BIN=${IP_BIN:-/usr/lib/ktest/ip}
SETPRIV=${SETPRIV:-/usr/lib/ktest/setpriv}
mkdir -p "$WORK"

passed=0
failed=0
skipped=0
have_module=false
have_ctl=false
command -v srtprelayctl >/dev/null && have_ctl=true

# --- reporting -------------------------------------------------------------

wanted() {
	[ -z "${KTEST_FILTER:-}" ] && return 0
	for word in $(echo "$KTEST_FILTER" | tr ',' ' '); do
		case "$1" in *"$word"*) return 0 ;; esac
	done
	return 1
}

# check NAME FUNCTION ARGS...: runs FUNCTION with its output indented under
# the name; it passes when FUNCTION returns 0.
check() {
	name=$1
	shift
	wanted "$name" || return 0
	check_run "$name" "$@"
}

# As check, but never filtered out: set-up the later checks depend on.
check_always() {
	check_run "$@"
}

check_run() {
	name=$1
	shift
	echo "--- $name"
	start=$(cut -d' ' -f1 /proc/uptime)
	"$@" >"$WORK/check.log" 2>&1
	status=$?
	sed 's/^/    /' "$WORK/check.log"
	took=$(awk -v a="$start" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }')
	if [ "$status" -eq 0 ]; then
		passed=$((passed + 1))
		echo "PASS $name (${took}s)"
	else
		failed=$((failed + 1))
		echo "FAIL $name (${took}s)"
		# A failed check may have left streams and peers behind; the next
		# checks must not inherit them.
		if $have_module && $have_ctl; then
			ctl stream flush >/dev/null 2>&1
		fi
		kill_peers
	fi
	return "$status"
}

# needs module|ctl: skip the checks that cannot run; the reason is already
# a failed check (module_loads, ctl_present), so skipping is never silent.
needs() {
	for need in "$@"; do
		case "$need" in
		module) $have_module || { skipped=$((skipped + 1)); return 1; } ;;
		ctl) $have_ctl || { skipped=$((skipped + 1)); return 1; } ;;
		esac
	done
	return 0
}

say() { echo "$*"; }

# kernel_only: skip a check that only a kernel module can pass; counted.
kernel_only() {
	[ "$BACKEND" = kernel ] && return 0
	skipped=$((skipped + 1))
	return 1
}

# kill_peers: only the peers in this run's namespaces; on a shared host
# (dpcheck) other runs' srtp_peer processes share the PID namespace.
kill_peers() {
	for pid in $(pidof srtp_peer); do
		[ -n "$(ip netns identify "$pid" 2>/dev/null)" ] && kill "$pid" 2>/dev/null
	done
}
fail() { echo "FAILED: $*"; return 1; }

# --- topology --------------------------------------------------------------

# iproute2's ip: busybox ash would run its own applet for a bare "ip".
ip() { "$IP_BIN" "$@"; }

# nsenter execs the program in place, so $! is the program itself and signals
# reach it; "ip netns exec" forks and would take a SIGUSR1 meant for it.
in_ns() {
	ns=$1
	shift
	nsenter --net=/run/netns/"$ns" "$@"
}
in_caller() { in_ns caller "$@"; }
in_sbc() { in_ns sbc "$@"; }
in_callee() { in_ns callee "$@"; }
ctl() { in_ns sbc srtprelayctl "$@"; }

# addr HOST FAMILY: the address of sbc1 (caller side), sbc2 (callee side),
# caller or callee.
addr() {
	case "$1.$2" in
	sbc1.4) echo 10.0.1.1 ;; sbc2.4) echo 10.0.2.1 ;;
	caller.4) echo 10.0.1.2 ;; callee.4) echo 10.0.2.2 ;;
	sbc1.6) echo fd00:1::1 ;; sbc2.6) echo fd00:2::1 ;;
	caller.6) echo fd00:1::2 ;; callee.6) echo fd00:2::2 ;;
	stranger.4) echo 10.0.3.2 ;; stranger.6) echo fd00:3::2 ;;
	esac
}

# ep HOST FAMILY PORT: "addr:port" or "[addr]:port".
ep() {
	if [ "$2" = 6 ]; then echo "[$(addr "$1" 6)]:$3"; else echo "$(addr "$1" 4):$3"; fi
}

make_topology() {
	for ns in caller sbc callee stranger; do
		ip netns add $ns || return 1
		ip -n $ns link set lo up
		# DAD would hold IPv6 addresses tentative for a second or more.
		in_ns $ns sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 net.ipv4.ip_forward=0 \
			net.ipv6.conf.all.forwarding=0
	done
	ip link add c0 netns caller type veth peer name s1 netns sbc || return 1
	ip link add e0 netns callee type veth peer name s2 netns sbc || return 1
	ip link add x0 netns stranger type veth peer name s3 netns sbc || return 1
	ip -n caller addr add 10.0.1.2/24 dev c0
	ip -n caller addr add fd00:1::2/64 dev c0 nodad
	ip -n sbc addr add 10.0.1.1/24 dev s1
	ip -n sbc addr add fd00:1::1/64 dev s1 nodad
	ip -n sbc addr add 10.0.2.1/24 dev s2
	ip -n sbc addr add fd00:2::1/64 dev s2 nodad
	ip -n callee addr add 10.0.2.2/24 dev e0
	ip -n callee addr add fd00:2::2/64 dev e0 nodad
	ip -n sbc addr add 10.0.3.1/24 dev s3
	ip -n sbc addr add fd00:3::1/64 dev s3 nodad
	ip -n stranger addr add 10.0.3.2/24 dev x0
	ip -n stranger addr add fd00:3::2/64 dev x0 nodad
	for pair in caller:c0 sbc:s1 sbc:s2 callee:e0 stranger:x0 sbc:s3; do
		ip -n "${pair%%:*}" link set "${pair#*:}" up
	done
	ip -n caller route add default via 10.0.1.1
	ip -n caller -6 route add default via fd00:1::1
	ip -n callee route add default via 10.0.2.1
	ip -n callee -6 route add default via fd00:2::1
	ip -n stranger route add default via 10.0.3.1
	ip -n stranger -6 route add default via fd00:3::1
	in_caller ping -c 1 -W 2 10.0.1.1 >/dev/null || fail "caller cannot reach sbc" || return 1
	in_callee ping -c 1 -W 2 10.0.2.1 >/dev/null || fail "callee cannot reach sbc" || return 1
	in_caller ping6 -c 1 -W 2 fd00:1::1 >/dev/null || fail "caller cannot reach sbc over IPv6" || return 1
	if in_caller ping -c 1 -W 1 10.0.2.2 >/dev/null 2>&1; then
		fail "caller reaches callee without the relay"
		return 1
	fi
	in_ns stranger ping -c 1 -W 2 10.0.3.1 >/dev/null || fail "stranger cannot reach sbc" || return 1
	say "caller, sbc, callee and stranger namespaces up; sbc does not route between them"
}

# --- traffic helpers -------------------------------------------------------

# gen_key [SUITE]: a fresh key||salt in padded base64, as long as SUITE
# wants (default: an AES_CM_128 suite's 30 bytes).
gen_key() {
	case "${1:-}" in
	AES_256_CM_*) n=46 ;;
	AEAD_AES_128_GCM) n=28 ;;
	AEAD_AES_256_GCM) n=44 ;;
	*) n=30 ;;
	esac
	head -c $n /dev/urandom | base64 | tr -d '\n'
}

# start_recv NS ARGS...: starts a receiver in NS and waits until it is bound;
# its pid is left in $recv_pid, its output in $WORK/recv.$recv_pid.
recv_seq=0
start_recv() {
	ns=$1
	shift
	recv_seq=$((recv_seq + 1))
	ready=$WORK/ready.$recv_seq
	rm -f "$ready"
	# A simple command, not a function: $! must be srtp_peer itself.
	nsenter --net=/run/netns/"$ns" srtp_peer recv --ready-file "$ready" "$@" \
		>"$WORK/recv.$recv_seq" 2>&1 &
	recv_pid=$!
	eval "recv_log_$recv_pid=$WORK/recv.$recv_seq"
	i=0
	while [ ! -e "$ready" ]; do
		kill -0 "$recv_pid" 2>/dev/null || break
		i=$((i + 1))
		[ $i -gt 200 ] && break
		sleep 0.05
	done
}

# stop_recv PID [GRACE_TENTHS]: gives the receiver GRACE (default 30 tenths
# of a second) to finish by itself, then tells it to stop; prints its report
# and returns its status.
stop_recv() {
	pid=$1
	grace=${2:-30}
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt "$grace" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -USR1 "$pid" 2>/dev/null
	wait "$pid"
	status=$?
	eval "cat \$recv_log_$pid"
	return $status
}

# peer_args SUITE KEY [MKI]: srtp_peer's crypto options.
peer_args() {
	if [ "$1" = NONE ]; then
		echo "--suite NONE"
	else
		echo "--suite $1 --key $2${3:+ --mki $3}"
	fi
}

# ctl_crypto in|out SUITE KEY [MKI]: srtprelayctl's crypto keywords.
ctl_crypto() {
	if [ "$2" = NONE ]; then
		echo "$1-suite NONE"
	else
		echo "$1-suite $2 $1-key $3${4:+ $1-mki $4}"
	fi
}

# counter LOCAL NAME: one counter of a stream, from srtprelayctl -j.
counter() {
	ctl -j stream get "$1" | tr -d ' \n\t' | grep -o "\"$2\":[0-9]*" | head -1 | cut -d: -f2
}

# wait_counter LOCAL NAME VALUE: up to a second for a counter to reach
# VALUE. A sender is done when its last packet left, not when the relay
# took it: a relay process (dpcheck) on a loaded host may not have yet.
wait_counter() {
	for _ in $(seq 20); do
		[ "$(counter "$1" "$2")" = "$3" ] && return 0
		sleep 0.05
	done
	return 1
}

# expect_counters LOCAL NAME=VALUE...: prints each and fails on a mismatch.
# One srtprelayctl call for all of them: each exec costs under TCG.
expect_counters() {
	local_ep=$1
	shift
	json=$(ctl -j stream get "$local_ep" | tr -d ' \n\t')
	ok=0
	line="counters of $local_ep:"
	for pair in "$@"; do
		got=$(echo "$json" | grep -o "\"${pair%%=*}\":[0-9]*" | head -1 | cut -d: -f2)
		line="$line ${pair%%=*}=${got:-?}"
		if [ "$got" != "${pair#*=}" ]; then
			line="$line(want ${pair#*=})"
			ok=1
		fi
	done
	echo "$line"
	return $ok
}

next_port=22000
# alloc_port: an even port, unused so far, in every realm.
alloc_port() {
	port=$next_port
	next_port=$((next_port + 2))
}

# --- checks without the module: the test bed itself -------------------------

crypto_api_ready() {
	drivers=$(awk '/^name/ { n = $3 } /^driver/ { print n " " $3 }' /proc/crypto)
	echo "$drivers" | grep -E '^ctr\(aes\) .*aesni' || fail "no ctr(aes) from aesni" || return 1
	echo "$drivers" | grep -E '^sha1 sha1-(ssse3|avx|avx2|ni)$' || fail "no SIMD sha1" || return 1
	say "ctr(aes-aesni) and a SIMD sha1 (for HMAC-SHA1) are registered"
}

# A peer check: srtp_peer to itself across a namespace boundary, no relay.
peer_pair() { # FAMILY SUITE MKI BURSTS...
	fam=$1 suite=$2 mki=$3
	shift 3
	key=$(gen_key)
	start_recv sbc --listen "$(ep sbc1 "$fam" 9000)" --from "$(ep caller "$fam" 9100)" \
		$(peer_args "$suite" "$key" "$mki") "$@"
	in_caller srtp_peer send --src "$(ep caller "$fam" 9100)" --dst "$(ep sbc1 "$fam" 9000)" \
		$(peer_args "$suite" "$key" "$mki") "$@" || return 1
	stop_recv $recv_pid
}

peer_detects_tampering() {
	key=$(gen_key)
	start_recv sbc --listen 10.0.1.1:9000 --key "$key" rtp:7:1:20
	in_caller srtp_peer send --dst 10.0.1.1:9000 --key "$key" --bad tamper --bad-every 4 rtp:7:1:20
	if stop_recv $recv_pid; then
		fail "the receiver accepted tampered packets"
		return 1
	fi
	say "the receiver fails a run with tampered packets, so a relay that corrupts cannot pass"
}

peer_detects_plain_as_wrong() {
	start_recv sbc --listen 10.0.1.1:9000 --suite NONE rtp:7:1:10
	in_caller srtp_peer send --dst 10.0.1.1:9000 --key "$(gen_key)" rtp:7:1:10
	if stop_recv $recv_pid 10; then
		fail "plain receiver accepted SRTP packets"
		return 1
	fi
	say "a plain receiver rejects packets still encrypted"
}

# --- module set-up ----------------------------------------------------------

# The userspace datapath in the sbc namespace, reached by srtprelayctl
# through its socket: the backend BACKEND=userspace tests.
datapath_starts() {
	export SRTPRELAY_BACKEND=userspace SRTPRELAY_SOCKET="$WORK/datapath.sock"
	rm -f "$SRTPRELAY_SOCKET"
	# nsenter itself, not in_sbc: $! must be the datapath for kill to reach it.
	# shellcheck disable=SC2086 # the mode's options, split
	nsenter --net=/run/netns/sbc srtprelay-datapath $DP_OPTIONS \
		-s "$SRTPRELAY_SOCKET" -w 1 -q 8900 >"$WORK/datapath.log" 2>&1 &
	datapath_pid=$!
	# Up once it says how it runs, which it does after it listens.
	for _ in $(seq 50); do
		[ -S "$SRTPRELAY_SOCKET" ] && grep -q "control at" "$WORK/datapath.log" && break
		sleep 0.1
	done
	[ -S "$SRTPRELAY_SOCKET" ] || { cat "$WORK/datapath.log"; fail "srtprelay-datapath did not start"; return 1; }
	# Socket mode that fell back to a call per socket would pass every
	# scenario while the path it ships with went untested.
	if [ "$DP_MODE" = socket ] && ! grep -q "UDP sockets (io_uring)" "$WORK/datapath.log"; then
		cat "$WORK/datapath.log"
		fail "srtprelay-datapath does not batch through io_uring here"
		return 1
	fi
	have_module=true
	say "srtprelay-datapath $DP_OPTIONS (pid $datapath_pid) serves $SRTPRELAY_SOCKET in the sbc namespace"
}

datapath_stops() {
	kill "$datapath_pid" && wait "$datapath_pid"
	status=$?
	cat "$WORK/datapath.log"
	[ "$status" -eq 0 ] || fail "srtprelay-datapath exited with $status" || return 1
	in_sbc iptables -t raw -S | grep -q NFQUEUE && fail "its NFQUEUE rules are still there" && return 1
	say "srtprelay-datapath stopped cleanly and took its rules with it"
}

module_loads() {
	[ -f "$KMOD" ] || fail "no srtprelay.ko in the initramfs (make kmod failed?)" || return 1
	insmod "$KMOD" || return 1
	grep -q '^srtprelay ' /proc/modules || fail "not in /proc/modules" || return 1
	have_module=true
	say "srtprelay.ko loaded: $(grep '^srtprelay ' /proc/modules)"
	# The drivers its packet path runs (cipher, mac, aead), as it logged.
	say "$(dmesg | grep -o 'srtprelay: loaded.*' | tail -1)"
}

ctl_present() {
	$have_ctl || fail "no srtprelayctl in the initramfs (make all failed?)"
}

add_realms() {
	ctl realm add 1 10.0.1.1 20000-59999 || return 1
	ctl realm add 2 10.0.2.1 20000-59999 || return 1
	ctl realm add 3 fd00:1::1 20000-59999 || return 1
	ctl realm add 4 fd00:2::1 20000-59999 || return 1
	ctl realm list
	n=$(ctl -j realm list | grep -o '"id"' | wc -l)
	[ "$n" -eq 4 ] || fail "realm list shows $n realms, want 4"
}

# --- relaying: every mode, both families --------------------------------------

# flow FAMILY IN_SUITE OUT_SUITE RTCP [extra stream keywords]: one stream from
# the caller to the callee; RTP crosses the 65535->0 wrap and RTCP goes on
# its own port (RTCP=sep), muxed (mux), muxed on one side only (muxin:
# arrives muxed, leaves on port + 1; muxout: the reverse), to a destination
# of its own (rtcpdst: out-rtcp-dst callee:7005) or not at all (none). IN_MKI and
# OUT_MKI may be set; OUT_FAM makes the callee's leg another family. Every
# packet must arrive, byte-exact, with TTL/hop limit $RELAYED_TTL, and be
# counted.
NRTP=${NRTP:-80}
NRTCP=${NRTCP:-8}
flow() {
	fam=$1 in_suite=$2 out_suite=$3 rtcp=$4
	ofam=${OUT_FAM:-$fam}
	shift 4
	alloc_port
	kin=$(gen_key "$in_suite")
	kout=$(gen_key "$out_suite")
	# SAME_KEY=1: both legs share the caller's key (pass-through).
	[ -n "${SAME_KEY:-}" ] && kout=$kin
	local_ep=$(ep sbc1 "$fam" $port)
	rtcp_ep=$(ep sbc1 "$fam" $((port + 1)))
	flags=""
	case "$rtcp" in
	mux) flags="rtcp-mux-in rtcp-mux-out"; rtcp_ep=$local_ep ;;
	muxin) flags="rtcp-mux-in"; rtcp_ep=$local_ep ;;
	muxout) flags="rtcp-mux-out" ;;
	rtcpdst) flags="out-rtcp-dst $(ep callee "$ofam" 7005)" ;;
	esac
	ctl stream add "$local_ep" out-src "$(ep sbc2 "$ofam" $port)" \
		out-dst "$(ep callee "$ofam" 7000)" $flags "$@" \
		$(ctl_crypto in "$in_suite" "$kin" "${IN_MKI:-}") \
		$(ctl_crypto out "$out_suite" "$kout" "${OUT_MKI:-}") || return 1

	seq0=$((65536 - NRTP / 2))
	ssrc=$((0x10000000 + port))
	bursts="rtp:$ssrc:$seq0:$NRTP"
	listen="--listen $(ep callee "$ofam" 7000) --ttl $RELAYED_TTL"
	nrtcp=0
	case "$rtcp" in
	sep|muxin) listen="$listen --listen-rtcp $(ep callee "$ofam" 7001)"; nrtcp=$NRTCP ;;
	rtcpdst) listen="$listen --listen-rtcp $(ep callee "$ofam" 7005)"; nrtcp=$NRTCP ;;
	mux|muxout) nrtcp=$NRTCP ;;
	esac
	[ $nrtcp -gt 0 ] && bursts="$bursts rtcp:$ssrc:1:$nrtcp"
	# RTP from the stream's out-src; RTCP from the same port when the out
	# side is muxed, else from the port above (RFC 3550 11).
	from="--from $(ep sbc2 "$ofam" $port)"
	case "$rtcp" in
	sep|muxin|rtcpdst) from="$from --from-rtcp $(ep sbc2 "$ofam" $((port + 1)))" ;;
	esac
	start_recv callee $listen $from $(peer_args "$out_suite" "$kout" "${OUT_MKI:-}") $bursts
	# RTCP from a second sender at the same time, as a real endpoint's
	# RTCP interleaves with its RTP; from port + 1 unless muxed.
	rtcp_sender=
	if [ $nrtcp -gt 0 ]; then
		src_port=6001
		case "$rtcp" in mux|muxin) src_port=6000 ;; esac
		nsenter --net=/run/netns/caller srtp_peer send --src "$(ep caller "$fam" $src_port)" \
			--dst "$rtcp_ep" --interval-us 20000 $(peer_args "$in_suite" "$kin" "${IN_MKI:-}") \
			"rtcp:$ssrc:1:$nrtcp" &
		rtcp_sender=$!
	fi
	# Muxed RTCP comes from the RTP source port: the two senders take
	# turns on it rather than share it.
	case "$rtcp" in mux|muxin) wait $rtcp_sender || return 1; rtcp_sender= ;; esac
	in_caller srtp_peer send --src "$(ep caller "$fam" 6000)" --dst "$local_ep" \
		$(peer_args "$in_suite" "$kin" "${IN_MKI:-}") "rtp:$ssrc:$seq0:$NRTP" || return 1
	if [ -n "$rtcp_sender" ]; then
		wait $rtcp_sender || return 1
	fi
	stop_recv $recv_pid
	delivered=$?
	total=$((NRTP + nrtcp))
	expect_counters "$local_ep" rx_packets=$total tx_packets=$total \
		rtcp_rx_packets=$nrtcp rtcp_tx_packets=$nrtcp auth_failed=0 replayed=0
	counted=$?
	say "roc_changes=$(counter "$local_ep" roc_changes) ssrc_changes=$(counter "$local_ep" ssrc_changes)"
	ctl stream del "$local_ep" || return 1
	[ $delivered -eq 0 ] && [ $counted -eq 0 ]
}

suite_tag() {
	case "$1" in
	AES_CM_128_HMAC_SHA1_80) echo srtp80 ;;
	AES_CM_128_HMAC_SHA1_32) echo srtp32 ;;
	AES_256_CM_HMAC_SHA1_80) echo aes256_80 ;;
	AES_256_CM_HMAC_SHA1_32) echo aes256_32 ;;
	AEAD_AES_128_GCM) echo gcm128 ;;
	AEAD_AES_256_GCM) echo gcm256 ;;
	NONE) echo rtp ;;
	esac
}

S80=AES_CM_128_HMAC_SHA1_80
S32=AES_CM_128_HMAC_SHA1_32
A80=AES_256_CM_HMAC_SHA1_80
A32=AES_256_CM_HMAC_SHA1_32
G128=AEAD_AES_128_GCM
G256=AEAD_AES_256_GCM

# Every pair of suites the AES-256 (RFC 6188) and GCM (RFC 7714) suites are
# in, in and out: the relay decrypts with one and encrypts with the other,
# libsrtp2 at both ends (relay_modes has the AES_CM_128 and plain pairs).
suite_pairs() {
	for in_suite in $S80 $S32 $A80 $A32 $G128 $G256 NONE; do
		for out_suite in $S80 $S32 $A80 $A32 $G128 $G256 NONE; do
			case "$in_suite $out_suite" in
			*AES_256*|*AEAD*) ;;
			*) continue ;;
			esac
			check "$(suite_tag $in_suite)_to_$(suite_tag $out_suite)_ipv4_delivers_all_rtp_and_rtcp_across_wrap" \
				flow 4 $in_suite $out_suite sep
		done
	done
	check gcm256_to_aes256_80_ipv6_rtcp_mux_delivers_all flow 6 $G256 $A80 mux
	IN_MKI=1:1 OUT_MKI=0x01020304:4
	check gcm128_mki_to_aes256_80_mki_ipv4_delivers_all flow 4 $G128 $A80 sep
	IN_MKI= OUT_MKI=
}

relay_modes() {
	for fam in 4 6; do
		for pair in "$S80 $S80" "$S80 $S32" "$S32 $S80" "$S32 $S32" \
			"$S80 NONE" "$S32 NONE" "NONE $S80" "NONE $S32" "NONE NONE"; do
			set -- $pair
			check "$(suite_tag "$1")_to_$(suite_tag "$2")_ipv${fam}_delivers_all_rtp_and_rtcp_across_wrap" \
				flow $fam "$1" "$2" sep
		done
		check "srtp80_to_srtp32_rtcp_mux_ipv${fam}_delivers_all" flow $fam $S80 $S32 mux
		check "rtp_to_srtp80_rtcp_mux_ipv${fam}_delivers_all" flow $fam NONE $S80 mux
	done
	check srtp32_to_srtp80_rtcp_mux_in_only_ipv4_delivers_all flow 4 $S32 $S80 muxin
	check srtp80_to_rtp_rtcp_mux_out_only_ipv6_delivers_all flow 6 $S80 NONE muxout
	check srtp80_to_srtp32_out_rtcp_dst_ipv4_delivers_all flow 4 $S80 $S32 rtcpdst
	IN_MKI=1:1 OUT_MKI=0x01020304:4
	check srtp32_mki_to_srtp80_mki_ipv4_delivers_all flow 4 $S32 $S80 sep
	IN_MKI=2:2 OUT_MKI=
	check srtp80_mki_to_srtp32_ipv6_delivers_all flow 6 $S80 $S32 none
	IN_MKI= OUT_MKI=
}

# A whole call: both directions at once, each leg with its own keys; the
# callee's leg in family CALLEE_FAM (default: the caller's).
call_bidirectional() { # FAMILY [CALLEE_FAM]
	fam=$1 cfam=${2:-$1}
	alloc_port
	a=$port
	k_caller=$(gen_key) k_callee=$(gen_key) k_a=$(gen_key) k_b=$(gen_key)
	# caller -> sbc1:a -> (from sbc2:a) -> callee:7000, and back.
	ctl stream add "$(ep sbc1 $fam $a)" out-src "$(ep sbc2 $cfam $a)" out-dst "$(ep callee $cfam 7000)" \
		$(ctl_crypto in $S80 "$k_caller") $(ctl_crypto out $S32 "$k_a") || return 1
	ctl stream add "$(ep sbc2 $cfam $a)" out-src "$(ep sbc1 $fam $a)" out-dst "$(ep caller $fam 6000)" \
		$(ctl_crypto in $S32 "$k_callee") $(ctl_crypto out $S80 "$k_b") || return 1
	start_recv callee --listen "$(ep callee $cfam 7000)" --from "$(ep sbc2 $cfam $a)" --ttl $RELAYED_TTL \
		$(peer_args $S32 "$k_a") rtp:0xca11e4:100:$NRTP
	pid_callee=$recv_pid
	start_recv caller --listen "$(ep caller $fam 6000)" --from "$(ep sbc1 $fam $a)" --ttl $RELAYED_TTL \
		$(peer_args $S80 "$k_b") rtp:0xca11ee:200:$NRTP
	pid_caller=$recv_pid
	# Each side sends from its own port and receives on another: the
	# streams latch the sending port and deliver to the receiving one.
	nsenter --net=/run/netns/caller srtp_peer send --src "$(ep caller $fam 6002)" --dst "$(ep sbc1 $fam $a)" \
		$(peer_args $S80 "$k_caller") rtp:0xca11e4:100:$NRTP &
	s1=$!
	nsenter --net=/run/netns/callee srtp_peer send --src "$(ep callee $cfam 7002)" --dst "$(ep sbc2 $cfam $a)" \
		$(peer_args $S32 "$k_callee") rtp:0xca11ee:200:$NRTP &
	s2=$!
	wait $s1 && wait $s2 || return 1
	stop_recv $pid_callee && r1=0 || r1=1
	stop_recv $pid_caller && r2=0 || r2=1
	ctl stream del "$(ep sbc1 $fam $a)" && ctl stream del "$(ep sbc2 $cfam $a)" || return 1
	[ $r1 -eq 0 ] && [ $r2 -eq 0 ]
}

# --- bad packets --------------------------------------------------------------

# bad_packets MODE COUNTER: a stream gets MODE copies of every 6th packet
# while a second stream carries clean traffic at the same time; the bad copies
# are dropped and counted under COUNTER, the genuine packets all arrive, and
# the other stream sees nothing of it.
bad_packets() {
	mode=$1 counter_name=$2
	alloc_port
	p1=$port
	alloc_port
	p2=$port
	k1=$(gen_key) k2=$(gen_key) k3=$(gen_key) k4=$(gen_key)
	n=60
	ctl stream add "10.0.1.1:$p1" out-src "10.0.2.1:$p1" out-dst 10.0.2.2:7000 \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	ctl stream add "10.0.1.1:$p2" out-src "10.0.2.1:$p2" out-dst 10.0.2.2:7002 \
		$(ctl_crypto in $S80 "$k3") $(ctl_crypto out $S32 "$k4") || return 1
	start_recv callee --listen 10.0.2.2:7000 $(peer_args $S80 "$k2") rtp:0xbad:1:$n
	r1=$recv_pid
	start_recv callee --listen 10.0.2.2:7002 $(peer_args $S32 "$k4") rtp:0x600d:1:$n
	r2=$recv_pid
	nsenter --net=/run/netns/caller srtp_peer send --src 10.0.1.2:6000 --dst "10.0.1.1:$p1" \
		$(peer_args $S80 "$k1") --bad "$mode" --bad-every 6 rtp:0xbad:1:$n &
	s1=$!
	nsenter --net=/run/netns/caller srtp_peer send --src 10.0.1.2:6002 --dst "10.0.1.1:$p2" \
		$(peer_args $S80 "$k3") rtp:0x600d:1:$n &
	s2=$!
	wait $s1 && wait $s2 || return 1
	stop_recv $r1 && ok1=0 || ok1=1
	stop_recv $r2 && ok2=0 || ok2=1
	bad=$((n / 6))
	expect_counters "10.0.1.1:$p1" "$counter_name=$bad" rx_packets=$n tx_packets=$n; c1=$?
	expect_counters "10.0.1.1:$p2" auth_failed=0 replayed=0 rx_packets=$n tx_packets=$n; c2=$?
	ctl stream del "10.0.1.1:$p1"
	ctl stream del "10.0.1.1:$p2"
	[ $ok1 -eq 0 ] && [ $ok2 -eq 0 ] && [ $c1 -eq 0 ] && [ $c2 -eq 0 ]
}

# A stream that only ever gets bad packets: none is delivered.
only_bad_packets() {
	mode=$1 counter_name=$2
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	ctl stream add "10.0.1.1:$port" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	start_recv callee --listen 10.0.2.2:7000 $(peer_args $S80 "$k2")
	in_caller srtp_peer send --dst "10.0.1.1:$port" $(peer_args $S80 "$k1") --bad "$mode" \
		--bad-only rtp:0xbad:1:20 || return 1
	stop_recv $recv_pid 10 && ok=0 || ok=1
	expect_counters "10.0.1.1:$port" "$counter_name=20" rx_packets=0 tx_packets=0; c=$?
	ctl stream del "10.0.1.1:$port"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

too_old() {
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	ctl stream add "10.0.1.1:$port" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	start_recv callee --listen 10.0.2.2:7000 $(peer_args $S80 "$k2") rtp:0x01d:1000:300
	in_caller srtp_peer send --interval-us 0 --dst "10.0.1.1:$port" $(peer_args $S80 "$k1") \
		rtp:0x01d:1000:300 || return 1
	# A second sender has its own libsrtp state, so it protects the old
	# numbers again: genuine packets, 160+ behind the default window of 128.
	in_caller srtp_peer send --dst "10.0.1.1:$port" $(peer_args $S80 "$k1") rtp:0x01d:1010:5
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "10.0.1.1:$port" too_old=5 rx_packets=300; c=$?
	ctl stream del "10.0.1.1:$port"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

mki_mismatch() {
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	ctl stream add "10.0.1.1:$port" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 \
		$(ctl_crypto in $S80 "$k1" 1:1) $(ctl_crypto out $S80 "$k2") || return 1
	start_recv callee --listen 10.0.2.2:7000 $(peer_args $S80 "$k2") rtp:0x3c1:1:10
	in_caller srtp_peer send --dst "10.0.1.1:$port" $(peer_args $S80 "$k1" 2:1) rtp:0x3c1:500:10
	in_caller srtp_peer send --dst "10.0.1.1:$port" $(peer_args $S80 "$k1" 1:1) rtp:0x3c1:1:10
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "10.0.1.1:$port" mki_mismatch=10 rx_packets=10; c=$?
	ctl stream del "10.0.1.1:$port"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

# SRTCP has its own index and replay window (RFC 3711 3.4): replayed and
# tampered SRTCP is dropped and counted like SRTP.
srtcp_bad() {
	mode=$1 counter_name=$2
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	ctl stream add "10.0.1.1:$port" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 \
		$(ctl_crypto in $S32 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	start_recv callee --listen 10.0.2.2:7001 $(peer_args $S80 "$k2") rtcp:0x5c:1:30
	in_caller srtp_peer send --src 10.0.1.2:6001 --dst "10.0.1.1:$((port + 1))" \
		$(peer_args $S32 "$k1") --bad "$mode" --bad-every 5 rtcp:0x5c:1:30 || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "10.0.1.1:$port" "$counter_name=6" rtcp_rx_packets=30 rtcp_tx_packets=30; c=$?
	ctl stream del "10.0.1.1:$port"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

# Datagrams too short to be RTP: counted as malformed, the stream unharmed.
malformed() {
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	ctl stream add "10.0.1.1:$port" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	start_recv callee --listen 10.0.2.2:7000 $(peer_args $S80 "$k2") rtp:0x3a1:1:10
	in_caller srtp_peer send --dst "10.0.1.1:$port" $(peer_args $S80 "$k1") --junk 3 \
		rtp:0x3a1:1:10 || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "10.0.1.1:$port" malformed=3 rx_packets=10 tx_packets=10; c=$?
	ctl stream del "10.0.1.1:$port"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

# The ROC given at setup (a stream taken over mid-call) is used on both
# sides: libsrtp2 at either end starts from the same ROC.
roc_at_setup() {
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	ctl stream add "10.0.1.1:$port" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 \
		$(ctl_crypto in $S80 "$k1") in-roc 3 $(ctl_crypto out $S32 "$k2") out-roc 7 || return 1
	start_recv callee --listen 10.0.2.2:7000 $(peer_args $S32 "$k2") --roc 7 rtp:0x70c:65500:60
	in_caller srtp_peer send --dst "10.0.1.1:$port" $(peer_args $S80 "$k1") --roc 3 \
		rtp:0x70c:65500:60 || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "10.0.1.1:$port" rx_packets=60 auth_failed=0; c=$?
	ctl stream del "10.0.1.1:$port"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

flush_by_cookie() {
	for p in 21910 21912 21914; do
		cookie=7
		[ $p = 21914 ] && cookie=8
		ctl stream add "10.0.1.1:$p" out-src "10.0.2.1:$p" out-dst 10.0.2.2:7000 cookie $cookie \
			in-suite NONE out-suite NONE || return 1
	done
	ctl stream flush cookie 7 || return 1
	left=$(ctl -j show | grep -o '"local":"[^"]*"' | tr '\n' ' ')
	say "after flush cookie 7: $left"
	ctl stream get 10.0.1.1:21914 >/dev/null || fail "cookie 8 stream gone" || return 1
	ctl stream get 10.0.1.1:21910 >/dev/null 2>&1 && fail "cookie 7 stream kept" && return 1
	ctl stream flush || return 1
	left=$(ctl stats | awk '/^(streams|realms):/ { printf "%s %s ", $1, $2 }')
	[ "$left" = "streams: 0 realms: 4 " ] || fail "flush left $left"
}

# --- sources ----------------------------------------------------------------

# Latching (RTP Bleed, issue 15): in the learning window the best source
# that authenticates wins (the SDP's exact address, else its IP, else any
# other); a better-placed packet that does not authenticate changes
# nothing; one from a source no better than the latched one is refused
# before any crypto; once the window closed, even the SDP address is.
latched_of() {
	ctl -j stream get "$1" | tr -d ' ' | grep -o '"latched":"[^"]*"'
}

latching() {
	fam=$1
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	local_ep=$(ep sbc1 $fam $port)
	sdp=$(ep caller $fam 6000) first=$(ep caller $fam 6010) rebound=$(ep caller $fam 6014)
	# A window long enough for the steps before "latch-window 0" under TCG.
	ctl stream add "$local_ep" out-src "$(ep sbc2 $fam $port)" out-dst "$(ep callee $fam 7000)" \
		remote "$sdp" latch latch-window 60000 \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	start_recv callee --listen "$(ep callee $fam 7000)" $(peer_args $S80 "$k2") \
		rtp:0x1a7:1:10
	in_caller srtp_peer send --src "$first" --dst "$local_ep" $(peer_args $S80 "$k1") \
		rtp:0x1a7:1:10 || return 1
	wait_counter "$local_ep" latches 1
	latched=$(latched_of "$local_ep")
	say "after 10 packets from $first (the SDP's IP, another port): $latched"
	echo "$latched" | grep -qF "\"$first\"" || fail "did not latch $first" || return 1
	# The SDP's own address, a better source, but with a wrong key.
	in_caller srtp_peer send --src "$sdp" --dst "$local_ep" $(peer_args $S80 "$k1") \
		--bad wrongkey --bad-only rtp:0x1a7:11:10
	wait_counter "$local_ep" auth_failed 10
	latched=$(latched_of "$local_ep")
	say "after 10 wrong-key packets from $sdp: $latched"
	echo "$latched" | grep -qF "\"$first\"" || fail "an unauthenticated source moved the latch" ||
		return 1
	# Another port of the same IP (a NAT rebinding, or a stranger behind
	# the same NAT), authenticated: no better than the latched source.
	in_caller srtp_peer send --src "$rebound" --dst "$local_ep" $(peer_args $S80 "$k1") \
		rtp:0x1a7:21:10 || return 1
	wait_counter "$local_ep" source_rejected 10
	# The window closes: now even the SDP's address is refused.
	ctl stream set "$local_ep" latch-window 0 || return 1
	in_caller srtp_peer send --src "$sdp" --dst "$local_ep" $(peer_args $S80 "$k1") \
		rtp:0x1a7:31:10 || return 1
	latched=$(latched_of "$local_ep")
	say "after 10 authenticated packets from $rebound, and (window closed) from $sdp: $latched"
	stop_recv $recv_pid && ok=0 || ok=1
	echo "$latched" | grep -qF "\"$first\"" || { fail "the latch moved"; ok=1; }
	expect_counters "$local_ep" auth_failed=10 rx_packets=10 source_rejected=20 latches=1; c=$?
	ctl stream del "$local_ep"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

# RTP Bleed (issue 15 item 1) on a plain leg, set up as srtprelayd does it
# (remote = the SDP's address, latch, a learning window): the caller's SDP
# says caller:6000 but, like a phone behind NAT, it sends from caller:6010
# in the window, which latches there. The window closes; strangers send to
# the caller leg's port: one packet, then 50 packets/s for 10 s (IPv6: 2 s)
# from the stranger's namespace, and as long from the caller's IP with
# another port. None reaches the callee (no injection), the latch stays
# (so srtprelayd never moves the callee's audio to them; test/attack/t_10
# shows that end to end), every one is counted as source_rejected, and the
# caller's own packets still pass.
rtp_bleed() {
	fam=$1
	alloc_port
	fwd=$(ep sbc1 $fam $port) nat=$(ep caller $fam 6010)
	n=100
	[ "$fam" = 4 ] && n=500
	ctl stream add "$fwd" out-src "$(ep sbc2 $fam $port)" out-dst "$(ep callee $fam 7000)" \
		remote "$(ep caller $fam 6000)" latch latch-window 60000 \
		$(ctl_crypto in NONE) $(ctl_crypto out NONE) || return 1
	start_recv callee --listen "$(ep callee $fam 7000)" --from "$(ep sbc2 $fam $port)" \
		--timeout-ms 90000 $(peer_args NONE) rtp:0xca11e4:1:20
	in_caller srtp_peer send --src "$nat" --dst "$fwd" $(peer_args NONE) rtp:0xca11e4:1:10 ||
		return 1
	# The sender is done when its last packet left, not when the relay
	# (a process, on a loaded host) has taken it: give it a second.
	for _ in $(seq 20); do
		latched=$(stream_field "$fwd" latched)
		[ "$latched" = "$nat" ] && break
		sleep 0.05
	done
	say "the phone behind NAT sent 10 from $nat in the window: latched ${latched:-nothing}"
	[ "$latched" = "$nat" ] || fail "the NAT phone's source did not latch" || return 1
	ctl stream set "$fwd" latch-window 0 || return 1
	in_ns stranger srtp_peer send --src "$(ep stranger $fam 7000)" --dst "$fwd" \
		$(peer_args NONE) rtp:0x5742:1:1 || return 1
	in_ns stranger srtp_peer send --src "$(ep stranger $fam 7000)" --dst "$fwd" \
		--interval-us 20000 $(peer_args NONE) rtp:0x5742:2:$n || return 1
	in_caller srtp_peer send --src "$(ep caller $fam 6100)" --dst "$fwd" \
		--interval-us 20000 $(peer_args NONE) rtp:0x5743:1:$n || return 1
	latched=$(stream_field "$fwd" latched)
	in_caller srtp_peer send --src "$nat" --dst "$fwd" $(peer_args NONE) rtp:0xca11e4:11:10 ||
		return 1
	say "window closed; 1 + $n packets from $(ep stranger $fam 7000), $n from" \
		"$(ep caller $fam 6100): latched ${latched:-nothing}; 10 more from $nat; the callee got:"
	stop_recv $recv_pid && r=0 || { fail "a stranger's packet reached the callee, or the phone's did not"; r=1; }
	[ "$latched" = "$nat" ] || { fail "the latch moved"; r=1; }
	expect_counters "$fwd" rx_packets=20 tx_packets=20 source_rejected=$((1 + 2 * n)) latches=1 ||
		r=1
	ctl stream del "$fwd"
	return $r
}

lock_on_sdp() {
	fam=$1
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	local_ep=$(ep sbc1 $fam $port)
	ctl stream add "$local_ep" out-src "$(ep sbc2 $fam $port)" out-dst "$(ep callee $fam 7000)" \
		remote "$(ep caller $fam 6020)" lock-on-sdp \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	start_recv callee --listen "$(ep callee $fam 7000)" $(peer_args $S80 "$k2") rtp:0x10c:1:10
	# Correct key, unexpected source: must not pass.
	in_caller srtp_peer send --src "$(ep caller $fam 6022)" --dst "$local_ep" \
		$(peer_args $S80 "$k1") rtp:0x10c:100:10 || return 1
	in_caller srtp_peer send --src "$(ep caller $fam 6020)" --dst "$local_ep" \
		$(peer_args $S80 "$k1") rtp:0x10c:1:10 || return 1
	say "10 packets with the right key from $(ep caller $fam 6022), then 10 from the" \
		"signalled $(ep caller $fam 6020)"
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "$local_ep" source_rejected=10 rx_packets=10 tx_packets=10; c=$?
	ctl stream del "$local_ep"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

# --- changes during traffic -------------------------------------------------

# rekey: the sender stops at packet 40, the relay gets new keys on both
# sides, the sender and receiver switch at the same packet; none is lost.
rekey_live() {
	alloc_port
	k1=$(gen_key) k2=$(gen_key) k1b=$(gen_key) k2b=$(gen_key)
	local_ep=10.0.1.1:$port
	sync=$WORK/sync.$port
	mkdir -p "$sync"
	ctl stream add "$local_ep" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S32 "$k2") || return 1
	start_recv callee --listen 10.0.2.2:7000 $(peer_args $S32 "$k2") --rekey-at 40 \
		--rekey-key "$k2b" rtp:0x4e1:60000:80
	nsenter --net=/run/netns/caller srtp_peer send --dst "$local_ep" $(peer_args $S80 "$k1") --rekey-at 40 \
		--rekey-key "$k1b" --pause-at 40 --sync-dir "$sync" rtp:0x4e1:60000:80 &
	sender=$!
	waited=0
	while [ ! -e "$sync/paused" ]; do
		kill -0 $sender 2>/dev/null || fail "sender died before packet 40" || return 1
		sleep 0.05
	done
	# The rekey goes between packets 40 and 41 as the relay sees them: a
	# relay process on a loaded host may not have read all 40 yet.
	for _ in $(seq 40); do
		[ "$(counter "$local_ep" rx_packets)" = 40 ] && break
		sleep 0.05
	done
	ctl stream set "$local_ep" $(ctl_crypto in $S80 "$k1b") $(ctl_crypto out $S32 "$k2b") || return 1
	touch "$sync/go"
	wait $sender || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "$local_ep" rx_packets=80 tx_packets=80 auth_failed=0; c=$?
	ctl stream del "$local_ep"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

# Updates with unchanged keys while packets flow: state is kept, no loss.
update_during_traffic() {
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	local_ep=10.0.1.1:$port
	ctl stream add "$local_ep" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 cookie 1 \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	start_recv callee --listen 10.0.2.2:7000 $(peer_args $S80 "$k2") rtp:0x5e7:65400:200
	nsenter --net=/run/netns/caller srtp_peer send --interval-us 5000 --dst "$local_ep" \
		$(peer_args $S80 "$k1") rtp:0x5e7:65400:200 &
	sender=$!
	updates=0
	while kill -0 $sender 2>/dev/null && [ $updates -lt 20 ]; do
		updates=$((updates + 1))
		ctl stream set "$local_ep" cookie $((updates + 1)) \
			$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
		ctl stream set "$local_ep" out-dst 10.0.2.2:7000 || return 1
	done
	say "$updates pairs of updates while the sender ran"
	wait $sender || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "$local_ep" rx_packets=200 tx_packets=200 auth_failed=0 replayed=0 \
		cookie=$((updates + 1)); c=$?
	ctl stream del "$local_ep"
	[ $ok -eq 0 ] && [ $c -eq 0 ] && [ $updates -gt 0 ]
}

# A sender that changes SSRC and comes back: each SSRC has its own ROC and
# replay window (RFC 3711 3.2.3); nothing is lost, the return resumes.
ssrc_change() {
	fam=$1
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	local_ep=$(ep sbc1 $fam $port)
	ctl stream add "$local_ep" out-src "$(ep sbc2 $fam $port)" out-dst "$(ep callee $fam 7000)" \
		$(ctl_crypto in $S32 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	bursts="rtp:0xaaaa:65500:40 rtp:0xbbbb:7:40 rtp:0xaaaa:4:40"
	start_recv callee --listen "$(ep callee $fam 7000)" $(peer_args $S80 "$k2") $bursts
	in_caller srtp_peer send --dst "$local_ep" $(peer_args $S32 "$k1") $bursts || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "$local_ep" rx_packets=120 tx_packets=120 auth_failed=0 replayed=0; c=$?
	say "ssrc_changes=$(counter "$local_ep" ssrc_changes) roc_changes=$(counter "$local_ep" roc_changes)"
	ctl stream del "$local_ep"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

# route_change FAMILY: the route a stream's packets leave on follows the
# routing table. The module keeps each stream's route between packets
# (kmod/route.c); a route that changes or goes away mid-stream must be
# seen at the next packet, not when the stream is next configured. The
# destination is one address held by both the callee and the stranger:
# first routed via the callee, then via the stranger, then not at all.
route_change() {
	fam=$1
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	if [ "$fam" = 6 ]; then
		far=fd00:9::2 len=128 flag=-6 dst="[fd00:9::2]:7000"
	else
		far=10.0.9.2 len=32 flag=-4 dst=10.0.9.2:7000
	fi
	for ns in callee stranger; do
		ip -n $ns $flag addr add $far/$len dev lo || return 1
	done
	ip -n sbc $flag route add $far via "$(addr callee "$fam")" || return 1
	local_ep=$(ep sbc1 "$fam" $port)
	ok=0
	ctl stream add "$local_ep" out-src "$(ep sbc2 "$fam" $port)" out-dst "$dst" \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || ok=1
	start_recv callee --listen "$dst" $(peer_args $S80 "$k2") rtp:0x40e7:1:20
	in_caller srtp_peer send --dst "$local_ep" $(peer_args $S80 "$k1") rtp:0x40e7:1:20
	stop_recv $recv_pid 10 || ok=1
	say "routed via the callee: $(ip -n sbc $flag route get $far | head -1)"
	ip -n sbc $flag route replace $far via "$(addr stranger "$fam")" || ok=1
	say "route replaced: $(ip -n sbc $flag route get $far | head -1)"
	start_recv stranger --listen "$dst" $(peer_args $S80 "$k2") rtp:0x40e7:21:20
	in_caller srtp_peer send --dst "$local_ep" $(peer_args $S80 "$k1") rtp:0x40e7:21:20
	stop_recv $recv_pid 10 || ok=1
	ip -n sbc $flag route del $far || ok=1
	say "route deleted: the next 10 packets have none, and reach nobody"
	start_recv stranger --listen "$dst" $(peer_args $S80 "$k2")
	in_caller srtp_peer send --dst "$local_ep" $(peer_args $S80 "$k1") rtp:0x40e7:41:10
	stop_recv $recv_pid 10 || ok=1
	# Refused by the IP layer (no route): tx_errors, not tx_packets, on
	# the stream, in every backend.
	expect_counters "$local_ep" rx_packets=50 tx_packets=40 tx_errors=10 || ok=1
	ctl stream del "$local_ep"
	for ns in callee stranger; do
		ip -n $ns $flag addr del $far/$len dev lo
	done
	return $ok
}

hold() {
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	ctl stream add "10.0.1.1:$port" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 hold \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	start_recv callee --listen 10.0.2.2:7000 $(peer_args $S80 "$k2")
	in_caller srtp_peer send --dst "10.0.1.1:$port" $(peer_args $S80 "$k1") rtp:0x401d:1:20
	stop_recv $recv_pid 10 && ok=0 || ok=1
	expect_counters "10.0.1.1:$port" held=20 rx_packets=20 tx_packets=0; c=$?
	ctl stream del "10.0.1.1:$port"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

controller_killed() {
	alloc_port
	ok=0
	k1=$(gen_key) k2=$(gen_key)
	local_ep=10.0.1.1:$port
	# -j flushes every event, so what the controller saw survives SIGKILL.
	nsenter --net=/run/netns/sbc srtprelayctl -j monitor >"$WORK/monitor.log" 2>&1 &
	monitor=$!
	sleep 1	# no ready signal; under TCG a second is ample to join the group
	ctl stream add "$local_ep" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	start_recv callee --listen 10.0.2.2:7000 $(peer_args $S80 "$k2") rtp:0xdead:1:150
	nsenter --net=/run/netns/caller srtp_peer send --interval-us 5000 --dst "$local_ep" \
		$(peer_args $S80 "$k1") rtp:0xdead:1:150 &
	sender=$!
	# Kill only once packets are flowing: starting srtp_peer (NSS) is slow
	# under TCG.
	waited=0
	while [ "$(counter "$local_ep" rx_packets)" = 0 ] && [ $waited -lt 100 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	kill -9 $monitor
	wait $monitor 2>/dev/null
	say "controller (srtprelayctl monitor, pid $monitor) SIGKILLed after $(counter "$local_ep" rx_packets) of 150 packets"
	say "events it had received: $(head -3 "$WORK/monitor.log" | tr '\n' ' ')"
	wait $sender || return 1
	stop_recv $recv_pid || ok=1
	ctl stream del "$local_ep"
	[ $ok -eq 0 ]
}

# The events group: a listener (nl_raw, independent of srtprelayctl) hears
# the first SSRC and the latch of a new stream.
events() {
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	local_ep=10.0.1.1:$port
	nsenter --net=/run/netns/sbc nl_raw monitor 4000 >"$WORK/nlmon.log" 2>&1 &
	listener=$!
	nsenter --net=/run/netns/sbc srtprelayctl monitor >"$WORK/ctlmon.log" 2>&1 &
	ctl_listener=$!
	sleep 1
	# A learning window longer than the default 3 s: under a loaded TCG
	# host srtp_peer alone can take that long to start, and what this test
	# proves is that events reach listeners, not the window's length.
	ctl stream add "$local_ep" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 cookie 42 latch \
		latch-window 60000 \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	in_caller srtp_peer send --src 10.0.1.2:6030 --dst "$local_ep" $(peer_args $S80 "$k1") \
		rtp:0xe7:1:5 || return 1
	wait $listener
	kill $ctl_listener
	wait $ctl_listener
	cat "$WORK/nlmon.log"
	say "srtprelayctl monitor printed: $(cat "$WORK/ctlmon.log")"
	ctl stream del "$local_ep"
	grep -q 'event remote_latched' "$WORK/nlmon.log" || fail "no remote_latched event" || return 1
	grep -q 'event ssrc_changed' "$WORK/nlmon.log" || fail "no ssrc_changed event" || return 1
	grep -q 'latched' "$WORK/ctlmon.log" || fail "srtprelayctl monitor missed the events" || return 1
}

# --- control plane ------------------------------------------------------------

ctl_rejects() { # DESCRIPTION ARGS...: srtprelayctl must fail, say why, install nothing
	what=$1
	shift
	before=$(in_sbc nl_raw counts)
	ctl "$@" >"$WORK/ctl.out" 2>&1
	status=$?
	if [ $status -eq 0 ]; then
		cat "$WORK/ctl.out"
		fail "srtprelayctl accepted $what"
		return 1
	fi
	after=$(in_sbc nl_raw counts)
	say "srtprelayctl $* -> exit $status: $(cat "$WORK/ctl.out")"
	[ -s "$WORK/ctl.out" ] || fail "no message" || return 1
	[ "$before" = "$after" ] || fail "state changed: $before -> $after" || return 1
}

ctl_rejections() {
	k=$(gen_key)
	check ctl_rejects_bad_suite ctl_rejects "a bad suite" stream add 10.0.1.1:21900 \
		out-src 10.0.2.1:21900 out-dst 10.0.2.2:7000 in-suite AES_256_GCM in-key "$k" \
		out-suite NONE
	check ctl_rejects_wrong_key_length ctl_rejects "a 24-byte key" stream add 10.0.1.1:21900 \
		out-src 10.0.2.1:21900 out-dst 10.0.2.2:7000 in-suite $S80 \
		in-key "$(head -c 24 /dev/urandom | base64)" out-suite NONE
	check ctl_rejects_stream_outside_realm ctl_rejects "a stream outside every realm" \
		stream add 10.0.1.1:1000 out-src 10.0.2.1:21900 out-dst 10.0.2.2:7000 \
		in-suite NONE out-suite NONE
	check ctl_rejects_overlapping_realm ctl_rejects "an overlapping realm" \
		realm add 9 10.0.1.1 59000-60000
	check ctl_rejects_duplicate_stream dup_stream
	check ctl_rejects_realm_del_while_streams_use_it realm_busy
}

dup_stream() {
	ctl stream add 10.0.1.1:21902 out-src 10.0.2.1:21902 out-dst 10.0.2.2:7000 \
		in-suite NONE out-suite NONE || return 1
	ctl_rejects "a second stream on 10.0.1.1:21902" stream add 10.0.1.1:21902 \
		out-src 10.0.2.1:21904 out-dst 10.0.2.2:7002 in-suite NONE out-suite NONE
	status=$?
	ctl stream del 10.0.1.1:21902
	return $status
}

realm_busy() {
	ctl stream add 10.0.1.1:21902 out-src 10.0.2.1:21902 out-dst 10.0.2.2:7000 \
		in-suite NONE out-suite NONE || return 1
	ctl_rejects "deleting realm 1 while a stream uses it" realm del 1
	status=$?
	ctl stream del 10.0.1.1:21902
	return $status
}

netlink_cases() {
	for c in bad_suite:EINVAL\|ERANGE short_master_key:EINVAL\|ERANGE long_master_key:EINVAL\|ERANGE \
		short_master_salt:EINVAL\|ERANGE srtp_without_key:EINVAL none_with_key:EINVAL \
		mki_too_long:EINVAL\|ERANGE replay_window_too_small:EINVAL\|ERANGE \
		replay_window_too_large:EINVAL\|ERANGE sockaddr_wrong_length:EINVAL \
		out_family_mismatch:EINVAL missing_local:EINVAL missing_in_crypto:EINVAL \
		garbage_in_nest:EINVAL unknown_attribute:EINVAL unknown_flag:EINVAL \
		lock_on_sdp_without_remote:EINVAL latch_with_lock_on_sdp:EINVAL \
		local_outside_realm:EADDRNOTAVAIL local_other_address:EADDRNOTAVAIL \
		rtcp_port_outside_realm:EADDRNOTAVAIL\|EINVAL stream_set_missing:ENOENT \
		stream_del_missing:ENOENT realm_overlap:EADDRINUSE realm_same_id:EEXIST \
		realm_zero_id:EINVAL\|ERANGE realm_inverted_range:EINVAL \
		realm_port_zero:EINVAL\|ERANGE; do
		check "netlink_rejects_${c%%:*}" in_sbc nl_raw expect "${c#*:}" "${c%%:*}"
	done
}

unprivileged() {
	# util-linux setpriv: busybox's cannot change user.
	setpriv=$SETPRIV
	nobody="$setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
	if in_sbc $nobody srtprelayctl realm add 50 10.0.1.50 1000-2000 >"$WORK/np.out" 2>&1; then
		fail "a user without CAP_NET_ADMIN added a realm"
		return 1
	fi
	say "as nobody: srtprelayctl realm add -> $(cat "$WORK/np.out")"
	grep -qi 'not permitted\|EPERM' "$WORK/np.out" || fail "error is not EPERM" || return 1
	in_sbc $nobody srtprelayctl realm list >/dev/null || fail "nobody cannot read realms" || return 1
	say "as nobody: srtprelayctl realm list works (reading is open)"
	in_sbc nl_raw --uid 65534 expect EPERM valid_stream || return 1
	in_sbc nl_raw --uid 65534 expect EPERM valid_realm || return 1
	in_sbc nl_raw --uid 65534 expect EPERM stream_del_missing || return 1
}

# --- local users (issue 15, item 6) -------------------------------------------

nobody_ids="--reuid=65534 --regid=65534 --clear-groups"

# The events name every stream's addresses and latched peers: a user
# without CAP_NET_ADMIN over the namespace must not join the group, not
# even as root of a user namespace of its own (GENL_MCAST_CAP_NET_ADMIN).
events_for_admins_only() {
	r=0
	if in_sbc $SETPRIV $nobody_ids nl_raw monitor 300 >"$WORK/ev.out" 2>&1; then
		fail "nobody joined the sbc's events group"
		r=1
	fi
	say "as nobody: nl_raw monitor -> $(tr '\n' ' ' <"$WORK/ev.out")"
	if in_sbc $SETPRIV $nobody_ids unshare -U -r nl_raw monitor 300 >"$WORK/ev.out" 2>&1; then
		fail "nobody, root of its own user namespace, joined the sbc's events group"
		r=1
	fi
	say "as nobody in a user namespace: nl_raw monitor -> $(tr '\n' ' ' <"$WORK/ev.out")"
	in_sbc nl_raw monitor 300 >"$WORK/ev.out" 2>&1 || { fail "root cannot join"; r=1; }
	say "as root: $(head -n 1 "$WORK/ev.out")"
	return $r
}

# Objects in the accounted caches: kmalloc's and the module's crypto
# contexts' (srtp_ctx and srtp_ctx_large, SLAB_ACCOUNT).
cg_slab_objs() { awk '/^(kmalloc-cg-|srtp_ctx |srtp_ctx_large )/ { n += $2 } END { print n + 0 }' /proc/slabinfo; }

# What nobody does in a user and network namespace of its own (unshare -U
# -r -n): GENL_UNS_ADMIN_PERM lets it add realms and streams there, so the
# module's caps must hold, and what it allocates must be charged to its
# memory cgroup (kmalloc-cg-* caches and srtp_ctx), not to nobody's account.
own_namespace_script='
	ip link set lo up || exit 1
	i=0
	while [ $i -lt 12 ] && srtprelayctl realm add $((i + 1)) 127.0.0.1 \
		$((20000 + i * 1000))-$((20000 + i * 1000 + 999)) 2>/tmp/last; do
		i=$((i + 1))
	done
	echo "realms added $i: $(cat /tmp/last 2>/dev/null)"
	sleep 1
	i=0
	while [ $i -lt 60 ] && srtprelayctl stream add 127.0.0.1:$((20000 + 2 * i)) \
		out-src 127.0.0.1:$((21000 + 2 * i)) out-dst 127.0.0.2:7000 \
		in-suite NONE out-suite NONE 2>/tmp/last; do
		i=$((i + 1))
	done
	echo "streams added $i: $(cat /tmp/last 2>/dev/null)"
	sleep 3
'

# own_namespace_run STREAMS REALMS USERNS_STREAMS: the script above as
# nobody with the module's caps set so; its output in $WORK/own.out, and
# the accounted objects its streams added in $cg_delta.
own_namespace_run() {
	echo "$1" >$params/max_streams 2>/dev/null
	echo "$2" >$params/max_realms 2>/dev/null
	echo "$3" >$params/max_userns_streams 2>/dev/null
	# /tmp of its own: nobody cannot write the VM's.
	$SETPRIV $nobody_ids unshare -U -r -n -m sh -c \
		"mount -t tmpfs t /tmp && $own_namespace_script" >"$WORK/own.out" 2>&1 &
	pid=$!
	# Counted between the realms and the streams: the new namespace's own
	# accounted objects (its lo, its sysctls) are not the streams'.
	waited=0
	until grep -q '^realms added' "$WORK/own.out" || [ $waited -ge 100 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	cg0=$(cg_slab_objs)
	until grep -q '^streams added' "$WORK/own.out" || [ $waited -ge 200 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	cg_delta=$(($(cg_slab_objs) - cg0))
	wait $pid
	sed 's/^/  /' "$WORK/own.out"
}

caps_hold_in_own_namespace() {
	params=/sys/module/srtprelay/parameters
	old="$(cat $params/max_streams $params/max_realms $params/max_userns_streams 2>/dev/null)"
	say "module parameters max_streams, max_realms, max_userns_streams: $(echo ${old:-absent})"
	r=0
	say "max_streams 40, max_realms 8, max_userns_streams 1000:"
	own_namespace_run 40 8 1000
	say "kmalloc-cg-* and srtp_ctx objects the streams added: $cg_delta"
	grep -q '^realms added 8: .*max_realms' "$WORK/own.out" ||
		{ fail "nobody's namespace did not stop at 8 realms with a max_realms error"; r=1; }
	grep -q '^streams added 40: .*max_streams' "$WORK/own.out" ||
		{ fail "nobody's namespace did not stop at 40 streams with a max_streams error"; r=1; }
	[ "$cg_delta" -ge 120 ] ||
		{ fail "the 40 streams added fewer than 120 of their 160 objects (stream, conf, two crypto contexts) to the accounted caches"; r=1; }
	# 25 more after the first namespace's 40 are gone: its streams gave
	# their shared places back when it died.
	say "max_streams 1000, max_realms 8, max_userns_streams 25:"
	own_namespace_run 1000 8 25
	grep -q '^streams added 25: .*max_userns_streams' "$WORK/own.out" ||
		{ fail "nobody's namespace did not stop at 25 streams with a max_userns_streams error"; r=1; }
	set -- $old
	[ $# -eq 3 ] && echo "$1" >$params/max_streams && echo "$2" >$params/max_realms &&
		echo "$3" >$params/max_userns_streams
	return $r
}

netns_isolation() {
	in_caller srtprelayctl realm list >"$WORK/iso.out" 2>&1 || { cat "$WORK/iso.out"; return 1; }
	n=$(in_caller nl_raw counts)
	say "from the caller namespace: $n"
	[ "$n" = "streams 0 realms 0" ] || fail "the caller namespace sees the sbc's objects" || return 1
	say "from the sbc namespace: $(in_sbc nl_raw counts)"
}

# --- scale ----------------------------------------------------------------

slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }
module_slabs() { grep -i srtp /proc/slabinfo | awk '{ printf "%s=%s ", $1, $2 }'; }

ten_thousand_streams() {
	n=10000
	kin=$(gen_key) kout=$(gen_key)
	sync
	sleep 1
	slab0=$(slab_kb)
	say "before: Slab ${slab0} kB; module caches: $(module_slabs)"
	in_sbc nl_raw bulk-add 10.0.1.1 10.0.2.1 10.0.2.2:7000 40000 $n "$kin" "$kout" || return 1
	slab1=$(slab_kb)
	say "with $n streams: Slab ${slab1} kB (+$((slab1 - slab0)) kB); module caches: $(module_slabs)"
	in_sbc nl_raw dump 10.0.1.1 $n || return 1
	t0=$(cut -d' ' -f1 /proc/uptime)
	ctl show >/dev/null || fail "srtprelayctl show of $n streams" || return 1
	say "srtprelayctl show of $n streams took $(awk -v a=$t0 -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { print b - a }') s"
	ok=0
	for i in 0 4999 9999; do
		p=$((40000 + 2 * i))
		start_recv callee --listen 10.0.2.2:7000 --from "10.0.2.1:$p" $(peer_args $S80 "$kout") \
			"rtp:$p:1:20"
		in_caller srtp_peer send --dst "10.0.1.1:$p" $(peer_args $S80 "$kin") "rtp:$p:1:20"
		stop_recv $recv_pid || ok=1
	done
	in_sbc nl_raw bulk-del 10.0.1.1 40000 $n || return 1
	in_sbc nl_raw dump 10.0.1.1 0 || fail "streams left after delete" || return 1
	# Freed objects go back through RCU; give it time.
	sleep 3
	slab2=$(slab_kb)
	say "after delete: Slab ${slab2} kB (+$((slab2 - slab0)) kB over the start); module caches: $(module_slabs)"
	grew=$((slab1 - slab0))
	left=$((slab2 - slab0))
	[ $grew -gt 1000 ] || fail "adding $n streams grew slab by only $grew kB: measurement not meaningful" || return 1
	[ $left -lt $((grew / 10)) ] || fail "$left of $grew kB not returned" || return 1
	for cache in $(grep -i srtp /proc/slabinfo | awk '$2 != 0 { print $1 }'); do
		fail "cache $cache still has active objects"
		ok=1
	done
	return $ok
}

# --- lifetime ---------------------------------------------------------------

# A second relay namespace with its own realm and a stream carrying traffic,
# deleted while the stream is live: the module must free it on netns exit.
netns_teardown() {
	ip netns add sbc2 || return 1
	ip -n sbc2 link set lo up
	ip -n sbc2 addr add 10.9.0.1/8 dev lo
	k1=$(gen_key) k2=$(gen_key)
	in_ns sbc2 srtprelayctl realm add 1 10.9.0.1 20000-20999 || return 1
	in_ns sbc2 srtprelayctl stream add 10.9.0.1:20000 out-src 10.9.0.1:20002 \
		out-dst 10.9.0.2:7000 $(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	say "sbc2 sees: $(in_ns sbc2 nl_raw counts); sbc sees: $(in_sbc nl_raw counts)"
	[ "$(in_ns sbc2 nl_raw counts)" = "streams 1 realms 1" ] || fail "sbc2 counts" || return 1
	start_recv sbc2 --listen 10.9.0.2:7000 $(peer_args $S80 "$k2") rtp:0x2:1:20
	in_ns sbc2 srtp_peer send --src 10.9.0.3:6000 --dst 10.9.0.1:20000 \
		$(peer_args $S80 "$k1") rtp:0x2:1:20 || return 1
	stop_recv $recv_pid || return 1
	nsenter --net=/run/netns/sbc2 srtp_peer send --interval-us 2000 --dst 10.9.0.1:20000 \
		$(peer_args $S80 "$k1") rtp:0x2:21:2000 >/dev/null 2>&1 &
	sender=$!
	waited=0
	until in_ns sbc2 srtprelayctl -j stream get 10.9.0.1:20000 | tr -d ' ' |
		grep -q '"rx_packets":[1-9]' || [ $waited -ge 100 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	say "sbc2 stream: $(in_ns sbc2 srtprelayctl -j stream get 10.9.0.1:20000 | tr -d ' ' | grep -o '"rx_packets":[0-9]*') before the namespace goes"
	# The namespace goes when its last user does: unmount it while the
	# sender still sends into the stream, then end the sender.
	ip netns del sbc2 || return 1
	sleep 0.2
	kill $sender
	wait $sender
	sleep 2
	say "sbc2 deleted with a live stream and traffic; sbc still sees: $(in_sbc nl_raw counts)"
}

rmmod_under_traffic() {
	alloc_port
	k1=$(gen_key) k2=$(gen_key)
	ctl stream add "10.0.1.1:$port" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 \
		$(ctl_crypto in $S80 "$k1") $(ctl_crypto out $S80 "$k2") || return 1
	start_recv callee --listen 10.0.2.2:7000 --timeout-ms 10000 $(peer_args $S80 "$k2")
	nsenter --net=/run/netns/caller srtp_peer send --interval-us 1000 --dst "10.0.1.1:$port" \
		$(peer_args $S80 "$k1") rtp:0x77:1:3000 >/dev/null &
	sender=$!
	# rmmod only once packets flow: starting srtp_peer (NSS) is slow under
	# TCG, and an rmmod before the first packet proves nothing.
	waited=0
	while [ "$(counter "10.0.1.1:$port" rx_packets)" = 0 ] && [ $waited -lt 100 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	rx=$(counter "10.0.1.1:$port" rx_packets)
	say "packets relayed before rmmod: $rx"
	[ "${rx:-0}" -gt 0 ] || { fail "no traffic was flowing"; kill $sender; return 1; }
	rmmod srtprelay || { kill $sender; return 1; }
	have_module=false
	say "rmmod srtprelay with a stream and traffic flowing: done"
	kill $sender 2>/dev/null
	wait $sender
	kill -USR1 $recv_pid
	wait $recv_pid
	grep -q '^srtprelay ' /proc/modules && fail "still loaded" && return 1
	insmod "$KMOD" || return 1
	have_module=true
	say "reloaded: $(nl_raw counts) in the init namespace"
	add_realms >/dev/null
}

# --- srtprelayd and SIPp: many calls at once ----------------------------------

# srtprelayd (sbc, /ktest/srtprelayd-vm.conf) between a SIPp UAC (caller) and
# a SIPp UAS (callee): CONC_CALLS calls (200) at CONC_RATE per second, each
# held CONC_HOLD_MS, SDES-SRTP on both legs. At the peak srtprelayd must hold
# every call and the module two streams per call; after the BYEs no call, no
# port pair and no stream is left, and both SIPp exit 0. srtprelayd's realms
# take ids 1 and 2 (tests.sh's are put back afterwards).
CONC_CALLS=${CONC_CALLS:-200}
CONC_RATE=${CONC_RATE:-50}
CONC_HOLD_MS=${CONC_HOLD_MS:-15000}
SIPD_SOCK=/tmp/srtprelayd-vm/control.sock
sipd_calls() { in_sbc srtprelayctl status -s $SIPD_SOCK 2>/dev/null | awk '$1 == "calls" { print $2 }'; }
module_streams() { ctl stats 2>/dev/null | awk '$1 == "streams:" { print $2 }'; }

# sipd_start DIR CONF: srtprelayd with CONF in the sbc namespace, on the
# kernel backend, its log in DIR/daemon.log and its pid in $sipd. Its realms
# take ids 1 and 2: tests.sh's are deleted until sipd_stop puts them back.
sipd_start() {
	sipd_dir=$1
	for b in srtprelayd sipp; do
		command -v $b >/dev/null || fail "no $b in the initramfs" || return 1
	done
	[ "$(module_streams)" = 0 ] || fail "streams left before the test: $(module_streams)" || return 1
	ctl realm del 1 && ctl realm del 2 || { tests_realms_back; return 1; }
	rm -rf "$sipd_dir" /tmp/srtprelayd-vm
	mkdir -p "$sipd_dir"
	nsenter --net=/run/netns/sbc srtprelayd -c "$2" >"$sipd_dir/daemon.log" 2>&1 &
	sipd=$!
	waited=0
	until [ -S $SIPD_SOCK ] || [ $waited -ge 100 ]; do sleep 0.1; waited=$((waited + 1)); done
	if ! in_sbc srtprelayctl status -s $SIPD_SOCK | grep -q '^backend kernel'; then
		fail "srtprelayd not on the kernel backend: $(in_sbc srtprelayctl status -s $SIPD_SOCK 2>&1 | head -1)"
		cat "$sipd_dir/daemon.log"
		sipd_stop
		return 1
	fi
	say "srtprelayd up: $(in_sbc srtprelayctl status -s $SIPD_SOCK | grep -E '^backend|^realm' | tr '\n' ' ')"
}

# sipd_stop: SIGTERM to srtprelayd, its exit status in $sipd_rc; fails if
# tests.sh's realms cannot be put back.
sipd_stop() {
	kill -TERM $sipd
	wait $sipd
	sipd_rc=$?
	tests_realms_back || fail "realms 1 and 2 of tests.sh not restored"
}

# tests_realms_back: realms 1 and 2 as add_realms made them, for the checks
# after one that ran srtprelayd. Streams it left behind (already counted as
# a failure) would keep its realms busy.
tests_realms_back() {
	ctl stream flush >/dev/null 2>&1
	ctl realm del 1 2>/dev/null
	ctl realm del 2 2>/dev/null
	ctl realm add 1 10.0.1.1 20000-59999 && ctl realm add 2 10.0.2.1 20000-59999
}

# After a SIPp run through srtprelayd: both SIPp exited 0 ($urc, $src), no
# call ($after_calls), stream ($after_streams) or port pair
# ($d/status-after.txt) is left, and srtprelayd exited 0 on SIGTERM ($drc).
sipd_calls_ended() {
	_ok=0
	[ $urc -eq 0 ] || { fail "SIPp caller exit $urc"; tail -20 "$d/uac.out"; _ok=1; }
	[ $src -eq 0 ] || { fail "SIPp callee exit $src"; tail -20 "$d/uas.out"; _ok=1; }
	[ "$after_calls" = 0 ] || { fail "calls left: $after_calls"; _ok=1; }
	[ "$after_streams" = 0 ] || { fail "streams left: $after_streams"; _ok=1; }
	[ "$(grep -c '^realm .* port-pairs-in-use 0$' "$d/status-after.txt")" -eq 2 ] ||
		{ fail "port pairs left in use"; _ok=1; }
	[ $drc -eq 0 ] || { fail "srtprelayd exit $drc on SIGTERM"; _ok=1; }
	return $_ok
}

concurrent_calls() {
	n=$CONC_CALLS
	d=$WORK/sipd
	sipd_start "$d" /ktest/srtprelayd-vm.conf || return 1
	printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$(gen_key)" >"$d/uas.csv"
	printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;conc\n' "$(gen_key)" >"$d/uac.csv"
	(cd "$d" && exec nsenter --net=/run/netns/callee timeout -k 5 150 sipp -sf /ktest/uas_answer.xml \
		-inf "$d/uas.csv" -i 10.0.2.2 -p 16070 -m $n -nostdin -aa \
		-trace_stat -stf "$d/uas.stat" -trace_err >"$d/uas.out" 2>&1) &
	uas=$!
	sleep 1
	start=$(cut -d' ' -f1 /proc/uptime)
	(cd "$d" && exec nsenter --net=/run/netns/caller timeout -k 5 150 sipp 10.0.1.1:16060 \
		-sf /ktest/uac_hold.xml -inf "$d/uac.csv" -i 10.0.1.2 -p 16080 \
		-m $n -l $n -r $CONC_RATE -d $CONC_HOLD_MS -nostdin -timeout 140 \
		-trace_stat -stf "$d/uac.stat" -trace_err >"$d/uac.out" 2>&1) &
	uac=$!
	peak_calls=0 peak_streams=0
	while kill -0 $uac 2>/dev/null; do
		c=$(sipd_calls) s=$(module_streams)
		[ "${c:-0}" -gt $peak_calls ] && peak_calls=$c
		[ "${s:-0}" -gt $peak_streams ] && peak_streams=$s
		if [ "${c:-0}" -ge $n ] && [ "${s:-0}" -ge $((2 * n)) ]; then
			in_sbc srtprelayctl status -s $SIPD_SOCK >"$d/status-peak.txt" 2>&1
			break
		fi
		sleep 0.5
	done
	say "peak: $peak_calls calls in srtprelayd, $peak_streams streams in srtprelay.ko"
	sed 's/^/  /' "$d/status-peak.txt" 2>/dev/null
	wait $uac
	urc=$?
	wait $uas
	src=$?
	say "$n calls done in $(awk -v a="$start" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.0f", b - a }') s; SIPp exit: caller $urc, callee $src"
	sleep 1
	after_calls=$(sipd_calls) after_streams=$(module_streams)
	in_sbc srtprelayctl status -s $SIPD_SOCK >"$d/status-after.txt" 2>&1
	say "afterwards: $after_calls calls, $after_streams streams, $(grep '^realm' "$d/status-after.txt" | tr '\n' ' ')"
	sipd_stop
	ok=$?
	drc=$sipd_rc
	[ $peak_calls -ge $n ] || { fail "peak calls $peak_calls < $n"; ok=1; }
	[ $peak_streams -ge $((2 * n)) ] || { fail "peak streams $peak_streams < $((2 * n))"; ok=1; }
	grep -qx "realm caller-side port-pairs-in-use $n" "$d/status-peak.txt" &&
		grep -qx "realm callee-side port-pairs-in-use $n" "$d/status-peak.txt" ||
		{ fail "port pairs in use at the peak are not $n per realm"; ok=1; }
	sipd_calls_ended || ok=1
	[ $ok -eq 0 ] || { echo "srtprelayd log:"; tail -30 "$d/daemon.log"; }
	return $ok
}

# --- srtprelayd and SIPp: a phone behind NAT (symmetric RTP) -----------------

# One SDES-SRTP call through srtprelayd on the kernel backend whose caller,
# like a phone behind NAT, announces m=audio 6000 (X, uac_hold.xml's SDP)
# but sends its SRTP from 6010 (Y). The caller's group latches (srtprelayd's
# default media_source), so the module's REMOTE_LATCHED event for the
# caller's stream must make srtprelayd (RFC 4961) move the reverse stream's
# OUT_DST to Y and OUT_RTCP_DST to Y + 1: the callee's RTP and RTCP then
# reach the caller there, authenticated by libsrtp2 with the key srtprelayd
# gave the caller, and nothing reaches X or X + 1. No stream counts an
# authentication failure, and after the caller's BYE (LATCH_HOLD_MS after
# the answer) no call, stream or port pair is left. The ports and keys
# srtprelayd chose are read from SIPp's message logs. The media checks take
# about 5 s under TCG on a quiet host; the hold leaves room for a busy one.
LATCH_HOLD_MS=${LATCH_HOLD_MS:-15000}
LATCH_SDP_PORT=6000
LATCH_NAT_PORT=6010

# stream_field LOCAL NAME: a string field of a stream in srtprelayctl -j.
stream_field() {
	ctl -j stream get "$1" 2>/dev/null | tr -d ' \n\t' | grep -o "\"$2\":\"[^\"]*\"" |
		head -1 | cut -d'"' -f4
}

latch_through_srtprelayd() {
	d=$WORK/latch
	# As the concurrent-calls configuration, but logging at info, where
	# srtprelayd reports a latch, and with its metrics endpoint.
	sed 's/^log_level = .*/log_level = "info";/' /ktest/srtprelayd-vm.conf >"$WORK/srtprelayd-latch.conf"
	echo 'metrics = { address = "127.0.0.1"; port = 9464; };' >>"$WORK/srtprelayd-latch.conf"
	sipd_start "$d" "$WORK/srtprelayd-latch.conf" || return 1
	k_caller=$(gen_key) k_callee=$(gen_key)
	printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$k_callee" >"$d/uas.csv"
	printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;latch\n' "$k_caller" >"$d/uac.csv"
	# -mp 9000: SIPp's own RTP echo sockets, away from the ports srtp_peer binds.
	(cd "$d" && exec nsenter --net=/run/netns/callee timeout -k 5 120 sipp -sf /ktest/uas_answer.xml \
		-inf "$d/uas.csv" -i 10.0.2.2 -p 16070 -mp 9000 -m 1 -nostdin -aa \
		-trace_msg -message_file "$d/uas.msg" -trace_err >"$d/uas.out" 2>&1) &
	uas=$!
	sleep 1
	t0=$(cut -d' ' -f1 /proc/uptime)
	(cd "$d" && exec nsenter --net=/run/netns/caller timeout -k 5 120 sipp 10.0.1.1:16060 \
		-sf /ktest/uac_hold.xml -inf "$d/uac.csv" -i 10.0.1.2 -p 16080 -mp 9000 \
		-m 1 -d $LATCH_HOLD_MS -nostdin -timeout 100 \
		-trace_msg -message_file "$d/uac.msg" -trace_err >"$d/uac.out" 2>&1) &
	uac=$!
	latch_media
	ok=$?
	say "media checks done $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.0f", b - a }') s after the INVITE; the caller hangs up after ${LATCH_HOLD_MS} ms"
	# The call ends by itself: the caller's BYE.
	wait $uac
	urc=$?
	wait $uas
	src=$?
	waited=0
	until [ "$(sipd_calls)" = 0 ] && [ "$(module_streams)" = 0 ] || [ $waited -ge 30 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	after_calls=$(sipd_calls) after_streams=$(module_streams)
	in_sbc srtprelayctl status -s $SIPD_SOCK >"$d/status-after.txt" 2>&1
	say "after the BYE: SIPp exit caller $urc, callee $src; $after_calls calls, $after_streams streams, $(grep '^realm' "$d/status-after.txt" | tr '\n' ' ')"
	sipd_stop || ok=1
	drc=$sipd_rc
	sipd_calls_ended || ok=1
	[ $ok -eq 0 ] || { echo "srtprelayd log:"; tail -30 "$d/daemon.log"; }
	return $ok
}

# The media part of latch_through_srtprelayd, while the call is up.
latch_media() {
	caller_sdp= callee_sdp=
	waited=0
	until [ -n "$caller_sdp" ] && [ -n "$callee_sdp" ] || [ $waited -ge 150 ]; do
		sleep 0.1
		waited=$((waited + 1))
		caller_sdp=$(sdp_of "$d/uac.msg" '^SIP/2.0 200')
		callee_sdp=$(sdp_of "$d/uas.msg" '^INVITE ')
	done
	[ -n "$caller_sdp" ] && [ -n "$callee_sdp" ] ||
		fail "no call: srtprelayd's 200 to the caller '$caller_sdp', its INVITE to the callee '$callee_sdp'" ||
		return 1
	set -- $caller_sdp
	fwd=10.0.1.1:$1 fwd_rtcp_src=10.0.1.1:$(($1 + 1)) k_to_caller=$2
	set -- $callee_sdp
	rev=10.0.2.1:$1 rev_rtcp=10.0.2.1:$(($1 + 1)) k_to_callee=$2
	x=10.0.1.2:$LATCH_SDP_PORT x_rtcp=10.0.1.2:$((LATCH_SDP_PORT + 1))
	y=10.0.1.2:$LATCH_NAT_PORT y_rtcp=10.0.1.2:$((LATCH_NAT_PORT + 1))
	waited=0
	until [ -n "$(stream_field "$rev" out_dst)" ] || [ $waited -ge 50 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	was=$(stream_field "$rev" out_dst)
	say "call up (SDP from srtprelayd): the caller sends to $fwd, the callee to $rev;" \
		"before the caller sent, $rev sends to ${was:-nothing} (the caller's SDP: $x)"
	[ "$was" = "$x" ] || fail "the reverse stream does not start at the caller's SDP address" || return 1

	n=20 m=4 r=0
	start_recv callee --listen 10.0.2.2:6002 --from "$rev" $(peer_args $S80 "$k_to_callee") \
		rtp:0xc0ffee:1:$n
	in_caller srtp_peer send --src "$y" --dst "$fwd" $(peer_args $S80 "$k_caller") \
		rtp:0xc0ffee:1:$n || return 1
	stop_recv $recv_pid || fail "the caller's SRTP from $y did not all reach the callee" || r=1
	# The module's event, srtprelayd's STREAM_SET: give it a moment.
	waited=0
	until [ "$(stream_field "$rev" out_dst)" = "$y" ] || [ $waited -ge 30 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	latched=$(stream_field "$fwd" latched)
	out_dst=$(stream_field "$rev" out_dst) out_rtcp=$(stream_field "$rev" out_rtcp_dst)
	say "after $n packets from $y: $fwd latched ${latched:-nothing}; $rev sends RTP to" \
		"${out_dst:-?}, RTCP to ${out_rtcp:-?}"
	[ "$latched" = "$y" ] || { fail "the module did not latch $y"; r=1; }
	[ "$out_dst" = "$y" ] || { fail "srtprelayd did not move OUT_DST to $y"; r=1; }
	[ "$out_rtcp" = "$y_rtcp" ] || { fail "srtprelayd did not move OUT_RTCP_DST to $y_rtcp"; r=1; }
	say "srtprelayd logged:"
	grep 'latched, media' "$d/daemon.log" | sed 's/^/  /'
	logged=$(grep -c "leg caller .*: latched, media to the peer goes to $y (SDP said $x)" "$d/daemon.log")
	[ "$logged" = 1 ] || { fail "srtprelayd logged the caller's latch $logged times, want once"; r=1; }
	grep -q 'media events:' "$d/daemon.log" &&
		{ fail "srtprelayd: $(grep 'media events:' "$d/daemon.log" | head -1)"; r=1; }
	in_sbc srtprelayctl calls -s $SIPD_SOCK >"$d/calls.txt" 2>&1
	grep -q "latched $y" "$d/calls.txt" || { fail "srtprelayctl calls does not show the caller latched at $y"; r=1; }

	# The callee's media: RTP from its SDP port, RTCP from the one above.
	start_recv caller --listen "$y" --listen-rtcp "$y_rtcp" --from "$fwd" --from-rtcp "$fwd_rtcp_src" \
		$(peer_args $S80 "$k_to_caller") rtp:0xca11ee:1:$n rtcp:0xca11ee:1:$m
	at_y=$recv_pid
	start_recv caller --listen "$x" --listen "$x_rtcp" $(peer_args $S80 "$k_to_caller")
	at_x=$recv_pid
	nsenter --net=/run/netns/callee srtp_peer send --src 10.0.2.2:6003 --dst "$rev_rtcp" \
		$(peer_args $S80 "$k_callee") rtcp:0xca11ee:1:$m &
	rtcp_sender=$!
	in_callee srtp_peer send --src 10.0.2.2:6002 --dst "$rev" $(peer_args $S80 "$k_callee") \
		rtp:0xca11ee:1:$n || r=1
	wait $rtcp_sender || r=1
	say "the callee sent $n RTP and $m RTCP; at $y and $y_rtcp the caller got:"
	stop_recv $at_y || { fail "the callee's media did not all reach the caller at $y / $y_rtcp"; r=1; }
	say "at the SDP's $x and $x_rtcp, where nothing may arrive, the caller got:"
	stop_recv $at_x 5 || { fail "media went to the caller's SDP address $x / $x_rtcp"; r=1; }
	expect_counters "$fwd" rx_packets=$n tx_packets=$n auth_failed=0 replayed=0 \
		source_rejected=0 || r=1
	expect_counters "$rev" rx_packets=$((n + m)) tx_packets=$((n + m)) rtcp_rx_packets=$m \
		rtcp_tx_packets=$m auth_failed=0 replayed=0 || r=1
	metrics_match_module || r=1
	return $r
}

# srtprelayd's Prometheus page on the kernel backend shows the module's own
# netns counters (STATS_GET, per-CPU sums), as srtprelayctl stats reads them
# (test/service/metrics.sh checks the same page on the userspace datapath
# against what its test sent), and the call.
metrics_match_module() {
	sleep 1.1	# the page reads the media plane at most once a second
	in_sbc wget -q -O "$d/metrics.txt" http://127.0.0.1:9464/metrics ||
		fail "no metrics page from srtprelayd" || return 1
	ctl stats >"$d/stats.txt" 2>&1
	mr=0
	for pair in 'srtprelay_media_packets_total{direction="rx"} rx_packets' \
		'srtprelay_media_packets_total{direction="tx"} tx_packets' \
		'srtprelay_media_bytes_total{direction="rx"} rx_bytes' \
		'srtprelay_media_auth_failures_total auth_failed' \
		'srtprelay_media_source_rejections_total source_rejected' \
		'srtprelay_media_streams streams'; do
		page=$(awk -v k="${pair% *}" '$1 == k { print $2 }' "$d/metrics.txt")
		module=$(awk -v k="${pair##* }:" '$1 == k { print $2 }' "$d/stats.txt")
		say "metrics: ${pair% *} = ${page:-absent}, srtprelayctl stats ${pair##* } = ${module:-?}"
		[ -n "$page" ] && [ "$page" = "$module" ] || mr=1
	done
	grep -qx 'srtprelay_calls_active 1' "$d/metrics.txt" || { fail "metrics: not 1 call active"; mr=1; }
	grep -qx 'srtprelay_media_plane_up 1' "$d/metrics.txt" || { fail "metrics: media plane not up"; mr=1; }
	[ $mr -eq 0 ] || fail "srtprelayd's metrics differ from the module's counters"
}

# test/lib.sh (sdp_of, sdes_calls, wait_for): beside this file in the guest,
# where build-initramfs.sh puts it; one folder up on the host (dpcheck).
if [ -f "${KTEST_DIR:-$(dirname "$0")}/lib.sh" ]; then
	. "${KTEST_DIR:-$(dirname "$0")}/lib.sh"
else
	. "${KTEST_DIR:-$(dirname "$0")}/../lib.sh"
fi
# Scenarios kept in files of their own beside this one.
. "${KTEST_DIR:-$(dirname "$0")}/keystream.sh"
. "${KTEST_DIR:-$(dirname "$0")}/pass_through.sh"
. "${KTEST_DIR:-$(dirname "$0")}/family.sh"
. "${KTEST_DIR:-$(dirname "$0")}/reload.sh"

# --- srtprelayd and SIPp: RTP Bleed on a plain call ---------------------------

# A plain RTP call through srtprelayd on the kernel backend (the groups of
# srtprelayd-vm.conf with srtp disabled). The caller sends from its SDP
# address in the learning window; once the window closed, a stranger sends
# to the caller leg's port (one packet, then 50/s for 5 s) from its own
# namespace, and the caller's IP from another port does the same. The
# callee's audio must still go to the caller's SDP address only (the
# reverse stream's OUT_DST never moves), all of it must arrive there,
# nothing of the strangers reaches the callee, srtprelayd logs refusals
# and no latch, and the caller leg's stream counts them as source_rejected.
# test/attack/t_10_rtp_bleed.sh runs the same on the userspace datapath,
# where the stranger also listens (it gets nothing).
BLEED_N=250
sdp_port_of() { # LOG RE: the m=audio port of the first message matching RE
	awk -v re="$2" '
		{ sub(/\r$/, "") }
		/^(INVITE|ACK|BYE|SIP\/2\.0) / { in_msg = $0 ~ re }
		in_msg && /^m=audio / { print $2; exit }' "$1" 2>/dev/null
}

bleed_through_srtprelayd() {
	d=$WORK/bleed
	sed -e 's/^log_level = .*/log_level = "info";/' -e 's/srtp = "mandatory"/srtp = "disabled"/' \
		/ktest/srtprelayd-vm.conf >"$WORK/srtprelayd-bleed.conf"
	sipd_start "$d" "$WORK/srtprelayd-bleed.conf" || return 1
	printf 'SEQUENTIAL\nRTP/AVP;\n' >"$d/uas.csv"
	printf 'SEQUENTIAL\nRTP/AVP;;;latch\n' >"$d/uac.csv"
	(cd "$d" && exec nsenter --net=/run/netns/callee timeout -k 5 150 sipp -sf /ktest/uas_answer.xml \
		-inf "$d/uas.csv" -i 10.0.2.2 -p 16070 -mp 9000 -m 1 -nostdin -aa \
		-trace_msg -message_file "$d/uas.msg" -trace_err >"$d/uas.out" 2>&1) &
	uas=$!
	sleep 1
	(cd "$d" && exec nsenter --net=/run/netns/caller timeout -k 5 150 sipp 10.0.1.1:16060 \
		-sf /ktest/uac_hold.xml -inf "$d/uac.csv" -i 10.0.1.2 -p 16080 -mp 9000 \
		-m 1 -d 140000 -nostdin -timeout 145 \
		-trace_msg -message_file "$d/uac.msg" -trace_err >"$d/uac.out" 2>&1) &
	uac=$!
	bleed_media
	ok=$?
	# The call holds long enough for a loaded TCG guest; end it here.
	kill $uac $uas 2>/dev/null
	wait $uac $uas
	sipd_stop || ok=1
	[ $sipd_rc -eq 0 ] || { fail "srtprelayd exit $sipd_rc on SIGTERM"; ok=1; }
	[ $ok -eq 0 ] || { echo "srtprelayd log:"; tail -30 "$d/daemon.log"; }
	return $ok
}

# The media part of bleed_through_srtprelayd, while the call is up.
bleed_media() {
	cp= ep_=
	waited=0
	until [ -n "$cp" ] && [ -n "$ep_" ] || [ $waited -ge 150 ]; do
		sleep 0.1
		waited=$((waited + 1))
		cp=$(sdp_port_of "$d/uac.msg" '^SIP/2.0 200')
		ep_=$(sdp_port_of "$d/uas.msg" '^INVITE ')
	done
	[ -n "$cp" ] && [ -n "$ep_" ] || fail "no call" || return 1
	fwd=10.0.1.1:$cp rev=10.0.2.1:$ep_ x=10.0.1.2:6000 r=0
	in_caller srtp_peer send --src "$x" --dst "$fwd" $(peer_args NONE) rtp:0xca11e4:1:10 || return 1
	waited=0
	until [ "$(counter "$fwd" latch_window_ms)" = 0 ] || [ $waited -ge 100 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	say "call up: the caller sends to $fwd, the callee to $rev; the caller sent 10 from" \
		"$x; learning window closed: $(counter "$fwd" latch_window_ms) ms left," \
		"latched $(stream_field "$fwd" latched)"
	in_ns stranger srtp_peer send --src 10.0.3.2:7000 --dst "$fwd" $(peer_args NONE) \
		rtp:0x5742:1:1 || r=1
	in_ns stranger srtp_peer send --src 10.0.3.2:7000 --dst "$fwd" --interval-us 20000 \
		$(peer_args NONE) rtp:0x5742:2:$BLEED_N || r=1
	in_caller srtp_peer send --src 10.0.1.2:6100 --dst "$fwd" --interval-us 20000 \
		$(peer_args NONE) rtp:0x5743:1:$BLEED_N || r=1
	out_dst=$(stream_field "$rev" out_dst)
	say "after 1 + $BLEED_N packets from 10.0.3.2:7000 and $BLEED_N from 10.0.1.2:6100:" \
		"$rev sends to ${out_dst:-?}; $fwd latched $(stream_field "$fwd" latched)"
	[ "$out_dst" = "$x" ] || { fail "srtprelayd moved the callee's audio to $out_dst"; r=1; }
	# The callee's audio: all of it at the caller's SDP address, from rev.
	start_recv caller --listen "$x" --from "$fwd" $(peer_args NONE) rtp:0xca11ee:1:20
	in_callee srtp_peer send --src 10.0.2.2:6002 --dst "$rev" $(peer_args NONE) \
		rtp:0xca11ee:1:20 || r=1
	stop_recv $recv_pid || { fail "the callee's audio did not all reach the caller"; r=1; }
	expect_counters "$fwd" rx_packets=10 tx_packets=10 source_rejected=$((1 + 2 * BLEED_N)) \
		latches=1 || r=1
	grep 'refused\|latched, media' "$d/daemon.log" | sed 's/^/  /' | head -5
	grep -q "latched, media" "$d/daemon.log" && { fail "srtprelayd moved a stream"; r=1; }
	grep -q "media from 10.0.3.2:7000 refused" "$d/daemon.log" ||
		{ fail "srtprelayd did not report the stranger"; r=1; }
	return $r
}

# --- srtprelayd SIGKILLed and started again under calls (issue 16) -----------

# CRASH_CALLS SDES-SRTP calls through srtprelayd on the kernel backend; while
# their callers hold them, srtprelayd is SIGKILLed and started again. The
# module keeps its realms and the calls' streams; the restarted srtprelayd
# must keep the realms (backend kernel, not waiting), hold every call again
# from its state journal (calls, port pairs, the module's streams), and then
# every caller re-INVITEs with a new key and hangs up: both SIPp exit 0 and
# no call, port pair or stream is left. (test/crash/t_01 does the same with
# media on the userspace datapath.)
CRASH_CALLS=${CRASH_CALLS:-20}

sipd_restart() {
	sed 's/^log_level = .*/log_level = "info";/' /ktest/srtprelayd-vm.conf >"$1/restart.conf"
	nsenter --net=/run/netns/sbc srtprelayd -c "$1/restart.conf" >"$1/daemon2.log" 2>&1 &
	sipd=$!
	waited=0
	until in_sbc srtprelayctl status -s $SIPD_SOCK >/dev/null 2>&1 || [ $waited -ge 50 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	say "restarted after $((waited * 100)) ms:" \
		"$(grep -E 'calls restored|realm .* kept' "$1/daemon2.log" | cut -c 22- | tr '\n' ';')"
}

srtprelayd_killed_keeps_calls() {
	n=$CRASH_CALLS
	d=$WORK/sipd-crash
	ok=0
	sipd_start "$d" /ktest/srtprelayd-vm.conf || return 1
	for side in uac uas; do
		echo SEQUENTIAL >"$d/$side.csv"
		i=0
		while [ $i -lt $n ]; do
			printf '%d;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;conc%d\n' \
				$((6000 + 2 * i)) "$(gen_key)" "$(gen_key)" $i >>"$d/$side.csv"
			i=$((i + 1))
		done
	done
	(cd "$d" && exec nsenter --net=/run/netns/callee timeout -k 5 90 sipp -sf /ktest/uas_crash_wait.xml \
		-inf "$d/uas.csv" -i 10.0.2.2 -p 16070 -m $n -nostdin -trace_err >"$d/uas.out" 2>&1) &
	uas=$!
	sleep 1
	(cd "$d" && exec nsenter --net=/run/netns/caller timeout -k 5 90 sipp 10.0.1.1:16060 \
		-sf /ktest/uac_crash_bye.xml -inf "$d/uac.csv" -i 10.0.1.2 -p 16080 \
		-m $n -l $n -r 50 -d 10000 -nostdin -timeout 80 -trace_err >"$d/uac.out" 2>&1) &
	uac=$!
	waited=0
	until [ "$(sipd_calls)" = $n ] && [ "$(module_streams)" = $((2 * n)) ] || [ $waited -ge 50 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	say "up: $(sipd_calls) calls, $(module_streams) streams in srtprelay.ko; SIGKILL to srtprelayd"
	kill -KILL $sipd
	wait $sipd 2>/dev/null
	sipd_restart "$d"
	in_sbc srtprelayctl status -s $SIPD_SOCK >"$d/status-restart.txt" 2>&1
	grep -q '^backend kernel' "$d/status-restart.txt" ||
		{ fail "restarted srtprelayd is not on the module: $(head -1 "$d/status-restart.txt")"; ok=1; }
	[ "$(sipd_calls)" = $n ] || { fail "restarted srtprelayd holds $(sipd_calls) calls, want $n"; ok=1; }
	[ "$(grep -c "^realm .* port-pairs-in-use $n\$" "$d/status-restart.txt")" -eq 2 ] ||
		{ fail "port pairs after the restart: $(grep '^realm' "$d/status-restart.txt" | tr '\n' ' ')"; ok=1; }
	[ "$(module_streams)" = $((2 * n)) ] || { fail "streams after the restart: $(module_streams)"; ok=1; }
	wait $uac
	urc=$?
	wait $uas
	src=$?
	say "re-INVITEs with new keys and BYEs after the restart; SIPp exit: caller $urc, callee $src"
	sleep 1
	after_calls=$(sipd_calls) after_streams=$(module_streams)
	in_sbc srtprelayctl status -s $SIPD_SOCK >"$d/status-after.txt" 2>&1
	sipd_stop || ok=1
	drc=$sipd_rc
	sipd_calls_ended || ok=1
	[ $ok -eq 0 ] || {
		for f in "$d"/*_errors.log; do
			echo "SIPp errors $(basename "$f"):"
			grep -o "[0-9:.]*: [A-Z][a-z]* call[^']*'[^']*'[^']*'[^']*" "$f" | head -8
		done
		echo "srtprelayd log after the restart:"
		grep -v 'media: stream' "$d/daemon2.log" | tail -40
	}
	return $ok
}

# --- main ---------------------------------------------------------------------

echo "ktest: $(uname -r), $(nproc) CPUs, backend $BACKEND$([ "$BACKEND" = userspace ] && echo " ($DP_MODE mode)"), srtprelay.ko $([ -f "$KMOD" ] && echo present || echo MISSING)"
check_always namespaces_ready make_topology || { echo "0 passed, 1 failed"; exit 1; }
kernel_only && check_always crypto_api_ready crypto_api_ready
check peer_plain_rtp_ipv4_caller_to_sbc peer_pair 4 NONE "" rtp:1:65500:50
check peer_srtp80_ipv6_wrap_and_rtcp peer_pair 6 $S80 "" rtp:2:65500:50 rtcp:2:1:5
check peer_srtp32_mki_ipv4 peer_pair 4 $S32 1:1 rtp:3:1:50
check peer_detects_tampering peer_detects_tampering
check peer_detects_plain_as_wrong peer_detects_plain_as_wrong

if [ "$BACKEND" = userspace ]; then
	check_always datapath_starts datapath_starts
else
	check_always module_loads module_loads
fi
check_always ctl_present ctl_present
if needs module ctl; then
	check_always realms_added add_realms
fi
if needs module ctl; then
	relay_modes
	suite_pairs
	pass_through_checks
	check call_srtp80_srtp32_both_directions_ipv4 call_bidirectional 4
	check call_srtp80_srtp32_both_directions_ipv6 call_bidirectional 6
	check tampered_rejected_and_counted_others_untouched bad_packets tamper auth_failed
	check replay_rejected_and_counted_others_untouched bad_packets replay replayed
	check wrong_key_rejected_and_counted_others_untouched bad_packets wrongkey auth_failed
	check only_wrong_key_packets_deliver_nothing only_bad_packets wrongkey auth_failed
	check srtcp_replay_rejected_and_counted srtcp_bad replay replayed
	check srtcp_tampered_rejected_and_counted srtcp_bad tamper auth_failed
	check malformed_counted_stream_unharmed malformed
	check roc_given_at_setup_used_both_sides roc_at_setup
	check flush_by_cookie_removes_only_those flush_by_cookie
	check too_old_rejected_and_counted too_old
	check mki_mismatch_rejected_and_counted mki_mismatch
	for fam in 4 6; do
		check latch_learns_best_authenticated_source_then_holds_ipv$fam \
			latching $fam
		check rtp_bleed_stranger_after_window_refused_nat_phone_latched_ipv$fam \
			rtp_bleed $fam
		check lock_on_sdp_rejects_other_source_ipv$fam lock_on_sdp $fam
	done
	check hold_authenticates_but_does_not_forward hold
	check rekey_of_live_stream_loses_no_packet rekey_live
	check update_during_traffic_loses_no_packet update_during_traffic
	check route_change_ipv4_followed_mid_stream route_change 4
	check route_change_ipv6_followed_mid_stream route_change 6
	check ssrc_change_and_back_ipv4_loses_no_packet ssrc_change 4
	check ssrc_change_and_back_ipv6_loses_no_packet ssrc_change 6
	check keystream_same_ssrc_index_leaves_once_after_forged_ssrc_flood \
		keystream_reuse_after_ssrc_flood
	check controller_sigkilled_forwarding_continues controller_killed
	family_checks
	kernel_only && check latch_and_ssrc_events_reach_listener events
	ctl_rejections
	kernel_only && netlink_cases
	kernel_only && check non_root_gets_eperm_and_can_read unprivileged
	kernel_only && check events_for_cap_net_admin_only events_for_admins_only
	kernel_only && check caps_hold_and_memory_is_charged_in_a_users_own_namespace \
		caps_hold_in_own_namespace
	kernel_only && check netns_sees_only_its_own_objects netns_isolation
	kernel_only && check ten_thousand_streams_added_dumped_trafficked_deleted_memory_returns ten_thousand_streams
	kernel_only && check netns_teardown_with_live_stream netns_teardown
	kernel_only && check rmmod_while_traffic_flows rmmod_under_traffic
	kernel_only && check two_hundred_concurrent_calls_through_the_module concurrent_calls
	kernel_only && check srtprelayd_follows_latched_caller_behind_nat_not_its_sdp_port \
		latch_through_srtprelayd
	kernel_only && check rtp_bleed_through_srtprelayd_strangers_get_no_audio \
		bleed_through_srtprelayd
	kernel_only && check module_reloaded_under_srtprelayd_calls_streams_reinstalled \
		module_reload_under_calls
	kernel_only && check srtprelayd_sigkilled_restarted_keeps_its_calls \
		srtprelayd_killed_keeps_calls
	if [ "$BACKEND" = userspace ]; then
		check_always datapath_stops_cleanly datapath_stops
	elif $have_module; then
		check_always final_rmmod rmmod srtprelay
	fi
fi

[ $skipped -gt 0 ] && echo "($skipped groups of checks skipped: kernel-only with backend $BACKEND, or module/srtprelayctl missing)"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
