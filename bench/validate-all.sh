#!/usr/bin/env bash
# The full validation matrix of docs/validation.md: every validate-* scenario
# on real Gunicorn (server pinned to core 0, wrk to core 1), predicted vs
# measured. Needs `bash .ci/install-validation`; takes about 5 minutes.
#   bench/validate-all.sh [build dir] [seconds per configuration]
set -euo pipefail
build=${1:-build}
seconds=${2:-10}
for s in validate-cpu-bound validate-io-bound validate-mixed; do
  "$build/app/gilsim" validate "$s" --seconds "$seconds" --warmup 2
  echo
done
