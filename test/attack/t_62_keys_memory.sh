#!/bin/sh
# Keys never stay in freed memory (issue 15, item 7). Calls with SDES keys
# run through srtprelayd over UDP, TCP and TLS, with -d so every message also
# passes the log, and the userspace datapath as media plane; a malformed
# message with a key gets its 400. When every call and transaction is
# gone, gdb's gcore dumps both processes (heap, stacks, every writable
# mapping) and each dump is searched for each key: its base64 text and its
# raw key and salt bytes. Whatever held SDP or a key (SIP
# buffers, osip2's parsed messages, transport buffers, key structs) must
# have been wiped before it was freed.
. test/attack/b2bua_env.sh

echo "== t_62: no key in the memory of srtprelayd after its calls"
if ! command -v gcore >/dev/null; then
	echo "  FAIL gdb (gcore) is not installed (make deps)"
	FAILED=$((FAILED + 1))
	finish
fi
# The userspace datapath is the media plane: srtprelayd hands it the keys
# of every stream, and it holds them until the stream is deleted.
export SRTPRELAY_SOCKET="$T/datapath.sock"
"$BUILD/srtprelay-datapath" -s "$SRTPRELAY_SOCKET" -w 1 > "$T/datapath.log" 2>&1 &
DP=$!
sleep 0.5
write_conf 'tls_contexts = ( { name = "sbc"; self_signed = true; } );' |
	sed -e 's/^media_backend = "record";/media_backend = "auto";/' \
	    -e 's|media_realm = "lo"; }|tls_port = 15061; tls_context = "sbc"; media_realm = "lo"; }|' > "$T/d.conf"
start_daemon "$T/d.conf" -d
check "srtprelayd uses the datapath" grep -q "media plane: .*datapath" "$T/daemon.log"

begin "calls with keys both ways, UDP, TCP and TLS"
uas m1_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac m1_uac uac_call.xml "RTP/SAVP;$C80;$C32;mand-mem1" 127.0.0.11
check "UDP call completes" test $? -eq 0
wait_uas
uas m2_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac m2_uac uac_call.xml "RTP/SAVP;$C80;;mand-mem2" 127.0.0.12 -t t1
check "TCP call completes" test $? -eq 0
wait_uas
# TLS: SIPp over TCP to stunnel, which opens TLS to srtprelayd from
# 127.0.0.12 (a caller group); OpenSSL's records and the connection's
# buffers then hold the keys too.
cat > "$T/stunnel.conf" <<CONF
foreground = yes
pid =
output = $T/stunnel.log
[sip]
client = yes
accept = 127.0.0.13:15062
connect = 127.0.0.1:15061
local = 127.0.0.12
CONF
stunnel4 "$T/stunnel.conf" > "$T/stunnel.out" 2>&1 &
STUNNEL=$!
sleep 0.5
uas m3_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
printf 'SEQUENTIAL\n%s\n' "RTP/SAVP;$C80;;mand-mem3" > "$T/m3_uac.csv"
(cd "$T" && timeout 25 sipp 127.0.0.13:15062 -sf "$SIPDIR/uac_call.xml" \
	-inf "$T/m3_uac.csv" -i 127.0.0.12 -p 15083 -t t1 -m 1 -nostdin \
	-trace_msg -message_file "$T/m3_uac.msg" -timeout 20 >/dev/null 2>&1)
check "TLS call completes" test $? -eq 0
wait_uas
check "it came over TLS" grep -q "tls TLS 127.0.0.12:[0-9]* #[0-9]*: established" "$T/daemon.log"
# stunnel stays up through the dump; its TLS connection to srtprelayd
# ends with SIPp's TCP one, through conn_close() and SSL_free().

python3 - <<PY
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.11", 15082))
body = "v=0\r\no=- 1 1 IN IP4 127.0.0.11\r\ns=-\r\nc=IN IP4 127.0.0.11\r\nt=0 0\r\nm=audio 6000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K80\r\n"
s.sendto(("INVITE sip:mand-bad@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.11:15082;branch=z9hG4bKmem\r\n"
          "From: <sip:a@127.0.0.11>;tag=m\r\nTo: <sip:mand-bad@127.0.0.1>\r\nCall-ID: mem-bad\r\n"
          "CSeq: 1 BYE\r\nContact: <sip:a@127.0.0.11:15082>\r\nContent-Type: application/sdp\r\n"
          "Content-Length: %d\r\n\r\n%s" % (len(body), body)).encode(), ("127.0.0.1", 15060))
PY

# Server transactions keep their last message for 32 s (RFC 3261 17):
# wait until none is left, then dump.
i=0
while [ $i -lt 45 ]; do
	n=$(python3 "$SIPDIR/ctl.py" "$T/state/control.sock" status 2>/dev/null |
		awk '$1 == "transactions" { print $2 }')
	[ "$n" = 0 ] && break
	sleep 1
	i=$((i + 1))
done
check "every transaction ended ($i s)" test "$n" = 0
gcore -o "$T/core" "$DAEMON_PID" $DP > "$T/gcore.log" 2>&1
check "gcore dumped srtprelayd" test -s "$T/core.$DAEMON_PID"
check "gcore dumped srtprelay-datapath" test -s "$T/core.$DP"

cat "$T"/*.msg | grep -o 'inline:[A-Za-z0-9+/=]*' | cut -d: -f2 | sort -u > "$T/keys"
printf '%s\n%s\n' "$K80" "$K_CALLEE" >> "$T/keys"
sort -u -o "$T/keys" "$T/keys"
# scan CORE: each key's base64, raw master key and raw salt, counted.
scan() {
	python3 - "$1" "$T/keys" <<'PY'
import base64, sys
core = open(sys.argv[1], "rb").read()
keys = [k for k in open(sys.argv[2]).read().split() if k]
found = 0
for k in keys:
    raw = base64.b64decode(k + "=" * (-len(k) % 4))
    for what, needle in (("base64", k.encode()), ("raw key", raw[:16]), ("raw salt", raw[16:])):
        n = core.count(needle)
        if n:
            found += 1
            print("    %s... %s found %d times" % (k[:8], what, n))
print("keys %d found %d" % (len(keys), found))
PY
}
scan "$T/core.$DAEMON_PID" > "$T/scan.out"
cat "$T/scan.out"
check "the keys were searched ($(wc -l < "$T/keys") keys)" grep -q "^keys [1-9]" "$T/scan.out"
check "no key, base64 or raw, in the memory of srtprelayd" grep -q " found 0$" "$T/scan.out"
scan "$T/core.$DP" > "$T/scan-dp.out"
cat "$T/scan-dp.out"
check "no key in the memory of srtprelay-datapath" grep -q " found 0$" "$T/scan-dp.out"
rm -f "$T/core.$DAEMON_PID" "$T/core.$DP"
kill $STUNNEL 2>/dev/null
stop_daemon
kill -TERM $DP
wait $DP
finish
