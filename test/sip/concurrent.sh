#!/bin/sh
# 200 concurrent SDES-SRTP calls through srtprelayd and the userspace
# datapath, inside a network namespace of its own (run by
# t_10_concurrent.sh under `unshare -n`, as media.sh is). A SIPp UAC on
# 127.0.0.61 places 200 calls (-l 200 -m 200, 100 per second), each held
# 15 s, to a SIPp UAS on 127.0.0.62; both legs SRTP (mandatory). At the
# peak srtprelayd must report 200 calls and the datapath 400 streams (one
# per leg per call); after the BYEs, no call, no port pair in use in
# either realm, no stream, and both SIPp instances exit 0 (every call
# successful). Prints "ok"/"FAIL" lines and "N passed, N failed".
SIPDIR=$(cd "$(dirname "$0")" && pwd)
BUILD=$1
T=$2
N=${CONC_CALLS:-200}
HOLD_MS=${CONC_HOLD_MS:-15000}
. "$SIPDIR/media_lib.sh"
CTL=$BUILD/srtprelayctl
own_state_conf "$SIPDIR/srtprelayd-concurrent.conf"
media_plane "" "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D $DP 2>/dev/null' EXIT
check "srtprelayd uses the userspace datapath" sh -c "'$CTL' status -s '$SOCK' | grep -q 'userspace datapath'"

K80=WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz
K_CALLEE=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$K_CALLEE" > "$T/uas.csv"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;conc\n' "$K80" > "$T/uac.csv"
(cd "$T" && exec timeout 90 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/uas.csv" \
	-i 127.0.0.62 -p 16070 -m "$N" -nostdin -aa \
	-trace_stat -stf "$T/uas.stat" -trace_err > "$T/uas.out" 2>&1) &
UAS=$!
wait_for 5 udp_bound 127.0.0.62 16070
START=$(date +%s)
(cd "$T" && exec timeout 90 sipp 127.0.0.1:16060 -sf "$SIPDIR/uac_hold.xml" -inf "$T/uac.csv" \
	-i 127.0.0.61 -p 16080 -m "$N" -l "$N" -r 100 -d "$HOLD_MS" -nostdin -timeout 80 \
	-trace_stat -stf "$T/uac.stat" -trace_err > "$T/uac.out" 2>&1) &
UAC=$!

# Peak: the highest call and stream counts seen while the calls are held.
PEAK_CALLS=0
PEAK_STREAMS=0
i=0
while [ $i -lt $((HOLD_MS / 250 + 40)) ] && kill -0 $UAC 2>/dev/null; do
	c=$(ncalls); s=$(nstreams)
	[ "${c:-0}" -gt $PEAK_CALLS ] && PEAK_CALLS=$c
	[ "${s:-0}" -gt $PEAK_STREAMS ] && PEAK_STREAMS=$s
	if [ "${c:-0}" -ge "$N" ] && [ "${s:-0}" -ge $((2 * N)) ]; then
		"$CTL" status -s "$SOCK" > "$T/status-peak.txt" 2>&1
		"$CTL" stats > "$T/stats-peak.txt" 2>&1
		break
	fi
	sleep 0.25
	i=$((i + 1))
done
echo "    peak: $PEAK_CALLS calls in srtprelayd, $PEAK_STREAMS streams in the datapath"
check "at the peak srtprelayd holds $N calls at once ($PEAK_CALLS)" test "$PEAK_CALLS" -ge "$N"
check "at the peak the datapath has $((2 * N)) streams ($PEAK_STREAMS)" test "$PEAK_STREAMS" -ge $((2 * N))
check "at the peak both realms have $N port pairs in use" sh -c "grep -qx 'realm a port-pairs-in-use $N' '$T/status-peak.txt' && grep -qx 'realm b port-pairs-in-use $N' '$T/status-peak.txt'"

wait $UAC
URC=$?
wait $UAS
SRC=$?
END=$(date +%s)
echo "    $N calls in $((END - START)) s"
check "SIPp caller: all $N calls successful (exit $URC)" test $URC -eq 0
check "SIPp callee: all $N calls successful (exit $SRC)" test $SRC -eq 0
sleep 0.5
"$CTL" status -s "$SOCK" > "$T/status-after.txt" 2>&1
"$CTL" stats > "$T/stats-after.txt" 2>&1
sed 's/^/    /' "$T/status-after.txt"
check "afterwards srtprelayd has 0 calls" test "$(ncalls)" = 0
check "afterwards 0 port pairs in use in every realm" sh -c "test \$(grep -c '^realm .* port-pairs-in-use 0\$' '$T/status-after.txt') -eq 2 && ! grep '^realm' '$T/status-after.txt' | grep -qv 'in-use 0\$'"
check "afterwards the datapath has 0 streams" test "$(nstreams)" = 0
check "srtprelayd is still running" kill -0 $D
kill $D $DP 2>/dev/null
wait $D $DP 2>/dev/null
trap - EXIT
echo "$P passed, $F failed"
