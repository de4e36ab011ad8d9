#!/bin/sh
# Keys never reach the log (issue 15, item 7). srtprelayd runs with -d
# (every level, every SIP message) while calls and bad input make each
# logging path fire: a call with SDES keys both ways, a call whose TCP
# target refuses (send failure), the malformed SIP/SDP corpus (each
# message carries a key), an INVITE without Contact whose callee then
# re-INVITEs (srtprelayd builds a request to an empty target: its error
# line once printed the whole request, keys and all). Then every key seen
# on the wire, base64 and its first 12 characters, is looked for in the log.
. test/attack/b2bua_env.sh

echo "== t_60: no key material in any log line"
write_conf > "$T/d.conf"
start_daemon "$T/d.conf" -d

begin "a call with keys both ways"
uas k1_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac k1_uac uac_call.xml "RTP/SAVP;$C80;;mand-keys" 127.0.0.11
check "call completes" test $? -eq 0
wait_uas

begin "a call whose TCP target refuses the connection"
uac k2_uac uac_reject.xml "RTP/SAVP;$C80;$C32;dead-keys" 127.0.0.11
check "caller gets an error answer" rx_has k2_uac "^SIP/2.0 [45][0-9][0-9]" "INVITE"

begin "the malformed SIP/SDP corpus, keys in every body"
python3 "$SIPDIR/malformed.py" 127.0.0.1 $SIP_PORT 127.0.0.12 > "$T/malformed.out" 2>&1
check "corpus ran to its end" grep -Eq '^[0-9]+ passed' "$T/malformed.out"

begin "INVITE without Contact, then the callee re-INVITEs"
uas k3_uas uas_reinvite_out.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070 -timeout 6
uac k3_uac ../attack/uac_no_contact.xml "RTP/SAVP;$C80;;mand-nocontact" 127.0.0.11
wait_uas

check "the log shows SIP messages (debug)" grep -q "recv UDP" "$T/daemon.log"
check "the log shows warning lines" grep -q " warning " "$T/daemon.log"
sleep 0.5
stop_daemon

# Every inline key on the wire: ours (SIPp's) and srtprelayd's.
cat "$T"/*.msg | grep -o 'inline:[A-Za-z0-9+/=]*' | cut -d: -f2 | sort -u > "$T/keys"
echo "$K80" >> "$T/keys"
echo "$K_CALLEE" >> "$T/keys"
sort -u -o "$T/keys" "$T/keys"
check "keys were exchanged ($(wc -l < "$T/keys") distinct)" test "$(wc -l < "$T/keys")" -ge 3
leaks=0
while read -r key; do
	[ -n "$key" ] || continue
	prefix=$(printf %s "$key" | cut -c1-12)
	if grep -qF -e "$key" -e "$prefix" "$T/daemon.log"; then
		leaks=$((leaks + 1))
		echo "    key $prefix... is in the log:"
		grep -F -e "$prefix" "$T/daemon.log" | head -n 2 | cut -c1-160 | sed 's/^/      /'
	fi
done < "$T/keys"
check "no key, nor its first 12 characters, in the log ($leaks found)" test "$leaks" -eq 0
check "every inline: in the log is masked" sh -c "! grep -Eq 'inline:[A-Za-z0-9+/]{4}' '$T/daemon.log'"
finish
