# Last: SIGTERM ends calls cleanly, a BYE on both legs, and the daemon
# exits 0 (checked by run.sh).
begin "every port pair went back to the realm"
check "control socket: no call left, port-pairs-in-use 0" sh -c "'$CTLBIN' status -s '$CTL_SOCK' | tee '$T/status.txt' | grep -q 'realm lo port-pairs-in-use 0' && grep -q '^calls 0' '$T/status.txt'"

begin "SIGTERM: BYE to both legs of a call in progress"
uas s1_uas uas_wait_bye.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac s1_uac uac_wait_bye.xml "RTP/SAVP;$C80;;mand-sigterm" 127.0.0.11 &
UAC_PID=$!
sleep 1
check "call is up (control socket lists it confirmed)" sh -c "'$CTLBIN' calls -s '$CTL_SOCK' | grep -q 'confirmed'"
check "control socket shows SRTP suites per leg" sh -c "'$CTLBIN' calls -s '$CTL_SOCK' | grep -q 'srtp yes in AES_CM_128_HMAC_SHA1_80 out AES_CM_128_HMAC_SHA1_80'"
check "control socket JSON lists the call" sh -c "'$CTLBIN' -j calls -s '$CTL_SOCK' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"calls\"][0][\"state\"] == \"confirmed\"'"
kill -TERM $DAEMON_PID
wait $UAC_PID
check "caller got a BYE and answered it" test $? -eq 0
wait_uas
check "callee got a BYE and answered it" test $? -eq 0
check "logged as shutdown" dlog_has "ended: daemon shutting down"
