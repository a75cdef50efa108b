#!/usr/bin/env bash
# The full validation matrix of docs/validation.md: every validate-* scenario
# on real Gunicorn (server pinned to core 0, wrk to core 1; validate-db with a
# real PostgreSQL and PgBouncer), the workloads on gilsim-server too, and
# Gunicorn's timeout kills; predicted vs measured. Needs
# `bash .ci/install-validation`; takes about 15 minutes.
#   bench/validate-all.sh [build dir] [seconds per configuration]
set -euo pipefail
build=${1:-build}
seconds=${2:-10}
for s in validate-cpu-bound validate-io-bound validate-mixed validate-db; do
  "$build/app/gilsim" validate "$s" --seconds "$seconds" --warmup 2
  echo
done
for s in validate-cpu-bound validate-io-bound validate-mixed; do
  "$build/app/gilsim" validate "$s" --target server --seconds "$seconds" --warmup 2
  echo
done
for s in effect-timeout-cpu effect-timeout-io effect-timeout-blocking-io; do
  "$build/app/gilsim" validate "$s" --seconds "$seconds" --warmup 0
  echo
done
