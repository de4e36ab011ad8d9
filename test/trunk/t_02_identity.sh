#!/bin/sh
# The SBC's FQDN identity (issue 17 item 2) against a real trunk: Kamailio
# over mutual TLS refuses (403) every INVITE and OPTIONS whose Contact host
# is not sbc.example.test. A SIPp caller calls through srtprelayd to a SIPp
# callee behind Kamailio: refused without fqdn, through with it (applied by
# reload), the request-URI and To naming the trunk (request_uri_host =
# "target"); the callee's BYE reaches srtprelayd by its FQDN; a reload to a certificate without the FQDN is refused with
# the fqdn's file:line and the old one keeps serving; a wildcard
# certificate (RFC 6125) is taken.
cd "$(dirname "$0")/../.." || exit 2
. test/trunk/lib.sh
. test/trunk/lib_kamailio.sh
own_netns "$0" "$@"
need kamailio sipp openssl dnsmasq

T=$(mktemp -d /tmp/trunk-identity.XXXXXX)
DAEMON_PID=
cleanup() {
	[ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null
	kam_stop
	[ -n "${DNS_PID:-}" ] && dns_stop
	rm -rf "$T"
}
trap cleanup EXIT

for a in 127.0.0.2 127.0.0.3 127.0.0.4; do
	ip addr add "$a/8" dev lo 2>/dev/null
done
hosts_file "127.0.0.1 sbc.example.test" "127.0.0.2 kamailio.example.test"
trunk_pki "$T/pki" sbc=DNS:sbc.example.test kamailio=DNS:kamailio.example.test \
	other=DNS:other.example.test wild=DNS:*.example.test || {
	echo "FAIL test PKI"
	echo "0 passed, 1 failed"
	exit 1
}

# conf FQDN CERT: srtprelayd's file; FQDN "" leaves it unset, CERT "self"
# has srtprelayd generate its own.
conf() {
	_fqdn=""
	[ -n "$1" ] && _fqdn="fqdn = \"$1\";"
	_cert="certificate = \"$T/pki/$2.pem\"; private_key = \"$T/pki/$2-key.pem\";"
	[ "$2" = self ] && _cert="self_signed = true;"
	cat > "$T/sbc.conf" <<EOT
state_dir = "$T/state";
dns = { servers = [ "$DNS_ADDR" ]; };
control_socket = "$T/ctl.sock";
media_backend = "record";
tls_contexts = ( { name = "trunk"; $_cert
	ca_file = "$T/pki/ca.pem"; } );
media_realms = ( { name = "r"; address = "127.0.0.1"; ports = [ 40000, 40999 ]; } );
sip_interfaces = ( { name = "edge"; address = "127.0.0.1"; udp_port = 5060;
	tls_port = 5061; tls_context = "trunk"; media_realm = "r";
	$_fqdn } );
proxy_sets = ( { name = "kamailio";
	targets = [ "kamailio.example.test:5061;transport=tls" ];
	keepalive = true; keepalive_interval = 1; } );
ip_groups = (
	{ name = "phones"; match = [ "127.0.0.4/32" ]; srtp = "disabled"; },
	{ name = "trunk"; match = [ "127.0.0.2/32" ]; proxy_set = "kamailio";
	  srtp = "disabled"; request_rate = 0; request_uri_host = "target"; } );
routing = ( { name = "out"; from = "phones"; to = "trunk"; } );
EOT
}

reload() {
	"$CTL" reload -s "$T/ctl.sock" > "$T/reload.out" 2>&1
}

mkdir -p "$T/state"
# srtprelayd finds the trunk by name (RFC 3263, A record), Kamailio the
# SBC through the hosts file.
printf 'local=/example.test/\nhost-record=kamailio.example.test,127.0.0.2\n' > "$T/zone.conf"
dns_start "$T" "$T/zone.conf" 60 ||
	{ echo "FAIL dnsmasq does not start"; echo "0 passed, 1 failed"; exit 1; }
conf "" sbc
kam_start kamailio 127.0.0.2 sbc.example.test "sip:127.0.0.3:5060" ||
	{ echo "FAIL kamailio does not start"; echo "0 passed, 1 failed"; exit 1; }
"$BUILD/srtprelayd" -c "$T/sbc.conf" > "$T/daemon.log" 2>&1 &
DAEMON_PID=$!
sleep 1

echo "== without fqdn: Contact carries the address, the trunk refuses"
sipp_uas callee 127.0.0.3 "$TRUNKDIR/uas_trunk.xml"
sipp_uac caller 127.0.0.4 127.0.0.1:5060 alice
check "the call fails" [ $? -ne 0 ]
check "the caller gets 403 from the trunk" rx_has caller '^SIP/2.0 ' '^SIP/2.0 403'
check "kamailio refused Contact host 127.0.0.1" grep -q "refused INVITE: Contact host <127.0.0.1>" "$T/kamailio.log"
check "kamailio refused the OPTIONS ping too" grep -q "refused OPTIONS: Contact host <127.0.0.1>" "$T/kamailio.log"
kill "$UAS_PID" 2>/dev/null
wait "$UAS_PID" 2>/dev/null

echo "== reload with fqdn = \"sbc.example.test\": the call goes through"
conf sbc.example.test sbc
check "reload with the FQDN is taken" reload
sipp_uas callee 127.0.0.3 "$TRUNKDIR/uas_trunk.xml"
check "the call completes (200, ACK, BYE through kamailio)" sipp_uac caller 127.0.0.4 127.0.0.1:5060 alice
check "the callee's INVITE has Contact sip:srtprelayd@sbc.example.test:5061;transport=tls" \
	rx_has callee '^INVITE ' '^Contact: <sip:srtprelayd@sbc\.example\.test:5061;transport=tls>'
check "the callee's INVITE came through kamailio's Record-Route" \
	rx_has callee '^INVITE ' '^Record-Route: .*127\.0\.0\.2'
check "the request-URI names the trunk (request_uri_host = target)" \
	rx_has callee '^INVITE ' '^INVITE sip:alice@kamailio\.example\.test:5061'
check "so does To" rx_has callee '^INVITE ' '^To: .*sip:alice@kamailio\.example\.test:5061'
check "the BYE reached the callee through kamailio (Route of its Record-Route)" \
	rx_has callee '^BYE ' '^Via: .*127\.0\.0\.2'
check "Via sent-by over TLS is the FQDN" grep -q "Via: SIP/2.0/TLS sbc.example.test:5061" "$T/callee.msg"
check "the caller's 200 names the SBC by its FQDN too (every peer of the interface)" \
	rx_has caller '^SIP/2.0 200' '^Contact: <sip:srtprelayd@sbc\.example\.test:5060;transport=udp>'
wait "$UAS_PID" 2>/dev/null
refused=$(grep -c 'refused OPTIONS' "$T/kamailio.log")
sleep 2.5
check "OPTIONS pings (every second) are no longer refused" \
	[ "$(grep -c 'refused OPTIONS' "$T/kamailio.log")" -eq "$refused" ]

(cd "$T" && timeout 10 sipp 127.0.0.1:5060 -sf "$SIPDIR/uac_options.xml" -i 127.0.0.4 -p 5060 \
	-m 1 -nostdin -trace_msg -message_file "$T/options.msg" >/dev/null 2>&1)
check "our 200 to an OPTIONS ping has Contact with the FQDN" rx_has options '^SIP/2.0 200' \
	'^Contact: <sip:srtprelayd@sbc\.example\.test:5060;transport=udp>'

echo "== the trunk hangs up: kamailio reaches srtprelayd by its FQDN"
sipp_uas callee 127.0.0.3 "$TRUNKDIR/uas_trunk_bye.xml"
printf 'SEQUENTIAL\nRTP/AVP;;;alice\n' > "$T/waiter.csv"
(cd "$T" && timeout 25 sipp 127.0.0.1:5060 -sf "$SIPDIR/uac_wait_bye.xml" -inf "$T/waiter.csv" \
	-i 127.0.0.4 -p 5060 -m 1 -nostdin -trace_msg -message_file "$T/waiter.msg" \
	-timeout 20 >/dev/null 2>&1)
check "the caller got the callee's BYE (through kamailio and srtprelayd)" [ $? -eq 0 ]
wait "$UAS_PID"
check "the callee's BYE was answered 200" [ $? -eq 0 ]
check "kamailio sent it to srtprelayd's Contact, sip:srtprelayd@sbc.example.test:5061;transport=tls" \
	grep -q "in-dialog BYE to sip:srtprelayd@sbc.example.test:5061;transport=tls" "$T/kamailio.log"

echo "== reload to a certificate without the FQDN: refused, old one kept"
conf sbc.example.test other
line=$(grep -n 'fqdn = ' "$T/sbc.conf" | cut -d: -f1)
reload
check "reload refused" sh -c "! $CTL reload -s $T/ctl.sock >/dev/null 2>&1"
check "with file:line of fqdn ($T/sbc.conf:$line)" \
	grep -q "^error $T/sbc.conf:$line: sip interface 'edge': fqdn sbc.example.test is not in the certificate of tls context 'trunk'" "$T/reload.out"
check "saying what the certificate has" grep -q "has DNS:other.example.test" "$T/reload.out"
sed 's/^/    /' "$T/reload.out"
sipp_uas callee 127.0.0.3 "$TRUNKDIR/uas_trunk.xml"
check "calls still complete with the old certificate" sipp_uac caller 127.0.0.4 127.0.0.1:5060 alice
wait "$UAS_PID" 2>/dev/null

echo "== a wildcard certificate (*.example.test) carries it (RFC 6125 6.4.3)"
conf sbc.example.test wild
check "reload taken" reload
sipp_uas callee 127.0.0.3 "$TRUNKDIR/uas_trunk.xml"
check "the call completes with the wildcard certificate" sipp_uac caller 127.0.0.4 127.0.0.1:5060 alice
wait "$UAS_PID" 2>/dev/null

echo "== at start too"
kill "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
conf sbc.example.test other
check "srtprelayd refuses to start with the wrong certificate" sh -c \
	"! timeout 10 '$BUILD/srtprelayd' -c '$T/sbc.conf' > '$T/start.log' 2>&1"
check "saying file:line" grep -q "$T/sbc.conf:$line: sip interface 'edge': fqdn sbc.example.test" "$T/start.log"
"$BUILD/srtprelayd" -t -c "$T/sbc.conf" > "$T/check.out" 2>&1
check "srtprelayd -t refuses it too" [ $? -ne 0 ]
check "with file:line" grep -q "^$T/sbc.conf:$line: sip interface 'edge': fqdn sbc.example.test is not in the certificate" "$T/check.out"
conf sbc.example.test sbc
check "srtprelayd -t passes the right one" "$BUILD/srtprelayd" -t -c "$T/sbc.conf"

echo "== settings that are not names or addresses: file:line"
bad() {
	conf sbc.example.test sbc
	sed -i "$1" "$T/sbc.conf"
	_l=$(grep -n -- "$2" "$T/sbc.conf" | head -n 1 | cut -d: -f1)
	"$BUILD/srtprelayd" -t -c "$T/sbc.conf" > "$T/bad.out" 2>&1
	check "$3 (line $_l)" grep -q "^$T/sbc.conf:$_l: .*$4" "$T/bad.out"
}
bad 's/fqdn = "sbc.example.test"/fqdn = "*.example.test"/' 'fqdn = ' \
	"a wildcard fqdn is refused" "fqdn '\*.example.test' is not a host name"
bad 's/fqdn = "sbc.example.test"/fqdn = "192.0.2.1"/' 'fqdn = ' \
	"an IP address as fqdn is refused" "fqdn '192.0.2.1' is not a host name"
bad 's/media_realm = "r";$/media_realm = "r"; public_address = "::1";/' 'public_address' \
	"an IPv6 public_address for an IPv4 interface is refused" "not of the family of its address"
bad 's/request_uri_host = "target"/request_uri_host = "a b"/' 'request_uri_host' \
	"a request_uri_host that is no host name is refused" "request_uri_host 'a b'"
bad 's/srtp = "disabled"; },/srtp = "disabled"; nat_side = "inside"; },/' 'nat_side' \
	"nat_side other than public or private is refused" "nat_side 'inside': use public or private"

echo "== a self-signed context"
conf sbc.example.test self
"$BUILD/srtprelayd" -c "$T/sbc.conf" > "$T/daemon.log" 2>&1 &
DAEMON_PID=$!
sleep 1
check "a self-signed context generates its certificate for the fqdn" sh -c \
	"openssl x509 -in '$T/state/trunk-cert.pem' -noout -ext subjectAltName | grep -q 'DNS:sbc.example.test'"
check "and srtprelayd starts with it" kill -0 "$DAEMON_PID"
finish
