# make bench QUICK=1 is part of make check: the harness must keep working.
.PHONY: bench-quick
bench-quick: all
	QUICK=1 sh bench/run.sh
CHECK_EXTRA += bench-quick
