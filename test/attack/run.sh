#!/bin/sh
# Runs every test/attack/t_*.sh (or those matching $1) as its own process
# and prints one closing line adding up what each reported. A file that
# exits non-zero without counting a failure counts as one failure; a file
# that prints no count and exits 0 is a defect of the test and fails too.
#
# Usage: test/attack/run.sh [PREFIX]
cd "$(dirname "$0")/../.." || exit 2
passed=0
failed=0
for test in test/attack/${1:-t_}*.sh; do
	[ -f "$test" ] || continue
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
echo "attackcheck: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
