#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# A 200 OK that answers a call leaves only once the call's record is on
# disk (call_store.h): a peer that got it may rely on a restart, even
# after a power cut, carrying the call on. The records of all the calls
# one event loop round answers share one fdatasync() (group commit), and
# the round's messages are held until it returned.
#
# srtprelayd runs under strace (write, fdatasync and the send calls) while
# SIPp places CALLS calls (default 200, at RATE 400/s: several answers a
# round) over UDP and ends them. Checks, in the order of the system
# calls: no "SIP/2.0 200 OK" is sent while a put written to the journal
# ("SRJ1" type 1) is not yet synced; every call was answered and stored;
# fewer syncs than calls (the answers shared them).
cd "$(dirname "$0")/../.." || exit 2
if [ -z "${CRASH_NETNS:-}" ]; then
	CRASH_NETNS=1 exec unshare -n sh -c 'ip link set lo up && exec sh "$@"' sh "$0" "$@"
fi
BUILD=$(pwd)/${BUILD:-build}
SIPDIR=$(pwd)/test/sip
T=$(mktemp -d "${CRASH_TMP:-/tmp}/crash06.XXXXXX")
CALLS=${CALLS:-200}
RATE=${RATE:-400}
CTL=$BUILD/srtprelayctl
SOCK=$T/control.sock
. test/daemon_lib.sh
. test/lib.sh

echo "== 200 OKs leave after their calls' records are synced ($CALLS calls at $RATE/s)"
for tool in sipp strace; do
	if ! command -v $tool >/dev/null; then
		echo "  skip: no $tool"
		echo "0 passed, 0 failed"
		exit 0
	fi
done
cat > "$T/srtprelayd.conf" <<CONF
log_level = "warning";
state_dir = "$T/state";
control_socket = "$SOCK";
media_backend = "record";
media_realms = ( { name = "a"; address = "127.0.0.1"; ports = [ 30000, 39999 ]; } );
sip_interfaces = ( { name = "lo"; address = "127.0.0.1"; udp_port = 16260; media_realm = "a"; } );
proxy_sets = ( { name = "uas"; targets = [ "127.0.0.82:16270" ]; keepalive = false; } );
ip_groups = (
  { name = "caller"; match = [ "127.0.0.81" ]; srtp = "disabled"; request_rate = 0; },
  { name = "callee"; match = [ "127.0.0.82" ]; proxy_set = "uas"; srtp = "disabled";
    request_rate = 0; }
);
routing = ( { name = "out"; from = "caller"; to = "callee"; } );
CONF
mkdir -p "$T/state"
strace -f -qq -s 24 -e trace=write,fdatasync,sendto,sendmsg,sendmmsg,writev \
	-o "$T/strace.txt" "$BUILD/srtprelayd" -c "$T/srtprelayd.conf" > "$T/daemon.log" 2>&1 &
D=$!
trap 'pkill -KILL -P $D srtprelayd; kill $UAS 2>/dev/null' EXIT
check "srtprelayd started (under strace)" wait_for 10 "$CTL" status -s "$SOCK"

printf 'SEQUENTIAL\nRTP/AVP;\n' > "$T/uas.csv"
printf 'SEQUENTIAL\nRTP/AVP;;;sync\n' > "$T/uac.csv"
(cd "$T" && exec timeout 60 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/uas.csv" \
	-i 127.0.0.82 -p 16270 -nostdin > "$T/uas.out" 2>&1) &
UAS=$!
wait_for 5 udp_bound 127.0.0.82 16270
(cd "$T" && timeout 60 sipp 127.0.0.1:16260 -sf "$SIPDIR/uac_admission.xml" \
	-inf "$T/uac.csv" -i 127.0.0.81 -p 16280 -m "$CALLS" -r "$RATE" -d 500 \
	-nostdin -recv_timeout 8000 -trace_stat -stf "$T/uac.stat" > "$T/uac.out" 2>&1)
UAC_RC=$?
kill -INT $UAS 2>/dev/null
wait $UAS 2>/dev/null
# strace outlives a SIGTERM of its own; it ends when srtprelayd does.
pkill -TERM -P "$D" srtprelayd
wait "$D" 2>/dev/null
trap - EXIT

# Replays the system calls in order: a put written and not yet synced is
# pending; a 200 OK sent while one is pending breaks the promise.
awk '
	/ write\([0-9]+, "SRJ1\\1/ { puts++; pending = 1 }
	/ fdatasync\(/ && !/unfinished/ { syncs++; pending = 0 }
	/<\.\.\. fdatasync resumed>/ { syncs++; pending = 0 }
	/ (sendto|sendmsg|write|writev)\(.*SIP\/2\.0 200 OK/ { oks++; if (pending) early++ }
	END { printf "%d %d %d %d\n", puts, syncs, oks, early }' "$T/strace.txt" > "$T/counts"
read -r PUTS SYNCS OKS EARLY < "$T/counts"
echo "    $PUTS puts, $SYNCS syncs, $OKS 200 OKs sent, $EARLY of them while a put was not synced"
check "SIPp placed and ended every call (exit $UAC_RC)" test "$UAC_RC" -eq 0
check "every call was stored ($PUTS puts for $CALLS calls)" test "$PUTS" -ge "$CALLS"
check "no 200 OK left before the records written ahead of it were synced" \
	test "$OKS" -gt 0 -a "$EARLY" -eq 0
check "the answers shared syncs ($SYNCS syncs for $PUTS puts)" test "$SYNCS" -lt "$PUTS"
finish "$T"
