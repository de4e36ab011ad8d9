# SPDX-License-Identifier: GPL-2.0
#
# Sourced by tests.sh: srtprelay.ko removed and inserted again under
# srtprelayd's SDES-SRTP calls (issue 16, item 2; test/crash/t_02 kills
# the userspace datapath the same way). The generic netlink family
# vanishes with the module and comes back, maybe under another id:
# srtprelayd must notice within a second (nlctrl's DELFAMILY on its events
# socket), answer an INVITE 503 with Retry-After: 1 while the module is
# gone, and once it is back re-resolve the family, add its realms and
# re-install every call's streams with their keys: within 2 s of the
# insmod all RELOAD_CALLS calls carry SRTP both ways again, authenticated
# by libsrtp2 (srtp_calls, one socket in the caller's namespace and one in
# the callee's) with the keys srtprelayd gave each leg. Then a new call
# completes, the old calls end by BYE and nothing is left.

RELOAD_CALLS=${RELOAD_CALLS:-50}
# Long enough for every check on a loaded TCG host (under a load of 10 on
# 2 cores the part before the rmmod took 50 s); about 15 s on a quiet one.
RELOAD_HOLD_MS=${RELOAD_HOLD_MS:-100000}

uptime_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }

# reload_calls_file: $d/calls for srtp_calls, "CP EP KEY_TO_CALLER
# KEY_TO_CALLEE" per call: the ports from srtprelayctl calls, the keys from
# srtprelayd's 200s to the caller and INVITEs to the callee.
reload_calls_file() {
	cat "$d"/uac*.msg > "$d/uac-all.msg"
	in_sbc srtprelayctl calls -s $SIPD_SOCK 2>/dev/null |
		sdes_calls "$d" "$d/uac-all.msg" "$d/uas.msg" > "$d/calls"
}

# reload_media [srtp_calls options]: every call's SRTP both ways, under new
# sequence numbers each time.
reload_media() {
	reload_seq=$((reload_seq + 1000))
	srtp_calls --caller-ns /run/netns/caller --callee-ns /run/netns/callee \
		--callee-relay 10.0.2.1 "$@" 10.0.1.1 10.0.1.2:6000 10.0.2.2:6002 \
		"$k_caller" "$k_callee" $reload_seq < "$d/calls"
}

sipd_on_kernel() { in_sbc srtprelayctl status -s $SIPD_SOCK 2>/dev/null | grep -q '^backend kernel'; }
confirmed_are() { [ "$(in_sbc srtprelayctl calls -s $SIPD_SOCK 2>/dev/null | grep -c '^call .* confirmed')" -eq "$1" ]; }
sipd_calls_are() { [ "$(sipd_calls)" = "$1" ]; }
# monitor_joined PID: PID's generic netlink socket (its port id is its pid)
# has joined groups, in the sbc namespace's /proc/net/netlink.
monitor_joined() {
	in_sbc cat /proc/net/netlink | awk -v p="$1" '$2 == 16 && $3 == p && $4 != "00000000" { f = 1 } END { exit !f }'
}

module_reload_under_calls() {
	n=$RELOAD_CALLS
	d=$WORK/reload
	sed 's/^log_level = .*/log_level = "info";/' /ktest/srtprelayd-vm.conf >"$WORK/srtprelayd-reload.conf"
	sipd_start "$d" "$WORK/srtprelayd-reload.conf" || return 1
	k_caller=$(gen_key) k_callee=$(gen_key) reload_seq=$(($(date +%s) % 20000))
	printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$k_callee" >"$d/uas.csv"
	printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;conc\n' "$k_caller" >"$d/uac.csv"
	(cd "$d" && exec nsenter --net=/run/netns/callee timeout -k 5 400 sipp -sf /ktest/uas_answer.xml \
		-inf "$d/uas.csv" -i 10.0.2.2 -p 16070 -mp 9000 -m $((n + 1)) -nostdin -aa \
		-trace_msg -message_file "$d/uas.msg" -trace_err >"$d/uas.out" 2>&1) &
	uas=$!
	sleep 1
	(cd "$d" && exec nsenter --net=/run/netns/caller timeout -k 5 400 sipp 10.0.1.1:16060 \
		-sf /ktest/uac_hold.xml -inf "$d/uac.csv" -i 10.0.1.2 -p 16080 -mp 9000 \
		-m $n -l $n -r 25 -d $RELOAD_HOLD_MS -nostdin -timeout 380 \
		-trace_msg -message_file "$d/uac.msg" -trace_err >"$d/uac.out" 2>&1) &
	uac=$!
	t0=$(uptime_ms)
	reload_under_calls
	ok=$?
	say "media checks done $((($(uptime_ms) - t0) / 1000)) s after the first INVITE; the callers hang up ${RELOAD_HOLD_MS} ms after their answers"
	wait $uac
	urc=$?
	wait $uas
	src=$?
	wait_for 5 sipd_calls_are 0
	sleep 0.5
	after_calls=$(sipd_calls) after_streams=$(module_streams)
	in_sbc srtprelayctl status -s $SIPD_SOCK >"$d/status-after.txt" 2>&1
	say "after the BYEs: SIPp exit caller $urc, callee $src; $after_calls calls, $after_streams streams, $(grep '^realm' "$d/status-after.txt" | tr '\n' ' ')"
	sipd_stop || ok=1
	drc=$sipd_rc
	sipd_calls_ended || ok=1
	if [ $ok -ne 0 ]; then
		echo "SIPp errors:"
		cat "$d"/*errors.log 2>/dev/null | grep -v '^$' | head -12
		echo "srtprelayd log:"
		grep -v 'media: stream\|call .* ended\|answered$' "$d/daemon.log" | tail -20
	fi
	return $ok
}

# The part of module_reload_under_calls while the calls are up.
reload_under_calls() {
	r=0
	wait_for 90 confirmed_are $n
	sleep 0.5
	reload_calls_file
	say "$(wc -l < "$d/calls") of $n calls up with their keys, $(module_streams) streams in srtprelay.ko"
	[ "$(wc -l < "$d/calls")" -eq $n ] || fail "not all calls up" || return 1
	out=$(reload_media --wait-ms 3000)
	say "before: $out"
	echo "$out" | grep -q "^calls $n both-ways $n .* bad 0" ||
		fail "SRTP does not flow both ways on every call" || return 1

	# Two more clients across the reload: a handle that only makes
	# requests (nl_hold) and srtprelayctl monitor, which joined events.
	rm -f "$d/gone" "$d/back"
	nl_hold "$d/gone" "$d/back" >"$d/hold.out" 2>&1 &
	hold=$!
	in_sbc srtprelayctl monitor >"$d/monitor.out" 2>&1 &
	monitor=$!
	wait_for 20 test -s "$d/hold.out"
	wait_for 20 monitor_joined $monitor
	rmmod srtprelay || fail "rmmod srtprelay" || return 1
	have_module=false
	gone_at=$(uptime_ms)
	# When it logs the loss: a srtprelayctl status each time would cost
	# more than the wait under a loaded TCG host.
	noticed=""
	while [ $(($(uptime_ms) - gone_at)) -lt 1000 ]; do
		grep -q 'media plane lost' "$d/daemon.log" &&
			{ noticed=$(($(uptime_ms) - gone_at)); break; }
		sleep 0.02
	done
	say "rmmod srtprelay: srtprelayd noticed after ${noticed:-more than 1000} ms ($(in_sbc srtprelayctl status -s $SIPD_SOCK | grep '^backend'))"
	[ -n "$noticed" ] || { fail "srtprelayd did not notice the module's removal within 1 s"; r=1; }
	sipd_on_kernel && { fail "status still says backend kernel"; r=1; }
	(cd "$d" && nsenter --net=/run/netns/caller timeout -k 5 30 sipp 10.0.1.1:16060 \
		-sf /ktest/uac_hold.xml -inf "$d/uac.csv" -i 10.0.1.2 -p 16082 -mp 9100 \
		-m 1 -nostdin -timeout 10 -trace_msg -message_file "$d/gone.msg" \
		>"$d/gone.out" 2>&1)
	answer=$(grep -m1 '^SIP/2.0 [2-6]' "$d/gone.msg" | tr -d '\r')
	retry=$(grep -m1 -i '^Retry-After:' "$d/gone.msg" | tr -d '\r')
	say "an INVITE while the module is gone: ${answer:-no answer}, ${retry:-no Retry-After}"
	case "$answer" in "SIP/2.0 503"*) ;; *) fail "not refused with 503"; r=1 ;; esac
	[ "$retry" = "Retry-After: 1" ] || { fail "Retry-After is not 1"; r=1; }
	[ "$(sipd_calls)" = $n ] || { fail "calls: $(sipd_calls), want $n"; r=1; }
	say "srtprelayd: $(grep -m1 'media plane lost' "$d/daemon.log")"
	touch "$d/gone"
	wait_for 2 sh -c "[ \$(wc -l < '$d/hold.out') -ge 2 ]"
	say "a handle held across the rmmod asks again: $(sed -n 2p "$d/hold.out")"
	grep -q '^error 19 .*unloaded.*gone' "$d/hold.out" ||
		{ fail "its request did not say the module was unloaded (ENODEV)"; r=1; }
	kill -0 $monitor 2>/dev/null && { fail "srtprelayctl monitor still runs"; kill $monitor; r=1; }
	wait $monitor
	say "srtprelayctl monitor ended (exit $?): $(tail -1 "$d/monitor.out")"
	grep -q 'module was unloaded' "$d/monitor.out" ||
		{ fail "srtprelayctl monitor did not say the module was unloaded"; r=1; }
	grep -q 'media plane lost' "$d/daemon.log" || { fail "srtprelayd did not log the loss"; r=1; }

	# srtp_calls makes its 100 sessions first (a second or more under
	# TCG) and starts its rounds at the insmod; its "after T ms" is the
	# time from there to the round that passed. Rounds of one packet per
	# call and direction: under a loaded TCG host five took 1.3 s each.
	rm -f "$d/media-ready" "$d/media-go"
	reload_media --packets 1 --wait-ms 150 --until-ms 5000 --ready-file "$d/media-ready" \
		--go-file "$d/media-go" >"$d/media-back.out" 2>&1 &
	media=$!
	wait_for 20 test -e "$d/media-ready"
	insmod "$KMOD" || fail "insmod" || return 1
	touch "$d/media-go"
	have_module=true
	back_at=$(uptime_ms)
	wait $media
	rc=$?
	tail -3 "$d/media-back.out" | sed 's/^/    after insmod: /'
	got=$(sed -n 's/.* after \([0-9]*\) ms$/\1/p' "$d/media-back.out")
	say "down $((back_at - gone_at)) ms; media back on every call ${got:-never} ms after the insmod"
	[ $rc -eq 0 ] && [ "${got:-9999}" -le 2000 ] ||
		{ fail "SRTP not back both ways on all $n calls within 2 s of the insmod"; r=1; }
	touch "$d/back"
	wait $hold
	say "the held handle after the insmod: $(sed -n 3p "$d/hold.out")"
	# genetlink hands out family ids cyclically: the new module's differs.
	grep -q '^error 19 .*unloaded.*registered anew' "$d/hold.out" ||
		{ fail "its request did not say the family was registered anew (ENODEV)"; r=1; }
	say "srtprelayd: $(grep -m1 'media plane: back' "$d/daemon.log"); srtprelay.ko: $(module_streams) streams"
	[ "$(module_streams)" = $((2 * n)) ] || { fail "streams: $(module_streams), want $((2 * n))"; r=1; }
	sipd_on_kernel || { fail "status does not say backend kernel"; r=1; }

	(cd "$d" && exec nsenter --net=/run/netns/caller timeout -k 5 60 sipp 10.0.1.1:16060 \
		-sf /ktest/uac_hold.xml -inf "$d/uac.csv" -i 10.0.1.2 -p 16081 -mp 9200 \
		-m 1 -d 8000 -nostdin -timeout 50 \
		-trace_msg -message_file "$d/uac-new.msg" -trace_err >"$d/uac-new.out" 2>&1) &
	new=$!
	wait_for 30 confirmed_are $((n + 1))
	sleep 0.5
	reload_calls_file
	out=$(reload_media --wait-ms 3000)
	say "with a new call: $out"
	echo "$out" | grep -q "^calls $((n + 1)) both-ways $((n + 1)) .* bad 0" ||
		{ fail "the new call and the old ones do not all carry SRTP both ways"; r=1; }
	wait $new || { fail "SIPp: the new call failed"; r=1; }
	return $r
}
