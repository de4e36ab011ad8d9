# Helpers of test/sip/run.sh: start SIPp peers, read their message logs,
# count checks. Sourced, not run.

. "${SIPDIR:-test/sip}/../lib.sh"	# wait_for; callers from the top set no SIPDIR
PASSED=0
FAILED=0
K80=WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz	# caller's key||salt
K_CALLEE=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw	# callee's key||salt
C80="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K80"
C32="a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:$K80"

# rx, rx_has, rx_lacks: SIPp's message logs (test/trunk sources it too).
. "${SIPDIR:-test/sip}/sipp_log.sh"

check() {
	desc=$1
	shift
	if "$@" >/dev/null 2>&1; then
		PASSED=$((PASSED + 1))
		echo "  ok   $desc"
	else
		FAILED=$((FAILED + 1))
		echo "  FAIL $desc"
	fi
}

# Daemon log lines since the current test began.
dlog() {
	tail -n "+$((LOGSTART + 1))" "$T/daemon.log"
}

dlog_has() {
	dlog | grep -Eq -- "$1"
}

dlog_count() {
	dlog | grep -Ec -- "$1"
}

# Starts a SIPp callee: uas NAME SCENARIO CSV-LINE IP PORT [sipp args]
uas() {
	name=$1 scen=$2 line=$3 ip=$4 port=$5
	shift 5
	printf 'SEQUENTIAL\n%s\n' "$line" > "$T/$name.csv"
	(cd "$T" && exec timeout 25 sipp -sf "$SIPDIR/$scen" -inf "$T/$name.csv" \
		-i "$ip" -p "$port" -m 1 -nostdin -aa -trace_msg \
		-message_file "$T/$name.msg" "$@" >/dev/null 2>&1) &
	UAS_PID=$!
	wait_for 5 udp_bound "$ip" "$port"
}

# Runs a SIPp caller to srtprelayd: uac NAME SCENARIO CSV-LINE IP [sipp args]
uac() {
	name=$1 scen=$2 line=$3 ip=$4
	shift 4
	printf 'SEQUENTIAL\n%s\n' "$line" > "$T/$name.csv"
	(cd "$T" && timeout 25 sipp 127.0.0.1:$SIP_PORT -sf "$SIPDIR/$scen" \
		-inf "$T/$name.csv" -i "$ip" -p 15080 -m 1 -nostdin -trace_msg \
		-message_file "$T/$name.msg" -timeout 20 "$@" >/dev/null 2>&1)
}

wait_uas() {
	wait "$UAS_PID"
}

begin() {
	echo "== $1"
	LOGSTART=$(wc -l < "$T/daemon.log")
}

ctl() {
	python3 "$SIPDIR/ctl.py" "$CTL_SOCK" "$@"
}

# in_netns NAME SCRIPT SECONDS WHAT [SHOWN]: runs test/sip/SCRIPT with the
# build folder and $T/NAME under `unshare -n` (a network namespace of its
# own, so its datapath's ports and rules touch nothing else), shows its
# ok/FAIL lines (and lines matching the regular expression SHOWN, default
# every indented detail), adds its counts, and checks that it ran to its end.
# Skips, and says why, without a datapath or without unshare -n (root).
in_netns() {
	_bin=$(dirname "$DAEMON")
	if [ ! -x "$_bin/srtprelay-datapath" ]; then
		echo "  skip: $_bin/srtprelay-datapath not built"
		return 0
	fi
	if ! unshare -n true 2>/dev/null; then
		echo "  skip: cannot create a network namespace (unshare -n) here"
		return 0
	fi
	mkdir -p "$T/$1"
	timeout "$3" unshare -n sh "$SIPDIR/$2" "$_bin" "$T/$1" > "$T/$2.out" 2>&1
	grep -E "^  (ok|FAIL)|${5:-^    }" "$T/$2.out"
	PASSED=$((PASSED + $(grep -c '^  ok' "$T/$2.out")))
	FAILED=$((FAILED + $(grep -c '^  FAIL' "$T/$2.out")))
	check "$4 ran to its end" grep -Eq '^[0-9]+ passed' "$T/$2.out"
}
