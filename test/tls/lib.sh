# Helpers of test/tls/run.sh and calls.sh: count checks. Sourced, not run;
# expects T (a folder of the run's own) from the caller.

# Each check prints "PASS WHAT" or "FAIL WHAT" (with the end of what failed)
# and is counted in passed or failed; a suite ends with
# "$passed passed, $failed failed", which scripts/check.sh reads.
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "PASS $1"; }
ko() {
	failed=$((failed + 1))
	echo "FAIL $1"
	[ -s "$T/out" ] && sed 's/^/    | /' "$T/out" | head -15
}
# check NAME CMD...: CMD's status decides; its output is kept in $T/out.
check() {
	name=$1
	shift
	if "$@" >"$T/out" 2>&1; then ok "$name"; else ko "$name"; fi
}
