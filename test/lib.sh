# Helpers every suite may source: test/sip, test/crash, test/service, and
# test/kernel's checks inside the guest (build-initramfs.sh copies this file
# to /ktest). Plain shell and awk over their arguments and files: no program
# of the project and no variable of the caller, so that nothing here depends
# on a suite above it. Sourced, not run.

# wait_for SECONDS CMD...: CMD holds within SECONDS (tried every 0.1 s;
# a miss costs SECONDS in all).
wait_for() {
	_wait_tries=$(($1 * 10))
	shift
	while [ "$_wait_tries" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_wait_tries=$((_wait_tries - 1))
	done
	return 1
}

# udp_bound IP PORT: a socket in this network namespace is bound to UDP
# IP:PORT. A SIPp callee is up when its port is: a fixed 0.3 s after
# starting it was not always enough on a loaded host, and the INVITE that
# came first met a closed port.
udp_bound() {
	[ -n "$(ss -Hlun src "$1:$2" 2>/dev/null)" ]
}

# now_ms: the wall clock in milliseconds (GNU date; the guest has uptime_ms).
now_ms() { date +%s%3N; }

# sdp_of LOG RE: "PORT KEY" from the first message in SIPp's message log LOG
# whose first line matches RE: its m=audio port and the key || salt of its
# AES_CM_128_HMAC_SHA1_80 a=crypto line (RFC 4568 inline:, without lifetime
# or MKI). Empty until that message is in the log.
sdp_of() {
	awk -v re="$2" '
		{ sub(/\r$/, "") }
		/^(INVITE|ACK|BYE|CANCEL|PRACK|UPDATE|OPTIONS|SIP\/2\.0) / { in_msg = $0 ~ re }
		in_msg && /^m=audio / && !port { port = $2 }
		in_msg && /^a=crypto:[0-9]+ AES_CM_128_HMAC_SHA1_80 inline:/ && !key {
			key = $3
			sub(/^inline:/, "", key)
			sub(/\|.*/, "", key)
		}
		port && key { print port, key; exit }' "$1" 2>/dev/null
}

# sdps_of LOG RE: "PORT KEY" as sdp_of gives it, of every message in LOG
# whose first line matches RE, each pair once.
sdps_of() {
	awk -v re="$2" '
		{ sub(/\r$/, "") }
		/^(INVITE|ACK|BYE|CANCEL|PRACK|UPDATE|OPTIONS|SIP\/2\.0) / {
			if (port && key) print port, key
			in_msg = $0 ~ re; port = key = ""
		}
		in_msg && /^m=audio / && !port { port = $2 }
		in_msg && /^a=crypto:[0-9]+ AES_CM_128_HMAC_SHA1_80 inline:/ && !key {
			key = $3; sub(/^inline:/, "", key); sub(/\|.*/, "", key)
		}
		END { if (port && key) print port, key }' "$1" 2>/dev/null | sort -u
}

# sdes_calls DIR CALLER_LOG CALLEE_LOG < "srtprelayctl calls": srtp_calls'
# input, "CP EP KEY_TO_CALLER KEY_TO_CALLEE" for every call with both legs'
# media: the relay's port on each leg from srtprelayctl, the keys from what
# srtprelayd wrote in its 200s to the caller (SIPp's message log
# CALLER_LOG) and its INVITEs to the callee (CALLEE_LOG). The parts are left
# in DIR (keys-caller, keys-callee, ports) for a failure's post-mortem.
sdes_calls() {
	sdps_of "$2" '^SIP/2\.0 200' > "$1/keys-caller"
	sdps_of "$3" '^INVITE ' > "$1/keys-callee"
	awk '
		$1 == "call" { if (cp && ep) print cp, ep; cp = ep = "" }
		$1 == "leg" { leg = $2 }
		$1 == "media" && leg == "caller" && !cp { cp = $4 }
		$1 == "media" && leg == "callee" && !ep { ep = $4 }
		END { if (cp && ep) print cp, ep }' > "$1/ports"
	awk 'FILENAME ~ /keys-caller$/ { kc[$1] = $2; next }
	     FILENAME ~ /keys-callee$/ { ke[$1] = $2; next }
	     ($1 in kc) && ($2 in ke) { print $1, $2, kc[$1], ke[$2] }' \
		"$1/keys-caller" "$1/keys-callee" "$1/ports"
}

# freq WAV: sox's rough frequency of a recording, empty without one.
freq() { [ -n "$1" ] && sox "$1" -n stat 2>&1 | awk '/Rough +frequency/ { print $3 }'; }

# baresip_config DIR PORT DEVICE TONE: a baresip configuration in DIR
# (PEERS.md: 127.0.0.1, SIP on PORT, RTP on 36000-36999, PCMU): it sends
# an ausine TONE in Hz, plays to aubridge DEVICE, and records what it hears
# (sndfile) in DIR/rec. DIR/accounts is the caller's to write.
baresip_config() {
	mkdir -p "$1/rec"
	cat > "$1/config" <<CFG
poll_method epoll
sip_listen 127.0.0.1:$2
net_interface 127.0.0.1
audio_player aubridge,$3
audio_alert aubridge,$3
audio_source ausine,$4
ausrc_srate 48000
auplay_srate 48000
ausrc_channels 2
auplay_channels 2
rtp_ports 36000-36999
snd_path $1/rec
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aubridge.so
module srtp.so
module sndfile.so
module_app account.so
module_app menu.so
CFG
}
