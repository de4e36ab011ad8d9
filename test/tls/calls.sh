#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Calls over TLS through the real srtprelayd with an imported CA chain, and
# a certificate reload under load (issue #7's acceptance):
#
#   1. A throw-away CA (ca.sh: root + intermediate). srtprelayctl tls csr for
#      sbc.example.test, signed by the intermediate, tls import into the
#      context srtprelayd's TLS interface uses. openssl s_client trusting only
#      the root verifies what srtprelayd serves (chain and host name).
#   2. 20 calls held open: a SIPp UAC over TCP behind stunnel4 in client mode,
#      which verifies every TLS connection it opens (verifyChain, CAfile = the
#      root only, checkHost = sbc.example.test), one TLS connection per call
#      (sipp -t tn); srtprelayd relays each call to a SIPp UAS over UDP.
#      SDES-SRTP on both legs (srtp mandatory); per call a key and RTP port
#      of its own on each side, from the SIPp injection files.
#   3. Media: SRTP on both legs, both directions. SIPp has no SRTP, so
#      srtp_peer (libsrtp2, test/kernel) sends 50 packets/s per stream from
#      each party's SDP address with the key that party offered or answered.
#      The relay counts a packet only after libsrtp authenticated it, so
#      rising rx counters prove the keys exchanged over TLS; tx counters on
#      the other leg prove the re-encrypted packets went out.
#   4. While they flow: a new key and certificate (new serial, same name),
#      tls import, kill -HUP (and srtprelayctl reload when it exists). Then:
#      every stream's counters still rise, a new call through a new stunnel
#      connection completes and that stunnel pins the new certificate
#      (verifyPeer), s_client sees the new SHA-256, a fresh burst through
#      two of the old calls (one each way) is decrypted packet by packet by
#      a libsrtp2 receiver holding the key srtprelayd sent in its SDP (read
#      from SIPp's message log), and all 20 calls send INFO and BYE over
#      their old TLS connections (stunnel opened no other), all answered 200.
#   5. A broken reload (certificate of another key) is refused and the new
#      certificate keeps being served; a mismatched import installs nothing.
#
# Everything runs in a network namespace of its own (unshare -n), on
# loopback addresses, with the userspace datapath (srtprelay-datapath,
# socket mode) as media plane, so neither ports nor iptables chains meet other
# suites. Needs root. Prints PASS/FAIL lines and "N passed, N failed".
#
#   BUILD=build sh test/tls/calls.sh      (make tlscalls)
set -u
BUILD=$(cd "${BUILD:-build}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
N=${TLSCALLS_N:-20}
HOLD_MS=${TLSCALLS_HOLD_MS:-25000}
HOST=sbc.example.test

if [ -z "${TLSCALLS_IN_NETNS:-}" ]; then
	if ! unshare -n true 2>/dev/null; then
		echo "SKIP tlscalls: cannot create a network namespace (unshare -n needs root)"
		echo "0 passed, 0 failed"
		exit 0
	fi
	TLSCALLS_IN_NETNS=1 BUILD=$BUILD exec timeout -k 5 170 unshare -n sh "$0" "$@"
fi

CTL=$BUILD/srtprelayctl
PEER=$BUILD/kernel/srtp_peer
T=$(mktemp -d /tmp/tlscalls.XXXXXX)
export SRTPRELAY_TLS_DIR="$T/tls"
D=$SRTPRELAY_TLS_DIR
SOCK=$T/state/control.sock
. "$HERE/lib.sh"
pids=

cleanup() {
	for p in ${senders:-} $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ "$failed" -ne 0 ] || [ -n "${TLSCALLS_KEEP:-}" ]; then
		echo "    (files kept in $T)"
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
# Killed (make's ^C, the time limit above): still a count check.sh can read.
trap 'echo "FAIL interrupted"; failed=$((failed + 1)); echo "$passed passed, $failed failed"; exit 1' INT TERM

# poll TENTHS CMD...: CMD until it succeeds, for at most TENTHS/10 seconds
# of wall-clock time (however long CMD itself takes).
tenths() { echo $(($(date +%s%N) / 100000000)); }
poll() {
	end=$(($(tenths) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(tenths)" -ge "$end" ] && return 1
		sleep 0.1
	done
}
bg() { pids="$pids $1"; }
expect_status() { want=$1; shift; "$@"; test $? -eq "$want"; }
fp256() { openssl x509 -noout -fingerprint -sha256 "$@" | sed 's/.*=//; s/://g'; }
# What srtprelayd's TLS port serves to a client trusting only the test root.
s_client() {
	timeout 10 openssl s_client -connect 127.0.0.1:5061 -CAfile "$T/ca/root.pem" \
		-verify_return_error -verify_hostname "$HOST" "$@" </dev/null 2>&1
}
served_fp() { s_client | fp256; }
listening() { ss -Hltn "sport = :$2" | grep -q "$1:$2"; }
log_has() { grep -qF -- "$1" "$T/daemon.log"; }

. "$HERE/ca.sh"

for x in srtprelayd srtprelayctl srtprelay-datapath kernel/srtp_peer; do
	if [ ! -x "$BUILD/$x" ]; then
		echo "FAIL $BUILD/$x not built"
		echo "0 passed, 1 failed"
		exit 1
	fi
done
ip link set lo up
START=$(date +%s)

echo "== certificate: csr, signed by the intermediate, imported"
check ca_built ca_init
check csr "$CTL" tls csr sbc --cn "$HOST" --key p256
check ca_signs_csr ca_sign "$D/sbc/request.csr" "$T/sbc.pem"
check import_into_context_sbc "$CTL" tls import sbc "$T/sbc.pem" "$T/ca/inter.pem" "$T/ca/root.pem"
OLD=$(fp256 -in "$D/sbc/cert.pem")

echo "== srtprelayd with the imported context"
mkdir -p "$T/state"
cat > "$T/srtprelayd.conf" <<CONF
# test/tls/calls.sh: callers over TLS (stunnel on 127.0.0.61), callee SIPp
# over UDP on 127.0.0.62, one media realm per side.
log_level = "info";
state_dir = "$T/state";
media_backend = "auto";
tls_contexts = (
  { name = "sbc"; certificate = "$D/sbc/cert.pem"; private_key = "$D/sbc/key.pem";
    chain = "$D/sbc/chain.pem"; versions = [ "TLSv1.2", "TLSv1.3" ]; }
);
media_realms = (
  { name = "a"; address = "127.0.0.1"; ports = [ 40000, 40999 ]; },
  { name = "b"; address = "127.0.0.1"; ports = [ 42000, 42999 ]; }
);
sip_interfaces = (
  { name = "lo"; address = "127.0.0.1"; udp_port = 5060; tls_port = 5061;
    tls_context = "sbc"; media_realm = "a"; }
);
proxy_sets = ( { name = "uas"; targets = [ "127.0.0.62:5080" ]; keepalive = false; } );
ip_groups = (
  { name = "caller"; match = [ "127.0.0.61" ]; srtp = "mandatory"; media_realm = "a"; },
  { name = "callee"; proxy_set = "uas"; srtp = "mandatory"; media_realm = "b"; }
);
routing = ( { name = "to-callee"; from = "caller"; user = "^call"; to = "callee"; } );
CONF
export SRTPRELAY_SOCKET="$T/datapath.sock"
"$BUILD/srtprelay-datapath" -s "$SRTPRELAY_SOCKET" -w 1 >"$T/datapath.log" 2>&1 &
DP=$!
bg $DP
check "srtprelay-datapath listens on its control socket" poll 50 test -S "$SRTPRELAY_SOCKET"
"$BUILD/srtprelayd" -c "$T/srtprelayd.conf" >"$T/daemon.log" 2>&1 &
DAEMON=$!
bg $DAEMON
check "srtprelayd listens on its TLS port" poll 50 listening 127.0.0.1 5061
check srtprelayd_uses_userspace_datapath sh -c "'$CTL' status -s '$SOCK' | grep 'userspace datapath'"
check srtprelayd_loaded_imported_cert grep -q "tls context sbc: certificate $D/sbc/cert.pem sha256 " "$T/daemon.log"
verifies() { s_client | grep -F 'Verify return code: 0 (ok)'; }
check s_client_verifies_with_only_the_root verifies
s_client -showcerts >"$T/s_client.txt"
check served_chain_has_intermediate grep -F "1 s:O = srtprelay test, CN = srtprelay Test Intermediate" "$T/s_client.txt"
check served_leaf_is_imported_cert test "$(fp256 <"$T/s_client.txt")" = "$OLD"

echo "== $N calls over TLS, SRTP both legs, media flowing"
# stunnel_conf NAME ACCEPT_PORT [EXTRA]: a client-mode stunnel that refuses a
# server whose chain does not lead to the test root or does not name $HOST.
stunnel_conf() {
	cat >"$T/$1.conf" <<CONF
foreground = yes
pid =
debug = info
output = $T/$1.log
[sip]
client = yes
accept = 127.0.0.60:$2
connect = 127.0.0.1:5061
local = 127.0.0.61
verifyChain = yes
CAfile = ${3:-$T/ca/root.pem}
checkHost = $HOST
sni = $HOST
# A full handshake, so a verification, on every connection.
sessionResume = no
${4:-}
CONF
}
stunnel_conf stunnel 5060
stunnel4 "$T/stunnel.conf" >"$T/stunnel.out" 2>&1 &
bg $!
check stunnel_listens poll 50 listening 127.0.0.60 5060

# Per call a key and an RTP port on each side (call i: caller 20000+2i,
# callee 30000+2i). Key files named by port let the media step find them.
mkdir -p "$T/keys"
echo SEQUENTIAL >"$T/uac.csv"
echo SEQUENTIAL >"$T/uas.csv"
i=0
while [ $i -le "$N" ]; do	# one more on each side for the call after the reload
	ka=$(openssl rand -base64 30)
	kb=$(openssl rand -base64 30)
	echo "call$i;$((20000 + 2 * i));$ka" >>"$T/uac.csv"
	echo "$((30000 + 2 * i));$kb" >>"$T/uas.csv"
	echo "$ka" >"$T/keys/127.0.0.61:$((20000 + 2 * i))"
	echo "$kb" >"$T/keys/127.0.0.62:$((30000 + 2 * i))"
	i=$((i + 1))
done
(cd "$T" && exec timeout 120 sipp -sf "$HERE/uas_srtp_answer.xml" -inf "$T/uas.csv" \
	-i 127.0.0.62 -p 5080 -m $((N + 1)) -nostdin -aa -trace_msg -message_file "$T/uas.msg" \
	-trace_stat -stf "$T/uas.stat" -trace_err >"$T/uas.out" 2>&1) &
UAS=$!
bg $UAS
poll 30 sh -c "ss -Hlun 'sport = :5080' | grep -q 127.0.0.62"
CALLS_START=$(date +%s)
(cd "$T" && exec timeout 120 sipp 127.0.0.60:5060 -t tn -sf "$HERE/uac_srtp_hold.xml" \
	-inf "$T/uac.csv" -i 127.0.0.61 -p 5070 -m "$N" -l "$N" -r 20 -d "$HOLD_MS" \
	-nostdin -timeout 100 -max_socket 100 -trace_msg -message_file "$T/uac.msg" \
	-trace_stat -stf "$T/uac.stat" -trace_err >"$T/uac.out" 2>&1) &
UAC=$!
bg $UAC

# media_lines: "CALLID LEG PORT REMOTE RX TX AUTHFAILED" per leg of every
# established call, from srtprelayd's control socket.
media_lines() {
	"$CTL" -j calls -s "$SOCK" | python3 -c '
import json, sys
for c in json.load(sys.stdin)["calls"]:
    if c["state"] != "confirmed":
        continue
    for leg in c["legs"]:
        for m in leg["media"]:
            k = m.get("counters") or {}
            print(leg["call_id"], leg["role"], m["port"], m["remote"],
                  k.get("rx_packets", -1), k.get("tx_packets", -1),
                  k.get("auth_failed", -1), leg["transport"])'
}
n_established() { media_lines | awk '$2 == "caller"' | wc -l; }
all_established() { [ "$(n_established)" -ge "$N" ]; }
check "all $N calls established in srtprelayd" poll 200 all_established
media_lines >"$T/media-up.txt"
check "caller legs came over TLS" test "$(awk '$2 == "caller" && $8 == "TLS"' "$T/media-up.txt" | wc -l)" -eq "$N"
check "srtp on every leg of every call" sh -c "'$CTL' -j calls -s '$SOCK' | python3 -c '
import json, sys
ms = [m for c in json.load(sys.stdin)[\"calls\"] for l in c[\"legs\"] for m in l[\"media\"]]
assert len(ms) == 2 * $N and all(m[\"srtp\"] and m[\"in_suite\"] == \"AES_CM_128_HMAC_SHA1_80\" for m in ms), ms'"

# One srtp_peer per stream: from the party's SDP address to our port on its
# leg, with the key the party put in its SDP, 50 packets/s for the hold.
count=$((HOLD_MS / 20 + 500))
senders=
ssrc=4096
while read -r cid role port remote rest; do
	ssrc=$((ssrc + 1))
	"$PEER" send --src "$remote" --dst "127.0.0.1:$port" --key "$(cat "$T/keys/$remote")" \
		--interval-us 20000 "rtp:$ssrc:1:$count" >"$T/peer-$remote.log" 2>&1 &
	senders="$senders $!"
	echo $! >"$T/sender-$remote"
done <"$T/media-up.txt"

# all_rising BEFORE AFTER: every stream of BEFORE has rx and tx above it in
# AFTER, and no packet failed authentication.
all_rising() {
	awk 'NR == FNR { rx[$1 " " $2] = $5; tx[$1 " " $2] = $6; next }
	     ($1 " " $2) in rx { seen++; if ($5 > rx[$1 " " $2] && $6 > tx[$1 " " $2] && $7 == 0) up++
	                         else print "not rising:", $0, "was rx", rx[$1 " " $2], "tx", tx[$1 " " $2] }
	     END { print up + 0, "of", seen + 0, "streams rising"; exit !(seen == 2 * n && up == seen) }' \
		n="$N" "$1" "$2"
}
media_rising_since() { media_lines >"$T/media-now.txt" && all_rising "$1" "$T/media-now.txt"; }
check "media flows on all $((2 * N)) streams (rx and tx, no auth failure)" \
	poll 100 media_rising_since "$T/media-up.txt"
cp "$T/media-now.txt" "$T/media-before.txt"
check "stunnel verified the chain and $HOST for every call's connection" \
	sh -c "test \$(grep -c 'Certificate accepted at depth=0: CN=$HOST\$' '$T/stunnel.log') -eq $N &&
	test \$(grep -c 'CERT: Host name \"$HOST\" matched' '$T/stunnel.log') -eq $N"

echo "== new certificate while the calls are up"
# The operator's rotation: a new key in a staging context, signed, then
# imported into the live one with --key (never a live key without its cert).
check new_csr "$CTL" tls csr sbc-next --cn "$HOST" --key p256
check ca_signs_new_csr ca_sign "$D/sbc-next/request.csr" "$T/sbc-new.pem"
NEW=$(fp256 -in "$T/sbc-new.pem")
check new_cert_has_new_serial test "$(openssl x509 -noout -serial -in "$T/sbc-new.pem")" != \
	"$(openssl x509 -noout -serial -in "$T/sbc.pem")"
check import_new_cert_into_sbc "$CTL" tls import sbc --key "$D/sbc-next/key.pem" \
	"$T/sbc-new.pem" "$T/ca/inter.pem" "$T/ca/root.pem"
check imported_cert_is_new test "$(fp256 -in "$D/sbc/cert.pem")" = "$NEW"
kill -HUP $DAEMON
NEWLC=$(echo "$NEW" | tr 'A-F' 'a-f')
reloaded() { grep -i "tls context sbc: reloaded, certificate sha256 " "$T/daemon.log" | tr -d ':' | grep -qi "$NEW"; }
check "SIGHUP: srtprelayd reloaded the new certificate" poll 50 reloaded
HAVE_RELOAD=
"$CTL" --help 2>&1 | grep -q '^  reload' && HAVE_RELOAD=1
if [ -n "$HAVE_RELOAD" ]; then
	check "srtprelayctl reload: exit 0" "$CTL" reload -s "$SOCK"
	check "srtprelayctl reload: still the new certificate" test "$(served_fp)" = "$NEW"
else
	echo "SKIP srtprelayctl reload: not in this srtprelayctl yet"
fi
media_lines >"$T/media-reload.txt"
check "s_client: a new connection gets the new certificate" test "$(served_fp)" = "$NEW"
check "s_client: the new chain verifies with only the root" verifies

# A new call through a new stunnel that pins the new certificate: it
# completes only if srtprelayd served exactly that one on its connection.
cat "$T/ca/root.pem" "$T/sbc-new.pem" >"$T/root+new.pem"
stunnel_conf stunnel-new 5062 "$T/root+new.pem" "verifyPeer = yes"
stunnel4 "$T/stunnel-new.conf" >"$T/stunnel-new.out" 2>&1 &
bg $!
check "the pinning stunnel listens" poll 50 listening 127.0.0.60 5062
printf 'SEQUENTIAL\ncall%s;%s;%s\n' "$N" $((20000 + 2 * N)) "$(cat "$T/keys/127.0.0.61:$((20000 + 2 * N))")" >"$T/uac-new.csv"
(cd "$T" && timeout 15 sipp 127.0.0.60:5062 -t tn -sf "$HERE/uac_srtp_hold.xml" \
	-inf "$T/uac-new.csv" -i 127.0.0.61 -p 5072 -m 1 -d 500 -nostdin -timeout 10 -max_socket 10 \
	-trace_stat -stf "$T/uac-new.stat" -trace_err >"$T/uac-new.out" 2>&1)
NEWRC=$?
cp "$T/uac-new.out" "$T/out"
check "new call over a new TLS connection completes (INFO, BYE; sipp exit $NEWRC)" test $NEWRC -eq 0
check "that connection was pinned to the new certificate (stunnel verifyPeer)" \
	grep -q 'Certificate accepted at depth=0' "$T/stunnel-new.log"

check "media still flows on all $((2 * N)) streams after the reload" \
	poll 100 media_rising_since "$T/media-reload.txt"
cp "$T/media-now.txt" "$T/media-after.txt"
# End to end, after the reload, with keys negotiated over TLS before it: a
# fresh burst through call 1 from caller to callee, and through call 2 from
# callee to caller, each checked packet by packet by a libsrtp2 receiver at
# the far party's SDP address that holds the key srtprelayd put in the SDP
# it sent that party (as SIPp logged it). That party's own sender stops
# first: it held the address.
# relay_key MSGFILE CALLID FIRSTLINE: the AES_CM_128_HMAC_SHA1_80 key of the
# INVITE or 200 (FIRSTLINE, a regular expression) SIPp received in CALLID.
relay_key() {
	python3 - "$@" <<'PY'
import re, sys
path, cid, first = sys.argv[1:4]
for block in re.split(r"\n-{20,}[^\n]*\n", open(path, errors="replace").read()):
    if "message received" not in block:
        continue
    msg = block.split("\n", 1)[1].lstrip("\n")
    if not re.match(first, msg) or not re.search(r"(?im)^(call-id|i):\s*" + re.escape(cid) + r"\s*$", msg):
        continue
    m = re.search(r"a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]+)", msg)
    if m:
        print(m.group(1))
        sys.exit(0)
sys.exit(1)
PY
}
# e2e NAME FROMROLE TOROLE LINE: the burst over call LINE of media-up.txt.
e2e() {
	from_line=$(awk -v r="$2" '$2 == r' "$T/media-up.txt" | sed -n "$4p")
	to_line=$(awk -v r="$3" '$2 == r' "$T/media-up.txt" | sed -n "$4p")
	set -- "$1" $from_line $to_line
	tag=$1 from_port=$4 from_addr=$5 to_cid=${10} to_port=${12} to_addr=${13}
	if [ "$3" = caller ]; then
		key=$(relay_key "$T/uas.msg" "$to_cid" 'INVITE ')
	else
		key=$(relay_key "$T/uac.msg" "$to_cid" 'SIP/2.0 200 ')
	fi
	[ -n "$key" ] || { echo "no key of srtprelayd in SIPp's log for $to_cid"; return 1; }
	for a in "$from_addr" "$to_addr"; do
		kill "$(cat "$T/sender-$a")"
	done
	# Their last packets are relayed or dropped well within 200 ms (the
	# datapath takes under a millisecond a packet), so the receiver sees
	# only the burst it expects.
	sleep 0.2
	rm -f "$T/$tag.ready"
	"$PEER" recv --listen "$to_addr" --from "127.0.0.1:$to_port" --key "$key" \
		--ready-file "$T/$tag.ready" --timeout-ms 8000 rtp:0x5ec0:1:200 >"$T/$tag.recv" 2>&1 &
	rpid=$!
	poll 30 test -e "$T/$tag.ready"
	"$PEER" send --src "$from_addr" --dst "127.0.0.1:$from_port" \
		--key "$(cat "$T/keys/$from_addr")" --interval-us 5000 rtp:0x5ec0:1:200
	wait $rpid
	rc=$?
	cat "$T/$tag.recv"
	return $rc
}
check "after the reload: 200 SRTP packets caller to callee over call 1, each decrypted by libsrtp2 at the callee" \
	e2e e2e-forward caller callee 1
check "after the reload: 200 SRTP packets callee to caller over call 2, each decrypted by libsrtp2 at the caller" \
	e2e e2e-reverse callee caller 2

# The 20 calls must still be up now, or the BYEs below did not travel after
# the reload: the hold has to outlast the checks above.
check "the $N calls outlasted the reload checks (hold ${HOLD_MS} ms)" \
	test "$(n_established)" -ge "$N"
echo "    reload checks done $(($(date +%s) - CALLS_START)) s after the first call, the BYEs come after $((HOLD_MS / 1000)) s"

echo "== INFO and BYE of the $N calls over their old TLS connections"
# wait_for PID TENTHS: its exit status, or non-zero after killing it once the
# time is up (a failed run then ends in seconds, not at SIPp's timeout).
wait_for() {
	poll "$2" sh -c "! kill -0 $1" || kill "$1" 2>/dev/null
	wait "$1"
}
wait_for $UAC $((HOLD_MS / 100 + 300))
URC=$?
for p in $senders; do kill "$p" 2>/dev/null; done
cp "$T/uac.out" "$T/out"
check "SIPp caller: all $N calls successful (exit $URC)" test $URC -eq 0
stat_ok() {	# stat_ok FILE N: SIPp's last stat line counts N successful calls, none failed
	python3 - "$1" "$2" <<'PY'
import sys
rows = [l.rstrip("\n").split(";") for l in open(sys.argv[1]) if l.strip()]
h, last = rows[0], rows[-1]
ok, bad = int(last[h.index("SuccessfulCall(C)")]), int(last[h.index("FailedCall(C)")])
print("successful", ok, "failed", bad)
sys.exit(0 if ok == int(sys.argv[2]) and bad == 0 else 1)
PY
}
check "SIPp caller: $N successful calls in its stat file" stat_ok "$T/uac.stat" "$N"
wait_for $UAS 50
SRC=$?
cp "$T/uas.out" "$T/out"
check "SIPp callee: all $((N + 1)) calls successful (exit $SRC)" test $SRC -eq 0
# stunnel opened one TLS connection per call before the reload and none
# since: the INFOs and BYEs can only have travelled over those.
check "the INFOs and BYEs used the $N TLS connections opened before the reload" \
	test "$(grep -c 'Service \[sip\] connected remote server' "$T/stunnel.log")" -eq "$N"
check "stunnel: no connection refused" sh -c "! grep -Ei 'certificate verify failed|rejected' '$T/stunnel.log' '$T/stunnel-new.log'"
no_calls() { "$CTL" -j status -s "$SOCK" | python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)["calls"] != 0)'; }
check "afterwards srtprelayd has no call" poll 50 no_calls
no_streams() { "$CTL" stats | awk '$1 == "streams:" { s = $2 } END { exit s != 0 }'; }
check "afterwards the datapath has no stream" poll 50 no_streams

echo "== broken reload and import refused, new certificate kept"
cp "$D/sbc/cert.pem" "$T/good-cert.pem"
cp "$T/sbc.pem" "$D/sbc/cert.pem"	# the old certificate beside the new key
kill -HUP $DAEMON
check "SIGHUP with a mismatched key: reload refused with the reason" \
	poll 50 log_has "does not match certificate $D/sbc/cert.pem"
if [ -n "$HAVE_RELOAD" ]; then
	check "srtprelayctl reload with a mismatched key: exit status 1" expect_status 1 "$CTL" reload -s "$SOCK"
fi
check "after the refused reload the new certificate is still served" test "$(served_fp)" = "$NEW"
cp "$T/good-cert.pem" "$D/sbc/cert.pem"
check "import of the old certificate onto the new key refused" sh -c \
	"! '$CTL' tls import sbc '$T/sbc.pem' '$T/ca/inter.pem' '$T/ca/root.pem'"
check "the refused import left the new certificate installed" test "$(fp256 -in "$D/sbc/cert.pem")" = "$NEW"
check "srtprelayd is still running" kill -0 $DAEMON

echo "    $N calls held ${HOLD_MS} ms; whole run $(($(date +%s) - START)) s (calls from second $((CALLS_START - START)))"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
