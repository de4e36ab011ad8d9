# SPDX-License-Identifier: GPL-2.0
#
# SRTP pass-through, sourced by tests.sh: both backends run it. Both legs
# share one key; the relay checks each packet (tag, MKI, replay window)
# and sends it on as it came. Two rules keep that safe across updates
# (srtp_ctx_note_sent() in kmod/srtp.c): what passed counts as sent under
# the out leg's key, so a later update that protects under that key never
# encrypts those indices again; and a packet whose index the out leg's
# peer would read otherwise (its ROC for the SSRC differs from the
# sender's) is refused and counted, not sent to fail there.

# pass_through_bad SUITE MODE COUNTER: a pass-through stream (one key on both
# legs) gets MODE copies of every 6th packet: they are dropped and counted,
# the genuine packets arrive as the caller sent them.
pass_through_bad() {
	suite=$1 mode=$2 counter_name=$3
	alloc_port
	k=$(gen_key "$suite") n=60
	ctl stream add "10.0.1.1:$port" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 \
		pass-through $(ctl_crypto in "$suite" "$k") $(ctl_crypto out "$suite" "$k") || return 1
	start_recv callee --listen 10.0.2.2:7000 --from "10.0.2.1:$port" $(peer_args "$suite" "$k") \
		rtp:0xbad:1:$n
	in_caller srtp_peer send --src 10.0.1.2:6000 --dst "10.0.1.1:$port" $(peer_args "$suite" "$k") \
		--bad "$mode" --bad-every 6 rtp:0xbad:1:$n || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "10.0.1.1:$port" "$counter_name=$((n / 6))" rx_packets=$n tx_packets=$n
	c=$?
	ctl stream del "10.0.1.1:$port"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

# Pass-through: both legs share one key, the relay checks each packet (tag,
# MKI, replay window) and sends it on unchanged; libsrtp2 at the far end
# decrypts with the caller's key, SRTP and SRTCP, across the wrap.
pass_through_checks() {
	SAME_KEY=1
	check pass_through_srtp80_ipv4_delivers_all_rtp_and_rtcp flow 4 $S80 $S80 sep pass-through
	check pass_through_aes256_32_ipv6_rtcp_mux_delivers_all flow 6 $A32 $A32 mux pass-through
	IN_MKI=2:2 OUT_MKI=2:2
	check pass_through_srtp80_mki_ipv4_delivers_all flow 4 $S80 $S80 sep pass-through
	IN_MKI= OUT_MKI=
	SAME_KEY=
	check pass_through_drops_tampered_packets pass_through_bad $S80 tamper auth_failed
	check pass_through_drops_replayed_packets pass_through_bad $A80 replay replayed
	k=$(gen_key) k2=$(gen_key) kg=$(gen_key $G128)
	check pass_through_refused_with_two_keys ctl_rejects "pass-through with two keys" \
		stream add 10.0.1.1:21904 out-src 10.0.2.1:21904 out-dst 10.0.2.2:7000 pass-through \
		in-suite $S80 in-key "$k" out-suite $S80 out-key "$k2"
	check pass_through_refused_with_gcm ctl_rejects "pass-through with an AEAD suite" \
		stream add 10.0.1.1:21904 out-src 10.0.2.1:21904 out-dst 10.0.2.2:7000 pass-through \
		in-suite $G128 in-key "$kg" out-suite $G128 out-key "$kg"
	check pass_through_refused_without_authentication ctl_rejects \
		"pass-through of unauthenticated SRTP" \
		stream add 10.0.1.1:21904 out-src 10.0.2.1:21904 out-dst 10.0.2.2:7000 pass-through \
		in-suite $S80 in-key "$k" in-param UNAUTHENTICATED_SRTP \
		out-suite $S80 out-key "$k" out-param UNAUTHENTICATED_SRTP
	check pass_through_indices_count_as_sent_when_rekeyed_after \
		pass_through_then_rekeyed
	check pass_through_refuses_what_the_callee_would_read_at_another_roc \
		pass_through_out_roc_kept
}

# pass_through_then_rekeyed: 20 packets pass through under the caller's key
# K; an update gives the caller a new key and keeps K on the callee's leg,
# so the relay now protects under K. The caller's next packets repeat
# indices 11-20: protected again under K they would be two plaintexts
# under one keystream. The relay refuses those 10 (tx_refused) and sends
# 21-30; libsrtp2 at the callee gets 1-30 once each.
pass_through_then_rekeyed() {
	alloc_port
	k=$(gen_key) k2=$(gen_key)
	local_ep=10.0.1.1:$port
	ctl stream add "$local_ep" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 \
		pass-through $(ctl_crypto in $S80 "$k") $(ctl_crypto out $S80 "$k") || return 1
	start_recv callee --listen 10.0.2.2:7000 $(peer_args $S80 "$k") rtp:0x7a55:1:30
	in_caller srtp_peer send --src 10.0.1.2:6000 --dst "$local_ep" \
		$(peer_args $S80 "$k") rtp:0x7a55:1:20 || return 1
	wait_counter "$local_ep" tx_packets 20
	ctl stream set "$local_ep" no-pass-through $(ctl_crypto in $S80 "$k2") || return 1
	in_caller srtp_peer send --src 10.0.1.2:6000 --dst "$local_ep" \
		$(peer_args $S80 "$k2") rtp:0x7a55:11:20 || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "$local_ep" rx_packets=40 tx_packets=30 tx_refused=10 \
		auth_failed=0; c=$?
	ctl stream del "$local_ep"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

# pass_through_out_roc_kept: re-keyed (caller's key K2, callee's K), the
# out leg tells the callee ROC 1 for each new SSRC and sends it SRTCP of
# SSRC 0x7a56, so the callee's ROC for 0x7a56 is 1. An update passes K
# through at ROC 0 both ways: the in leg starts over with the new key, the
# out leg keeps K's state. The caller's 10 RTP packets at ROC 0 would
# reach a callee reading ROC 1 and fail there: the relay refuses and
# counts them (roc_mismatch). The callee gets the SRTCP and nothing else.
pass_through_out_roc_kept() {
	alloc_port
	k=$(gen_key) k2=$(gen_key)
	local_ep=10.0.1.1:$port
	ctl stream add "$local_ep" out-src "10.0.2.1:$port" out-dst 10.0.2.2:7000 \
		rtcp-mux-in rtcp-mux-out $(ctl_crypto in $S80 "$k2") \
		$(ctl_crypto out $S80 "$k") out-roc 1 || return 1
	start_recv callee --listen 10.0.2.2:7000 --roc 1 $(peer_args $S80 "$k") \
		rtcp:0x7a56:1:3
	in_caller srtp_peer send --src 10.0.1.2:6000 --dst "$local_ep" \
		$(peer_args $S80 "$k2") rtcp:0x7a56:1:3 || return 1
	wait_counter "$local_ep" tx_packets 3
	ctl stream set "$local_ep" pass-through $(ctl_crypto in $S80 "$k") \
		$(ctl_crypto out $S80 "$k") || return 1
	in_caller srtp_peer send --src 10.0.1.2:6000 --dst "$local_ep" \
		$(peer_args $S80 "$k") rtp:0x7a56:100:10 || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "$local_ep" rx_packets=13 tx_packets=3 roc_mismatch=10 \
		tx_refused=0 auth_failed=0; c=$?
	ctl stream del "$local_ep"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}
