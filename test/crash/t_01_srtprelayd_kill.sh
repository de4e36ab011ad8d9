#!/bin/sh
# srtprelayd is SIGKILLed under 200 SDES calls with media both ways, on the
# userspace datapath, and started again (issue 16): calls go on.
#
# SIPp places 200 calls: side A (100, caller 127.0.0.61 -> callee .62) and
# side B (100, caller .65 -> callee .63), both legs SRTP. srtp_fleet runs a
# libsrtp2 phone on every leg (400 endpoints, one packet each every 20 ms),
# with the keys srtprelayd sent (read from SIPp's message logs). Checks:
# - media flows before the kill, keeps flowing while srtprelayd is dead and
#   after its restart: every endpoint hears packets, libsrtp2 authenticates
#   every one (failed 0);
# - the state journal is mode 0600; a record with a bad checksum and a
#   truncated one appended to it are logged and skipped;
# - the restarted srtprelayd completes a new call within 2 s, holds the 200
#   calls again (port pairs in use, streams);
# - every old call is re-INVITEd with a new key (side A by the caller, side
#   B by the callee) and ended by BYE from that side: every SIPp exits 0;
# - at the end: no call, no port pair in use, no stream in the datapath.
# Runs in a network namespace of its own (unshare -n), as test/sip's media
# tests do. Prints "ok"/"FAIL" lines and "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
if [ -z "$CRASH_NETNS" ]; then
	CRASH_NETNS=1 exec unshare -n sh "$0" "$@"
fi
BUILD=$(pwd)/${BUILD:-build}
SIPDIR=$(pwd)/test/sip
CRASHDIR=$(pwd)/test/crash
T=$(mktemp -d "${CRASH_TMP:-/tmp}/crash01.XXXXXX")
N=${CRASH_CALLS:-200}
HALF=$((N / 2))
HOLD_MS=${CRASH_HOLD_MS:-16000}
CTL=$BUILD/srtprelayctl
. "$SIPDIR/media_lib.sh"

K_CALLER=WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz
K_CALLEE=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw
K_REKEY=QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk

cat > "$T/srtprelayd.conf" <<CONF
log_level = "info";
state_dir = "$T/state";
media_backend = "auto";
media_realms = (
  { name = "a"; address = "127.0.0.1"; ports = [ 40000, 40999 ]; max_sessions = 300; },
  { name = "b"; address = "127.0.0.1"; ports = [ 42000, 42999 ]; max_sessions = 300; }
);
sip_interfaces = (
  { name = "lo"; address = "127.0.0.1"; udp_port = 16060; media_realm = "a"; }
);
proxy_sets = (
  { name = "uas-a"; targets = [ "127.0.0.62:16070" ]; keepalive = false; },
  { name = "uas-b"; targets = [ "127.0.0.63:16071" ]; keepalive = false; },
  { name = "uas-new"; targets = [ "127.0.0.64:16072" ]; keepalive = false; }
);
ip_groups = (
  { name = "caller-a"; match = [ "127.0.0.61" ]; srtp = "mandatory"; media_realm = "a";
    suites = [ "AES_CM_128_HMAC_SHA1_80" ]; request_rate = 0; },
  { name = "caller-b"; match = [ "127.0.0.65", "127.0.0.66" ]; srtp = "mandatory"; media_realm = "a";
    suites = [ "AES_CM_128_HMAC_SHA1_80" ]; request_rate = 0; },
  { name = "callee-a"; proxy_set = "uas-a"; srtp = "mandatory"; media_realm = "b";
    suites = [ "AES_CM_128_HMAC_SHA1_80" ]; request_rate = 0; },
  { name = "callee-b"; proxy_set = "uas-b"; srtp = "mandatory"; media_realm = "b";
    suites = [ "AES_CM_128_HMAC_SHA1_80" ]; request_rate = 0; },
  { name = "callee-new"; proxy_set = "uas-new"; srtp = "mandatory"; media_realm = "b";
    suites = [ "AES_CM_128_HMAC_SHA1_80" ]; request_rate = 0; }
);
routing = (
  { name = "a"; user = "^cra"; to = "callee-a"; },
  { name = "b"; user = "^crb"; to = "callee-b"; },
  { name = "new"; user = "^new"; to = "callee-new"; }
);
CONF
SOCK=$T/state/control.sock
JOURNAL=$T/state/calls.journal

# fleet FIELD: one number of srtp_fleet's status line.
fleet() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' "$T/fleet.status"; }

# csv SIDE PORT0 USER: SIPp injection lines (media port, crypto, rekey crypto, user).
csv() {
	echo SEQUENTIAL
	i=0
	while [ $i -lt "$HALF" ]; do
		printf '%d;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;%s%d\n' \
			$(($2 + 2 * i)) "$1" "$K_REKEY" "$3" $i
		i=$((i + 1))
	done
}
csv "$K_CALLER" 20000 cra > "$T/uac-a.csv"
csv "$K_CALLER" 22000 crb > "$T/uac-b.csv"
csv "$K_CALLEE" 24000 x > "$T/uas-a.csv"
csv "$K_CALLEE" 26000 x > "$T/uas-b.csv"

# sipp NAME SCENARIO IP PORT [args]: a SIPp peer in the background, its
# message log $T/NAME.msg; its pid in $NAME_PID (set by the caller).
sipp_bg() {
	_n=$1 _s=$2 _ip=$3 _p=$4
	shift 4
	(cd "$T" && exec timeout 150 sipp -sf "$_s" -inf "$T/$_n.csv" -i "$_ip" -p "$_p" \
		-nostdin -timeout 140 -trace_msg -message_file "$T/$_n.msg" \
		-trace_err "$@" > "$T/$_n.out" 2>&1) &
}

media_plane "" "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D $DP $FLEET 2>/dev/null' EXIT
check "srtprelayd uses the userspace datapath" sh -c "'$CTL' status -s '$SOCK' | grep -q 'userspace datapath'"

sipp_bg uas-a "$CRASHDIR/uas_crash_wait.xml" 127.0.0.62 16070 -m "$HALF"
UAS_A=$!
sipp_bg uas-b "$CRASHDIR/uas_crash_bye.xml" 127.0.0.63 16071 -m "$HALF" -d "$HOLD_MS"
UAS_B=$!
sleep 0.3
sipp_bg uac-a "$CRASHDIR/uac_crash_bye.xml" 127.0.0.61 16080 127.0.0.1:16060 \
	-m "$HALF" -l "$HALF" -r 100 -d "$HOLD_MS"
UAC_A=$!
sipp_bg uac-b "$CRASHDIR/uac_crash_wait.xml" 127.0.0.65 16081 127.0.0.1:16060 \
	-m "$HALF" -l "$HALF" -r 100
UAC_B=$!

i=0
while [ $i -lt 60 ] && { [ "$(ncalls)" != "$N" ] || [ "$(nstreams)" != $((2 * N)) ]; }; do
	sleep 0.2
	i=$((i + 1))
done
check "$N calls up, $((2 * N)) streams in the datapath" test "$(nstreams)" = $((2 * N))
"$CTL" -j calls -s "$SOCK" > "$T/calls.json"
python3 "$CRASHDIR/fleet_endpoints.py" "$T/calls.json" "$K_CALLER" "$K_CALLEE" \
	"$T"/uac-*.msg "$T"/uas-*.msg > "$T/endpoints" 2> "$T/endpoints.err"
check "a phone with srtprelayd's key on each of the $((2 * N)) legs" \
	test "$(wc -l < "$T/endpoints")" -eq $((2 * N))
"$BUILD/crash/srtp_fleet" "$T/endpoints" "$T/fleet.status" 2> "$T/fleet.err" &
FLEET=$!
sleep 2
echo "    before the kill: $(cat "$T/fleet.status")"
check "before the kill every phone hears authenticated media" test "$(fleet heard)" = $((2 * N))
BEFORE=$(fleet authenticated)

kill -KILL $D
wait $D 2>/dev/null
sleep 0.5
MID=$(fleet authenticated)
sleep 2
echo "    srtprelayd dead 2.5 s: $(cat "$T/fleet.status")"
check "srtprelayd dead: media keeps flowing (authenticated $MID -> $(fleet authenticated))" \
	test "$(fleet authenticated)" -gt "$((MID + N * 2 * 10))"
check "srtprelayd dead: no phone went silent" test "$(fleet silent)" = 0
check "the state journal is mode 0600" test "$(stat -c %a "$JOURNAL")" = 600
# A record whose checksum does not match (of a call that does not exist)
# and a truncated one, as a crash in the middle of a write leaves it.
python3 - "$JOURNAL" <<'PY'
import struct, sys
with open(sys.argv[1], "ab") as f:
    body = struct.pack("<Q", 999999) + b"\x55" * 40
    f.write(struct.pack("<4sBBHII", b"SRJ1", 1, 0, 0, len(body), 0xdeadbeef) + body)
    f.write(b"SRJ1\x01\x00")
PY

RESTART=$(now_ms)
"$BUILD/srtprelayd" -c "$T/srtprelayd.conf" > "$T/daemon2.log" 2>&1 &
D=$!
i=0
while [ $i -lt 100 ] && ! grep -q "srtprelayd ready" "$T/daemon2.log"; do
	sleep 0.02
	i=$((i + 1))
done
READY=$(($(now_ms) - RESTART))
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$K_CALLEE" > "$T/uas-new.csv"
(cd "$T" && exec timeout 20 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/uas-new.csv" \
	-i 127.0.0.64 -p 16072 -m 1 -nostdin > "$T/uas-new.out" 2>&1) &
UAS_NEW=$!
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;new1\n' "$K_CALLER" > "$T/uac-new.csv"
(cd "$T" && exec timeout 20 sipp 127.0.0.1:16060 -sf "$SIPDIR/uac_call.xml" -inf "$T/uac-new.csv" \
	-i 127.0.0.66 -p 16082 -m 1 -nostdin -timeout 15 > "$T/uac-new.out" 2>&1)
NEWRC=$?
FIRST=$(($(now_ms) - RESTART))
wait $UAS_NEW
echo "    restart: ready after $READY ms, a new call completed (INVITE to BYE) $FIRST ms after the restart"
grep -E "journal|calls restored|realm" "$T/daemon2.log" | sed 's/^/    /'

check "after the restart a new call completes (SIPp exit $NEWRC)" test "$NEWRC" -eq 0
check "... within 2 s of the restart ($FIRST ms)" test "$NEWRC" -eq 0 -a "$FIRST" -le 2000
check "the bad-checksum record is logged and skipped" grep -q "journal.*checksum" "$T/daemon2.log"
check "the truncated record is logged and skipped" grep -q "journal.*truncated" "$T/daemon2.log"
check "the restarted srtprelayd holds the $N calls again" test "$(ncalls)" = "$N"
A_PAIRS=$(pairs_in_use a)
B_PAIRS=$(pairs_in_use b)
check "port pairs in use after the restart: realm a $A_PAIRS, realm b $B_PAIRS (want $N each)" \
	test "$A_PAIRS" = "$N" -a "$B_PAIRS" = "$N"
check "the datapath still has the $((2 * N)) streams" test "$(nstreams)" = $((2 * N))
sleep 1
echo "    after the restart: $(cat "$T/fleet.status")"
check "after the restart no phone is silent" test "$(fleet silent)" = 0
kill -TERM $FLEET
wait $FLEET
FLEET=
echo "    phones at the end: $(cat "$T/fleet.status")"
check "every packet a phone received authenticated (failed $(fleet failed))" test "$(fleet failed)" = 0
check "the phones sent and heard media throughout ($BEFORE -> $(fleet authenticated))" \
	test "$(fleet authenticated)" -gt "$BEFORE"

# The old calls' re-INVITEs (rekey) and BYEs come when their hold ends.
for who in UAC_A UAC_B UAS_A UAS_B; do
	eval "pid=\$$who"
	wait "$pid"
	rc=$?
	check "SIPp $who: all its $HALF calls re-INVITEd with a new key and ended by BYE (exit $rc)" test $rc -eq 0
done
for f in uac-a uas-a uac-b uas-b; do
	grep -E "Successful call|Failed call" "$T/$f.out" 2>/dev/null | tail -n 2 | tr -s ' ' |
		sed "s/^/    $f:/"
done
sleep 0.5
"$CTL" status -s "$SOCK" > "$T/status-end.txt" 2>&1
check "at the end srtprelayd has 0 calls" test "$(ncalls)" = 0
check "at the end 0 port pairs in use" test "$(pairs_in_use a)" = 0 -a "$(pairs_in_use b)" = 0
check "at the end the datapath has 0 streams" test "$(nstreams)" = 0
check "at the end the datapath lists no stream" sh -c "! '$CTL' stream list | grep -q ."
check "srtprelayd is still running" kill -0 $D
stop_procs $D $DP
keep_logs_unless_passed "$CRASH_KEEP"
summary
