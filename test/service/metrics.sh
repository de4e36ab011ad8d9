#!/bin/sh
# make metricscheck: the Prometheus endpoint (issue 16, item 4), in
# scripts/isolated.sh's namespaces with the userspace datapath.
# 5 SDES-SRTP calls (SIPp caller on 127.0.0.93, SIPp callee on 127.0.0.94),
# each with 20 SRTP packets each way from srtp_peer (libsrtp2), the first
# call's caller also sending 4 tampered copies and the second's 4 replays;
# then 2 INVITEs refused 488 (a plain RTP offer to a mandatory group), 1
# refused 404 (no route) and 1 refused 503 by admission (the caller's group
# holds max_calls = 5). A scrape taken while the calls are up must pass
# promtool check metrics and its counters must be what the test sent. Then
# slow clients: more idle connections than max_clients must neither delay
# SIP nor keep the endpoint from answering once their timeout passed.
# Prints "ok"/"FAIL" lines and "N passed, N failed".
# Ports and keys are split into arguments on purpose.
# shellcheck disable=SC2046
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
SIPDIR=$(pwd)/test/sip
HERE=$(pwd)/test/service
T=/tmp/metricscheck
N=5		# calls with media, the caller group's max_calls
PKTS=20		# SRTP packets per call and direction
URL=http://127.0.0.1:19464/metrics
rm -rf "$T" && mkdir -p "$T"
. "$SIPDIR/media_lib.sh"
CTL=$BUILD/srtprelayctl
PEER=$BUILD/kernel/srtp_peer
own_state_conf "$HERE/srtprelayd-metrics.conf"
media_plane "" "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D $DP 2>/dev/null' EXIT

mpeer() { python3 "$HERE/metrics_peer.py" "$@"; }
# metric SERIES: its value in the scrape taken during the calls.
metric() { mpeer value "$T/scrape.txt" "$1"; }
# is SERIES VALUE: a check that the scrape has SERIES at VALUE.
is() { check "$1 = $2 ($(metric "$1"))" test "$(metric "$1")" = "$2"; }

check "srtprelayd uses the userspace datapath" sh -c "'$CTL' status -s '$SOCK' | grep -q 'userspace datapath'"
check "the endpoint answers before any call" sh -c "python3 '$HERE/metrics_peer.py' scrape '$URL' > '$T/scrape0.txt'"
check "and the page passes promtool check metrics" sh -c "test -s '$T/scrape0.txt' && promtool check metrics < '$T/scrape0.txt'"

echo "== $N SDES calls with media both ways"
K80=WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz
K_CALLEE=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$K_CALLEE" > "$T/uas.csv"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;srtp\n' "$K80" > "$T/uac.csv"
(cd "$T" && exec timeout 90 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/uas.csv" \
	-i 127.0.0.94 -p 18070 -mp 9200 -m "$N" -nostdin -aa \
	-trace_msg -message_file "$T/uas.msg" -trace_err > "$T/uas.out" 2>&1) &
UAS=$!
sleep 0.3
(cd "$T" && exec timeout 90 sipp 127.0.0.1:18060 -sf "$SIPDIR/uac_hold.xml" -inf "$T/uac.csv" \
	-i 127.0.0.93 -p 18080 -mp 9300 -m "$N" -l "$N" -r 10 -d 30000 -nostdin -timeout 80 \
	-trace_msg -message_file "$T/uac.msg" -trace_err > "$T/uac.out" 2>&1) &
UAC=$!
trap 'kill $D $DP $UAC $UAS 2>/dev/null' EXIT
wait_for 10 sh -c "test \$('$CTL' calls -s '$SOCK' | grep -c '^call .* confirmed') -eq $N"
"$CTL" -j calls -s "$SOCK" | mpeer keys "$T/uac.msg" "$T/uas.msg" > "$T/calls.txt"
check "$N calls up, each with its ports and both legs' keys" test "$(wc -l < "$T/calls.txt")" -eq "$N"

SUITE="--suite AES_CM_128_HMAC_SHA1_80"
# srtp_one SSRC LISTEN KEY_IN SRC DST KEY_OUT [BAD...]: $PKTS SRTP packets
# sent from SRC to the relay's DST with KEY_OUT must arrive at LISTEN,
# authenticated with KEY_IN, each once; BAD: srtp_peer's --bad options.
srtp_one() {
	ssrc=$1 listen=$2 kin=$3 src=$4 dst=$5 kout=$6
	shift 6
	rm -f "$T/ready"
	"$PEER" recv --ready-file "$T/ready" --listen "$listen" $SUITE --key "$kin" \
		--timeout-ms 3000 --linger-ms 100 "rtp:$ssrc:100:$PKTS" > "$T/recv.out" 2>&1 &
	rpid=$!
	wait_for 2 test -e "$T/ready"
	"$PEER" send --src "$src" --dst "$dst" $SUITE --key "$kout" "$@" \
		"rtp:$ssrc:100:$PKTS" > "$T/send.out" 2>&1
	wait $rpid
}
k=0
while read -r cp kcaller ep kcallee; do
	bad=""
	[ $k -eq 0 ] && bad="--bad tamper --bad-every 5"
	[ $k -eq 1 ] && bad="--bad replay --bad-every 5"
	check "call $((k + 1)) ($cp, $ep): $PKTS packets caller to callee${bad:+ ($bad)}, all authenticated" \
		srtp_one $((0x3000 + k)) 127.0.0.94:6002 "$kcallee" 127.0.0.93:6000 \
		"127.0.0.1:$cp" "$K80" $bad
	check "call $((k + 1)): $PKTS packets callee to caller, all authenticated" \
		srtp_one $((0x4000 + k)) 127.0.0.93:6000 "$kcaller" 127.0.0.94:6002 \
		"127.0.0.1:$ep" "$K_CALLEE"
	k=$((k + 1))
done < "$T/calls.txt"

echo "== refused calls"
for n in 1 2; do
	OUT=$(mpeer invite 127.0.0.95 $((18090 + n)) srtp-plain)
	check "plain RTP offer to a mandatory group: $OUT" sh -c "echo '$OUT' | grep -q '^SIP/2.0 488 '"
done
OUT=$(mpeer invite 127.0.0.95 18093 nowhere)
check "no routing rule: $OUT" sh -c "echo '$OUT' | grep -q '^SIP/2.0 404 '"
OUT=$(mpeer invite 127.0.0.93 18094 srtp-extra)
check "a 6th call from the caller group (max_calls $N): $OUT" sh -c "echo '$OUT' | grep -q '^SIP/2.0 503 '"

echo "== a scrape during the calls"
# The datapath's counters are read at most once a second: this scrape
# must see the packets above.
sleep 1.1
check "GET /metrics answers" sh -c "python3 '$HERE/metrics_peer.py' scrape '$URL' > '$T/scrape.txt'"
check "promtool check metrics passes" sh -c "test -s '$T/scrape.txt' && promtool check metrics < '$T/scrape.txt' > '$T/promtool.out' 2>&1"
sed 's/^/    | /' "$T/promtool.out"
check "still $N calls up" test "$("$CTL" calls -s "$SOCK" | grep -c '^call .* confirmed')" -eq "$N"
grep -v '^#' "$T/scrape.txt" | sed 's/^/    /'
is srtprelay_calls_active "$N"
is srtprelay_call_attempts_total $((N + 4))
is srtprelay_calls_answered_total "$N"
is 'srtprelay_call_failures_total{code="488",reason="offer"}' 2
is 'srtprelay_call_failures_total{code="404",reason="no_route"}' 1
is 'srtprelay_call_failures_total{code="503",reason="admission"}' 1
check "no other failure counted" test "$(grep -c '^srtprelay_call_failures_total{' "$T/scrape.txt")" -eq 3
is 'srtprelay_realm_port_pairs_in_use{realm="a"}' "$N"
is 'srtprelay_realm_port_pairs_in_use{realm="b"}' "$N"
is 'srtprelay_realm_port_pairs_free{realm="a"}' $((100 - N))
is 'srtprelay_realm_port_pairs_free{realm="b"}' $((50 - N))
is 'srtprelay_ip_group_admissions_total{ip_group="caller"}' "$N"
is 'srtprelay_ip_group_admissions_total{ip_group="plain \"caller\""}' 2
is 'srtprelay_ip_group_admissions_total{ip_group="callee"}' $((N + 2))
is 'srtprelay_ip_group_refusals_total{ip_group="caller"}' 1
is 'srtprelay_ip_group_calls_active{ip_group="caller"}' "$N"
is srtprelay_admission_refusals_total 1
is srtprelay_media_plane_up 1
is srtprelay_media_streams $((2 * N))
PK=$((2 * N * PKTS))
# Each packet: 12 bytes of RTP header, srtp_peer's 160 of payload and
# the 10-byte tag of AES_CM_128_HMAC_SHA1_80, on both legs.
is 'srtprelay_media_packets_total{direction="rx"}' $PK
is 'srtprelay_media_packets_total{direction="tx"}' $PK
is 'srtprelay_media_bytes_total{direction="rx"}' $((PK * 182))
is 'srtprelay_media_bytes_total{direction="tx"}' $((PK * 182))
is srtprelay_media_auth_failures_total $((PKTS / 5))
is srtprelay_media_replays_total $((PKTS / 5))
is srtprelay_media_source_rejections_total 0
is srtprelay_media_tx_errors_total 0
is 'srtprelay_proxy_target_up{proxy_set="uas",target="127.0.0.94:18070;transport=udp"}' 1
is 'srtprelay_proxy_target_up{proxy_set="nobody",target="127.0.0.97:18070;transport=udp"}' 0

OUT=$(mpeer burst "$URL" 50)
check "50 scrapes in a row, each followed by an OPTIONS: $OUT" sh -c "echo '$OUT' | awk '\$2 < 500 && \$4 != \"none\" && \$4 < 200 { ok = 1 } END { exit !ok }'"

echo "== slow clients"
mpeer hold 19464 12 3 > "$T/hold.out" &
HOLD=$!
sleep 0.6
RTT=$(mpeer options)
check "with 12 idle clients on the endpoint, SIP OPTIONS answered at once (${RTT} ms)" test "${RTT:-none}" != none -a "${RTT:-9999}" -lt 200
check "a scrape while max_clients (4) are held is refused, not queued" sh -c "! python3 '$HERE/metrics_peer.py' scrape '$URL' > /dev/null 2>&1"
wait $HOLD
OUT=$(cat "$T/hold.out")
check "the 8 clients over max_clients were closed at once ($OUT)" sh -c "echo '$OUT' | grep -q '^at-once 8 '"
check "the 4 held ones were closed by the 2 s timeout ($OUT)" sh -c "echo '$OUT' | grep -q ' before-end 4 of 12'"
check "then a scrape answers again" sh -c "python3 '$HERE/metrics_peer.py' scrape '$URL' > '$T/scrape2.txt'"
LINES=$(grep -c ' http: ' "$T/daemon.log")
check "the refusals cost at most the log limiter's lines ($LINES)" test "$LINES" -le 11

echo "== the calls end"
wait $UAC
check "SIPp caller: all $N calls ended by BYE (exit $?)" test $? -eq 0
wait $UAS
sleep 1.1
mpeer scrape "$URL" > "$T/scrape3.txt"
check "afterwards: 0 calls active" test "$(mpeer value "$T/scrape3.txt" srtprelay_calls_active)" = 0
check "afterwards: 0 streams, 0 port pairs in use" sh -c "grep -qx 'srtprelay_media_streams 0' '$T/scrape3.txt' && ! grep '^srtprelay_realm_port_pairs_in_use' '$T/scrape3.txt' | grep -qv ' 0\$'"
check "afterwards: the packet counters kept their values" test "$(mpeer value "$T/scrape3.txt" 'srtprelay_media_packets_total{direction="rx"}')" = $PK
check "srtprelayd is still running" kill -0 $D
stop_procs $D $DP
summary
