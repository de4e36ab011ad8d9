# Helpers of the srtprelayd attack tests (t_30.., t_40..): a namespace of
# their own, the daemon's CPU and memory; checks and the daemon itself from
# test/daemon_lib.sh. Sourced, not run.
#
# A test that sources this runs in a network namespace of its own (it
# re-executes itself under `unshare -n` unless scripts/isolated.sh already
# gave it one), so the 127.x addresses and fixed ports meet nothing else.

BUILD=${BUILD:-$(pwd)/build}
ATTACKDIR=$(pwd)/test/attack
SIPDIR=$(pwd)/test/sip
CTL=$BUILD/srtprelayctl
. test/daemon_lib.sh

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

# The packet count of the OUTPUT rule carrying comment $1 (iptables).
rule_packets() {
	iptables -w -nvxL OUTPUT 2>/dev/null |
		awk -v c="/* $1 */" 'index($0, c) { print $1; exit }'
}
