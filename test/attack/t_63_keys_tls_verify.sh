#!/bin/sh
# SDES keys travel inside SIP: over TLS to a carrier they are safe only if
# the TLS server is the carrier (issue 15, item 7). A TLS context verifies
# servers by default (the system's trust store plus its ca_file), so a
# target whose certificate comes from an unknown CA is refused; `verify =
# false` is an explicit choice, said once in the log at load. The target
# is `openssl s_server` with a self-signed certificate for carrier.test;
# srtprelayd's OPTIONS keep-alive opens the connection.
. test/attack/b2bua_env.sh

echo "== t_63: outgoing TLS verifies the server by default"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=carrier.test \
	-addext subjectAltName=DNS:carrier.test \
	-keyout "$T/carrier-key.pem" -out "$T/carrier.pem" >/dev/null 2>&1
openssl s_server -accept 127.0.0.20:15071 -cert "$T/carrier.pem" \
	-key "$T/carrier-key.pem" -quiet < /dev/null > "$T/s_server.log" 2>&1 &
SERVER=$!

# tls_conf CONTEXT-SETTINGS: a context, a TLS interface, the carrier probed
# every second.
tls_conf() {
	write_conf "tls_contexts = ( { name = \"out\"; self_signed = true; $1 } );" "" |
		sed -e 's|media_realm = "lo"; }|tls_port = 15061; tls_context = "out"; media_realm = "lo"; }|' \
		    -e 's|^proxy_sets = (|proxy_sets = (\n  { name = "carrier"; targets = [ "127.0.0.20:15071;transport=tls;tls_name=carrier.test" ]; keepalive = true; keepalive_interval = 1; },|' \
		    -e 's|^ip_groups = (|ip_groups = (\n  { name = "carrier"; proxy_set = "carrier"; srtp = "mandatory"; },|'
}

# probe NAME SETTINGS: starts srtprelayd, lets the keep-alive connect.
probe() {
	echo "== $1"
	tls_conf "$2" > "$T/$1.conf"
	start_daemon "$T/$1.conf"
	sleep 2.5
	stop_daemon
	cp "$T/daemon.log" "$T/$1.log"
}

probe default ""
check "no verify setting: the unknown CA's certificate is refused" \
	grep -q "127.0.0.20:15071.*refused: certificate chain does not verify" "$T/default.log"
check "and no TLS session is established with it" \
	sh -c "! grep -q 'tls .*127.0.0.20:15071.*established' '$T/default.log'"
check "the context verifies servers (load line)" grep -q "tls context out: .*verifies servers" "$T/default.log"

probe noverify "verify = false;"
check "verify = false: the session is established" \
	grep -q "tls .*127.0.0.20:15071.*established" "$T/noverify.log"
check "and the load says once that servers are not verified" \
	test "$(grep -c "tls context 'out': verify = false" "$T/noverify.log")" -eq 1

probe trusted "ca_file = \"$T/carrier.pem\";"
check "ca_file with the carrier's root: established, chain and name verified" \
	grep -q "tls .*127.0.0.20:15071.*established" "$T/trusted.log"
check "and nothing refused" sh -c "! grep -q 'refused' '$T/trusted.log'"

kill $SERVER 2>/dev/null
wait $SERVER 2>/dev/null
finish
