# Helpers the attack tests share: sourced, not run (run.sh runs t_*.sh).
# check NAME CMD...: runs CMD, prints PASS/FAIL NAME; finish prints the
# closing "N passed, N failed" line and exits non-zero on any failure.
attack_passed=0
attack_failed=0

say() { echo "    $*"; }

check() {
	name=$1
	shift
	echo "--- $name"
	if "$@"; then
		attack_passed=$((attack_passed + 1))
		echo "PASS $name"
	else
		attack_failed=$((attack_failed + 1))
		echo "FAIL $name"
	fi
}

finish() {
	echo "$attack_passed passed, $attack_failed failed"
	[ "$attack_failed" -eq 0 ]
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A fresh directory under build/ for one test's files.
attack_workdir() {
	d=$PWD/build/attack/$1
	rm -rf "$d"
	mkdir -p "$d"
	echo "$d"
}

wait_for_socket() {
	for _ in $(seq 50); do
		[ -S "$1" ] && return 0
		sleep 0.1
	done
	echo "no socket at $1"
	return 1
}
