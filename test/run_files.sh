#!/bin/sh
# Runs every DIR/t_*.sh (or those matching PREFIX) as its own process and
# prints one closing line adding up what each reported. A file that exits
# non-zero without counting a failure counts as one failure; a file that
# prints no count and exits 0 is a defect of the test and fails too.
# A suite whose directory holds no test at all fails: an empty suite in
# make check would otherwise pass without checking anything.
#
# Usage: test/run_files.sh DIR LABEL [PREFIX]
cd "$(dirname "$0")/.." || exit 2
dir=$1
label=$2
passed=0
failed=0
ran=0
for test in "$dir"/${3:-t_}*.sh; do
	[ -f "$test" ] || continue
	ran=$((ran + 1))
	echo "==== $test"
	log=$(mktemp)
	sh "$test" >"$log" 2>&1
	status=$?
	cat "$log"
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	rm -f "$log"
	if [ -z "$summary" ]; then
		echo "FAIL $test printed no count"
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + ${summary%% passed*}))
	file_failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	failed=$((failed + file_failed))
	[ "$status" -ne 0 ] && [ "$file_failed" -eq 0 ] && failed=$((failed + 1))
done
if [ "$ran" -eq 0 ]; then
	echo "FAIL no test matches $dir/${3:-t_}*.sh"
	failed=$((failed + 1))
fi
echo "$label: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
