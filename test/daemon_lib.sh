# Checks and a srtprelayd of the test's own, for the suites whose tests run
# one by themselves (test/trunk through its lib.sh, test/attack's t_30,
# t_31 and t_40 through sbc_lib.sh). Sourced, not run; expects BUILD, CTL
# and, once srtprelayd runs, SOCK (its control socket) from the caller.

# Each check prints "  ok   WHAT" or "  FAIL WHAT" and is counted in PASSED
# or FAILED; finish prints the closing line test/run_files.sh adds up.
PASSED=0
FAILED=0

# check WHAT CMD...: CMD's exit status decides.
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

# finish [DIR]: the closing line, and the test's exit with its verdict.
# DIR (the test's logs) is removed when every check passed and kept, and
# named, otherwise.
finish() {
	if [ -n "${1:-}" ]; then
		if [ "$FAILED" -eq 0 ]; then
			rm -rf "$1"
		else
			echo "logs kept in $1"
		fi
	fi
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit $?
}

# start_daemon CONF LOG [prlimit options]: srtprelayd in the background
# ($D, under prlimit when given options), up when its control socket
# ($SOCK) answers (5 s at most; 1 when it never does).
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
	while [ $_i -lt 50 ]; do
		"$CTL" status -s "$SOCK" >/dev/null 2>&1 && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

stop_daemon() {
	kill "$D" 2>/dev/null
	wait "$D" 2>/dev/null
}
