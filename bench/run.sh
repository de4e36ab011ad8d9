#!/bin/sh
# Runs the benchmarks and prints their tables. QUICK=1 runs each briefly:
# it proves the harness works, not how fast anything is.
set -eu
cd "$(dirname "$0")/.."
mkdir -p bench/results

iterations=2000000
[ "${QUICK:-0}" = 1 ] && iterations=50000

echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(uname -r)"
build/bench/srtp_micro "$iterations" | tee bench/results/srtp_micro.txt
