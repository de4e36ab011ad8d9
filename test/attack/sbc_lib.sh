# Helpers of the srtprelayd attack tests (t_30.., t_40..): checks, a
# daemon of their own, its CPU and memory. Sourced, not run.
#
# A test that sources this runs in a network namespace of its own (it
# re-executes itself under `unshare -n` unless scripts/isolated.sh already
# gave it one), so the 127.x addresses and fixed ports meet nothing else.

PASSED=0
FAILED=0
BUILD=${BUILD:-$(pwd)/build}
ATTACKDIR=$(pwd)/test/attack
SIPDIR=$(pwd)/test/sip
CTL=$BUILD/srtprelayctl

# own_netns "$0" "$@": re-executes the test in a namespace of its own.
own_netns() {
	[ -n "${ATTACK_IN_NETNS:-}" ] && return 0
	if ! unshare -n true 2>/dev/null; then
		echo "  skip: cannot create a network namespace (unshare -n needs root)"
		echo "0 passed, 0 failed"
		exit 0
	fi
	_script=$1
	shift
	ATTACK_IN_NETNS=1 BUILD=$BUILD exec unshare -n sh -c \
		'ip link set lo up && exec sh "$@"' sh "$_script" "$@"
}

check() {
	_desc=$1
	shift
	if "$@" >/dev/null 2>&1; then
		PASSED=$((PASSED + 1))
		echo "  ok   $_desc"
	else
		FAILED=$((FAILED + 1))
		echo "  FAIL $_desc"
	fi
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit $?
}

# CPU time of a process in clock ticks (user + system).
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# cpu_percent PID SECONDS: the share of one core PID used over SECONDS.
cpu_percent() {
	_t0=$(cpu_ticks "$1")
	sleep "$2"
	_t1=$(cpu_ticks "$1")
	echo $(( (_t1 - _t0) * 100 / ($(getconf CLK_TCK) * $2) ))
}

rss_kb() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

file_bytes() {
	wc -c < "$1" 2>/dev/null || echo 0
}

# start_daemon CONF LOG [prlimit args]: srtprelayd in the background ($D),
# up when its control socket answers (5 s at most).
start_daemon() {
	_conf=$1 _log=$2
	shift 2
	if [ $# -gt 0 ]; then
		prlimit "$@" -- "$BUILD/srtprelayd" -c "$_conf" > "$_log" 2>&1 &
	else
		"$BUILD/srtprelayd" -c "$_conf" > "$_log" 2>&1 &
	fi
	D=$!
	_i=0
	while [ $_i -lt 50 ] && ! "$CTL" status -s "$SOCK" >/dev/null 2>&1; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

stop_daemon() {
	kill "$D" 2>/dev/null
	wait "$D" 2>/dev/null
}

# The packet count of the OUTPUT rule carrying comment $1 (iptables).
rule_packets() {
	iptables -w -nvxL OUTPUT 2>/dev/null |
		awk -v c="/* $1 */" 'index($0, c) { print $1; exit }'
}
