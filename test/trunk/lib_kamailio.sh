# Helpers of the trunk tests that talk to Kamailio (test/trunk/t_*.sh),
# beside lib.sh (source that first): a test PKI, /etc/hosts of the test's
# own, Kamailio as the trunk over mutual TLS, SIPp peers with scenarios and
# their message logs (read by test/sip/sipp_log.sh's rx and rx_has). Sourced,
# not run.

. test/sip/sipp_log.sh

# hosts_file "ADDR NAME" ...: the test's /etc/hosts (Kamailio and SIPp
# resolve names there), bound over the real one in the mount namespace
# own_netns gave the test.
hosts_file() {
	printf '127.0.0.1 localhost\n' > "$T/hosts"
	for _line in "$@"; do
		printf '%s\n' "$_line" >> "$T/hosts"
	done
	mount --bind "$T/hosts" /etc/hosts
}

# trunk_pki DIR NAME=SAN ...: a CA (DIR/ca.pem) and, for each NAME, a
# certificate DIR/NAME.pem and key DIR/NAME-key.pem it signed, carrying
# SAN (e.g. sbc=DNS:sbc.example.test). One file with both: DIR/NAME-both.pem.
trunk_pki() {
	_d=$1
	shift
	mkdir -p "$_d"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
		-subj /CN=trunk-test-ca -keyout "$_d/ca-key.pem" -out "$_d/ca.pem" >/dev/null 2>&1 ||
		return 1
	for _spec in "$@"; do
		_n=${_spec%%=*}
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-subj "/CN=$_n" -keyout "$_d/$_n-key.pem" -out "$_d/$_n.csr" >/dev/null 2>&1 &&
		printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "${_spec#*=}" > "$_d/$_n.ext" &&
		openssl x509 -req -in "$_d/$_n.csr" -CA "$_d/ca.pem" -CAkey "$_d/ca-key.pem" \
			-CAcreateserial -days 30 -extfile "$_d/$_n.ext" -out "$_d/$_n.pem" >/dev/null 2>&1 ||
			return 1
		cat "$_d/$_n.pem" "$_d/$_n-key.pem" > "$_d/$_n-both.pem"
	done
}

# kam_start NAME ADDR SBC_FQDN NEXT_HOP [ROUTE_FILE [GLOBAL_FILE]]: Kamailio as a trunk
# on ADDR (udp 5060, tls 5061 with mutual TLS: certificate DIR NAME of
# trunk_pki in $T/pki, the peer's chain to $T/pki/ca.pem required). Its
# request route: over TLS an unverified client gets 403; an INVITE or
# OPTIONS whose Contact host is not SBC_FQDN gets 403 (what Teams and
# carriers check); OPTIONS to itself 200; in-dialog requests follow their
# Route; new INVITEs are record-routed to NEXT_HOP (sip:ADDR:PORT).
# ROUTE_FILE, if given, is included at the top of the request route (for
# more checks, e.g. digest auth); GLOBAL_FILE after the modules (more
# modules, their parameters, aliases). Logs in $T/NAME.log; KAM_PID is set.
kam_start() {
	_name=$1 _addr=$2 _fqdn=$3 _next=$4 _extra=${5:-} _global=${6:-}
	cat > "$T/$_name-tls.cfg" <<EOT
[server:default]
method = TLSv1.2+
verify_certificate = yes
require_certificate = yes
private_key = $T/pki/$_name-key.pem
certificate = $T/pki/$_name.pem
ca_list = $T/pki/ca.pem

[client:default]
method = TLSv1.2+
verify_certificate = yes
require_certificate = yes
private_key = $T/pki/$_name-key.pem
certificate = $T/pki/$_name.pem
ca_list = $T/pki/ca.pem
EOT
	_inc=""
	[ -n "$_extra" ] && _inc="include_file \"$_extra\""
	_ginc=""
	[ -n "$_global" ] && _ginc="include_file \"$_global\""
	cat > "$T/$_name.cfg" <<EOT
#!KAMAILIO
debug=2
log_stderror=yes
children=2
enable_tls=yes
listen=udp:$_addr:5060
listen=tls:$_addr:5061
alias=$_name.example.test
use_dns_cache=no
dns_try_ipv6=no
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "maxfwd.so"
loadmodule "xlog.so"
loadmodule "tls.so"
modparam("tls", "config", "$T/$_name-tls.cfg")
modparam("rr", "enable_double_rr", 1)
$_ginc

request_route {
	if (proto == TLS && \$tls_peer_verified != 1) {
		xlog("L_NOTICE", "refused: TLS peer not verified\n");
		sl_send_reply("403", "Forbidden (client certificate)");
		exit;
	}
	if (is_method("INVITE|OPTIONS") && \$(ct{tobody.host}) != "$_fqdn") {
		xlog("L_NOTICE", "refused \$rm: Contact host <\$(ct{tobody.host})> is not $_fqdn\n");
		sl_send_reply("403", "Forbidden (Contact is not the SBC FQDN)");
		exit;
	}
	$_inc
	if (is_method("OPTIONS") && uri == myself) {
		sl_send_reply("200", "OK");
		exit;
	}
	if (has_totag()) {
		if (loose_route() || is_method("ACK")) {
			xlog("L_NOTICE", "in-dialog \$rm to \$ru\n");
			t_relay();
			exit;
		}
		sl_send_reply("404", "Not here");
		exit;
	}
	if (is_method("INVITE")) {
		xlog("L_NOTICE", "INVITE \$ru from \$si:\$sp over \$pr, Contact \$ct\n");
		record_route();
	}
	\$du = "$_next";
	t_relay();
}
EOT
	kamailio -c -f "$T/$_name.cfg" > "$T/$_name-check.log" 2>&1 || {
		cat "$T/$_name-check.log"
		return 1
	}
	kamailio -f "$T/$_name.cfg" -DD -E -P "$T/$_name.pid" > "$T/$_name.log" 2>&1 &
	KAM_PID=$!
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		grep -q "$_addr:5061" /proc/net/tcp 2>/dev/null && break
		ss -ltn 2>/dev/null | grep -q "$_addr:5061" && break
		sleep 0.2
	done
}

kam_stop() {
	[ -n "${KAM_PID:-}" ] && kill "$KAM_PID" 2>/dev/null && wait "$KAM_PID" 2>/dev/null
	KAM_PID=
}

# sipp_uas NAME ADDR SCENARIO [args]: a SIPp callee for one call, in the
# background (UAS_PID); its messages in $T/NAME.msg.
sipp_uas() {
	_n=$1 _a=$2 _s=$3
	shift 3
	rm -f "$T/$_n.msg"
	(cd "$T" && exec timeout 30 sipp -sf "$_s" -i "$_a" -p 5060 -m 1 -nostdin \
		-trace_msg -message_file "$T/$_n.msg" "$@" >/dev/null 2>&1) &
	UAS_PID=$!
	wait_for 5 udp_bound "$_a" 5060
}

# sipp_uac NAME ADDR DEST USER: one call of test/sip/uac_call.xml (plain
# RTP/AVP) from ADDR to DEST; SIPp's exit status.
sipp_uac() {
	_n=$1 _a=$2 _dst=$3 _user=$4
	rm -f "$T/$_n.msg"
	printf 'SEQUENTIAL\nRTP/AVP;;;%s\n' "$_user" > "$T/$_n.csv"
	(cd "$T" && timeout 25 sipp "$_dst" -sf "$SIPDIR/uac_call.xml" -inf "$T/$_n.csv" \
		-i "$_a" -p 5060 -m 1 -nostdin -trace_msg -message_file "$T/$_n.msg" \
		-timeout 20 >/dev/null 2>&1)
}
