#!/bin/sh
# srtprelayd and the media plane both die under calls (a host reboot, the
# datapath and srtprelayd killed together): the restarted srtprelayd finds
# its calls in the state journal but none of their streams in the new,
# empty media plane. Those calls have no media left, and their peers have
# most likely hung up: srtprelayd must end them (logged), give their port
# pairs back and take new calls at once, not hold ghost calls for ever.
# Userspace datapath, a network namespace of its own. Prints "ok"/"FAIL"
# lines and "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
if [ -z "$CRASH_NETNS" ]; then
	CRASH_NETNS=1 exec unshare -n sh "$0" "$@"
fi
BUILD=$(pwd)/${BUILD:-build}
SIPDIR=$(pwd)/test/sip
T=$(mktemp -d "${CRASH_TMP:-/tmp}/crash04.XXXXXX")
N=10
CTL=$BUILD/srtprelayctl
. "$SIPDIR/media_lib.sh"
K=WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz

own_state_conf "$SIPDIR/srtprelayd-concurrent.conf"
sed -i 's/^log_level = .*/log_level = "info";/' "$T/srtprelayd.conf"

media_plane "" "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D $DP $UAC $UAS 2>/dev/null' EXIT
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$K" > "$T/uas.csv"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;conc\n' "$K" > "$T/uac.csv"
(cd "$T" && exec timeout 60 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/uas.csv" \
	-i 127.0.0.62 -p 16070 -m "$N" -nostdin -aa > "$T/uas.out" 2>&1) &
UAS=$!
sleep 0.3
(cd "$T" && exec timeout 60 sipp 127.0.0.1:16060 -sf "$SIPDIR/uac_hold.xml" -inf "$T/uac.csv" \
	-i 127.0.0.61 -p 16080 -m "$N" -l "$N" -r 50 -d 30000 -nostdin > "$T/uac.out" 2>&1) &
UAC=$!
i=0
while [ $i -lt 50 ] && [ "$(ncalls)" != "$N" ]; do sleep 0.2; i=$((i + 1)); done
check "$N calls up" test "$(ncalls)" = "$N"

kill -KILL $D $DP
wait $D $DP 2>/dev/null
start_datapath "$T/datapath2.log"
sleep 0.5
"$BUILD/srtprelayd" -c "$T/srtprelayd.conf" > "$T/daemon2.log" 2>&1 &
D=$!
sleep 1
grep -E "calls restored|ended" "$T/daemon2.log" | cut -c 22- | sed 's/^/    /' | tail -n 4
check "the restarted srtprelayd ended the $N calls the new media plane has no stream of" \
	test "$(grep -c 'ended: restored, but the media plane has none of its streams' "$T/daemon2.log")" = "$N"
check "it holds no call" test "$(ncalls)" = 0
check "and no port pair" test "$(pairs_in_use)" = 0
check "the journal is empty at the next start" sh -c "
	kill $D; sleep 0.5; '$BUILD/srtprelayd' -c '$T/srtprelayd.conf' > '$T/daemon3.log' 2>&1 & p=\$!;
	sleep 0.7; kill \$p; grep -q 'calls restored: 0 from the state journal' '$T/daemon3.log'"
stop_procs $D $DP $UAC $UAS
keep_logs_unless_passed "$CRASH_KEEP"
summary
