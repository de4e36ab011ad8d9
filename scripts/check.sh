#!/bin/sh
# make check: every suite in turn, each to the end even when an earlier one
# failed, then one closing line adding up what the suites reported. A
# suite's last "N passed, N failed" line is its own total; a suite that
# exits non-zero without counting a failure counts as one.
#
# CI stops a run at 90 minutes and shows only its tail. So the run keeps a
# budget: no suite runs longer than CHECK_SUITE_LIMIT seconds (default
# 1500; the longest, kcheck, takes about 500 here), none starts once
# CHECK_BUDGET seconds (default 4800, counted from this script's start)
# are spent, and each is stopped when the budget runs out. A suite stopped
# or never started is a failure. The tail then names each suite's time and
# what failed, so a slow run says where its time went.
#
# Usage: check.sh TARGET...   (make targets, run in this order)
cd "$(dirname "$0")/.."
mkdir -p build
budget=${CHECK_BUDGET:-4800}
suite_limit=${CHECK_SUITE_LIMIT:-1500}
check_started=$(date +%s)
total_passed=0
total_failed=0
failed_targets=""
times=""

# The last "N passed, N failed" line of a log, as "PASSED FAILED", or "".
counts_of() {
	grep -E '^([A-Za-z_-]+: )?[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 |
		sed -E 's/^([A-Za-z_-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2 \3/'
}

# Runs make TARGET, for at most LIMIT seconds, into LOG; its exit status
# goes to LOG.status, 124 when the limit stopped it.
run_limited() {
	# timeout signals make's whole process group, the peers a suite
	# started with it included, and KILLs what is left 20 s later.
	{ timeout -k 20 "$2" make --no-print-directory "$1"
	  echo "$?" >"$3.status"; } 2>&1 | tee "$3"
	case $(cat "$3.status") in
	124 | 137)
		echo 124 >"$3.status"
		echo "FAIL make $1 stopped at its limit of $2 s" | tee -a "$3" ;;
	esac
}

for target in "$@"; do
	log="build/check-$target.log"
	echo "==== make $target"
	started=$(date +%s)
	left=$((budget - (started - check_started)))
	if [ "$left" -lt 60 ]; then
		echo "FAIL make $target not run: the check's $budget s are spent" |
			tee "$log"
		status=125
	else
		limit=$suite_limit
		[ "$left" -lt "$limit" ] && limit=$left
		run_limited "$target" "$limit" "$log"
		status=$(cat "$log.status")
	fi
	counts=$(counts_of "$log")
	passed=${counts% *} failed=${counts#* }
	[ -n "$counts" ] || passed=0 failed=0
	# A suite with no count of its own (a build, a fuzz run) is one check.
	if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
		failed=1
	elif [ "$status" -eq 0 ] && [ -z "$counts" ]; then
		passed=1
	fi
	[ "$failed" -gt 0 ] && failed_targets="$failed_targets $target"
	took=$(( $(date +%s) - started ))
	echo "==== make $target: exit $status, $passed passed, $failed failed, $took s"
	times="$times $target=${took}s"
	total_passed=$((total_passed + passed))
	total_failed=$((total_failed + failed))
done
# CI shows only the tail of this output: end with each failing suite's
# failure lines (and a build's errors) under the file that printed them.
for target in $failed_targets; do
	echo "==== what failed in make $target"
	awk '/^==+ / { file = $0; shown = 0; next }
		/^[[:space:]]*(FAIL|FAILED|not ok)|error:|\*\*\* \[/ {
			if (!shown && file != "") { print file; shown = 1 }
			print
		}' "build/check-$target.log" | head -n 40
done
echo "==== times ($(( $(date +%s) - check_started )) s in all):$times" | fold -s -w 100
if [ -n "$failed_targets" ]; then
	echo "failing:$failed_targets"
fi
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
