#!/bin/sh
# Keys never reach a core file (issue 15, item 7): srtprelayd and
# srtprelay-datapath hold SRTP keys in memory, so both start with
# PR_SET_DUMPABLE 0 (no core, no ptrace by other users, /proc/PID/mem
# root's only) and RLIMIT_CORE 0 soft and hard, unless -C asks for
# core dumps. gdb asks the running process itself (prctl PR_GET_DUMPABLE).
. test/attack/b2bua_env.sh

# dumpable PID: what prctl(PR_GET_DUMPABLE) says inside the process.
dumpable() {
	gdb -batch -p "$1" -ex 'print (int)prctl(3, 0, 0, 0, 0)' 2>/dev/null |
		sed -n 's/^\$1 = //p'
}

# core_limits PID: "soft hard" of RLIMIT_CORE.
core_limits() {
	awk '/^Max core file size/ { print $5, $6 }' "/proc/$1/limits"
}

echo "== t_61: no core dumps of processes holding keys"
if ! command -v gdb >/dev/null; then
	echo "  FAIL gdb is not installed (make deps)"
	FAILED=$((FAILED + 1))
	finish
fi
write_conf > "$T/d.conf"
ulimit -H -c unlimited
ulimit -S -c 0

echo "== srtprelayd"
start_daemon "$T/d.conf"
d=$(dumpable "$DAEMON_PID")
echo "    PR_GET_DUMPABLE $d, RLIMIT_CORE $(core_limits "$DAEMON_PID")"
check "not dumpable" test "$d" = 0
check "RLIMIT_CORE 0 soft and hard" test "$(core_limits "$DAEMON_PID")" = "0 0"
stop_daemon

echo "== srtprelayd -C (core dumps allowed)"
start_daemon "$T/d.conf" -C
d=$(dumpable "$DAEMON_PID")
echo "    PR_GET_DUMPABLE $d, RLIMIT_CORE $(core_limits "$DAEMON_PID")"
check "dumpable" test "$d" = 1
check "RLIMIT_CORE hard limit left as it was" test "$(core_limits "$DAEMON_PID")" = "0 unlimited"
check "the log says core dumps are allowed" dlog_has "core dumps allowed"
stop_daemon

for opt in "" -C; do
	echo "== srtprelay-datapath $opt"
	"$BUILD/srtprelay-datapath" -s "$T/dp.sock" -w 1 $opt > "$T/dp.log" 2>&1 &
	DP=$!
	sleep 0.5
	d=$(dumpable $DP)
	echo "    PR_GET_DUMPABLE $d, RLIMIT_CORE $(core_limits $DP)"
	if [ -z "$opt" ]; then
		check "not dumpable" test "$d" = 0
		check "RLIMIT_CORE 0 soft and hard" test "$(core_limits $DP)" = "0 0"
	else
		check "dumpable with -C" test "$d" = 1
	fi
	kill -TERM $DP
	wait $DP
	check "datapath exited 0 on SIGTERM" test $? -eq 0
done
finish
