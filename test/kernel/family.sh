# SPDX-License-Identifier: GPL-2.0
#
# Sourced by tests.sh: the per-packet policy both backends share
# (kmod/packet_policy.c), seen from outside. Every pair of address families
# relays byte-exact; the UDP checksum of what comes in is verified (a bad
# one is dropped and counted as bad_checksum) and what goes out has a right
# one; the TTL or hop limit is carried over and decremented once, and a
# packet that arrives with 1 left is dropped and counted as ttl_expired; a
# packet whose protected form would not fit an IP packet is dropped and
# counted as too_long. Check names start with "family_".

# The senders' default TTL and hop limit are 64; the relay is one hop.
RELAYED_TTL=63

# A call whose legs differ in family, both ways at once (call_bidirectional),
# and one stream of each direction in every suite pairing kind, RTCP on its
# own port and muxed (flow with OUT_FAM).
family_pairs() {
	for pair in "4 6" "6 4" "4 4" "6 6"; do
		set -- $pair
		check "family_call_ipv$1_caller_ipv$2_callee_both_directions_byte_exact" \
			call_bidirectional "$1" "$2"
		OUT_FAM=$2
		check "family_ipv$1_to_ipv$2_srtp80_to_rtp_with_rtcp" flow "$1" $S80 NONE sep
		check "family_ipv$1_to_ipv$2_rtp_to_srtp32_rtcp_mux" flow "$1" NONE $S32 mux
		OUT_FAM=
	done
}

# plain_stream FAM_IN FAM_OUT: a plain RTP stream caller -> callee (nothing
# but the checksum protects plain RTP); its local endpoint is left in $local_ep.
plain_stream() {
	alloc_port
	local_ep=$(ep sbc1 "$1" $port)
	ctl stream add "$local_ep" out-src "$(ep sbc2 "$2" $port)" \
		out-dst "$(ep callee "$2" 7000)" in-suite NONE out-suite NONE
}

# An IPv4 sender that computes no UDP checksum (0, RFC 768) is relayed, and
# onto IPv6, where a checksum is mandatory (RFC 8200 8.1), with a right one:
# the receiving kernel drops a wrong one, so every packet arriving proves it.
family_no_checksum() {
	plain_stream 4 "$1" || return 1
	start_recv callee --listen "$(ep callee "$1" 7000)" --ttl $RELAYED_TTL \
		--suite NONE rtp:0x5e0:1:20
	in_caller srtp_peer send --src "$(ep caller 4 6000)" --dst "$local_ep" --no-checksum \
		--suite NONE rtp:0x5e0:1:20 || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "$local_ep" rx_packets=20 tx_packets=20 bad_checksum=0; c=$?
	ctl stream del "$local_ep"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

# Every 6th packet also comes with a wrong UDP checksum, before the genuine
# one: the copies are dropped and counted, the genuine ones all arrive once.
family_bad_checksum() {
	fam=$1 n=60
	plain_stream "$fam" "$fam" || return 1
	start_recv callee --listen "$(ep callee "$fam" 7000)" --ttl $RELAYED_TTL \
		--suite NONE rtp:0xc5:1:$n
	in_caller srtp_peer send --src "$(ep caller "$fam" 6000)" --dst "$local_ep" \
		--suite NONE --bad csum --bad-every 6 rtp:0xc5:1:$n || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "$local_ep" bad_checksum=$((n / 6)) rx_packets=$n tx_packets=$n; c=$?
	ctl stream del "$local_ep"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

# Packets that arrive with TTL (hop limit) 1 would leave with 0: dropped and
# counted before any crypto; the same stream then relays packets with 64.
family_ttl_expired() {
	fam=$1
	plain_stream "$fam" "$fam" || return 1
	start_recv callee --listen "$(ep callee "$fam" 7000)" --ttl $RELAYED_TTL \
		--suite NONE rtp:0x771:100:10
	in_caller srtp_peer send --src "$(ep caller "$fam" 6000)" --dst "$local_ep" --ttl 1 \
		--suite NONE rtp:0x771:1:10 || return 1
	in_caller srtp_peer send --src "$(ep caller "$fam" 6000)" --dst "$local_ep" \
		--suite NONE rtp:0x771:100:10 || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "$local_ep" ttl_expired=10 rx_packets=10 tx_packets=10; c=$?
	ctl stream del "$local_ep"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

# On the sbc's own 64K-MTU loopback an IPv4 packet may carry 65507 bytes of
# UDP payload. Plain RTP in, SRTP _80 out (10 bytes of tag): with 12 bytes
# of RTP header and 65485 of payload the output is 65535 bytes of IPv4, the
# most there can be, and is relayed byte-exact; one byte more is received
# (rx_packets) but not sent: dropped and counted as too_long.
family_length_limit() {
	alloc_port
	kout=$(gen_key)
	local_ep=$(ep sbc1 4 $port)
	ctl stream add "$local_ep" out-src "$(ep sbc2 4 $port)" out-dst "$(ep sbc2 4 7000)" \
		in-suite NONE $(ctl_crypto out $S80 "$kout") || return 1
	start_recv sbc --listen "$(ep sbc2 4 7000)" --ttl $RELAYED_TTL --len 65485 \
		$(peer_args $S80 "$kout") rtp:0x64a:1:3
	in_sbc srtp_peer send --src "$(ep sbc1 4 6000)" --dst "$local_ep" --len 65486 \
		--suite NONE rtp:0x64b:1:2 || return 1
	in_sbc srtp_peer send --src "$(ep sbc1 4 6000)" --dst "$local_ep" --len 65485 \
		--suite NONE rtp:0x64a:1:3 || return 1
	stop_recv $recv_pid && ok=0 || ok=1
	expect_counters "$local_ep" too_long=2 rx_packets=5 tx_packets=3; c=$?
	ctl stream del "$local_ep"
	[ $ok -eq 0 ] && [ $c -eq 0 ]
}

family_checks() {
	family_pairs
	check family_ipv4_without_udp_checksum_to_ipv4_relayed family_no_checksum 4
	check family_ipv4_without_udp_checksum_to_ipv6_gets_one family_no_checksum 6
	for fam in 4 6; do
		check "family_bad_udp_checksum_ipv${fam}_dropped_and_counted" family_bad_checksum $fam
		check "family_ttl_1_ipv${fam}_dropped_and_counted" family_ttl_expired $fam
	done
	check family_length_limit_ipv4_loopback_65535_relayed_one_more_dropped_and_counted \
		family_length_limit
}
