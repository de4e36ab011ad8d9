# Sourced by lib.sh and media_lib.sh; not run.

# wait_until SECS CMD...: runs CMD every 0.1 s until it succeeds (0) or SECS
# have passed (1). Steps wait for what they need, never a fixed time: on a
# loaded host processes start, and calls set up, seconds late.
wait_until() {
	_tries=$(($1 * 10))
	shift
	until "$@" >/dev/null 2>&1; do
		_tries=$((_tries - 1))
		[ "$_tries" -gt 0 ] || return 1
		sleep 0.1
	done
}
