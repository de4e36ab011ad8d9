#!/bin/sh
# Runs every test/attack/t_*.sh (or those matching $1): see test/run_files.sh.
#
# Usage: test/attack/run.sh [PREFIX]
exec sh "$(dirname "$0")/../run_files.sh" test/attack attackcheck "$@"
