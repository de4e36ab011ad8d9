#!/bin/sh
# A call restored after srtprelayd was SIGKILLed keeps its media timer
# (issue 16): two SDES calls whose peers send no media, the caller's group
# with media_timeout = 4; srtprelayd is killed right after the answers and
# started again. The restored calls must be ended by the media inactivity
# timeout (their idle time counted from the answer, before the restart),
# with a BYE to both legs, their ports given back. Userspace datapath, a
# network namespace of its own. Prints "ok"/"FAIL" lines and
# "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
if [ -z "$CRASH_NETNS" ]; then
	CRASH_NETNS=1 exec unshare -n sh "$0" "$@"
fi
BUILD=$(pwd)/${BUILD:-build}
SIPDIR=$(pwd)/test/sip
T=$(mktemp -d "${CRASH_TMP:-/tmp}/crash05.XXXXXX")
N=2
CTL=$BUILD/srtprelayctl
. "$SIPDIR/media_lib.sh"
K=WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz

own_state_conf "$SIPDIR/srtprelayd-concurrent.conf"
sed -i -e 's/^log_level = .*/log_level = "info";/' \
	-e 's/media_realm = "a";$/media_realm = "a"; media_timeout = 4;/' "$T/srtprelayd.conf"

media_plane "" "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D $DP $UAC $UAS 2>/dev/null' EXIT
check "the caller's group has media_timeout = 4" grep -q "media_timeout = 4" "$T/srtprelayd.conf"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$K" > "$T/uas.csv"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;conc\n' "$K" > "$T/uac.csv"
(cd "$T" && exec timeout 60 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/uas.csv" \
	-i 127.0.0.62 -p 16070 -m "$N" -nostdin -aa -trace_msg -message_file "$T/uas.msg" \
	> "$T/uas.out" 2>&1) &
UAS=$!
sleep 0.3
(cd "$T" && exec timeout 60 sipp 127.0.0.1:16060 -sf "$SIPDIR/uac_hold.xml" -inf "$T/uac.csv" \
	-i 127.0.0.61 -p 16080 -m "$N" -l "$N" -r 10 -d 40000 -nostdin -trace_msg \
	-message_file "$T/uac.msg" > "$T/uac.out" 2>&1) &
UAC=$!
i=0
while [ $i -lt 50 ] && [ "$(ncalls)" != "$N" ]; do sleep 0.1; i=$((i + 1)); done
check "$N calls up" test "$(ncalls)" = "$N"

kill -KILL $D
wait $D 2>/dev/null
START=$(date +%s)
"$BUILD/srtprelayd" -c "$T/srtprelayd.conf" > "$T/daemon2.log" 2>&1 &
D=$!
sleep 1
check "the restarted srtprelayd holds the $N calls" test "$(ncalls)" = "$N"
i=0
while [ $i -lt 150 ] && [ "$(ncalls)" != 0 ]; do sleep 0.1; i=$((i + 1)); done
echo "    calls gone $(($(date +%s) - START)) s after the restart"
grep -E "ended" "$T/daemon2.log" | cut -c 22- | sed 's/^/    /'
check "both restored calls ended by the media inactivity timeout" \
	test "$(grep -c 'ended: media inactivity timeout' "$T/daemon2.log")" = "$N"
check "... within 10 s of the restart" test $(($(date +%s) - START)) -le 10
check "no call and no port pair left" test "$(ncalls)" = 0 -a "$(pairs_in_use)" = 0
sleep 0.5
check "the caller got a BYE from srtprelayd for each call" \
	test "$(grep -c '^BYE sip:' "$T/uac.msg")" -ge "$N"
check "the callee got a BYE from srtprelayd for each call" \
	test "$(grep -c '^BYE sip:' "$T/uas.msg")" -ge "$N"
stop_procs $D $DP $UAC $UAS
keep_logs_unless_passed "$CRASH_KEEP"
summary
