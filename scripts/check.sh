#!/bin/sh
# make check after deps: every suite in turn, each to the end even when an
# earlier one failed, then one closing line adding up what the suites
# reported. A suite's last "N passed, N failed" line is its own total; a
# suite that exits non-zero without counting a failure counts as one.
# Usage: check.sh TARGET...   (make targets, run in this order)
cd "$(dirname "$0")/.."
mkdir -p build
total_passed=0
total_failed=0
failed_targets=""
for target in "$@"; do
	log="build/check-$target.log"
	echo "==== make $target"
	started=$(date +%s)
	{ make --no-print-directory "$target"; echo "$?" >"$log.status"; } 2>&1 |
		tee "$log"
	status=$(cat "$log.status")
	summary=$(grep -E '^([A-Za-z_-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" |
		tail -n 1)
	passed=0
	failed=0
	if [ -n "$summary" ]; then
		passed=$(echo "$summary" | sed -E 's/^([A-Za-z_-]+: )?([0-9]+) passed.*/\2/')
		failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	fi
	# A suite with no count of its own (a build, a fuzz run) is one check.
	if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
		failed=1
	elif [ "$status" -eq 0 ] && [ -z "$summary" ]; then
		passed=1
	fi
	[ "$failed" -gt 0 ] && failed_targets="$failed_targets $target"
	echo "==== make $target: exit $status, $passed passed, $failed failed," \
		"$(( $(date +%s) - started )) s"
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
if [ -n "$failed_targets" ]; then
	echo "failing:$failed_targets"
fi
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
