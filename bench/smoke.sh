#!/usr/bin/env bash
# Every benchmark for a few seconds, no figures asserted: proves each bench/*/run.sh still runs
# from a fresh clone after ./mvnw -B package -DskipTests (its tools and peers installed as it
# installs them). Fails on the first script that fails; its output is shown.
#   usage: bench/smoke.sh [name ...]   (default: every bench; a name is a directory of bench/)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export BENCH_DURATION=2s BENCH_WARMUP=1 BENCH_TTFB_SAMPLES=10 BENCH_IMAGES=2 BENCH_NODES=20 BENCH_RUNS=2 \
    BENCH_WARMUP_RUNS=1 BENCH_REQUESTS=10 BENCH_SETTLE=1 BENCH_SCHEDULES=50
(($# > 0)) || set -- $(cd "$HERE" && ls -d */ | tr -d /)
for name in "$@"; do
  script=$HERE/$name/run.sh
  log=$(mktemp)
  started=$SECONDS
  if bash "$script" >"$log" 2>&1; then
    echo "bench smoke: $name ok ($((SECONDS - started)) s)"
    rm -f "$log"
  else
    tail -n 40 "$log" >&2
    echo "bench smoke: $name FAILED (full output: $log)" >&2
    exit 1
  fi
done
