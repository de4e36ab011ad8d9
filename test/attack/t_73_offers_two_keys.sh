#!/bin/sh
# Two master keys in one crypto line (RFC 4568 6.1, with MKIs) are not
# supported: the offer is refused, and the Warning must give that reason,
# not the "suite ... not in this group's list" left over from trying the
# group's next suite (issue 15, item 8; srtp_pick_crypto()).
. test/attack/b2bua_env.sh

echo "== t_73: the real reason for a refused crypto line"
write_conf "" '{ name = "caller-80only"; match = [ "127.0.0.14" ]; srtp = "mandatory"; suites = [ "AES_CM_128_HMAC_SHA1_80" ]; },' > "$T/d.conf"
start_daemon "$T/d.conf"
TWO="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K80|2^20|1:4;inline:$K_CALLEE|2^20|2:4"

begin "mandatory caller, one line with two keys"
uac tk ../attack/uac_offer.xml "RTP/SAVP;;;mand-two" 127.0.0.11 \
	-key conn "IN IP4 127.0.0.11" -key crypto "$TWO"
check "488 to the caller" rx_has tk "^SIP/2.0 [0-9]" "^SIP/2.0 488"
rx tk "^SIP/2.0 488" | grep '^Warning' | sed 's/^/    /'
check "the Warning says two keys in one line" rx_has tk "^SIP/2.0 488" '^Warning: 399 srtprelayd ".*2 keys in one line'
check "not that the suite is missing from the list" rx_lacks tk "^SIP/2.0 488" "not in this group's list"

begin "a line with a suite outside the list still says so"
uac ts uac_reject.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:$K80;;mand-suite" 127.0.0.14
check "488 to the caller" rx_has ts "^SIP/2.0 [0-9]" "^SIP/2.0 488"
check "the Warning names the suite" rx_has ts "^SIP/2.0 488" "suite AES_CM_128_HMAC_SHA1_32 not in this group's list"

stop_daemon
finish
