#!/bin/sh
# Runs test programs, each ending with "N passed, N failed", and adds them up.
# A program that dies before its summary, or exits non-zero, counts as a
# failure of its own, so a crash can never pass silently.
total_passed=0
total_failed=0
for program in "$@"; do
	echo "== $program"
	output=$("$program" 2>&1)
	status=$?
	printf '%s\n' "$output"
	summary=$(printf '%s\n' "$output" | grep -E '^([A-Za-z_-]+: )?[0-9]+ passed, [0-9]+ failed' | tail -1)
	if [ -z "$summary" ]; then
		echo "!! $program printed no summary (exit $status)"
		total_failed=$((total_failed + 1))
		continue
	fi
	passed=$(echo "$summary" | sed -E 's/^([A-Za-z_-]+: )?([0-9]+) passed.*/\2/')
	failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	total_passed=$((total_passed + passed))
	total_failed=$((total_failed + failed))
	if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
		echo "!! $program exited $status"
		total_failed=$((total_failed + 1))
	fi
done
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
