#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# A trunk reached by name (issue 17, item 1; RFC 3263): dnsmasq in the
# test's own network namespace serves NAPTR, SRV, A and AAAA for the
# made-up zone trunk.test with a 2 s TTL; two SIPp callees are its SRV
# targets (priority 10 and 20). srtprelayd's proxy set names only
# "trunk.test".
#
# Checks: a bad name and a bad DNS server are file:line errors; status
# (text and JSON) shows the name, its addresses with transport, port,
# priority and up/down; calls go to the priority-10 target, and to the
# priority-20 one once the first is down (OPTIONS keep-alive); answers are
# cached (a burst of calls asks DNS nothing) and re-asked when the TTL
# runs out (new records are used within TTL + keep-alive); a DNS server
# that drops every query stalls nothing: OPTIONS are answered at once,
# calls carry on with the last addresses, and a daemon that never got an
# answer refuses calls with 503 at once. A request-URI host that is a name
# (an IP group without a proxy set) is resolved the same way, per call.
# TLS targets by name must present a certificate carrying the name as
# configured, which is also the SNI (RFC 5922), not the SRV host or IP.
set -u
cd "$(dirname "$0")/../.." || exit 2
. test/trunk/lib.sh
own_netns "$0" "$@"
need sipp dnsmasq python3

T=$(mktemp -d /tmp/trunk-dns.XXXXXX)
SOCK=$T/control.sock
SBC=127.0.0.1:17060

write_conf() {	# write_conf FILE TARGET
	cat > "$1" <<CONF
state_dir = "$T/state";
control_socket = "$SOCK";
media_backend = "record";
dns = { servers = [ "$DNS_ADDR" ]; };
media_realms = ( { name = "lo"; address = "127.0.0.1"; ports = [ 30000, 30999 ]; } );
sip_interfaces = ( { name = "lo"; address = "127.0.0.1"; udp_port = 17060; media_realm = "lo"; } );
proxy_sets = ( { name = "trunk"; targets = [ "$2" ]; keepalive = true;
                 keepalive_interval = 1; failover = true; } );
ip_groups = (
  { name = "callers"; match = [ "127.0.1.0/24" ]; srtp = "disabled"; },
  { name = "carrier"; proxy_set = "trunk"; srtp = "disabled"; request_uri_host = "target"; },
  { name = "by-uri"; srtp = "disabled"; }
);
routing = ( { name = "uri"; from = "callers"; user = "^direct"; to = "by-uri"; },
            { name = "out"; from = "callers"; to = "carrier"; } );
CONF
}

# ruri_call NAME HOST: a call to sip:NAME@HOST (no proxy set: the
# request-URI's host is where it goes).
ruri_call() {
	printf 'SEQUENTIAL\n%s;\n' "$2" > "$T/$1.csv"
	(cd "$T" && timeout 30 sipp "$SBC" -sf "$TRUNKDIR/uac_ruri_name.xml" \
		-inf "$T/$1.csv" -s "$1" -i 127.0.1.1 -p 15084 -m 1 -nostdin \
		-timeout 25 -trace_msg -message_file "$T/$1.msg" > "$T/$1.out" 2>&1)
}

# The zone: NAPTR -> SRV (two targets) -> A (+ AAAA of the second).
cat > "$T/zone1.conf" <<'ZONE'
local=/trunk.test/
naptr-record=trunk.test,10,50,"s","SIP+D2U","","_sip._udp.trunk.test"
srv-host=_sip._udp.trunk.test,a.trunk.test,5070,10,60
srv-host=_sip._udp.trunk.test,b.trunk.test,5072,20,60
host-record=a.trunk.test,127.0.3.1
host-record=b.trunk.test,127.0.3.2,fd00::32
srv-host=_sip._tcp.tcp.trunk.test,a.trunk.test,5080,10,10
srv-host=_sip._tcp.tcp.trunk.test,a.trunk.test,5081,20,10
ZONE
# The same name after the carrier moved: one target, another address.
cat > "$T/zone2.conf" <<'ZONE'
local=/trunk.test/
naptr-record=trunk.test,10,50,"s","SIP+D2U","","_sip._udp.trunk.test"
srv-host=_sip._udp.trunk.test,c.trunk.test,5074,10,60
host-record=c.trunk.test,127.0.3.3
ZONE

# A call from 127.0.1.1 through srtprelayd; $1 names it.
call() {
	uac_call "$1" 127.0.1.1 "$1" "$SBC" -p 15080
}

# Did callee $1 receive the INVITE of call $2?
got_invite() {
	grep -q "^INVITE sip:$2@" "$T/$1.msg"
}

echo "== bad names and servers are file:line errors"
write_conf "$T/bad.conf" "bad_name.test"
sed -i 's/servers = \[ "[^"]*" \]/servers = [ "127.0.0.53:99999", "dns.example" ]/' "$T/bad.conf"
"$BUILD/srtprelayd" -t -c "$T/bad.conf" > "$T/bad.out" 2>&1
show "$T/bad.out"
check "a target that is no host name: file:line" \
	grep -q "bad.conf:[0-9]*: proxy set 'trunk' target 1: 'bad_name.test' is neither an IP address nor a host name" "$T/bad.out"
check "a DNS server with a bad port: file:line" \
	grep -q "bad.conf:[0-9]*: dns server 1 '127.0.0.53:99999'" "$T/bad.out"
check "a DNS server that is a name: file:line" \
	grep -q "bad.conf:[0-9]*: dns server 2 'dns.example'" "$T/bad.out"
write_conf "$T/good.conf" "trunk.test"
check "a name target with dns servers is valid" "$BUILD/srtprelayd" -t -c "$T/good.conf"

echo "== NAPTR -> SRV -> A/AAAA: status shows the name's addresses"
ip -6 addr add fd00::1/64 dev lo 2>/dev/null
for a in 127.0.1.1 127.0.3.1 127.0.3.2 127.0.3.3; do
	ip addr add "$a/32" dev lo 2>/dev/null
done
check "dnsmasq serves trunk.test (TTL 2 s)" dns_start "$T" "$T/zone1.conf" 2
uas_start uas_a 127.0.3.1 5070
UAS_A=$UAS_PID
uas_start uas_b 127.0.3.2 5072
UAS_B=$UAS_PID
check "srtprelayd starts with a name target" start_daemon "$T/good.conf" "$T/daemon.log"
check "status: the name resolved, with its addresses" wait_for 5 \
	status_has "^proxy-set trunk target trunk.test dns resolved ttl-left [0-9]+ addresses 3$"
check "status: a.trunk.test's address, port 5070 from SRV, priority 10, up" wait_for 5 \
	status_has "^proxy-set trunk target trunk.test address UDP 127.0.3.1:5070 priority 10 weight 60 up$"
check "status: b.trunk.test's A, port 5072, priority 20" \
	status_has "^proxy-set trunk target trunk.test address UDP 127.0.3.2:5072 priority 20 weight 60 (up|down)$"
check "status: b.trunk.test's AAAA, port 5072, priority 20" \
	status_has "^proxy-set trunk target trunk.test address UDP \[fd00::32\]:5072 priority 20 weight 60 (up|down)$"
"$CTL" status -s "$SOCK" | grep "^proxy-set" | show
"$CTL" -j status -s "$SOCK" > "$T/status.json"
check "status -j: the same, as JSON" python3 -c "
import json, sys
s = json.load(open('$T/status.json'))
t = s['proxy_sets'][0]['targets'][0]
assert t['host'] == 'trunk.test' and t['dns'] == 'resolved', t
a = t['addresses'][0]
assert (a['transport'], a['address'], a['priority'], a['weight'], a['state']) == \
	('UDP', '127.0.3.1:5070', 10, 60, 'up'), a
assert len(t['addresses']) == 3, t"
check "dnsmasq was asked NAPTR, SRV, A and AAAA" sh -c "
	grep -q 'query\[NAPTR\] trunk.test' '$T/dnsmasq.log' &&
	grep -q 'query\[SRV\] _sip._udp.trunk.test' '$T/dnsmasq.log' &&
	grep -q 'query\[A\] a.trunk.test' '$T/dnsmasq.log' &&
	grep -q 'query\[AAAA\] b.trunk.test' '$T/dnsmasq.log'"

echo "== calls route by name: priority 10 first"
check "a call completes" call c1
check "it went to a.trunk.test (SRV priority 10)" got_invite uas_a c1
check "request-URI and To name the trunk as configured (request_uri_host = target), no port" sh -c "
	grep -q '^INVITE sip:c1@trunk.test SIP/2.0' '$T/uas_a.msg' &&
	grep -q '^To: .*<sip:c1@trunk.test>' '$T/uas_a.msg'"
before=$(grep -c "query\[" "$T/dnsmasq.log")
i=0
while [ $i -lt 5 ]; do call burst$i; i=$((i + 1)); done
after=$(grep -c "query\[" "$T/dnsmasq.log")
echo "    DNS queries during 5 calls: $((after - before)) (re-asked only when the TTL runs out)"
check "calls do not ask DNS (answers are cached and refreshed by TTL)" \
	test $((after - before)) -le 8

echo "== a request-URI host that is a name (no proxy set): RFC 3263 too"
t0=$(date +%s%N)
check "a call to sip:direct1@trunk.test completes" ruri_call direct1 trunk.test
t1=$(date +%s%N)
echo "    call by request-URI name: $(( (t1 - t0) / 1000000 )) ms"
check "it went to a.trunk.test (NAPTR, SRV priority 10), request-URI kept" \
	grep -q "^INVITE sip:direct1@trunk.test SIP/2.0" "$T/uas_a.msg"
uas_start uas_tcp 127.0.3.1 5081 -t t1
UAS_TCP=$UAS_PID
check "sip:direct4@tcp.trunk.test (no NAPTR: SRV _sip._tcp): the first SRV target refuses, the second answers" \
	ruri_call direct4 tcp.trunk.test
check "the call went to the second SRV address (port 5081, over TCP)" \
	grep -q "^INVITE sip:direct4@tcp.trunk.test SIP/2.0" "$T/uas_tcp.msg"
check "the failover is logged" grep -q "failing over to the next one" "$T/daemon.log"
kill "$UAS_TCP" 2>/dev/null
ruri_call direct2 nowhere.trunk.test
check "a name that does not exist: 503 with a Warning saying so" sh -c "
	grep -q '^SIP/2.0 503' '$T/direct2.msg' &&
	grep -q 'request-URI host nowhere.trunk.test: DNS: no address' '$T/direct2.msg'"

echo "== the first SRV target down: calls go to the second"
kill "$UAS_A" 2>/dev/null
wait "$UAS_A" 2>/dev/null
check "keep-alive marks 127.0.3.1:5070 down" wait_for 10 \
	status_has "address UDP 127.0.3.1:5070 priority 10 weight 60 down$"
check "and logs it" grep -q "proxy set trunk target trunk.test address UDP 127.0.3.1:5070 is DOWN" "$T/daemon.log"
check "a call completes" call c2
check "it went to b.trunk.test (SRV priority 20)" got_invite uas_b c2

echo "== the records change: the new answer is used once the TTL ran out"
uas_start uas_c 127.0.3.3 5074
UAS_C=$UAS_PID
dns_stop
naptr_before=$(grep -c "query\[NAPTR\] trunk.test" "$T/dnsmasq.log")
check "dnsmasq restarted with the carrier's new records" dns_start "$T" "$T/zone2.conf" 2
check "status shows c.trunk.test's address within TTL + 3 s" wait_for 6 \
	status_has "^proxy-set trunk target trunk.test address UDP 127.0.3.3:5074 priority 10 weight 60 up$"
check "the old addresses are gone" sh -c "! '$CTL' status -s '$SOCK' | grep -q '127.0.3.[12]:'"
check "the change is logged" grep -q "proxy set trunk target trunk.test: UDP 127.0.3.3:5074 priority 10 weight 60 (ttl [0-9]* s)" "$T/daemon.log"
sleep 4
naptr_after=$(grep -c "query\[NAPTR\] trunk.test" "$T/dnsmasq.log")
echo "    NAPTR queries in the ~6 s after the change: $((naptr_after - naptr_before)) (TTL 2 s)"
check "the name is asked again as its TTL runs out (2..5 NAPTR queries in ~6 s)" \
	sh -c "[ $((naptr_after - naptr_before)) -ge 2 ] && [ $((naptr_after - naptr_before)) -le 5 ]"
check "a call completes" call c3
check "it went to c.trunk.test" got_invite uas_c c3

echo "== a DNS server that drops every query stalls nothing"
dns_stop
# A black hole on the DNS address: reads queries, never answers.
python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('$DNS_ADDR', 53))
end = time.time() + 60
while time.time() < end:
    s.settimeout(1)
    try: s.recv(512)
    except OSError: pass
" &
HOLE=$!
sleep 0.3
mark_log "$T/daemon.log"
check "status: the name's answers expire, DNS failed, last addresses kept" wait_for 8 \
	status_has "^proxy-set trunk target trunk.test dns failed ttl-left 0 addresses 1$"
log_since "$T/daemon.log" | grep "DNS" | show
check "logged once: no server answered, keeping its last addresses" \
	sh -c "[ \$(tail -n +$((LOGSTART + 1)) '$T/daemon.log' | grep -c 'trunk.test: DNS: no server answered; keeping its last addresses') -eq 1 ]"
t0=$(date +%s%N)
check "calls meanwhile complete on the last addresses" call c4
t1=$(date +%s%N)
echo "    call while DNS is dead: $(( (t1 - t0) / 1000000 )) ms"
check "... within 2 s" test $(( (t1 - t0) / 1000000 )) -lt 2000
check "it went to c.trunk.test" got_invite uas_c c4
stop_daemon

echo "== started while DNS is dead: no address, calls refused at once, OPTIONS answered"
check "srtprelayd starts (DNS answers nothing)" start_daemon "$T/good.conf" "$T/daemon2.log"
check "status: resolving, no address" \
	status_has "^proxy-set trunk target trunk.test dns (resolving|failed) ttl-left 0 addresses 0$"
# A call whose request-URI host waits for the dead resolver, meanwhile.
r0=$(date +%s%N)
ruri_call direct3 trunk.test &
RURI=$!
sleep 0.3
t0=$(date +%s%N)
(cd "$T" && timeout 10 sipp "$SBC" -sf "$SIPDIR/uac_options.xml" -i 127.0.1.1 \
	-p 15082 -m 1 -nostdin -timeout 5 > "$T/opt.out" 2>&1)
rc=$?
t1=$(date +%s%N)
echo "    OPTIONS to srtprelayd while its resolver waits: $(( (t1 - t0) / 1000000 )) ms"
check "an OPTIONS is answered at once (< 1 s)" sh -c "[ $rc -eq 0 ] && [ $(( (t1 - t0) / 1000000 )) -lt 1000 ]"
t0=$(date +%s%N)
call c5
t1=$(date +%s%N)
check "a call gets 503 (no target) at once" sh -c "
	grep -q '^SIP/2.0 503' '$T/c5.msg' && [ $(( (t1 - t0) / 1000000 )) -lt 1500 ]"
echo "    503 after $(( (t1 - t0) / 1000000 )) ms"
wait "$RURI"
r1=$(date +%s%N)
echo "    request-URI name with a dead resolver: 503 after $(( (r1 - r0) / 1000000 )) ms"
check "a call by request-URI name gets 503 'no server answered' once the resolver gives up (< 5 s)" sh -c "
	grep -q 'request-URI host trunk.test: DNS: no server answered' '$T/direct3.msg' &&
	[ $(( (r1 - r0) / 1000000 )) -lt 5000 ]"
stop_daemon
kill "$HOLE" "$UAS_B" "$UAS_C" 2>/dev/null
wait "$HOLE" 2>/dev/null

echo "== TLS by name: the certificate must carry the name configured (RFC 5922)"
# A root, a peer certificate for tls.trunk.test, and one that carries only
# what bad.trunk.test resolves to (its SRV host and its address).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-keyout "$T/ca.key" -out "$T/ca.pem" -subj "/CN=trunk test root" 2>/dev/null
leaf() {	# leaf NAME SAN
	openssl req -x509 -CA "$T/ca.pem" -CAkey "$T/ca.key" -newkey ec \
		-pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -keyout "$T/$1.key" \
		-out "$T/$1.pem" -subj "/CN=$1" -addext "subjectAltName=$2" 2>/dev/null
}
leaf good "DNS:tls.trunk.test"
leaf bad "DNS:t2.trunk.test,IP:127.0.3.6"
cat > "$T/zone3.conf" <<'ZONE'
local=/trunk.test/
naptr-record=tls.trunk.test,10,50,"s","SIPS+D2T","","_sips._tcp.tls.trunk.test"
srv-host=_sips._tcp.tls.trunk.test,t1.trunk.test,5061,10,10
host-record=t1.trunk.test,127.0.3.5
srv-host=_sips._tcp.bad.trunk.test,t2.trunk.test,5061,10,10
host-record=t2.trunk.test,127.0.3.6
ZONE
cat > "$T/tls.conf" <<CONF
state_dir = "$T/state-tls";
control_socket = "$SOCK";
media_backend = "record";
dns = { servers = [ "$DNS_ADDR" ]; };
tls_contexts = ( { name = "t"; self_signed = true; ca_file = "$T/ca.pem"; verify = true; } );
media_realms = ( { name = "lo"; address = "127.0.0.1"; ports = [ 30000, 30999 ]; } );
sip_interfaces = ( { name = "lo"; address = "127.0.0.1"; udp_port = 17060; tls_port = 17061;
                     tls_context = "t"; media_realm = "lo"; } );
proxy_sets = (
  { name = "good"; targets = [ "tls.trunk.test" ]; keepalive = true; keepalive_interval = 1; },
  { name = "bad"; targets = [ "bad.trunk.test;transport=tls" ]; keepalive = true;
    keepalive_interval = 1; }
);
ip_groups = (
  { name = "callers"; match = [ "127.0.1.0/24" ]; srtp = "disabled"; },
  { name = "g1"; proxy_set = "good"; srtp = "disabled"; },
  { name = "g2"; proxy_set = "bad"; srtp = "disabled"; }
);
routing = ( { name = "out"; from = "callers"; to = "g1"; } );
CONF
for a in 127.0.3.5 127.0.3.6; do ip addr add "$a/32" dev lo 2>/dev/null; done
python3 "$TRUNKDIR/tls_sip_peer.py" 127.0.3.5 5061 "$T/good.pem" "$T/good.key" "$T/sni-good" &
PEER1=$!
python3 "$TRUNKDIR/tls_sip_peer.py" 127.0.3.6 5061 "$T/bad.pem" "$T/bad.key" "$T/sni-bad" &
PEER2=$!
check "two TLS SIP peers listen" wait_for 5 sh -c \
	"ss -ltn | grep -q '127.0.3.5:5061' && ss -ltn | grep -q '127.0.3.6:5061'"
check "dnsmasq serves NAPTR SIPS+D2T and _sips._tcp SRV" dns_start "$T" "$T/zone3.conf" 30
check "srtprelayd starts with two TLS targets by name" start_daemon "$T/tls.conf" "$T/daemon3.log"
check "tls.trunk.test: NAPTR chose TLS, SRV port 5061" wait_for 5 \
	status_has "^proxy-set good target tls.trunk.test address TLS 127.0.3.5:5061 priority 10 weight 10"
check "bad.trunk.test's certificate is refused: it lacks the name configured, though it carries the SRV host and the IP" \
	wait_for 8 grep -q "refused: certificate does not carry SIP domain bad.trunk.test" "$T/daemon3.log"
grep "refused: certificate" "$T/daemon3.log" | head -n 1 | show
check "bad.trunk.test's address is down" wait_for 6 \
	status_has "^proxy-set bad target bad.trunk.test address TLS 127.0.3.6:5061 priority 10 weight 10 down$"
check "tls.trunk.test's certificate passed: its address is up (OPTIONS answered over TLS)" \
	wait_for 5 grep -q "proxy set good target tls.trunk.test address TLS 127.0.3.5:5061 is UP\|tls TLS 127.0.3.5:5061 #[0-9]*: established" "$T/daemon3.log"
check "... and stays up" \
	status_has "^proxy-set good target tls.trunk.test address TLS 127.0.3.5:5061 priority 10 weight 10 up$"
check "SNI is the name configured (tls.trunk.test), not the SRV host" \
	sh -c "[ \"\$(sort -u '$T/sni-good')\" = tls.trunk.test ]"
check "SNI to bad.trunk.test is bad.trunk.test, not t2.trunk.test" \
	sh -c "[ \"\$(sort -u '$T/sni-bad')\" = bad.trunk.test ]"
stop_daemon
dns_stop
kill "$PEER1" "$PEER2" 2>/dev/null
wait 2>/dev/null
finish
