#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The certificate lifecycle of a SIP TLS interface, end to end, against a
# throw-away CA (ca.sh): srtprelayctl tls csr -> signed by an intermediate
# -> tls import -> served by tls_server (daemon/tls/tls_context.c, as
# srtprelayd's listeners are to use it) -> OpenSSL's s_client and Python's ssl
# module, trusting only the test root, verify it. Then every way it goes
# wrong, each with the message the operator sees. Listeners only on
# 127.0.0.1, ports 25300 to 25399 (25061+ as agreed; the SIP bench takes 25060s).
#
#   BUILD=build sh test/tls/run.sh      (make tlscheck)
set -u
BUILD=${BUILD:-build}
CTL=$(cd "$(dirname "$BUILD/srtprelayctl")" && pwd)/srtprelayctl
SERVER=$(cd "$(dirname "$BUILD/tls/tls_server")" && pwd)/tls_server
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/tlscheck.XXXXXX)
export SRTPRELAY_TLS_DIR="$T/state"
D=$SRTPRELAY_TLS_DIR
PORT=25300
HOST=sbc.example.test
. "$HERE/lib.sh"
server_pid=

cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

. "$HERE/ca.sh"

# Runs CMD, expecting exit status STATUS and TEXT in its output.
expect() {
	status=$1 text=$2
	shift 2
	"$@" >"$T/got" 2>&1
	rc=$?
	cp "$T/got" "$T/out"
	[ "$rc" -eq "$status" ] && grep -qF -- "$text" "$T/got"
}
# ctl_fails NAME TEXT ARGS...: srtprelayctl exits 1 and says TEXT.
ctl_fails() {
	name=$1 text=$2
	shift 2
	check "$name" expect 1 "$text" "$CTL" "$@"
}

server_start() {
	[ -n "$server_pid" ] && server_stop
	PORT=$((PORT + 1))
	: > "$T/server.log"
	"$SERVER" --port "$PORT" "$@" >"$T/server.log" 2>&1 &
	server_pid=$!
	i=0
	while ! grep -q '^listening\|^refused\|^listen ' "$T/server.log" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q '^listening' "$T/server.log"
}
server_stop() {
	kill "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	server_pid=
}
# Waits for TEXT in the server's log (a handshake verdict comes after the client's).
server_said() {
	i=0
	while ! grep -qF -- "$1" "$T/server.log" && [ $i -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	cp "$T/server.log" "$T/out"
	grep -qF -- "$1" "$T/server.log"
}
s_client() {
	timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$T/ca/root.pem" \
		-verify_return_error "$@" </dev/null 2>&1
}
serve_ctx() {	# serve_ctx NAME [options]
	n=$1
	shift
	set -- --cert "$D/$n/cert.pem" --key "$D/$n/key.pem" "$@"
	[ -f "$D/$n/chain.pem" ] && set -- --chain "$D/$n/chain.pem" "$@"
	server_start "$@"
}
fp256() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g'; }

ca_init || { echo "cannot build the test CA"; echo "0 passed, 1 failed"; exit 1; }

echo "== tls csr"
check csr_written "$CTL" tls csr sbc --cn "$HOST" --dns sbc2.example.test \
	--dns sbc3.example.test --o "Example Ltd" --ou Voice --l Berlin --st Berlin \
	--c DE --email ops@example.test
openssl req -in "$D/sbc/request.csr" -noout -text >"$T/csr.txt" 2>&1
csr_has() { cp "$T/csr.txt" "$T/out"; for s in "$@"; do grep -qF -- "$s" "$T/csr.txt" || return 1; done; }
check csr_subject_every_field csr_has "C = DE, ST = Berlin, L = Berlin, O = Example Ltd, OU = Voice, CN = $HOST, emailAddress = ops@example.test"
check csr_san_has_cn_and_every_dns csr_has "DNS:$HOST, DNS:sbc2.example.test, DNS:sbc3.example.test"
check csr_eku_server_and_client csr_has "TLS Web Server Authentication, TLS Web Client Authentication"
check csr_signed_sha256_rsa2048 csr_has "sha256WithRSAEncryption" "Public-Key: (2048 bit)"
check csr_self_signature_verifies openssl req -in "$D/sbc/request.csr" -noout -verify
check csr_key_mode_0600 test "$(stat -c %a "$D/sbc/key.pem")" = 600
check csr_dir_mode_0700 test "$(stat -c %a "$D/sbc")" = 700
check csr_cn_alone_is_in_san sh -c "'$CTL' tls csr cnonly --cn $HOST --key p256 >/dev/null &&
	openssl req -in '$D/cnonly/request.csr' -noout -text | grep -qF 'DNS:$HOST'"
check csr_p384 sh -c "'$CTL' tls csr p384 --cn $HOST --key p384 >/dev/null &&
	openssl req -in '$D/p384/request.csr' -noout -text | grep -q 'NIST CURVE: P-384'"
check csr_rsa3072 sh -c "'$CTL' tls csr r3072 --cn $HOST --key rsa3072 >/dev/null &&
	openssl req -in '$D/r3072/request.csr' -noout -text | grep -q 'Public-Key: (3072 bit)'"
check csr_rsa4096 sh -c "'$CTL' tls csr r4096 --cn $HOST --key rsa4096 >/dev/null &&
	openssl req -in '$D/r4096/request.csr' -noout -text | grep -q 'Public-Key: (4096 bit)'"
ctl_fails csr_wildcard_refused_rfc5922 "RFC 5922 section 7.2" tls csr wild --cn "*.example.test"
ctl_fails csr_wildcard_san_refused "is a wildcard" tls csr wild --cn "$HOST" --dns "*.example.test"
check csr_wildcard_forced sh -c "'$CTL' tls csr wild --cn '*.example.test' --force --key p256 >/dev/null"
ctl_fails csr_existing_key_kept "--overwrite to replace it" tls csr sbc --cn "$HOST"
check csr_bad_country_usage expect 2 "two-letter" "$CTL" tls csr x --cn "$HOST" --c Germany
check csr_bad_fqdn_usage expect 2 "not a host name" "$CTL" tls csr x --cn "sbc example"
check csr_json sh -c "'$CTL' -j tls csr js --cn $HOST --key p256 | grep -q '\"dns\":\\[\"$HOST\"\\]'"

check usage_unknown_tls_command expect 2 "unknown command 'frob'" "$CTL" tls frob
check usage_bad_key_type expect 2 "key type 'dsa'" "$CTL" tls csr x --cn "$HOST" --key dsa
check usage_bad_context_name expect 2 "context name '../x'" "$CTL" tls csr ../x --cn "$HOST"
check usage_verify_needs_target expect 2 "HOST[:PORT]" "$CTL" tls verify
check help_exits_0 expect 0 "Usage: srtprelayctl [-j] tls import" "$CTL" tls import --help

echo "== tls import"
ca_sign "$D/sbc/request.csr" "$T/sbc.pem"
check import_separate_files expect 0 "not in the system trust store" "$CTL" tls import sbc "$T/sbc.pem" "$T/ca/inter.pem" "$T/ca/root.pem"
check import_installed_files test -f "$D/sbc/cert.pem" -a -f "$D/sbc/chain.pem" -a -f "$D/sbc/root.pem" -a -f "$D/sbc/fullchain.pem"
check import_cert_is_the_leaf test "$(fp256 "$D/sbc/cert.pem")" = "$(fp256 "$T/sbc.pem")"
check import_chain_is_intermediate test "$(fp256 "$D/sbc/chain.pem")" = "$(fp256 "$T/ca/inter.pem")"
# A Microsoft CA answers with PKCS#7, root and intermediate inside, in DER.
"$CTL" tls csr p7 --cn "$HOST" --key p256 >/dev/null 2>&1
ca_sign "$D/p7/request.csr" "$T/p7.pem"
openssl crl2pkcs7 -nocrl -certfile "$T/ca/root.pem" -certfile "$T/p7.pem" \
	-certfile "$T/ca/inter.pem" -outform DER -out "$T/p7.p7b"
check import_pkcs7_der_any_order "$CTL" tls import p7 "$T/p7.p7b"
openssl x509 -in "$T/p7.pem" -outform DER -out "$T/p7.cer"
check import_der_leaf_pem_bundle sh -c "cat '$T/ca/inter.pem' '$T/ca/root.pem' > '$T/bundle.pem' &&
	'$CTL' tls import p7 '$T/p7.cer' '$T/bundle.pem' >/dev/null"

# Negative cases: each a one-line reason, nothing installed.
"$CTL" tls csr neg --cn "$HOST" --key p256 >/dev/null 2>&1
ca_sign "$D/neg/request.csr" "$T/expired.pem" 20200101000000Z 20200301000000Z
ctl_fails import_expired_refused "certificate expired on 2020-03-01" tls import neg "$T/expired.pem" "$T/ca/inter.pem" "$T/ca/root.pem"
check import_refused_installs_nothing test ! -e "$D/neg/cert.pem"
ctl_fails import_wrong_key_refused "does not match the private key" tls import neg "$T/sbc.pem" "$T/ca/inter.pem" "$T/ca/root.pem"
ca_sign "$D/neg/request.csr" "$T/neg.pem"
ctl_fails import_missing_intermediate_refused "intermediate CA certificate is missing" tls import neg "$T/neg.pem" "$T/ca/root.pem"
ctl_fails import_untrusted_root_refused "chain does not verify" tls import neg "$T/neg.pem" "$T/ca/inter.pem" --ca-file "$T/ca/inter.pem"
openssl req -new -key "$D/neg/key.pem" -subj "/CN=other.example.test" \
	-addext "subjectAltName=DNS:other.example.test" -out "$T/other.csr" 2>/dev/null
ca_sign "$T/other.csr" "$T/other.pem"
ctl_fails import_san_mismatch_refused "subjectAltName lacks $HOST (the certificate names: DNS:other.example.test)" \
	tls import neg "$T/other.pem" "$T/ca/inter.pem" "$T/ca/root.pem"
ctl_fails import_host_option_checked "subjectAltName lacks extra.example.test" \
	tls import neg "$T/neg.pem" "$T/ca/inter.pem" "$T/ca/root.pem" --host extra.example.test
openssl req -new -key "$D/neg/key.pem" -subj "/CN=$HOST" \
	-addext "subjectAltName=DNS:$HOST,DNS:*.example.test" -out "$T/wild.csr" 2>/dev/null
ca_sign "$T/wild.csr" "$T/wild.pem"
ctl_fails import_wildcard_sip_refused "wildcard name *.example.test: RFC 5922 section 7.2" \
	tls import neg "$T/wild.pem" "$T/ca/inter.pem" "$T/ca/root.pem"
ca_sign "$T/wild.csr" "$T/serveronly.pem" "" "" server_only_ext
openssl req -new -key "$D/neg/key.pem" -subj "/CN=$HOST" \
	-addext "subjectAltName=DNS:$HOST" -out "$T/plain.csr" 2>/dev/null
ca_sign "$T/plain.csr" "$T/serveronly.pem" "" "" server_only_ext
ctl_fails import_eku_without_clientauth_refused "lacks clientAuth" \
	tls import neg "$T/serveronly.pem" "$T/ca/inter.pem" "$T/ca/root.pem"
ctl_fails import_only_ca_certs_refused "only CA certificates" tls import neg "$T/ca/inter.pem" "$T/ca/root.pem"
check import_external_key sh -c "'$CTL' tls import ext --key '$D/p7/key.pem' '$T/p7.pem' '$T/ca/inter.pem' '$T/ca/root.pem' >/dev/null &&
	test \"\$(stat -c %a '$D/ext/key.pem')\" = 600 && cmp -s '$D/p7/key.pem' '$D/ext/key.pem'"
check import_json sh -c "'$CTL' -j tls import ext --key '$D/p7/key.pem' '$T/p7.pem' '$T/ca/inter.pem' '$T/ca/root.pem' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"intermediates\"]==1'"
check import_no_files_usage expect 2 "no certificate file" "$CTL" tls import neg
check import_wildcard_forced "$CTL" tls import neg "$T/wild.pem" "$T/ca/inter.pem" "$T/ca/root.pem" --force

echo "== tls show"
check show_ok expect 0 "chain: verifies to the root" "$CTL" tls show sbc
check show_subject_and_identities expect 0 "SIP identities: DNS:$HOST, DNS:sbc2.example.test, DNS:sbc3.example.test" "$CTL" tls show sbc
fp=$(openssl x509 -in "$T/sbc.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
check show_sha256_as_openssl expect 0 "SHA-256: $fp" "$CTL" tls show sbc
check show_issuer_chain expect 0 "intermediate 1: CN=srtprelay Test Intermediate,O=srtprelay test" "$CTL" tls show sbc
check show_key_matches expect 0 "matches" "$CTL" tls show sbc
check show_json sh -c "'$CTL' -j tls show sbc | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"chain_verified\"] and len(d[\"chain\"])==3'"
"$CTL" tls csr soon --cn "$HOST" --key p256 >/dev/null 2>&1
ca_sign "$D/soon/request.csr" "$T/soon.pem" "" "" leaf_ext
soon_end=$(date -u -d '+10 days' +%Y%m%d%H%M%SZ)
soon_start=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)
ca_sign "$D/soon/request.csr" "$T/soon.pem" "$soon_start" "$soon_end"
"$CTL" tls import soon "$T/soon.pem" "$T/ca/inter.pem" "$T/ca/root.pem" >/dev/null
check show_warns_under_30_days expect 0 "WARNING: expires in" "$CTL" tls show soon
check show_certificate_file expect 0 "SIP identities: DNS:$HOST" "$CTL" tls show --ca-file "$T/ca/root.pem" "$D/sbc/fullchain.pem"
ctl_fails show_missing_context "nothing imported yet" tls show nosuch

echo "== tls list"
check list_states expect 0 "soon                 expiring" "$CTL" tls list
check list_request_pending expect 0 "cnonly               request pending" "$CTL" tls list
check list_ok_with_days expect 0 "sbc                  ok" "$CTL" tls list
mkdir -m 700 "$D/broken" && cp "$D/sbc/cert.pem" "$D/broken/" && cp "$D/p7/key.pem" "$D/broken/"
check list_key_mismatch_fails expect 1 "broken               key mismatch" "$CTL" tls list
check list_json sh -c "'$CTL' -j tls list | python3 -c 'import json,sys; d={c[\"context\"]: c for c in json.load(sys.stdin)}; assert d[\"sbc\"][\"state\"]==\"ok\" and d[\"soon\"][\"days_left\"]<30'"
rm -rf "$D/broken"

echo "== served by tls_context.c"
check serve_imported_context serve_ctx sbc
check s_client_verifies_with_only_the_root expect 0 "Verify return code: 0 (ok)" s_client -verify_hostname "$HOST"
check served_chain_has_intermediate expect 0 "1 s:O = srtprelay test, CN = srtprelay Test Intermediate" s_client -showcerts
check ctl_verify_ok expect 0 "SIP domain $HOST: matches" "$CTL" tls verify --ca-file "$T/ca/root.pem" --domain "$HOST" "127.0.0.1:$PORT"
check ctl_verify_san_mismatch expect 1 "does not carry SIP domain other.example.test" "$CTL" tls verify --ca-file "$T/ca/root.pem" --domain other.example.test "127.0.0.1:$PORT"
mkdir -p "$T/cadir" && cp "$T/ca/root.pem" "$T/cadir/" && openssl rehash "$T/cadir" 2>/dev/null
check ctl_verify_trust_directory expect 0 "chain: verifies to a trusted root" "$CTL" tls verify --ca-dir "$T/cadir" --domain "$HOST" "127.0.0.1:$PORT"
check ctl_verify_untrusted expect 1 "chain does not verify" "$CTL" tls verify --ca-file "$T/ca/inter.pem" --domain "$HOST" "127.0.0.1:$PORT"
check ctl_verify_json sh -c "'$CTL' -j tls verify --ca-file '$T/ca/root.pem' --domain $HOST 127.0.0.1:$PORT | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"chain_verified\"] and d[\"sip_domain_match\"]'"
check tls10_refused sh -c "! timeout 10 openssl s_client -connect 127.0.0.1:$PORT -tls1 -cipher DEFAULT@SECLEVEL=0 </dev/null >/dev/null 2>&1"
check tls10_refused_by_server server_said "handshake failed: unsupported protocol"
: > "$T/server.log"
check tls11_refused sh -c "! timeout 10 openssl s_client -connect 127.0.0.1:$PORT -tls1_1 -cipher DEFAULT@SECLEVEL=0 </dev/null >/dev/null 2>&1"
check tls11_refused_by_server server_said "handshake failed: unsupported protocol"
: > "$T/server.log"
check cbc_sha1_cipher_refused sh -c "! timeout 10 openssl s_client -connect 127.0.0.1:$PORT -tls1_2 -cipher AES128-SHA </dev/null >/dev/null 2>&1"
check cbc_sha1_cipher_refused_by_server server_said "handshake failed: no shared cipher"
check tls13_accepted expect 0 "Verify return code: 0 (ok)" s_client -tls1_3
check tls12_teams_cipher_accepted expect 0 "Verify return code: 0 (ok)" s_client -tls1_2 -cipher ECDHE-RSA-AES256-SHA384

# The operator narrows the ciphers: one allowed, a neighbour refused.
check serve_cipher_list serve_ctx p7 --ciphers ECDHE-ECDSA-AES256-GCM-SHA384 --max 1.2
check allowed_cipher_accepted expect 0 "Verify return code: 0 (ok)" s_client -cipher ECDHE-ECDSA-AES256-GCM-SHA384
check disallowed_cipher_refused sh -c "! timeout 10 openssl s_client -connect 127.0.0.1:$PORT -cipher ECDHE-ECDSA-AES128-GCM-SHA256 </dev/null >/dev/null 2>&1"
check disallowed_cipher_refused_by_server server_said "handshake failed: no shared cipher"
server_stop
check min_tls11_config_refused expect 1 "TLS versions before 1.2 are refused" \
	"$SERVER" --port 25399 --cert "$D/sbc/cert.pem" --key "$D/sbc/key.pem" --min 1.1
check bad_cipher_config_refused expect 1 "ciphers 'NOPE'" \
	"$SERVER" --port 25399 --cert "$D/sbc/cert.pem" --key "$D/sbc/key.pem" --ciphers NOPE
check wrong_key_config_refused expect 1 "does not match certificate" \
	"$SERVER" --port 25399 --cert "$D/sbc/cert.pem" --key "$D/p7/key.pem"
check missing_chain_issuer_config_refused expect 1 "does not contain the certificate's issuer" \
	"$SERVER" --port 25399 --cert "$D/sbc/cert.pem" --key "$D/sbc/key.pem" --chain "$D/sbc/root.pem"
check expired_config_refused expect 1 "expired on 2020-03-01" \
	"$SERVER" --port 25399 --cert "$T/expired.pem" --key "$D/neg/key.pem"

echo "== mutual TLS"
# A client certificate from the same CA, as a trunk (Teams, SfB) presents.
"$CTL" tls csr client --cn client.example.test --key p256 >/dev/null 2>&1
ca_sign "$D/client/request.csr" "$T/client.pem"
"$CTL" tls import client "$T/client.pem" "$T/ca/inter.pem" "$T/ca/root.pem" >/dev/null
check mutual_serve serve_ctx sbc --mutual --ca-file "$T/ca/root.pem"
check mutual_tls12_without_client_cert_refused sh -c "! timeout 10 openssl s_client -connect 127.0.0.1:$PORT -tls1_2 -CAfile '$T/ca/root.pem' </dev/null >/dev/null 2>&1"
# In TLS 1.3 the client finishes first; the refusal is the server's alert
# on the first read.
check mutual_tls13_without_client_cert_refused expect 0 "refused" python3 -c "
import socket, ssl
ctx = ssl.create_default_context(cafile='$T/ca/root.pem')
s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', $PORT), timeout=5), server_hostname='$HOST')
try:
    s.sendall(b'hello\\n'); s.recv(10); print('served without a client certificate')
except (ssl.SSLError, ConnectionError) as e:
    print('refused:', e)
"
check mutual_without_client_cert_by_server server_said "handshake failed: peer did not return a certificate"
check mutual_with_client_cert_accepted expect 0 "Verify return code: 0 (ok)" \
	s_client -cert "$T/client.pem" -key "$D/client/key.pem" -cert_chain "$T/ca/inter.pem"
check mutual_session_resumed expect 0 "Reused, TLSv1.2" \
	s_client -tls1_2 -reconnect -cert "$T/client.pem" -key "$D/client/key.pem" -cert_chain "$T/ca/inter.pem"
check mutual_ca_list_sent expect 0 "CN = srtprelay Test Root" \
	s_client -cert "$T/client.pem" -key "$D/client/key.pem" -cert_chain "$T/ca/inter.pem"
check mutual_peer_name_listed serve_ctx sbc --mutual --ca-file "$T/ca/root.pem" --peers other.example.test,client.example.test
check mutual_listed_peer_accepted expect 0 "Verify return code: 0 (ok)" \
	s_client -tls1_2 -cert "$T/client.pem" -key "$D/client/key.pem" -cert_chain "$T/ca/inter.pem"
check mutual_peer_name_not_listed serve_ctx sbc --mutual --ca-file "$T/ca/root.pem" --peers other.example.test
check mutual_unlisted_peer_refused sh -c "! timeout 10 openssl s_client -connect 127.0.0.1:$PORT -tls1_2 -CAfile '$T/ca/root.pem' -cert '$T/client.pem' -key '$D/client/key.pem' -cert_chain '$T/ca/inter.pem' </dev/null >/dev/null 2>&1"
check mutual_unlisted_peer_by_server server_said "handshake failed: certificate verify failed"
check mutual_serve_again serve_ctx sbc --mutual --ca-file "$T/ca/root.pem"
check ctl_verify_presents_context expect 0 "matches" "$CTL" tls verify --context client --ca-file "$T/ca/root.pem" --domain "$HOST" "127.0.0.1:$PORT"
server_stop

echo "== OCSP stapling"
ocsp_resp() {	# ocsp_resp CERT OUT: the intermediate answers from its index
	openssl ocsp -index "$T/ca/index.txt" -rsigner "$T/ca/inter.pem" -rkey "$T/ca/inter.key" \
		-CA "$T/ca/inter.pem" -issuer "$T/ca/inter.pem" -cert "$1" -respout "$2" -ndays 1 >/dev/null 2>&1
}
ocsp_resp "$D/sbc/cert.pem" "$T/good.der"
check ocsp_serve_stapled serve_ctx sbc --ocsp-response "$T/good.der"
check ocsp_s_client_sees_good expect 0 "Cert Status: good" s_client -status
check ocsp_ctl_verify_good expect 0 "revocation: OCSP: good" "$CTL" tls verify --ca-file "$T/ca/root.pem" --domain "$HOST" "127.0.0.1:$PORT"
openssl ca -config "$T/ca/ca.cnf" -revoke "$D/sbc/cert.pem" >/dev/null 2>&1
ocsp_resp "$D/sbc/cert.pem" "$T/revoked.der"
check ocsp_serve_revoked serve_ctx sbc --ocsp-response "$T/revoked.der"
check ocsp_ctl_verify_revoked_fails expect 1 "OCSP: certificate revoked" "$CTL" tls verify --ca-file "$T/ca/root.pem" --domain "$HOST" "127.0.0.1:$PORT"
check ocsp_serve_none serve_ctx sbc
check ocsp_ctl_verify_none_is_reported expect 0 "revocation: no OCSP response stapled" "$CTL" tls verify --ca-file "$T/ca/root.pem" --domain "$HOST" "127.0.0.1:$PORT"
server_stop
check ocsp_garbage_config_refused expect 1 "not a DER OCSP response" \
	"$SERVER" --port 25399 --cert "$D/sbc/cert.pem" --key "$D/sbc/key.pem" --ocsp-response "$D/sbc/cert.pem"

echo "== srtprelayd with an imported context"
# The files tls import installs are what srtprelayd's configuration names.
# daemon_start CERT KEY CHAIN: srtprelayd on 127.0.0.1:25370 with them.
daemon_start() {
	mkdir -p "$T/d"
	cat > "$T/d/srtprelayd.conf" <<CONF
state_dir = "$T/d";
media_backend = "record";
tls_contexts = ( { name = "sbc"; certificate = "$1"; private_key = "$2"; chain = "$3";
  versions = [ "TLSv1.2", "TLSv1.3" ]; } );
media_realms = ( { name = "lo"; address = "127.0.0.1"; ports = [ 35800, 35899 ]; } );
sip_interfaces = ( { name = "lo"; address = "127.0.0.1"; tls_port = 25370;
  tls_context = "sbc"; media_realm = "lo"; } );
CONF
	"$BUILD/srtprelayd" -t -c "$T/d/srtprelayd.conf" >"$T/out" 2>&1 || return 1
	"$BUILD/srtprelayd" -c "$T/d/srtprelayd.conf" >"$T/d/log" 2>&1 &
	daemon_pid=$!
	i=0
	while ! timeout 2 openssl s_client -connect 127.0.0.1:25370 </dev/null >/dev/null 2>&1 && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
daemon_stop() {
	kill "$daemon_pid" 2>/dev/null
	wait "$daemon_pid" 2>/dev/null
}
daemon_verifies() {
	expect 0 "Verify return code: 0 (ok)" timeout 10 openssl s_client -connect 127.0.0.1:25370 \
		-CAfile "$T/ca/root.pem" -verify_return_error -verify_hostname "$HOST"
}
if [ -x "$BUILD/srtprelayd" ]; then
	daemon_start "$D/sbc/cert.pem" "$D/sbc/key.pem" "$D/sbc/fullchain.pem"
	check srtprelayd_serves_fullchain daemon_verifies
	daemon_stop
	# chain.pem holds only the intermediates, as config.h documents: they
	# must be sent after the leaf (tls_context.c), not taken as the leaf.
	daemon_start "$D/sbc/cert.pem" "$D/sbc/key.pem" "$D/sbc/chain.pem"
	check srtprelayd_serves_chain_pem daemon_verifies
	daemon_stop
	# SIGHUP reload, as with tls_server below.
	mkdir -p "$T/dlive"
	cp "$D/sbc/cert.pem" "$D/sbc/fullchain.pem" "$D/sbc/key.pem" "$T/dlive/"
	daemon_start "$T/dlive/cert.pem" "$T/dlive/key.pem" "$T/dlive/fullchain.pem"
	swap="cp '$D/p7/cert.pem' '$T/dlive/cert.pem' && cp '$D/p7/fullchain.pem' '$T/dlive/fullchain.pem' &&
		cp '$D/p7/key.pem' '$T/dlive/key.pem' && kill -HUP $daemon_pid &&
		i=0 && while ! grep -q 'reloaded' '$T/d/log' && [ \$i -lt 30 ]; do sleep 0.1; i=\$((i+1)); done"
	python3 "$HERE/reload_client.py" --sip 25370 "$T/ca/root.pem" "$swap" >"$T/reload.out" 2>&1
	check srtprelayd_reload_keeps_open_connection grep -q "first=$(fp256 "$D/sbc/cert.pem") .*held=ok" "$T/reload.out"
	check srtprelayd_reload_new_connection_new_cert grep -q "second=$(fp256 "$D/p7/cert.pem") " "$T/reload.out"
	cp "$D/sbc/cert.pem" "$T/dlive/cert.pem"
	kill -HUP "$daemon_pid" 2>/dev/null
	sleep 0.3
	check srtprelayd_broken_reload_refused grep -q "does not match certificate $T/dlive/cert.pem; keeping the current certificate" "$T/d/log"
	check srtprelayd_broken_reload_keeps_serving daemon_verifies
	daemon_stop
else
	echo "SKIP srtprelayd: $BUILD/srtprelayd not built"
fi

echo "== reload"
# The served files are a copy the test swaps, as an operator's import does.
mkdir -p "$T/live"
cp "$D/sbc/cert.pem" "$D/sbc/chain.pem" "$D/sbc/key.pem" "$T/live/"
check reload_serve server_start --cert "$T/live/cert.pem" --chain "$T/live/chain.pem" --key "$T/live/key.pem"
old=$(fp256 "$D/sbc/cert.pem")
new=$(fp256 "$D/p7/cert.pem")
swap="cp '$D/p7/cert.pem' '$T/live/cert.pem.new' && cp '$D/p7/key.pem' '$T/live/key.pem.new' &&
	mv '$T/live/key.pem.new' '$T/live/key.pem' && mv '$T/live/cert.pem.new' '$T/live/cert.pem' &&
	kill -HUP $server_pid && i=0 && while ! grep -q '^reloaded' '$T/server.log' && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i+1)); done"
python3 "$HERE/reload_client.py" "$PORT" "$T/ca/root.pem" "$swap" >"$T/reload.out" 2>&1
cp "$T/reload.out" "$T/out"
check reload_logged server_said "reloaded sha256="
check reload_open_connection_keeps_old_cert grep -q "first=$old " "$T/reload.out"
check reload_open_connection_keeps_working grep -q "held=ok" "$T/reload.out"
check reload_new_connection_gets_new_cert grep -q "second=$new " "$T/reload.out"
check reload_new_cert_verifies expect 0 "Verify return code: 0 (ok)" s_client -verify_hostname "$HOST"
# A broken new certificate: the key of another request.
cp "$D/sbc/cert.pem" "$T/live/cert.pem"
kill -HUP "$server_pid"
check reload_broken_refused_with_reason server_said "reload refused: tls context test: private key $T/live/key.pem does not match certificate $T/live/cert.pem"
check reload_broken_keeps_serving_old sh -c "timeout 10 openssl s_client -connect 127.0.0.1:$PORT -CAfile '$T/ca/root.pem' -verify_return_error </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | grep -qx '$new'"
cp "$T/expired.pem" "$T/live/cert.pem"
cp "$D/neg/key.pem" "$T/live/key.pem"
: > "$T/server.log"
kill -HUP "$server_pid"
check reload_expired_refused server_said "reload refused: tls context test: certificate $T/live/cert.pem: expired on 2020-03-01"
check reload_expired_keeps_serving_old sh -c "timeout 10 openssl s_client -connect 127.0.0.1:$PORT -CAfile '$T/ca/root.pem' -verify_return_error </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | grep -qx '$new'"
server_stop

echo "== srtprelayd: RFC 5922 names of proxy-set targets, srtprelayctl reload"
# Two real srtprelayds: "sbc" (A) sends calls from a SIPp caller to proxy-set
# targets over TLS with verify on; "far" (B) is one of those targets and
# passes the call on to a SIPp callee. Two tls_servers present a wildcard-only
# and an other-name certificate. Ports 25350-25399 of 127.0.0.1:
#   A udp 25350 tls 25351, B udp 25360 tls 25361, wildcard 25362, other 25363,
#   callee behind B 25365, callee of A direct 25366, caller 25367.
K_CALLEE=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw
SIPDIR=$(cd "$HERE/../sip" && pwd)
openssl req -new -key "$D/neg/key.pem" -subj "/CN=*.example.test" \
	-addext "subjectAltName=DNS:*.example.test" -out "$T/wildonly.csr" 2>/dev/null
ca_sign "$T/wildonly.csr" "$T/wildonly.pem"
# a_conf SRTP [EXTRA_GROUP]: A's file; SRTP is the policy of group "direct".
a_conf() {
	cat <<CONF
state_dir = "$T/a";
media_backend = "record";
tls_contexts = ( { name = "sbc"; certificate = "$T/a/cert.pem"; private_key = "$T/a/key.pem";
  chain = "$T/a/chain.pem"; ca_file = "$T/ca/root.pem"; verify = true; } );
media_realms = ( { name = "lo"; address = "127.0.0.1"; ports = [ 25380, 25399 ]; } );
sip_interfaces = ( { name = "lo"; address = "127.0.0.1"; udp_port = 25350; tls_port = 25351;
  tls_context = "sbc"; media_realm = "lo"; } );
proxy_sets = (
  { name = "good"; targets = [ "127.0.0.1:25361;transport=tls;tls_name=sbc2.example.test" ];
    keepalive = true; keepalive_interval = 2; },
  { name = "wrong"; targets = [ "127.0.0.1:25363;transport=tls;tls_name=sbc.example.test" ];
    keepalive = true; keepalive_interval = 60; },
  { name = "wild"; targets = [ "127.0.0.1:25362;transport=tls;tls_name=w.example.test" ];
    keepalive = true; keepalive_interval = 60; },
  { name = "failover"; failover = true; targets = [
      "127.0.0.1:25363;transport=tls;tls_name=sbc.example.test",
      "127.0.0.1:25361;transport=tls;tls_name=sbc2.example.test" ]; },
  { name = "direct"; targets = [ "127.0.0.1:25366" ]; }
);
ip_groups = (
  { name = "phones"; match = [ "127.0.0.1/32" ]; },
  { name = "good"; proxy_set = "good"; },
  { name = "failover"; proxy_set = "failover"; },
  { name = "direct"; proxy_set = "direct"; srtp = "$1"; }${2:-}
);
routing = (
  { name = "good"; user = "^good\$"; to = "good"; },
  { name = "failover"; user = "^failover\$"; to = "failover"; },
  { name = "direct"; user = "^direct\$"; to = "direct"; }
);
CONF
}
mkdir -p "$T/a" "$T/b"
cp "$D/p7/cert.pem" "$D/p7/key.pem" "$T/a/"
cp "$D/p7/chain.pem" "$T/a/chain.pem" 2>/dev/null || cp "$T/ca/inter.pem" "$T/a/chain.pem"
a_conf disabled > "$T/a/a.conf"
cat > "$T/b/b.conf" <<CONF
state_dir = "$T/b";
media_backend = "record";
tls_contexts = ( { name = "far"; certificate = "$D/sbc/cert.pem"; private_key = "$D/sbc/key.pem";
  chain = "$D/sbc/chain.pem"; } );
media_realms = ( { name = "lo"; address = "127.0.0.1"; ports = [ 25370, 25379 ]; } );
sip_interfaces = ( { name = "lo"; address = "127.0.0.1"; udp_port = 25360; tls_port = 25361;
  tls_context = "far"; media_realm = "lo"; } );
proxy_sets = ( { name = "callee"; targets = [ "127.0.0.1:25365" ]; } );
ip_groups = ( { name = "sbc"; match = [ "127.0.0.1/32" ]; },
  { name = "callee"; proxy_set = "callee"; } );
routing = ( { name = "all"; to = "callee"; } );
CONF
pids=
# up PORT: a TCP listener on 127.0.0.1:PORT within 5 s
up() {
	i=0
	while ! ss -Hltn "sport = :$1" | grep -q "127.0.0.1:$1" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
alog() { cp "$T/a/log" "$T/out"; grep -qF -- "$1" "$T/a/log"; }
# alog_wait TEXT: TEXT in A's log within 6 s
alog_wait() {
	i=0
	while ! grep -qF -- "$1" "$T/a/log" && [ $i -lt 60 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	alog "$1"
}
# call USER CALLEE_PORT NAME [HOLD_MS]: a SIPp caller through A to USER, a
# SIPp callee on CALLEE_PORT; true if the call completed on both sides.
call() {
	user=$1 cport=$2 cn=$3	# not $name: check() keeps its own there
	scen="uac_call.xml"
	[ -n "${4:-}" ] && scen="uac_hold.xml -d $4"
	printf 'SEQUENTIAL\n%s\n' "RTP/AVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" > "$T/$cn-uas.csv"
	(cd "$T" && exec timeout 25 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/$cn-uas.csv" \
		-i 127.0.0.1 -p "$cport" -m 1 -nostdin -trace_msg \
		-message_file "$T/$cn-uas.msg" >/dev/null 2>&1) &
	uas_pid=$!
	sleep 0.3
	printf 'SEQUENTIAL\n%s\n' "RTP/AVP;;;$user" > "$T/$cn-uac.csv"
	# shellcheck disable=SC2086
	(cd "$T" && timeout 25 sipp 127.0.0.1:25350 -sf "$SIPDIR"/$scen \
		-inf "$T/$cn-uac.csv" -i 127.0.0.1 -p 25367 -m 1 -nostdin -trace_msg \
		-message_file "$T/$cn-uac.msg" -timeout 20 >/dev/null 2>&1)
	rc=$?
	wait "$uas_pid"
	urc=$?
	cat "$T/$cn-uac.msg" "$T/$cn-uas.msg" > "$T/out" 2>/dev/null
	[ $rc -eq 0 ] && [ $urc -eq 0 ]
}
# invite_has NAME REGEX: the INVITE the callee of NAME received matches
invite_has() {
	awk '/^INVITE /{p=1} p&&/^-----/{exit} p' "$T/$1-uas.msg" > "$T/out"
	grep -Eq -- "$2" "$T/out"
}
ctl_a() { "$CTL" reload -s "$T/a/control.sock"; }

if [ -x "$BUILD/srtprelayd" ] && command -v sipp >/dev/null; then
	check config_tls_name_wildcard_refused expect 1 "RFC 5922 section 7.2" sh -c "
		sed 's/tls_name=w.example.test/tls_name=*.example.test/' '$T/a/a.conf' > '$T/a/bad.conf' &&
		'$BUILD/srtprelayd' -t -c '$T/a/bad.conf'"
	check config_tls_name_needs_tls expect 1 "tls_name needs ;transport=tls" sh -c "
		sed 's/25366\"/25366;tls_name=x.example.test\"/' '$T/a/a.conf' > '$T/a/bad.conf' &&
		'$BUILD/srtprelayd' -t -c '$T/a/bad.conf'"
	check config_tls_name_one_per_address expect 1 "two tls_names" sh -c "
		sed '0,/tls_name=sbc2.example.test/s//tls_name=sbc3.example.test/' '$T/a/a.conf' > '$T/a/bad.conf' &&
		'$BUILD/srtprelayd' -t -c '$T/a/bad.conf'"
	check config_verify_without_tls_name_warns expect 0 "only the chain is checked" sh -c "
		sed 's/;tls_name=w.example.test//' '$T/a/a.conf' > '$T/a/warn.conf' &&
		'$BUILD/srtprelayd' -t -c '$T/a/warn.conf'"

	"$SERVER" --port 25362 --cert "$T/wildonly.pem" --key "$D/neg/key.pem" --chain "$T/ca/inter.pem" >"$T/wild.log" 2>&1 &
	pids="$pids $!"
	"$SERVER" --port 25363 --cert "$T/other.pem" --key "$D/neg/key.pem" --chain "$T/ca/inter.pem" >"$T/other.log" 2>&1 &
	pids="$pids $!"
	"$BUILD/srtprelayd" -c "$T/b/b.conf" >"$T/b/log" 2>&1 &
	pids="$pids $!"
	up 25361
	"$BUILD/srtprelayd" -c "$T/a/a.conf" >"$T/a/log" 2>&1 &
	a_pid=$!
	pids="$pids $a_pid"
	up 25351

	check rfc5922_right_name_options_answered sh -c "sleep 3; cp '$T/a/log' '$T/out';
		! grep -q 'proxy set good target 127.0.0.1 is DOWN' '$T/a/log' &&
		grep -q 'tls TLS 127.0.0.1:25361 #[0-9]*: established' '$T/a/log'"
	check rfc5922_wrong_name_logged_expected_and_had alog_wait \
		"refused: certificate does not carry SIP domain sbc.example.test (RFC 5922; it has DNS:other.example.test)"
	check rfc5922_wildcard_only_refused alog_wait \
		"refused: certificate does not carry SIP domain w.example.test (RFC 5922; it has DNS:*.example.test)"
	check rfc5922_refused_target_down alog_wait "proxy set wild target 127.0.0.1 is DOWN"
	check rfc5922_call_to_right_name call good 25365 good
	check rfc5922_call_went_through_far grep -q "^INVITE sip:good@" "$T/good-uas.msg"
	n_before=$(grep -c 'does not carry SIP domain sbc.example.test' "$T/a/log")
	check rfc5922_failover_to_right_name call failover 25365 failover
	check rfc5922_failover_first_target_refused sh -c "[ \$(grep -c 'does not carry SIP domain sbc.example.test' '$T/a/log') -gt $n_before ]"
	check rfc5922_failover_logged alog "failing over to the next one"

	echo "-- srtprelayctl reload"
	check reload_direct_call_before call direct 25366 direct1
	check reload_policy_disabled_offers_rtp invite_has direct1 "^m=audio [0-9]+ RTP/AVP "
	a_conf mandatory > "$T/a/a.conf"
	check reload_ok expect 0 "ok reloaded $T/a/a.conf" ctl_a
	check reload_new_call_gets_new_policy call direct 25366 direct2
	check reload_policy_mandatory_offers_savp invite_has direct2 "^m=audio [0-9]+ RTP/SAVP "
	check reload_mandatory_offer_has_crypto invite_has direct2 "^a=crypto:"
	a_conf mandatory ',
  { name = "added"; srtp = "disabled"; }' > "$T/a/a.conf"
	check reload_appended_group_ok expect 0 "ok reloaded" ctl_a
	# A broken file: every mistake with file:line, nothing applied.
	a_conf bogus > "$T/a/a.conf"
	line=$(grep -n 'srtp = "bogus"' "$T/a/a.conf" | cut -d: -f1)
	check reload_broken_file_refused expect 1 "error $T/a/a.conf:$line: srtp 'bogus'" ctl_a
	check reload_broken_file_logged alog "reload refused: $T/a/a.conf:$line: srtp 'bogus'"
	check reload_refused_keeps_old_policy call direct 25366 direct3
	check reload_refused_keeps_mandatory invite_has direct3 "^m=audio [0-9]+ RTP/SAVP "
	# A changed listen port needs a restart: refused, the old port serves.
	a_conf disabled | sed 's/udp_port = 25350/udp_port = 25352/' > "$T/a/a.conf"
	check reload_listen_port_refused expect 1 "listen ports changed (udp 25350 tcp 0 tls 25351 -> udp 25352 tcp 0 tls 25351): needs a restart" ctl_a
	# So does the metrics endpoint (a listening socket too).
	{ a_conf disabled; echo 'metrics = { address = "127.0.0.1"; port = 25398; };'; } > "$T/a/a.conf"
	check reload_metrics_refused expect 1 "metrics changed: needs a restart" ctl_a
	check reload_port_refusal_keeps_old_config call direct 25366 direct4
	check reload_port_refusal_keeps_mandatory invite_has direct4 "^m=audio [0-9]+ RTP/SAVP "
	a_conf mandatory ',
  { name = "added"; srtp = "disabled"; }' | sed 's/name = "good"; proxy_set/name = "renamed"; proxy_set/; s/to = "good"/to = "renamed"/' > "$T/a/a.conf"
	check reload_renamed_group_refused expect 1 "ip group 2 is 'renamed', was 'good'" ctl_a
	# A new certificate: served to the next connection; a broken one refused.
	a_conf mandatory ',
  { name = "added"; srtp = "disabled"; }' > "$T/a/a.conf"
	cp "$D/sbc/cert.pem" "$T/a/cert.pem"
	check reload_broken_cert_refused expect 1 "error tls context sbc: private key $T/a/key.pem does not match certificate $T/a/cert.pem" ctl_a
	a_served() {
		timeout 10 openssl s_client -connect 127.0.0.1:25351 -CAfile "$T/ca/root.pem" \
			-verify_return_error </dev/null 2>/dev/null |
			openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | grep -qx "$1"
	}
	check reload_broken_cert_keeps_serving_old a_served "$(fp256 "$D/p7/cert.pem")"
	cp "$D/sbc/key.pem" "$T/a/key.pem"
	check reload_new_cert_ok expect 0 "ok reloaded" ctl_a
	check reload_new_cert_served a_served "$(fp256 "$D/sbc/cert.pem")"
	# A call in progress over TLS (A to B) while the policy and A's own
	# certificate change: it ends normally and keeps its connection.
	call good 25365 held 3000 >"$T/held.out" 2>&1 &
	held_pid=$!
	sleep 1.5
	check reload_call_in_progress expect 0 "calls 1" "$CTL" status -s "$T/a/control.sock"
	a_conf disabled ',
  { name = "added"; srtp = "disabled"; }' > "$T/a/a.conf"
	cp "$D/p7/cert.pem" "$D/p7/key.pem" "$T/a/"
	check reload_during_call_ok expect 0 "ok reloaded" ctl_a
	check reload_active_call_unharmed wait "$held_pid"
	check reload_active_call_kept_its_tls_connection sh -c "cp '$T/a/log' '$T/out';
		! grep -q 'connection TLS 127.0.0.1:25361 #[0-9]* closed' '$T/a/log'"
	kill -HUP "$a_pid"
	check sighup_same_function alog_wait "signal 1: reloading"
	check reload_usage expect 2 "unexpected argument" "$CTL" reload -x
	check reload_no_daemon expect 1 "cannot reach srtprelayd" "$CTL" reload -s "$T/nosuch.sock"
	for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
else
	echo "SKIP srtprelayd RFC 5922 and reload: srtprelayd or sipp missing"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
