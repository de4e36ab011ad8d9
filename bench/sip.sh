#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# SIP call setup rate of srtprelayd (the B2BUA) over TCP and TLS, beside
# the same scenario against a plain SIPp callee (the floor: what the
# generator alone sustains on its core).
#
# The call: a SIPp caller (test/sip/uac_call.xml: INVITE with an SDES
# offer, 200, ACK, 300 ms, BYE) through srtprelayd to a SIPp callee
# (test/sip/uas_answer.xml, answering with its own key), SRTP mandatory on
# both legs, so every call parses, rewrites and re-keys both SDPs. Both
# SIPp peers use one connection each (-t t1), as a trunk between two SBCs
# does: the rate measured is call setup, not TCP or TLS handshakes.
#
#   row            caller            srtprelayd      callee
#   tcp srtprelayd SIPp -TCP->       :25060 -TCP->   SIPp :25070
#   tcp floor      SIPp -TCP-------------------------> SIPp :25070
#   tls srtprelayd SIPp -TCP-> stunnel -TLS-> :25061 -TLS-> stunnel -TCP-> SIPp
#   tls floor      SIPp -TCP-> stunnel -TLS--------------> stunnel -TCP-> SIPp
#
# Debian's SIPp has no TLS, so stunnel (one process, client on the caller's
# side, server in front of the callee) terminates it for SIPp. The TLS floor
# goes through the same stunnel process on both sides, so both TLS rows pay
# the same TLS cost on the generator's core; srtprelayd's own two TLS ends
# (server towards the caller, client towards the callee) are on its core.
# The caller-side stunnel verifies srtprelayd's self-signed certificate
# (the one it writes into its state_dir) and the callee's own.
#
# srtprelayd runs pinned to RELAY_CPU, SCHED_FIFO, as the relays of
# bench/netns.sh; both SIPp peers and stunnel run on GEN_CPU (SCHED_RR, so
# that the three share it but other jobs on this machine do not preempt
# them). Media backend "record": ports and keys are allocated and streams
# would be installed, but no media plane is driven (bench/netns.sh
# measures that).
#
# Search per row: SECONDS_PER_RATE seconds of calls at a rate that starts
# at START_RATE and doubles while a step passes, then bisects (BISECT
# steps) between the last pass and the first failure. A step passes when
# fewer than 1 % of its calls failed and SIPp kept the rate asked for
# (created every call and finished within 20 % of the step plus 2 s: a caller that falls behind is the generator's limit
# showing, not a success); a failing step is run once more. The answer is
# the highest passing rate.
#
#   sip.sh   prints per row
#            "SIP-RESULT: transport,target,calls_per_s,failed_pct,relay_cpu_pct,gen_cpu_pct,note"
#            relay_cpu_pct: srtprelayd's CPU time over the step, % of one
#            core (empty for the floor); gen_cpu_pct: GEN_CPU's busy time
#            (/proc/stat, neighbours included).
#
# Overload (issue 18): past its capacity srtprelayd refuses part of the
# new calls with 503 and Retry-After rather than answering all of them
# late. After the rows (searched with overload control off), the tcp
# srtprelayd row's rate (or CAPACITY) is offered, with it on, at 1x, 2x and 5x (OVERLOAD_MULTIPLES) for SECONDS_PER_RATE each,
# with test/sip/uac_admission.xml: a call is completed (200, ACK, 300 ms,
# BYE, 200), refused (503, ACK) or timed out (no answer within 6 s).
#
#   sip.sh   prints per step
#            "SIP-OVERLOAD: multiple,offered_per_s,made_per_s,completed_per_s,refused_503,timed_out,relay_cpu_pct,note"
#            offered: the rate asked of SIPp; made: the calls it made
#            over the step's length (less when the generator is the limit).
# Environment: BUILD, RELAY_CPU (0), GEN_CPU (1), SECONDS_PER_RATE (5),
# START_RATE (50), MAX_RATE (12800), BISECT (2), SIP_ROWS ("tcp:srtprelayd
# tcp:floor tls:srtprelayd tls:floor"), CAPACITY, OVERLOAD_MULTIPLES
# ("1 2 5"; empty: none). QUICK=1: one 2-second step at 20 calls/s of
# srtprelayd over TCP and TLS, and one overload step of 2 s at 5x that,
# to prove the harness works.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
RELAY_CPU=${RELAY_CPU:-0}
GEN_CPU=${GEN_CPU:-1}
DUR=${SECONDS_PER_RATE:-5}
START_RATE=${START_RATE:-50}
MAX_RATE=${MAX_RATE:-12800}
BISECT=${BISECT:-2}
ROWS=${SIP_ROWS:-tcp:srtprelayd tcp:floor tls:srtprelayd tls:floor}
WORK=${WORK:-/tmp/srtprelay-bench}/sip
RT=${RT-chrt -f 50}
GEN_RT=${GEN_RT-chrt -r 40}
SIPDIR=$(pwd)/test/sip
if [ "${QUICK:-0}" = 1 ]; then
	DUR=2
	START_RATE=20
	MAX_RATE=20
	BISECT=0
	ROWS=${SIP_ROWS:-tcp:srtprelayd tls:srtprelayd}
	OVERLOAD_MULTIPLES=${OVERLOAD_MULTIPLES-5}
fi
OVERLOAD_MULTIPLES=${OVERLOAD_MULTIPLES-1 2 5}
CAPACITY=${CAPACITY:-}

skip_all() {	# skip_all WHY
	for row in $ROWS; do
		echo "SIP-RESULT: ${row%%:*},${row#*:},,,,,skipped: $1"
	done
	exit 0
}
[ -x "$BUILD/srtprelayd" ] || skip_all "no $BUILD/srtprelayd"
if ! command -v sipp >/dev/null || [ ! -f "$SIPDIR/uac_call.xml" ] || [ ! -f "$SIPDIR/uas_answer.xml" ]; then
	skip_all "no sipp or no test/sip scenarios"
fi
rm -rf "$WORK"
mkdir -p "$WORK/state"

# Addresses: srtprelayd 127.0.0.1 (25060 TCP, 25061 TLS); the caller
# 127.0.0.11 (port 25080); stunnel's client side listens on 127.0.0.13
# (25062 to srtprelayd, 25063 to the callee's stunnel) and connects from
# 127.0.0.12, which is how srtprelayd tells TLS callers from TCP ones; the
# callee 127.0.0.20 (25070 TCP, 25071 its stunnel).
cat >"$WORK/srtprelayd-overload.conf" <<EOF
log_level = "warning";
state_dir = "$WORK/state";
media_backend = "record";
# The callee's stunnel has a self-signed certificate: trusted by ca_file.
tls_contexts = ( { name = "bench"; self_signed = true;
  ca_file = "$WORK/uas-cert.pem"; } );
media_realms = (
  { name = "lo"; address = "127.0.0.1"; ports = [ 40000, 59999 ]; max_sessions = 20000; }
);
sip_interfaces = (
  { name = "lo"; address = "127.0.0.1"; udp_port = 25060; tcp_port = 25060;
    tls_port = 25061; tls_context = "bench"; media_realm = "lo"; }
);
proxy_sets = (
  { name = "uas-tcp"; targets = [ "127.0.0.20:25070;transport=tcp" ]; keepalive = false; },
  { name = "uas-tls"; targets = [ "127.0.0.20:25071;transport=tls;tls_name=callee.bench" ]; keepalive = false; }
);
ip_groups = (
  { name = "callers-tcp"; match = [ "127.0.0.11" ]; srtp = "mandatory"; request_rate = 0; },
  { name = "callers-tls"; match = [ "127.0.0.12" ]; srtp = "mandatory"; request_rate = 0; },
  { name = "callee-tcp"; proxy_set = "uas-tcp"; srtp = "mandatory"; },
  { name = "callee-tls"; proxy_set = "uas-tls"; srtp = "mandatory"; }
);
routing = (
  { name = "tcp"; from = "callers-tcp"; to = "callee-tcp"; },
  { name = "tls"; from = "callers-tls"; to = "callee-tls"; }
);
EOF
K_CALLER=WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz
K_CALLEE=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$K_CALLEE" \
	>"$WORK/uas.csv"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;bench\n' "$K_CALLER" \
	>"$WORK/uac.csv"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=callee.bench \
	-keyout "$WORK/uas-key.pem" -out "$WORK/uas-cert.pem" >/dev/null 2>&1
# The search measures what srtprelayd sustains, so overload control
# (which refuses calls from 90 % of the loop's time up, and on a shared
# core earlier than its CPU share says) is off for it, as it was for
# every figure before it existed; the overload steps run with it.
sed 's/^sip_interfaces = (/sip_limits = { overload_busy_high = 0; };\n&/' \
	"$WORK/srtprelayd-overload.conf" >"$WORK/srtprelayd.conf"
CONF=$WORK/srtprelayd.conf
if ! "$BUILD/srtprelayd" -t -c "$WORK/srtprelayd.conf" >"$WORK/check.log" 2>&1; then
	cat "$WORK/check.log"
	skip_all "srtprelayd rejects the configuration"
fi
# srtprelayd writes its self-signed certificate (what stunnel verifies it
# against) into state_dir when it first starts.
cat >"$WORK/stunnel.conf" <<EOF
foreground = yes
pid =
debug = ${STUNNEL_DEBUG:-warning}
output = $WORK/stunnel.log
[to-srtprelayd]
client = yes
accept = 127.0.0.13:25062
local = 127.0.0.12
connect = 127.0.0.1:25061
CAfile = $WORK/state/bench-cert.pem
verifyPeer = yes
[to-callee]
client = yes
accept = 127.0.0.13:25063
local = 127.0.0.12
connect = 127.0.0.20:25071
CAfile = $WORK/uas-cert.pem
verifyPeer = yes
[callee]
accept = 127.0.0.20:25071
connect = 127.0.0.20:25070
cert = $WORK/uas-cert.pem
key = $WORK/uas-key.pem
EOF

daemon=
uas=
tunnel=
stop_peers() {
	for p in $daemon $uas $tunnel; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	daemon='' uas='' tunnel=''
}
trap stop_peers EXIT
trap 'exit 2' INT TERM

listening() {	# listening PORT: a TCP listener on PORT within 5 s
	tries=0	# not i: sh has no local variables, and the bisection counts with i
	while ! ss -Hltn "sport = :$1" | grep -q .; do
		[ $tries -ge 50 ] && return 1
		sleep 0.1
		tries=$((tries + 1))
	done
}

# start_peers TRANSPORT TARGET: srtprelayd (for its rows), the callee and,
# for TLS, stunnel, all fresh for every step. An overloaded step leaves
# srtprelayd with transactions that run for 32 s, and SIPp's callee exits
# when a peer resets its connection (srtprelayd does when its send queue
# to the callee is full): a step must not inherit either.
start_peers() {
	stop_peers
	if [ "$2" = srtprelayd ]; then
		# Afresh: calls a failed step left in the state journal would
		# be restored (and ended with BYEs) by the next step's start.
		rm -f "$WORK/state/calls.journal"
		# shellcheck disable=SC2086
		$RT taskset -c "$RELAY_CPU" "$BUILD/srtprelayd" -c "$CONF" \
			>>"$WORK/daemon.log" 2>&1 &
		daemon=$!
		listening 25061 || { echo "srtprelayd did not start (see $WORK/daemon.log)"; return 1; }
	fi
	# shellcheck disable=SC2086
	(cd "$WORK" && exec $GEN_RT taskset -c "$GEN_CPU" sipp -sf "$SIPDIR/uas_answer.xml" \
		-inf "$WORK/uas.csv" -t t1 -i 127.0.0.20 -p 25070 -nostdin \
		>"$WORK/uas.log" 2>&1) &
	uas=$!
	listening 25070 || { echo "SIPp's callee did not start (see $WORK/uas.log)"; return 1; }
	if [ "$1" = tls ]; then
		# shellcheck disable=SC2086
		$GEN_RT taskset -c "$GEN_CPU" stunnel4 "$WORK/stunnel.conf" >"$WORK/stunnel.out" 2>&1 &
		tunnel=$!
		listening 25063 || { echo "stunnel did not start: $(tail -1 "$WORK/stunnel.out")"; return 1; }
	fi
	return 0
}

tls_note=
command -v stunnel4 >/dev/null || tls_note="no stunnel4 (scripts/deps.sh installs it)"
# The first start writes srtprelayd's certificate for stunnel.
start_peers tcp srtprelayd >"$WORK/start.log" || skip_all "$(cat "$WORK/start.log")"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$daemon/stat" 2>/dev/null || echo 0; }
gen_busy() { awk -v c="cpu$GEN_CPU" '$1 == c { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }

# step TRANSPORT TARGET RATE: one run of RATE*DUR calls; sets failed_pct,
# relay_cpu, gen_cpu, kept (1 if SIPp kept the rate) and returns
# 0 when the step passed.
step() {
	case "$1:$2" in
	tcp:srtprelayd) to=127.0.0.1:25060 ;;
	tcp:floor) to=127.0.0.20:25070 ;;
	tls:srtprelayd) to=127.0.0.13:25062 ;;
	tls:floor) to=127.0.0.13:25063 ;;
	esac
	calls=$(($3 * DUR))
	tag=$1-$2-$3
	if ! start_peers "$1" "$2" >"$WORK/start.log"; then
		failed_pct='' relay_cpu='' gen_cpu=''
		echo "  SIP $1 $2 rate=$3: $(cat "$WORK/start.log")" >&2
		return 1
	fi
	t0=$(cpu_ticks)
	g0=$(gen_busy)
	start=$(date +%s.%N)
	# SIPp's -timeout does not end a caller whose calls wait for an answer
	# that an overloaded relay dropped; timeout(1) does (SIGINT: SIPp
	# still writes its final statistics, and the lost calls count). A step
	# still running at 1.2 x DUR + 2 s has failed (below), so SIPp gets a
	# few seconds past that, not the 25 s failing TLS steps used to take.
	# shellcheck disable=SC2086
	(cd "$WORK" && exec timeout -s INT -k 5 $((DUR * 2 + 2)) $GEN_RT taskset -c "$GEN_CPU" \
		sipp "$to" -sf "$SIPDIR/uac_call.xml" \
		-inf "$WORK/uac.csv" -t t1 -i 127.0.0.11 -p 25080 -r "$3" -m "$calls" \
		-l $(($3 * 3)) -nostdin -timeout $((DUR + 10)) \
		-trace_stat -stf "$WORK/$tag.stat" -trace_err -error_file "$WORK/$tag.err" \
		>"$WORK/$tag.log" 2>&1)
	t1=$(cpu_ticks)
	g1=$(gen_busy)
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
	relay_cpu=
	[ "$2" = srtprelayd ] && relay_cpu=$(awk -v t="$((t1 - t0))" -v s="$secs" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.0f", 100 * t / hz / s }')
	gen_cpu=$(echo "$g0 $g1" | awk '{ if ($4 > $2) printf "%.0f", 100 * ($3 - $1) / ($4 - $2) }')
	# The stat file's last line: cumulative counters at SIPp's exit.
	failed_pct='' kept=0
	eval "$(awk -F';' -v n="$calls" -v r="$3" -v d="$DUR" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ last = $0 }
		END { split(last, f, ";")
			ok = f[col["SuccessfulCall(C)"]] + 0; bad = f[col["FailedCall(C)"]] + 0
			made = f[col["TotalCallCreated"]] + 0
			# Calls never completed (SIPp timed out on them) count as failed.
			lost = n - ok - bad; if (lost < 0) lost = 0
			printf "failed_pct=%.2f; ", 100 * (bad + lost) / n
			printf "kept=%d\n", (made >= n) }' "$WORK/$tag.stat" 2>/dev/null)"
	# SIPp kept the rate if it created every call and was done within
	# 20 % of the step's length plus 2 s (the last calls' 300 ms and
	# SIPp's start); a caller that falls behind stretches the step.
	awk -v s="$secs" -v d="$DUR" 'BEGIN { exit !(s > 1.2 * d + 2) }' && kept=0
	echo "  SIP $1 $2 rate=$3 calls/s: $calls calls in ${secs%.*} s, ${failed_pct:-?}% failed, SIPp kept the rate: $([ "${kept:-0}" = 1 ] && echo yes || echo no); srtprelayd CPU ${relay_cpu:--}%, generator core ${gen_cpu:-?}%" >&2
	[ "${kept:-0}" = 1 ] && awk -v f="${failed_pct:-100}" 'BEGIN { exit !(f < 1) }'
}

# attempt ...: step, run once more if it fails (this machine is shared),
# but not when half its calls or more failed: a neighbour's stall does not
# do that, a rate past the capacity does, and such a step takes the full
# 6 s timeout of SIPp's calls (or until the step is stopped, above).
attempt() {
	step "$@" && return 0
	awk -v f="${failed_pct:-0}" 'BEGIN { exit !(f >= 50) }' && return 1
	step "$@"
}

for row in $ROWS; do
	transport=${row%%:*}
	target=${row#*:}
	if [ "$transport" = tls ] && [ -n "$tls_note" ]; then
		echo "SIP-RESULT: $transport,$target,,,,,skipped: $tls_note"
		continue
	fi
	best=0 best_failed='' best_relay='' best_gen='' note=ok fail=0
	rate=$START_RATE
	while [ "$rate" -le "$MAX_RATE" ]; do
		if attempt "$transport" "$target" "$rate"; then
			best=$rate best_failed=$failed_pct best_relay=$relay_cpu best_gen=$gen_cpu
			rate=$((rate * 2))
		else
			fail=$rate
			break
		fi
	done
	if [ "$fail" = 0 ]; then
		[ "$note" = ok ] && [ "$MAX_RATE" -gt "$START_RATE" ] && note="limit not reached (MAX_RATE $MAX_RATE)"
	else
		i=0
		while [ $i -lt "$BISECT" ] && [ "$best" -gt 0 ]; do
			mid=$(((best + fail) / 2))
			if attempt "$transport" "$target" "$mid"; then
				best=$mid best_failed=$failed_pct best_relay=$relay_cpu best_gen=$gen_cpu
			else
				fail=$mid
			fi
			i=$((i + 1))
		done
		[ "$best" = 0 ] && note="no rate passed (lowest $START_RATE calls/s)"
	fi
	echo "SIP-RESULT: $transport,$target,$best,$best_failed,$best_relay,$best_gen,$note"
	[ "$row" = tcp:srtprelayd ] && [ -z "$CAPACITY" ] && [ "$best" -gt 0 ] && CAPACITY=$best
done

# count_col FILE COLUMN: a column of a SIPp -trace_counts or -trace_stat
# file's last line (both are ';'-separated with a header line).
count_col() {
	awk -F';' -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) col = i }
		{ last = $0 } END { split(last, f, ";"); print (col ? f[col] : 0) + 0 }' "$1" 2>/dev/null
}

# overload_step MULTIPLE RATE: RATE*DUR calls offered at RATE; prints the
# SIP-OVERLOAD line.
overload_step() {
	calls=$(($2 * DUR))
	tag=overload-$1x
	if ! start_peers tcp srtprelayd >"$WORK/start.log"; then
		echo "SIP-OVERLOAD: $1,$2,,,,,,$(cat "$WORK/start.log")"
		return
	fi
	rm -f "$WORK"/uac_admission_*_counts.csv
	t0=$(cpu_ticks)
	start=$(date +%s.%N)
	# shellcheck disable=SC2086
	(cd "$WORK" && exec timeout -s INT -k 5 $((DUR * 2 + 25)) $GEN_RT taskset -c "$GEN_CPU" \
		sipp 127.0.0.1:25060 -sf "$SIPDIR/uac_admission.xml" \
		-inf "$WORK/uac.csv" -t t1 -i 127.0.0.11 -p 25080 -r "$2" -m "$calls" \
		-l $(($2 * 8)) -d 300 -nostdin -recv_timeout 6000 -timeout $((DUR + 20)) \
		-trace_stat -stf "$WORK/$tag.stat" -trace_counts -trace_err -error_file "$WORK/$tag.err" \
		>"$WORK/$tag.log" 2>&1)
	t1=$(cpu_ticks)
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
	relay_cpu=$(awk -v t="$((t1 - t0))" -v s="$secs" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.0f", 100 * t / hz / s }')
	counts=$(ls "$WORK"/uac_admission_*_counts.csv 2>/dev/null | head -n 1)
	made=$(count_col "$WORK/$tag.stat" TotalCallCreated)
	completed=$(count_col "$counts" 9_200_Recv)
	refused=$(count_col "$counts" 4_503_Recv)
	# Every call made and neither completed nor refused timed out.
	timed_out=$((made - completed - refused))
	note=ok
	[ "$made" -lt "$calls" ] && note="SIPp made $made of $calls calls"
	echo "  SIP overload ${1}x: $2 calls/s asked, $made made in ${secs%.*} s: $completed completed, $refused refused (503), $timed_out timed out; srtprelayd CPU $relay_cpu%; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
	echo "SIP-OVERLOAD: $1,$2,$((made / DUR)),$((completed / DUR)),$refused,$timed_out,$relay_cpu,$note"
}

CONF=$WORK/srtprelayd-overload.conf
if [ -n "$OVERLOAD_MULTIPLES" ]; then
	if [ -z "$CAPACITY" ]; then
		echo "SIP-OVERLOAD: ,,,,,,,skipped: no capacity measured (tcp:srtprelayd row) and no CAPACITY"
	else
		for m in $OVERLOAD_MULTIPLES; do
			overload_step "$m" $((CAPACITY * m))
		done
	fi
fi
