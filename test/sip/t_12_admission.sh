# Call admission control: max_calls and max_call_rate per IP group. A call
# over a limit gets 503 at once, with a Warning naming the limit, and
# costs the calls in progress nothing.
ADM_BE="RTP/AVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE"

# adm_calls NAME CALLER-IP USER CALLS RATE HOLD-MS: a SIPp callee answering
# at 127.0.0.20:15070 and a SIPp caller placing CALLS calls at RATE per
# second, each held HOLD-MS when answered (test/sip/uac_admission.xml).
adm_calls() {
	printf 'SEQUENTIAL\n%s\n' "$ADM_BE" > "$T/$1_uas.csv"
	printf 'SEQUENTIAL\nRTP/AVP;%s;;%s\n' "$C80" "$3" > "$T/$1_uac.csv"
	(cd "$T" && exec timeout 30 sipp -sf "$SIPDIR/uas_answer.xml" \
		-inf "$T/$1_uas.csv" -i 127.0.0.20 -p 15070 -nostdin -aa \
		-trace_msg -message_file "$T/$1_uas.msg" >/dev/null 2>&1) &
	ADM_UAS=$!
	wait_for 5 udp_bound 127.0.0.20 15070
	(cd "$T" && timeout 30 sipp 127.0.0.1:$SIP_PORT -sf "$SIPDIR/uac_admission.xml" \
		-inf "$T/$1_uac.csv" -i "$2" -p 15080 -m "$4" -r "$5" -l "$4" \
		-d "$6" -nostdin -trace_msg -message_file "$T/$1_uac.msg" \
		-timeout 25 >/dev/null 2>&1)
	ADM_RC=$?
	kill -INT $ADM_UAS 2>/dev/null
	wait $ADM_UAS 2>/dev/null
}

# Final INVITE responses with code $2 that the caller $1 received.
adm_count() {
	rx "$1_uac" "^SIP/2.0 $2 " | grep -c '^CSeq: 1 INVITE'
}

# Does every 503 the caller $1 got carry header line $2 (ERE)?
adm_each_503_has() {
	n=$(adm_count "$1" 503)
	[ "$n" -gt 0 ] && [ "$(rx "$1_uac" '^SIP/2.0 503 ' | grep -Ec -- "$2")" -eq "$n" ]
}

group_status() {	# group_status GROUP: "calls N refused N"
	"$CTLBIN" status -s "$CTL_SOCK" | awk -v g="$1" '$1 == "ip-group" && $2 == g { print $3, $4, $5, $6 }'
}

begin "admission: max_calls = 2 in the caller's IP group"
adm_calls a1 127.0.0.15 pref-adm 4 20 2000
check "caller's scenario completed for all 4 calls" test $ADM_RC -eq 0
check "2 calls answered" test "$(adm_count a1 200)" -eq 2
check "2 calls refused with 503" test "$(adm_count a1 503)" -eq 2
check "each 503 says which limit" adm_each_503_has a1 '^Warning: 399 srtprelayd "IP group caller-limited is at its limit of 2 calls"'
check "the callee saw 2 INVITEs only" test "$(rx a1_uas '^INVITE ' | grep -c '^CSeq: 1 INVITE')" -eq 2
check "both refusals logged" test "$(dlog_count 'INVITE from 127.0.0.15:15080: 503, IP group caller-limited is at its limit')" -eq 2
check "status: the group has no call left and 2 refused" test "$(group_status caller-limited)" = "calls 0 refused 2"

begin "admission: the group takes calls again once its calls ended"
adm_calls a2 127.0.0.15 pref-adm 2 20 300
check "2 calls answered" test "$(adm_count a2 200)" -eq 2
check "none refused" test "$(adm_count a2 503)" -eq 0

begin "admission: max_calls = 1 in the callee's IP group"
adm_calls a3 127.0.0.12 capped-adm 2 20 1500
check "1 call answered" test "$(adm_count a3 200)" -eq 1
check "1 call refused with 503" test "$(adm_count a3 503)" -eq 1
check "the 503 names the callee's group" adm_each_503_has a3 '^Warning: 399 srtprelayd "IP group callee-capped is at its limit of 1 calls"'
check "no Retry-After for a limit on calls up" test "$(rx a3_uac '^SIP/2.0 503 ' | grep -c '^Retry-After')" -eq 0

begin "admission: max_call_rate = 5 per second"
adm_calls a4 127.0.0.16 pref-rate 20 50 100
ok4=$(adm_count a4 200)
refused4=$(adm_count a4 503)
echo "    20 INVITEs in 0.4 s: $ok4 answered, $refused4 refused"
check "every call answered or refused" test $((ok4 + refused4)) -eq 20
check "the burst of 5 and what refilled passed (5 to 9)" test "$ok4" -ge 5 -a "$ok4" -le 9
check "each 503 says which rate" adm_each_503_has a4 '^Warning: 399 srtprelayd "IP group caller-rated is over its rate of 5 calls per second"'
check "each 503 asks to retry after 1 s" adm_each_503_has a4 '^Retry-After: 1[[:space:]]*$'
check "status counts the refusals" test "$(group_status caller-rated)" = "calls 0 refused $refused4"
sleep 1.2
adm_calls a5 127.0.0.16 pref-rate 3 10 100
check "a second later the rate admits calls again" test "$(adm_count a5 200)" -eq 3

begin "admission: other groups are not limited"
adm_calls a6 127.0.0.12 pref-free 6 50 500
check "6 overlapping calls from an unlimited group all answered" test "$(adm_count a6 200)" -eq 6
check "status JSON has the counters" sh -c "'$CTLBIN' -j status -s '$CTL_SOCK' | python3 -c 'import json,sys; d=json.load(sys.stdin); g={x[\"name\"]: x for x in d[\"ip_groups\"]}; assert d[\"calls_refused\"] >= 4 and g[\"caller-limited\"][\"refused\"] == 2 and g[\"callee-capped\"][\"refused\"] == 1'"
