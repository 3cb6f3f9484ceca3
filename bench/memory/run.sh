#!/usr/bin/env bash
# Resident memory of the five services as ./suite runs them: for each set of JVM options, the suite
# is started (./suite up, SUITE_JAVA_OPTS), each service answers a few requests through the API
# gateway, and after BENCH_SETTLE seconds of idling each service's RSS (VmRSS) and its live heap
# after a full GC (jcmd GC.heap_info) are read, and the RSS once that GC has run. Then ./suite down.
#   usage: bench/memory/run.sh ["<jvm options>" ...]   (default: the built-in options alone; given options are added after them)
#   env: BENCH_SETTLE (seconds, 20), BENCH_REQUESTS (requests per service before idling, 200)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SETTLE=${BENCH_SETTLE:-20}
REQUESTS=${BENCH_REQUESTS:-200}
SERVICES=(llm-service mcp-gateway session-service workflow-service task-service)
PATHS=(/api/llm/configs /api/mcp/servers /api/sessions /api/workflows /api/v1/tasks)
die() { echo "memory: $*" >&2; exit 1; }
for s in "${SERVICES[@]}"; do
  [[ -f $ROOT/$s/target/quarkus-app/quarkus-run.jar ]] || die "no $s jar: run ./mvnw -B package -DskipTests first"
done
(($# > 0)) || set -- default

export SUITE_RUN_DIR=${SUITE_RUN_DIR:-$(mktemp -d /tmp/suite-memory.XXXXXX)}
trap '"$ROOT/suite" down >/dev/null 2>&1 || true' EXIT

measure() {
  local label=$1 opts=$2
  if [[ $opts == default ]]; then
    unset SUITE_JAVA_OPTS
    label="built-in options"
  else
    export SUITE_JAVA_OPTS=$opts
    label="SUITE_JAVA_OPTS='$opts'"
  fi
  "$ROOT/suite" up >/dev/null
  local gateway
  gateway=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["gateway"])' "$SUITE_RUN_DIR/ports.json" 2>/dev/null || echo 8080)
  for path in "${PATHS[@]}"; do
    for _ in $(seq 1 "$REQUESTS"); do curl -s -o /dev/null "http://127.0.0.1:$gateway$path"; done
  done
  sleep "$SETTLE"
  echo "== $label"
  printf '%-18s %10s %14s %16s\n' service rss_mb live_heap_mb rss_after_gc_mb
  local total=0
  while read -r name pid; do
    local rss live
    rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
    jcmd "$pid" GC.run >/dev/null 2>&1 || true
    live=$(jcmd "$pid" GC.heap_info 2>/dev/null | grep -E 'generation|garbage-first heap' \
      | grep -oE 'used [0-9]+K' | grep -oE '[0-9]+' | awk '{s+=$1} END {print int(s/1024)}')
    sleep 1
    printf '%-18s %10s %14s %16s\n' "$name" "$rss" "${live:-?}" \
      "$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")"
    total=$((total + rss))
  done < <("$ROOT/suite" status | awk -v list="${SERVICES[*]}" 'BEGIN{split(list,a," "); for(i in a) want[a[i]]=1} ($1 in want) {print $1, $4}')
  printf '%-18s %10s\n' total "$total"
  "$ROOT/suite" down >/dev/null
}

for opts in "$@"; do
  measure "$opts" "$opts"
done
