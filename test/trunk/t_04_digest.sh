#!/bin/sh
# t_04_digest: digest authentication with real peers (issue 17 item 4).
#
# Client: Kamailio is the trunk (test/trunk/kamailio_digest.cfg, SHA-256
# digest, qop=auth): srtprelayd registers with it (Kamailio's location
# table shows the binding), a call through it is challenged with 407 and
# completes after srtprelayd answers, without the caller seeing the 407,
# and its BYE, challenged too, reaches the callee (SIPp). srtprelayd's
# clean stop removes the binding. With a wrong password: one answer per
# challenge, the registration fails with back-off, the call gets 403,
# and nothing loops.
#
# Server: baresip registers with srtprelayd's registrar, which challenges
# with digest against its users file: the right password is bound, a
# wrong one refused.
cd "$(dirname "$0")/../.." || exit 2
. test/trunk/lib.sh
own_netns "$0" "$@"
need kamailio kamcmd sipp baresip

W=$(mktemp -d /tmp/t_04_digest.XXXXXX)
SOCK=$W/ctl.sock
KCTL=$W/kamailio.ctl
PW=trunk-pw-7d1f
KPID= UAS= D=

cleanup() {
	[ -n "$D" ] && kill "$D" 2>/dev/null
	[ -n "$UAS" ] && kill "$UAS" 2>/dev/null
	[ -n "$KPID" ] && kill "$KPID" 2>/dev/null
	wait 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "kept $W" || rm -rf "$W"
}
trap cleanup EXIT

for a in 127.0.0.20 127.0.0.30 127.0.0.40; do
	ip addr add "$a/8" dev lo 2>/dev/null
done

write_conf() {
	PUBLIC_LINE=
	[ -n "${PUBLIC:-}" ] && PUBLIC_LINE="public_address = \"$PUBLIC\";"
	cat > "$W/srtprelayd.conf" <<EOF
log_level = "debug";
state_dir = "$W/state";
control_socket = "$SOCK";
media_backend = "record";
media_realms = ( { name = "r"; address = "127.0.0.1"; ports = [ 41000, 41099 ]; } );
sip_interfaces = ( { name = "i"; address = "127.0.0.1"; udp_port = 5060; media_realm = "r";
  $PUBLIC_LINE } );
proxy_sets = (
  { name = "trunk"; targets = [ "127.0.0.20:5060" ]; keepalive = true;
    auth = { username = "sbc"; password_file = "$W/trunk.pw"; realm = "trunk.example.test"; };
    register = { aor = "sip:sbc@trunk.example.test"; expires = 10; }; }
);
ip_groups = (
  { name = "callers"; match = [ "127.0.0.40/32" ]; srtp = "disabled"; },
  { name = "phones"; match = [ "127.0.0.1/32" ]; srtp = "disabled"; },
  { name = "trunk"; proxy_set = "trunk"; srtp = "disabled"; request_rate = 0; }
);
routing = ( { name = "out"; from = "callers"; to = "trunk"; } );
# baresip 1.0 (libre) fails on any challenge it does not know
# ("Register: Function not implemented" with a SHA-256 one beside MD5).
registrar = { realm = "sbc.example.test"; users_file = "$W/users"; algorithms = [ "MD5" ]; };
EOF
}

# Does Kamailio's location table (its RPC) hold sbc with contact $1?
bound_at() {
	kamcmd -s "unix:$KCTL" ul.dump 2>/dev/null | grep -A20 'AoR: sbc' | grep -q "$1"
}

# ... holds no sbc at all (and the RPC answered).
unbound() {
	_dump=$(kamcmd -s "unix:$KCTL" ul.dump 2>/dev/null) || return 1
	! printf '%s\n' "$_dump" | grep -q 'AoR: sbc'
}

count() {
	grep -Ec -- "$2" "$1" 2>/dev/null || true
}

echo "# trunk: Kamailio with SHA-256 digest; srtprelayd registers and calls through it"
kamailio -f "$TRUNKDIR/kamailio_digest.cfg" -DD -E -Y "$W" -P "$W/kamailio.pid" \
	-A "KAMAILIO_CTL=\"unix:$KCTL\"" -A "PASSWORD=\"$PW\"" \
	-A "AUTH_ALGORITHM=\"${ALGO:-SHA-256}\"" > "$W/kamailio.log" 2>&1 &
KPID=$!
wait_for 5 test -S "$KCTL"
check "Kamailio is up (its RPC answers)" wait_for 5 kamcmd -s "unix:$KCTL" core.version

sipp -nostdin -sf "$TRUNKDIR/uas_trunk_reinvite.xml" -i 127.0.0.30 -p 5060 -m 1 -trace_msg \
	-message_file "$W/uas.msg" > /dev/null 2>&1 &
UAS=$!

printf '%s\n' "$PW" > "$W/trunk.pw"
chmod 600 "$W/trunk.pw"
printf 'alice:alice-pw\n' > "$W/users"
chmod 600 "$W/users"
write_conf
check "srtprelayd starts with auth and register on the proxy set" \
	start_daemon "$W/srtprelayd.conf" "$W/daemon.log"
check "srtprelayctl status: registered with the trunk" \
	wait_for 5 status_has "^registration trunk aor sip:sbc@trunk.example.test state registered target 127.0.0.20 expires 10 "
check "srtprelayctl -j status: valid JSON, outbound_registrations[0] registered" \
	sh -c "'$CTL' -j status -s '$SOCK' | python3 -c 'import json,sys; r = json.load(sys.stdin)[\"outbound_registrations\"][0]; sys.exit(not (r[\"state\"] == \"registered\" and r[\"proxy_set\"] == \"trunk\" and r[\"last_code\"] == 200))'"
check "Kamailio's location table holds sbc at srtprelayd's address" \
	bound_at 'sip:sbc@127.0.0.1:5060'
check "the first REGISTER was challenged (401), the second carried SHA-256 credentials" \
	grep -q 'trunk: REGISTER .*auth \[Digest username="sbc", realm="trunk.example.test", .*algorithm=SHA-256, qop=auth, nc=00000001' "$W/kamailio.log"

sipp -nostdin -sf test/sip/uac_reinvite.xml -inf /dev/stdin -i 127.0.0.40 -p 5070 \
	127.0.0.1:5060 -m 1 -trace_msg -message_file "$W/uac.msg" \
	-timeout 20 > "$W/uac.out" 2>&1 <<EOF
SEQUENTIAL
RTP/AVP;;;bob
EOF
uac_rc=$?
check "the call through the trunk, with two re-INVITEs, completes (SIPp caller exit 0)" \
	test "$uac_rc" -eq 0
check "srtprelayd answered the trunk's 407 with a new INVITE" \
	grep -q 'INVITE sent again with credentials' "$W/daemon.log"
check "Kamailio saw the INVITE with Proxy-Authorization (CSeq 2)" \
	grep -Eq 'trunk: INVITE .* cseq 2 auth \[(<null>)?Digest username="sbc"' "$W/kamailio.log"
check "the caller never saw a 401 or 407" \
	sh -c "! grep -Eq '^SIP/2.0 40[17]' '$W/uac.msg'"
uas_rc=99	# still running: it never got its BYE
if wait_for 10 sh -c "! kill -0 $UAS"; then
	wait "$UAS"
	uas_rc=$?
fi
kill "$UAS" 2>/dev/null
UAS=
check "the callee got the call, both re-INVITEs and the BYE (SIPp UAS exit 0)" \
	test "$uas_rc" -eq 0
check "the re-INVITEs to the trunk were challenged and answered" \
	test "$(grep -Ec 'trunk: INVITE sip:callee.* auth \[(<null>)?Digest username="sbc"' "$W/kamailio.log")" -eq 2
check "srtprelayd logged the re-INVITE's challenge" \
	grep -q '407 to our INVITE, sent again with credentials' "$W/daemon.log"
check "the OPTIONS keep-alive was challenged and answered" \
	grep -Eq 'trunk: OPTIONS .* cseq 2 auth \[(<null>)?Digest username="sbc"' "$W/kamailio.log"
check "the BYE to the trunk was challenged and answered" \
	grep -Eq 'trunk: BYE .* auth \[(<null>)?Digest username="sbc"' "$W/kamailio.log"

check "the registration was refreshed at half the 10 s granted (REGISTER CSeq 3, 4)" \
	wait_for 8 grep -Eq 'trunk: REGISTER .* cseq 4 auth \[Digest username="sbc"' "$W/kamailio.log"
check "still registered after the refresh" \
	status_has "^registration trunk aor sip:sbc@trunk.example.test state registered "

echo "# reload with another expiry: the old binding goes, a new one comes"
sed -i 's/expires = 10;/expires = 20;/' "$W/srtprelayd.conf"
check "srtprelayctl reload applies it" "$CTL" reload -s "$SOCK"
check "registered anew, for 20 s" \
	wait_for 5 status_has "^registration trunk aor sip:sbc@trunk.example.test state registered target 127.0.0.20 expires 20 "
check "the old binding was removed first (REGISTER with Expires: 0)" \
	grep -q "sip:sbc@trunk.example.test un-registered" "$W/daemon.log"

echo "# clean stop: the binding is removed (REGISTER with Expires: 0)"
stop_daemon
D=
check "Kamailio's location table no longer holds sbc" \
	unbound
check "the password is in no log line" sh -c "! grep -q '$PW' '$W/daemon.log'"

echo "# wrong password: one answer per challenge, no loop"
printf 'not-the-password\n' > "$W/trunk.pw"
kreg0=$(count "$W/kamailio.log" 'trunk: REGISTER ')
kinv0=$(count "$W/kamailio.log" 'trunk: INVITE ')
start_daemon "$W/srtprelayd.conf" "$W/daemon2.log"
check "srtprelayctl status: registration failed with 401, retried in 30 s" \
	wait_for 5 status_has "^registration trunk aor sip:sbc@trunk.example.test state failed .*next-register (29|30) last-code 401 why challenged again"
sipp -nostdin -sf "$TRUNKDIR/uac_reject.xml" -i 127.0.0.40 -p 5070 127.0.0.1:5060 \
	-m 1 -timeout 20 > /dev/null 2>&1
check "the caller gets 403 from srtprelayd (SIPp exit 0)" test $? -eq 0
sleep 2
kreg=$(( $(count "$W/kamailio.log" 'trunk: REGISTER ') - kreg0 ))
kinv=$(( $(count "$W/kamailio.log" 'trunk: INVITE ') - kinv0 ))
check "two REGISTERs reached Kamailio, not more ($kreg)" test "$kreg" -eq 2
check "two INVITEs reached Kamailio, not more ($kinv)" test "$kinv" -eq 2
check "srtprelayd logged why the call failed" \
	grep -q 'challenged again after our answer for realm .trunk.example.test. (user sbc): credentials refused' "$W/daemon2.log"
check "nothing in the location table" unbound
stop_daemon
D=

echo "# server: baresip registers with srtprelayd's registrar, which challenges"
# baresip 1.0 listens on 127.0.0.1 only (PEERS.md); srtprelayd's own
# address, put in the "phones" group.
baresip_register() {	# NAME USER PASSWORD PORT
	mkdir -p "$W/$1"
	cat > "$W/$1/config" <<CFG
poll_method epoll
sip_listen 127.0.0.1:$4
net_interface 127.0.0.1
module_path /usr/lib/baresip/modules
module_app account.so
module_app menu.so
CFG
	echo "<sip:$2@127.0.0.1:5060>;auth_pass=$3;regint=60" > "$W/$1/accounts"
	timeout -k 5 10 baresip -f "$W/$1" -t 3 > "$W/$1.out" 2>&1
}
printf 'alice:alice-pw-3c9e\n' > "$W/users"
printf 'carol:sbc.example.test:%s\n' \
	"$(printf 'carol:sbc.example.test:carol-pw' | md5sum | cut -d' ' -f1)" >> "$W/users"
printf '%s\n' "$PW" > "$W/trunk.pw"
check "srtprelayd starts with a registrar users file" \
	start_daemon "$W/srtprelayd.conf" "$W/daemon3.log"
baresip_register alice alice alice-pw-3c9e 5090
check "alice's first REGISTER got 401 with an MD5 challenge (qop auth, our nonce)" \
	grep -Eq '^WWW-Authenticate: Digest realm="sbc.example.test", nonce="[0-9a-f]{48}", algorithm=MD5, qop="auth"' "$W/daemon3.log"
check "baresip answered (Authorization with qop=auth)" \
	grep -Eq '^Authorization: Digest username="alice",.*nc=00000001' "$W/daemon3.log"
check "srtprelayd bound alice" grep -q -E "registrar: alice at sip:alice[^ @]*@127.0.0.1:5090" "$W/daemon3.log"
check "baresip says 200 OK" grep -q "200 OK" "$W/alice.out"
baresip_register carol carol carol-pw 5092
check "carol (a user:realm:HA1 line) is bound" \
	grep -q -E "registrar: carol at sip:carol[^ @]*@127.0.0.1:5092" "$W/daemon3.log"
baresip_register mallory alice wrong-pw 5094
check "a wrong password gets 403" \
	grep -q "REGISTER from 127.0.0.1:5094 as 'alice': 403, wrong password" "$W/daemon3.log"
check "baresip says 403" grep -q "403 Forbidden" "$W/mallory.out"
check "no binding for the wrong password" \
	sh -c "! grep -Eq 'registrar: alice at sip:alice[^ @]*@127.0.0.1:5094' '$W/daemon3.log'"
# SIPp's own digest (MD5, qop=auth) as a second, independent client.
sipp -nostdin -sf "$TRUNKDIR/uac_register_auth.xml" -s alice -au alice \
	-ap alice-pw-3c9e -i 127.0.0.1 -p 5096 127.0.0.1:5060 -m 1 -timeout 10 \
	> /dev/null 2>&1
check "SIPp with the right password is bound" \
	grep -Eq "registrar: alice at sip:alice@127.0.0.1:5096" "$W/daemon3.log"
sipp -nostdin -sf "$TRUNKDIR/uac_register_auth.xml" -s alice -au alice \
	-ap wrong-pw -i 127.0.0.1 -p 5098 127.0.0.1:5060 -m 60 -r 60 -timeout 15 \
	> /dev/null 2>&1
check "60 wrong passwords from SIPp: each answered (SIPp exit 0), none bound" \
	sh -c "[ $? -eq 0 ] && ! grep -q 'registrar: alice at sip:alice@127.0.0.1:5098' '$W/daemon3.log'"
refusals=$(grep -c "REGISTER from 127.0.0.1:5098 as 'alice': 403, wrong password" "$W/daemon3.log")
check "... logged in at most 10 lines, not 60 ($refusals)" test "$refusals" -le 10
check "no password of a user in the log" \
	sh -c "! grep -Eq 'alice-pw-3c9e|carol-pw|wrong-pw' '$W/daemon3.log'"
stop_daemon
D=

echo "# behind a 1:1 NAT: the REGISTER's Contact is the public address"
PUBLIC=192.0.2.1
write_conf
check "srtprelayd starts with public_address 192.0.2.1" \
	start_daemon "$W/srtprelayd.conf" "$W/daemon4.log"
check "Kamailio's location table holds sbc at the public address" \
	wait_for 5 bound_at 'sip:sbc@192.0.2.1:5060'
stop_daemon
D=

finish
