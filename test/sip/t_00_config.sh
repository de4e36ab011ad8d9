# Configuration checks: srtprelayd -t names every mistake with file:line.
begin "configuration check (-t)"
check "the test configuration is valid" "$DAEMON" -t -c "$SIPDIR/srtprelayd.conf"
check "the embedded default is valid" "$DAEMON" -t
check "-p prints the embedded default, which checks as a file" sh -c "'$DAEMON' -p > '$T/default.conf' && '$DAEMON' -t -c '$T/default.conf'"
cat > "$T/bad.conf" <<'CFG'
log_level = "loud";
media_realms = (
  { name = "r"; address = "10.0.0.300"; ports = [ 40000, 40001 ]; }
);
sip_interfaces = (
  { name = "i"; address = "127.0.0.1"; udp_port = 70000; tls_port = 5061;
    media_realm = "nowhere"; }
);
proxy_sets = ( { name = "p"; targets = [ "exa_mple.com:5060", "1.2.3.4:5060;transport=sctp" ]; } );
ip_groups = (
  { name = "g"; match = [ "10.0.0.0/33" ]; srtp = "sometimes";
    suites = [ "AES_192_CM_HMAC_SHA1_80" ]; colour = "blue";
    media_source = "follow"; latch_window_ms = 700000; srtp_offer = "sdes"; }
);
routing = ( { name = "r1"; user = "(unclosed"; to = "missing"; } );
metrics = { address = "localhost"; port = 70000; max_clients = 0; };
CFG
"$DAEMON" -t -c "$T/bad.conf" > "$T/bad.out" 2>&1
check "a bad file exits 1" test $? -eq 1
for what in "bad.conf:1: log_level 'loud'" "bad.conf:3: realm 'r': address '10.0.0.300'" \
	"bad.conf:3: ports \[40000, 40001\]" "bad.conf:6: 'udp_port' = 70000" \
	"bad.conf:6: missing 'tls_context'" "bad.conf:7: media realm 'nowhere' is not defined" \
	"exa_mple.com' is neither an IP address nor a host name" "only ;transport=udp|tcp|tls" \
	"match entry 1 '10.0.0.0/33'" "srtp 'sometimes'" "suite 'AES_192_CM_HMAC_SHA1_80'" \
	"unknown setting 'colour'" "user pattern '(unclosed'" "ip group 'missing' is not defined" \
	"media_source 'follow': use latch or lock-on-sdp (strict)" \
	"'latch_window_ms' = 700000 is out of range 0..600000" \
	"metrics address 'localhost': not an IP address" "'max_clients' = 0 is out of range 1..1024" \
	"bad.conf:13: srtp_offer 'sdes': use savp or avp-with-crypto"; do
	check "reported: $what" grep -q -- "$what" "$T/bad.out"
done
check "a syntax error names its line" sh -c "printf 'a = 1;\nb = ;\n' > '$T/syntax.conf'; '$DAEMON' -t -c '$T/syntax.conf' 2>&1 | grep -q 'syntax.conf:2: syntax error'"
check "a missing file is reported" sh -c "'$DAEMON' -t -c '$T/none.conf' 2>&1 | grep -q 'none.conf: cannot read'"
