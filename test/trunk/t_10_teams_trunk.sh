#!/bin/sh
# The whole of issue 17 in one call, configured as README.md's
# "Walk-through: a Teams Direct Routing style trunk" says (its two
# configuration blocks are read out of README.md, so the walk-through
# cannot rot): a baresip phone (SRTP mandatory, over TLS) calls through
# srtprelayd to a SIPp callee behind Kamailio. Kamailio is the trunk,
# reached only by name (dnsmasq: NAPTR -> SRV -> A), over mutual TLS
# whose certificate must carry that name (RFC 5922), refusing (403) any
# INVITE or OPTIONS whose Contact is not the SBC's FQDN, challenging
# REGISTER and INVITE with digest; srtprelayd registers with it first. The
# SBC's certificate comes from `srtprelayctl tls csr` and `tls import`.
# Media: SRTP between baresip and srtprelayd, plain RTP to SIPp, which
# echoes it: baresip must hear its own 440 Hz tone back, and the streams'
# counters show packets both ways with no authentication failure.
#
# What differs from the README's text, and why: addresses and paths are
# the test's (127.x in a namespace of its own); the trunk group's srtp is
# "disabled" (SIPp cannot do SRTP); public_address is dropped for the call
# (no NAT here: t_03_nat.sh runs one) but `srtprelayd -t` checks the text
# with it; the trunk's CA is added as ca_file (not a public one).
cd "$(dirname "$0")/../.." || exit 2
. test/trunk/lib.sh
. test/trunk/lib_kamailio.sh
own_netns "$0" "$@"
need kamailio kamcmd sipp baresip dnsmasq sox openssl

T=$(mktemp -d /tmp/trunk-teams.XXXXXX)
SOCK=$T/ctl.sock
PW=teams-trunk-pw-41c7
D= DP= DNS_PID=
cleanup() {
	[ -n "$D" ] && kill "$D" 2>/dev/null && wait "$D" 2>/dev/null
	[ -n "$DP" ] && kill "$DP" 2>/dev/null && wait "$DP" 2>/dev/null
	kam_stop
	[ -n "$DNS_PID" ] && dns_stop
	[ -n "${KEEP:-}" ] && echo "kept $T" || rm -rf "$T"
}
trap cleanup EXIT

# The SBC: its trunk side on 127.0.0.1 (README 10.0.0.5), its LAN side
# on 127.0.0.5 (192.168.1.5); baresip is 127.0.0.1 (PEERS.md), Kamailio
# 127.0.0.2, the SIPp callee 127.0.0.3.
for a in 127.0.0.2 127.0.0.3 127.0.0.5; do
	ip addr add "$a/8" dev lo 2>/dev/null
done
# Kamailio finds srtprelayd by its FQDN here (in-dialog requests);
# srtprelayd asks dnsmasq only.
hosts_file "127.0.0.1 sbc.example.net"

# readme_block NAME: the fenced block after README.md's marker
# "<!-- NAME: ..." (its indentation removed).
readme_block() {
	awk -v m="<!-- $1:" '
		index($0, m) { found = 1; next }
		found && /^ *```/ { if (inside) exit; inside = 1; next }
		inside { sub(/^   /, ""); print }' README.md
}

echo "== the walk-through's steps 1-3: names, key, request, the CA's answer"
cat > "$T/zone.conf" <<'ZONE'
local=/example.net/
naptr-record=sip.pstnhub.example.net,10,50,"s","SIPS+D2T","","_sips._tcp.sip.pstnhub.example.net"
srv-host=_sips._tcp.sip.pstnhub.example.net,sip-a.pstnhub.example.net,5061,10,60
host-record=sip-a.pstnhub.example.net,127.0.0.2
host-record=sbc.example.net,127.0.0.1
ZONE
check "dnsmasq serves the zone (NAPTR -> SRV -> A)" dns_start "$T" "$T/zone.conf" 5
# Kamailio's certificate names the domain only, not the SRV host the SBC
# connects to: the SBC must check the name it was configured with.
trunk_pki "$T/pki" kamailio=DNS:sip.pstnhub.example.net || {
	echo "FAIL test PKI"
	echo "$PASSED passed, $((FAILED + 1)) failed"
	exit 1
}
export SRTPRELAY_TLS_DIR="$T/lib/tls"
mkdir -p "$T/lib" "$T/etc"
check "srtprelayctl tls csr teams --cn sbc.example.net" \
	"$CTL" tls csr teams --cn sbc.example.net --key p256
printf 'subjectAltName=DNS:sbc.example.net\nextendedKeyUsage=serverAuth,clientAuth\n' > "$T/pki/sbc.ext"
openssl x509 -req -in "$T/lib/tls/teams/request.csr" -CA "$T/pki/ca.pem" \
	-CAkey "$T/pki/ca-key.pem" -CAcreateserial -days 30 -extfile "$T/pki/sbc.ext" \
	-out "$T/signed.pem" > /dev/null 2>&1
check "srtprelayctl tls import teams (the CA's answer, checked against its root)" \
	"$CTL" tls import teams "$T/signed.pem" --ca-file "$T/pki/ca.pem"
check "srtprelayctl tls show teams: the FQDN, the chain verifies" sh -c \
	"'$CTL' tls show teams > '$T/show.out' 2>&1 && grep -q 'sbc.example.net' '$T/show.out'"

echo "== step 4: README's configuration, with the test's addresses and paths"
readme_block teams.conf > "$T/readme.conf"
readme_block carrier-auth > "$T/readme-auth.conf"
check "README has the configuration block" grep -q 'fqdn = "sbc.example.net"' "$T/readme.conf"
check "README has the carrier block" grep -q 'register = ' "$T/readme-auth.conf"
# As written, but where the test has its things: addresses, paths, the
# test CA (trusted for Kamailio's certificate, server and client).
sed -e "s#/var/lib/srtprelayd#$T/lib#g; s#/etc/srtprelayd#$T/etc#g" \
	-e 's/"10\.0\.0\.53"/"127.0.0.53"/; s/"10\.0\.0\.5"/"127.0.0.1"/g' \
	-e 's/"192\.168\.1\.5"/"127.0.0.5"/g; s#"192\.168\.1\.0/24"#"127.0.0.1/32"#' \
	-e "s#mutual = true;#mutual = true; ca_file = \"$T/pki/ca.pem\";#" \
	-e "s#^\\(state_dir = .*\\)#\\1\\ncontrol_socket = \"$SOCK\";#" \
	"$T/readme.conf" > "$T/as-written.conf"
# The carrier lines go into the proxy set, after its keep-alive.
awk -v add="$T/readme-auth.conf" '
	{ print }
	/keepalive_interval/ { while ((getline l < add) > 0) { sub(/^ */, "       ", l); print l } }' \
	"$T/as-written.conf" | sed "s#/etc/srtprelayd#$T/etc#g" > "$T/with-auth.conf"
printf '%s\n' "$PW" > "$T/etc/trunk.pw"
chmod 600 "$T/etc/trunk.pw"
"$BUILD/srtprelayd" -t -c "$T/with-auth.conf" > "$T/t.out" 2>&1
check "step 5: srtprelayd -t passes README's text (public_address and all)" [ $? -eq 0 ]
show "$T/t.out"
# For the call: no NAT here, and SIPp cannot do SRTP.
sed -e 's/ public_address = "203\.0\.113\.5";//' \
	-e '/name = "teams"; proxy_set/,/}/s/srtp = "mandatory"/srtp = "disabled"/' \
	"$T/with-auth.conf" > "$T/sbc.conf"
check "srtprelayd -t passes the test's variant" "$BUILD/srtprelayd" -t -c "$T/sbc.conf"
check "... in which only the trunk group's srtp differs beyond public_address" \
	test "$(diff "$T/with-auth.conf" "$T/sbc.conf" | grep -c '^>')" -eq 3

echo "== the trunk: Kamailio, mutual TLS, FQDN check, digest, registrar"
cat > "$T/kam-global.cfg" <<KAM
alias=sip.pstnhub.example.net
loadmodule "auth.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "ctl.so"
loadmodule "kex.so"
modparam("usrloc", "db_mode", 0)
modparam("ctl", "binrpc", "unix:$T/kam.ctl")
KAM
cat > "$T/kam-route.cfg" <<KAM
	# The ACK to a challenge of ours (no Route: not a 2xx's).
	if (is_method("ACK") && !is_present_hf("Route"))
		exit;
	if (is_method("REGISTER")) {
		if (\$(ct{tobody.host}) != "sbc.example.net") {
			xlog("L_NOTICE", "refused REGISTER: Contact host <\$(ct{tobody.host})> is not sbc.example.net\n");
			sl_send_reply("403", "Forbidden (Contact is not the SBC FQDN)");
			exit;
		}
		if (!pv_www_authenticate("sip.pstnhub.example.net", "$PW", "0")) {
			www_challenge("sip.pstnhub.example.net", "1");
			exit;
		}
		if (\$au != "sbc") {
			sl_send_reply("403", "Forbidden");
			exit;
		}
		consume_credentials();
		xlog("L_NOTICE", "REGISTER of \$tu over \$pr authenticated, Contact \$ct\n");
		if (!save("location"))
			sl_reply_error();
		exit;
	}
	if (is_method("INVITE") && !has_totag()) {
		if (!pv_proxy_authenticate("sip.pstnhub.example.net", "$PW", "0")) {
			xlog("L_NOTICE", "INVITE challenged (407)\n");
			proxy_challenge("sip.pstnhub.example.net", "1");
			exit;
		}
		if (\$au != "sbc") {
			sl_send_reply("403", "Forbidden");
			exit;
		}
		xlog("L_NOTICE", "INVITE authenticated as \$au\n");
		consume_credentials();
	}
KAM
kam_start kamailio 127.0.0.2 sbc.example.net "sip:127.0.0.3:5060" "$T/kam-route.cfg" "$T/kam-global.cfg"
check "Kamailio is up" kill -0 "$KAM_PID"

export SRTPRELAY_SOCKET=$T/datapath.sock
"$BUILD/srtprelay-datapath" -s "$SRTPRELAY_SOCKET" -w 1 > "$T/datapath.log" 2>&1 &
DP=$!
sleep 0.5
check "srtprelayd starts on it (userspace datapath)" start_daemon "$T/sbc.conf" "$T/daemon.log"

echo "== step 6: srtprelayctl status"
check "the trunk's name resolved (NAPTR -> SRV -> A)" wait_for 10 \
	status_has '^proxy-set teams target sip.pstnhub.example.net dns resolved '
check "to TLS 127.0.0.2:5061, up (OPTIONS with our FQDN in Contact answered)" wait_for 10 \
	status_has '^proxy-set teams target sip.pstnhub.example.net address TLS 127.0.0.2:5061 priority 10 weight 60 up'
check "registered with the trunk after its challenge" wait_for 10 \
	status_has '^registration teams aor sip:sbc@sip.pstnhub.example.net state registered target sip.pstnhub.example.net expires 600 '
"$CTL" status -s "$SOCK" | grep -E '^(proxy-set|registration)' | show
check "dnsmasq was asked the NAPTR, the SRV and the A" sh -c \
	"grep -q 'query\[NAPTR\] sip.pstnhub.example.net' '$T/dnsmasq.log' &&
	 grep -q 'query\[SRV\] _sips._tcp.sip.pstnhub.example.net' '$T/dnsmasq.log' &&
	 grep -q 'query\[A\] sip-a.pstnhub.example.net' '$T/dnsmasq.log'"
kamcmd -s "unix:$T/kam.ctl" ul.dump > "$T/ul.dump" 2>&1
check "Kamailio's location table holds the SBC, Contact by its FQDN over TLS" \
	grep -q 'sip:sbc@sbc.example.net:5061;transport=tls' "$T/ul.dump"
grep -E "AoR|Address|Path|Received" "$T/ul.dump" | show
check "the REGISTER came over TLS with client certificate checked" \
	grep -q 'REGISTER of sip:sbc@sip.pstnhub.example.net over tls authenticated' "$T/kamailio.log"
check "no OPTIONS or REGISTER refused for its Contact" sh -c "! grep -Eq 'refused (OPTIONS|REGISTER)' '$T/kamailio.log'"

echo "== the call: baresip (SRTP, TLS) -> srtprelayd -> Kamailio (name, mTLS, digest) -> SIPp (echo)"
sipp_uas callee 127.0.0.3 "$TRUNKDIR/uas_trunk.xml" -rtp_echo -mp 6000
PHONE_SBC=127.0.0.5 phone "$T/alice" alice srtp-mand 15400 440
for _ in $(seq 30); do
	grep -q "registrar: alice at" "$T/daemon.log" && break
	sleep 0.1
done
timeout -k 5 30 baresip -s -f "$T/alice" -t 9 -e "/dial +15551234" > "$T/alice.out" 2>&1 &
B=$!
wait_for 15 rx_has callee '^ACK ' '^ACK '
sleep 2
"$CTL" calls -s "$SOCK" > "$T/calls.txt" 2>&1
wait "$B"
wait "$UAS_PID"
uas_rc=$?
check "baresip's call was established" grep -q 'Call established' "$T/alice.out"
check "... with SRTP (baresip: SRTP is Enabled)" grep -q 'SRTP is Enabled' "$T/alice.out"
check "Kamailio challenged the INVITE, and the second one was authenticated" sh -c \
	"grep -q 'INVITE challenged (407)' '$T/kamailio.log' && grep -q 'INVITE authenticated as sbc' '$T/kamailio.log'"
check "baresip never saw the challenge" sh -c "! grep -Eq '^SIP/2.0 40[17]' '$T/alice.out'"
check "the callee's INVITE: Contact is the SBC's FQDN over TLS" \
	rx_has callee '^INVITE ' '^Contact: <sip:srtprelayd@sbc\.example\.net:5061;transport=tls>'
check "... Kamailio's Record-Route (the SBC, a B2BUA, adds none: its Contact is where route sets lead)" \
	rx_has callee '^INVITE ' '^Record-Route: <sip:127\.0\.0\.2:5061;transport=tls'
check "... Via sent-by the SBC's FQDN over TLS" \
	rx_has callee '^INVITE ' '^Via: SIP/2.0/TLS sbc\.example\.net:5061'
rx callee '^INVITE ' | grep -E '^(INVITE|To|Contact|Record-Route|Via)' | show
check "... the request-URI names the trunk (request_uri_host = target)" \
	rx_has callee '^INVITE ' '^INVITE sip:\+15551234@sip\.pstnhub\.example\.net[;> ]'
check "... so does To" rx_has callee '^INVITE ' '^To: <sip:\+15551234@sip\.pstnhub\.example\.net[;>]'
check "... SDP is plain RTP/AVP toward SIPp" rx_has callee '^INVITE ' '^m=audio [0-9]+ RTP/AVP '
check "the callee got the BYE through Kamailio (SIPp exit 0)" [ "$uas_rc" -eq 0 ]
grep -E 'leg|media' "$T/calls.txt" | show
check "phone leg: SRTP packets in and out, none failing authentication" sh -c \
	"grep 'leg caller' -A1 '$T/calls.txt' | grep -Eq 'rx [1-9][0-9]* tx [1-9][0-9]* auth-failed 0'"
check "trunk leg: RTP in (SIPp's echo) and out" sh -c \
	"grep 'leg callee' -A1 '$T/calls.txt' | grep -Eq 'rx [1-9][0-9]* tx [1-9][0-9]* auth-failed 0'"
fa=$(freq "$(ls "$T"/alice/rec/*dec*.wav 2>/dev/null | head -1)")
check "baresip heard its own 440 Hz back through SIPp's echo (${fa:-nothing} Hz)" \
	test "${fa:-0}" -ge 400 -a "${fa:-0}" -le 480
check "step 5's other half: srtprelayctl reload takes the file again" sh -c \
	"'$CTL' reload -s '$SOCK' | grep -q '^ok reloaded $T/sbc.conf'"
check "... and the trunk stays resolved, up and registered" sh -c \
	"'$CTL' status -s '$SOCK' > '$T/status2.out' &&
	 grep -q '^proxy-set teams target sip.pstnhub.example.net address TLS 127.0.0.2:5061 .* up' '$T/status2.out' &&
	 grep -q '^registration teams .* state registered ' '$T/status2.out'"
check "the trunk password is in no log line" sh -c "! grep -q '$PW' '$T/daemon.log'"
finish
