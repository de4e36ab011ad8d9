# SPDX-License-Identifier: GPL-2.0
#
# Keystream reuse on send (issue 15, item 2), sourced by tests.sh: both
# backends run it. A plain -> SRTP stream encrypts whatever its plain leg
# sends, so a stranger there picks the SSRC, the sequence number and the
# plaintext. If the relay ever encrypted one (SSRC, index) twice under its
# key, the XOR of the two SRTP payloads would be the XOR of the plaintexts:
# the stranger's chosen plaintext gives away the real sender's audio.

# keystream_reuse_after_ssrc_flood: the real sender crosses the sequence
# wrap (ROC 1) with RTP and SRTCP; a stranger on the plain leg sends 8
# forged SSRCs, one packet each (twice the relay's SSRC slots, enough to
# push the real sender's state out of a least-recently-used table), then
# the real sender's 50 (SSRC, index) pairs again; then the real sender
# goes on. The callee (libsrtp2) must get every real packet once and no
# repeat; the relay must count the 50 repeats and the SSRCs it had no
# slot for as tx_refused, and keep the real sender's ROC and SRTCP index.
keystream_reuse_after_ssrc_flood() {
	alloc_port
	kout=$(gen_key)
	local_ep=$(ep sbc1 4 $port)
	ctl stream add "$local_ep" out-src "$(ep sbc2 4 $port)" out-dst "$(ep callee 4 7000)" \
		rtcp-mux-in rtcp-mux-out in-suite NONE $(ctl_crypto out $S80 "$kout") || return 1
	real=0x5e1f
	flood=""
	for n in 0 1 2 3 4 5 6 7; do
		flood="$flood rtp:0xbad$n:1:1"
	done
	# One slot is the real sender's; the first three forged SSRCs take
	# the free ones and are relayed, the other five find none.
	start_recv callee --listen "$(ep callee 4 7000)" $(peer_args $S80 "$kout") \
		rtp:$real:65500:50 rtcp:$real:1:3 rtp:0xbad0:1:1 rtp:0xbad1:1:1 rtp:0xbad2:1:1 \
		rtp:$real:14:20 rtcp:$real:4:3
	in_caller srtp_peer send --src "$(ep caller 4 6000)" --dst "$local_ep" --suite NONE \
		rtp:$real:65500:50 rtcp:$real:1:3 || return 1
	sleep 0.2
	in_caller srtp_peer send --src "$(ep caller 4 6100)" --dst "$local_ep" --suite NONE \
		$flood || return 1
	sleep 0.2
	in_caller srtp_peer send --src "$(ep caller 4 6100)" --dst "$local_ep" --suite NONE \
		rtp:$real:65500:50 || return 1
	sleep 0.2
	in_caller srtp_peer send --src "$(ep caller 4 6000)" --dst "$local_ep" --suite NONE \
		rtp:$real:14:20 rtcp:$real:4:3 || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	# In: 53 + 8 + 50 + 23 packets; out: 53 + 3 + 23; refused: 5 + 50.
	expect_counters "$local_ep" rx_packets=134 tx_packets=79 rtcp_tx_packets=6 \
		tx_refused=55 tx_errors=0; c=$?
	ctl stream del "$local_ep"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}
