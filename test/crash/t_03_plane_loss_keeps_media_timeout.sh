#!/bin/sh
# A call's media inactivity timeout outlives the media plane's absence
# (issue 16, item 2). srtprelayd asks the plane every 5 s how long a call
# has been silent; a check that falls while the plane is gone has no one
# to ask, and must try again rather than give up the call's timeout. 10
# calls with media_timeout = 8 and no media at all; the userspace datapath
# is SIGKILLed 1 s after the answers and started again 6 s later, so that
# every call's first check finds no plane. Within 10 s of the plane's
# return every call must be ended for media inactivity, with BYE to both
# sides, leaving no call, port pair or stream behind. Runs in namespaces
# of its own (scripts/isolated.sh). Prints "ok"/"FAIL" lines and
# "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
if [ -z "${CRASH_ISOLATED:-}" ]; then
	CRASH_ISOLATED=1 exec sh scripts/isolated.sh sh "$0" "$@"
fi
BUILD=${BUILD:-build}
SIPDIR=$(pwd)/test/sip
T=/tmp/crash-t03
N=10
rm -rf "$T" && mkdir -p "$T"
. "$SIPDIR/media_lib.sh"
CTL=$BUILD/srtprelayctl
SOCK=$T/state/control.sock
cat > "$T/srtprelayd.conf" <<CONF
log_level = "info";
state_dir = "$T/state";
media_backend = "auto";
media_realms = (
  { name = "a"; address = "127.0.0.1"; ports = [ 44000, 44099 ]; },
  { name = "b"; address = "127.0.0.1"; ports = [ 46000, 46099 ]; }
);
sip_interfaces = (
  { name = "lo"; address = "127.0.0.1"; udp_port = 17060; media_realm = "a"; }
);
proxy_sets = (
  { name = "uas"; targets = [ "127.0.0.94:17070" ]; keepalive = false; }
);
ip_groups = (
  { name = "caller"; match = [ "127.0.0.93" ]; srtp = "disabled"; media_realm = "a";
    media_timeout = 8; request_rate = 0; },
  { name = "callee"; proxy_set = "uas"; srtp = "disabled"; media_realm = "b";
    media_timeout = 8; request_rate = 0; }
);
routing = ( { name = "to-callee"; from = "caller"; to = "callee"; } );
CONF

media_plane "" "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D $DP 2>/dev/null' EXIT

check "srtprelayd uses the userspace datapath" sh -c "'$CTL' status -s '$SOCK' | grep -q 'userspace datapath'"
printf 'SEQUENTIAL\nRTP/AVP;\n' > "$T/uas.csv"
printf 'SEQUENTIAL\nRTP/AVP;;;quiet\n' > "$T/uac.csv"
(cd "$T" && exec timeout 60 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/uas.csv" \
	-i 127.0.0.94 -p 17070 -mp 9000 -m "$N" -nostdin -aa -trace_err > "$T/uas.out" 2>&1) &
UAS=$!
sleep 0.3
(cd "$T" && exec timeout 60 sipp 127.0.0.1:17060 -sf "$SIPDIR/uac_hold.xml" -inf "$T/uac.csv" \
	-i 127.0.0.93 -p 17080 -mp 9200 -m "$N" -l "$N" -r 50 -d 45000 -nostdin -timeout 55 \
	-trace_err > "$T/uac.out" 2>&1) &
UAC=$!
trap 'kill $D $DP $UAC $UAS 2>/dev/null' EXIT
i=0
while [ "$(ncalls)" != "$N" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "$N calls up ($(ncalls))" test "$(ncalls)" = "$N"
sleep 1

echo "== the datapath is SIGKILLed for 6 s"
kill -KILL $DP
wait $DP 2>/dev/null
sleep 6
check "while it was gone no call ended ($(ncalls) up)" test "$(ncalls)" = "$N"
rm -f "$SRTPRELAY_SOCKET"
start_datapath
i=0
while ! [ -S "$SRTPRELAY_SOCKET" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
BACK=$(now_ms)
i=0
while [ "$(ncalls)" != 0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
echo "    $(ncalls) calls up $(($(now_ms) - BACK)) ms after the plane's return"
check "every call ended within 10 s of the plane's return ($(ncalls) left)" test "$(ncalls)" = 0
ENDED=$(grep -c 'ended: media inactivity timeout' "$T/daemon.log")
check "all $N for media inactivity ($ENDED logged)" test "$ENDED" -eq "$N"
sleep 0.5
"$CTL" status -s "$SOCK" > "$T/status-after.txt" 2>&1
check "afterwards 0 port pairs in use" sh -c "! grep '^realm' '$T/status-after.txt' | grep -qv 'in-use 0\$'"
check "afterwards the datapath has 0 streams ($(nstreams))" test "$(nstreams)" = 0
check "srtprelayd is still running" kill -0 $D
stop_procs $D $DP $UAC $UAS
summary
