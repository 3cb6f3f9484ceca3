#!/usr/bin/env bash
# llm-service configs benchmark: list and create through the service vs. the same SQL straight
# against MariaDB, at concurrency 32. See bench/README.md.
#
#   LLM_APP=/path/to/quarkus-run.jar BENCH_DURATION=20s bench/llm-configs/run.sh
#
# Env: LLM_APP (default llm-service/target/quarkus-app/quarkus-run.jar, relative to the repo root),
#      BENCH_DURATION (wrk duration, default 20s), BENCH_WARMUP (seconds per warm-up step, default 15),
#      DB_HOST/DB_PORT (default 127.0.0.1:3306), DB_ROOT_USER (root, empty password),
#      BENCH_KEEP=1 (keep service log and raw wrk/JDBC outputs in /tmp/bench-llm-configs.*),
#      DB_USER/DB_PASSWORD (suite/suite), DB_NAME (suite_llm_bench; dropped and recreated each run).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

LLM_APP="${LLM_APP:-llm-service/target/quarkus-app/quarkus-run.jar}"
[[ "$LLM_APP" = /* ]] || LLM_APP="$ROOT/$LLM_APP"
BENCH_DURATION="${BENCH_DURATION:-20s}"
BENCH_WARMUP="${BENCH_WARMUP:-15}"
DB_HOST="${DB_HOST:-127.0.0.1}"
DB_PORT="${DB_PORT:-3306}"
DB_ROOT_USER="${DB_ROOT_USER:-root}"
DB_USER="${DB_USER:-suite}"
DB_PASSWORD="${DB_PASSWORD:-suite}"
DB_NAME="${DB_NAME:-suite_llm_bench}"
CONCURRENCY=32
WRK_THREADS=2
SEED_CONFIGS=200
OWNER=bench

die() { echo "run.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------- tools
if ! command -v wrk >/dev/null; then
    echo "installing wrk..."
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
for tool in wrk java curl openssl sha256sum mysql ss; do
    command -v "$tool" >/dev/null || die "missing $tool"
done
[[ -f "$LLM_APP" ]] || die "no service jar at $LLM_APP (set LLM_APP)"
JDBC_JAR="$(ls -1 "$HOME"/.m2/repository/org/mariadb/jdbc/mariadb-java-client/*/mariadb-java-client-*.jar 2>/dev/null \
    | grep -v -e sources -e javadoc | sort -V | tail -1)"
[[ -n "$JDBC_JAR" ]] || die "no MariaDB JDBC driver under ~/.m2/repository/org/mariadb/jdbc/mariadb-java-client/"

# duration in whole seconds, for the JDBC side (wrk takes 20s, 1m, ...)
case "$BENCH_DURATION" in
    *s) DURATION_S="${BENCH_DURATION%s}" ;;
    *m) DURATION_S=$(( ${BENCH_DURATION%m} * 60 )) ;;
    *[0-9]) DURATION_S="$BENCH_DURATION"; BENCH_DURATION="${BENCH_DURATION}s" ;;
    *) die "BENCH_DURATION must look like 20s or 1m" ;;
esac

WORK="$(mktemp -d /tmp/bench-llm-configs.XXXXXX)"
SERVICE_PID=""
cleanup() {
    local rc=$?
    if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        kill "$SERVICE_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$SERVICE_PID" 2>/dev/null || true
        wait "$SERVICE_PID" 2>/dev/null || true
    fi
    if [[ $rc -ne 0 || -n "${BENCH_KEEP:-}" ]]; then
        echo "run.sh: exit $rc; service log and raw outputs kept in $WORK" >&2
        [[ $rc -ne 0 && -f "$WORK/service.log" ]] && tail -20 "$WORK/service.log" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Run a private copy, so a rebuild during the run cannot pull the jar from under the service.
cp -r "$(dirname "$LLM_APP")" "$WORK/app"
LLM_APP="$WORK/app/$(basename "$LLM_APP")"

# Other work on the machine (a build, tests) skews the scenarios unevenly since they run one after
# another: record the load before and after, and say so when it was not quiet at the start.
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    echo "run.sh: WARNING: load average is $LOAD_BEFORE on $(nproc) cpus before starting; results will be noisy" >&2
fi

# ---------------------------------------------------------------- database
mysql -h"$DB_HOST" -P"$DB_PORT" -u"$DB_ROOT_USER" -e \
    "DROP DATABASE IF EXISTS \`$DB_NAME\`; CREATE DATABASE \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"

# ---------------------------------------------------------------- service
# shellcheck source=../free-port.sh
source "$HERE/../free-port.sh"
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
export BENCH_KEY="bench-$(openssl rand -hex 16)"
KEY_HASH="$(echo -n "$BENCH_KEY" | sha256sum | cut -d' ' -f1)"

SUITE_MASTER_KEY="$(openssl rand -base64 32)" SUITE_AUTH_MODE=api-key SUITE_AUTH_API_KEYS="$OWNER:$KEY_HASH" \
    java -Dquarkus.http.port="$PORT" \
    -Dquarkus.datasource.reactive.url="mysql://$DB_HOST:$DB_PORT/$DB_NAME" \
    -Dquarkus.datasource.jdbc.url="jdbc:mariadb://$DB_HOST:$DB_PORT/$DB_NAME" \
    -jar "$LLM_APP" >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!

echo "waiting for llm-service on port $PORT..."
for i in $(seq 120); do
    kill -0 "$SERVICE_PID" 2>/dev/null || die "service exited during start-up"
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/q/health/ready")" = 200 ]] && break
    [[ $i -eq 120 ]] && die "service not ready after 60 s"
    sleep 0.5
done

# ---------------------------------------------------------------- seed
echo "seeding $SEED_CONFIGS configs..."
for i in $(seq "$SEED_CONFIGS"); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/api/llm/configs" \
        -H "Authorization: Bearer $BENCH_KEY" -H 'Content-Type: application/json' \
        -d "{\"name\":\"seed-$i\",\"provider\":\"openai\",\"api_key\":\"sk-seed0123456789abcdefghijklmnopqrstuvwx\",\"model\":\"gpt-4o-mini\"}")
    [[ "$code" = 201 ]] || die "seed create #$i returned $code"
done
items=$(curl -sf "$BASE/api/llm/configs?limit=50" -H "Authorization: Bearer $BENCH_KEY" | grep -o '"config_id"' | wc -l)
[[ "$items" -eq 50 ]] || die "list after seeding returned $items items, expected 50"

db() { mysql -N -h"$DB_HOST" -P"$DB_PORT" -u"$DB_USER" -p"$DB_PASSWORD" "$DB_NAME" -e "$1"; }
rows() { db "SELECT count(*) FROM llm_config WHERE owner_id='$OWNER'"; }

# ---------------------------------------------------------------- runners
# Each runner leaves "rps p50_ms p99_ms" in $RESULT; any error fails the whole run.
parse() { # $1 file, $2 field
    grep '^BENCH_RESULT' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}
summarize() { # $1 file with a BENCH_RESULT line
    local req dur p50 p99
    req=$(parse "$1" requests); dur=$(parse "$1" duration_us)
    p50=$(parse "$1" p50_us); p99=$(parse "$1" p99_us)
    [[ -n "$req" && "$req" -gt 0 ]] || die "no requests completed (see $1)"
    RESULT="$(awk -v r="$req" -v d="$dur" -v a="$p50" -v b="$p99" \
        'BEGIN { printf "%.0f %.2f %.2f", r / (d / 1e6), a / 1000, b / 1000 }')"
}

run_wrk() { # $1 name, $2 lua script, $3 duration; extra env already exported
    local out="$WORK/$1.txt"
    wrk -t"$WRK_THREADS" -c"$CONCURRENCY" -d"$3" --latency -s "$HERE/$2" "$BASE" >"$out" 2>&1 \
        || { cat "$out" >&2; die "wrk failed for $1"; }
    if grep -qE 'Non-2xx or 3xx responses|Socket errors|\.lua:|PANIC' "$out"; then
        cat "$out" >&2
        die "$1: wrk saw errors or non-2xx responses (above)"
    fi
    local e
    for e in status_errors connect_errors read_errors write_errors timeouts; do
        [[ "$(parse "$out" "$e")" = 0 ]] || { cat "$out" >&2; die "$1: $e=$(parse "$out" "$e")"; }
    done
    summarize "$out"
}

run_jdbc() { # $1 name, $2 mode (list|create), $3 warm-up seconds
    local out="$WORK/$1.txt"
    java -cp "$JDBC_JAR" "$HERE/Bench.java" "$2" "$CONCURRENCY" "$DURATION_S" "$3" \
        "jdbc:mariadb://$DB_HOST:$DB_PORT/$DB_NAME?useServerPrepStmts=true" \
        "$DB_USER" "$DB_PASSWORD" "$OWNER" "raw-$1" >"$out" 2>&1 \
        || { cat "$out" >&2; die "JDBC bench failed for $1"; }
    [[ "$(parse "$out" errors)" = 0 ]] || { cat "$out" >&2; die "$1: JDBC errors"; }
    summarize "$out"
}

# ---------------------------------------------------------------- warm-up
echo "warming up the service (${BENCH_WARMUP}s list + ${BENCH_WARMUP}s create)..."
run_wrk warmup-list list.lua "${BENCH_WARMUP}s"
BENCH_NAME_PREFIX="warm" run_wrk warmup-create create.lua "${BENCH_WARMUP}s"

# ---------------------------------------------------------------- scenarios
echo "a. list through the service (${BENCH_DURATION})..."
run_wrk svc-list list.lua "$BENCH_DURATION"; SVC_LIST="$RESULT"

echo "b. list straight against MariaDB (${DURATION_S}s after ${BENCH_WARMUP}s warm-up)..."
run_jdbc raw-list list "$BENCH_WARMUP"; RAW_LIST="$RESULT"

echo "c. create through the service (${BENCH_DURATION})..."
before=$(rows)
BENCH_NAME_PREFIX="run" run_wrk svc-create create.lua "$BENCH_DURATION"; SVC_CREATE="$RESULT"
after=$(rows)
counted=$(parse "$WORK/svc-create.txt" requests)
# wrk counts only replies that arrived in the window; requests still in flight may add a few rows.
(( after - before >= counted )) || die "create: wrk counted $counted 2xx replies but only $(( after - before )) rows were added"

echo "d. count + insert transaction straight against MariaDB (${DURATION_S}s after ${BENCH_WARMUP}s warm-up)..."
run_jdbc raw-create create "$BENCH_WARMUP"; RAW_CREATE="$RESULT"

# ---------------------------------------------------------------- report
ratio() { awk -v a="${1%% *}" -v b="${2%% *}" 'BEGIN { printf "%.2f", a / b }'; }
LIST_RATIO="$(ratio "$SVC_LIST" "$RAW_LIST")"
CREATE_RATIO="$(ratio "$SVC_CREATE" "$RAW_CREATE")"

echo
echo "llm-service configs benchmark — $(date -u '+%Y-%m-%d %H:%M:%S UTC'), nproc=$(nproc), concurrency=$CONCURRENCY, duration=$BENCH_DURATION"
echo "load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg); rows for the bench user at the end: $(rows)"
printf '%-28s %10s %9s %9s %18s\n' scenario 'req/s' 'p50 ms' 'p99 ms' 'service/raw req/s'
row() { # $1 name, $2 "rps p50 p99", $3 ratio
    read -r rps p50 p99 <<<"$2"
    printf '%-28s %10s %9s %9s %18s\n' "$1" "$rps" "$p50" "$p99" "$3"
}
row "a. list via service"        "$SVC_LIST"   "$LIST_RATIO"
row "b. list raw MariaDB"        "$RAW_LIST"   ""
row "c. create via service"      "$SVC_CREATE" "$CREATE_RATIO"
row "d. create raw MariaDB"      "$RAW_CREATE" ""

read -r _ _ list_p99 <<<"$SVC_LIST"
echo
# 2xx replies can hide trouble (e.g. events that could not be published): show what the service logged.
warn_count=$(grep -cE ' (WARN|ERROR) ' "$WORK/service.log" || true)
echo "service log: $warn_count WARN/ERROR lines during the run; most frequent:"
grep -E ' (WARN|ERROR) ' "$WORK/service.log" | sed -E 's/^[0-9-]+ [0-9:,]+ +//; s/\(vert\.x-[^)]*\) //; s/\[rid=[^]]*\] //; s/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<id>/g' \
    | sort | uniq -c | sort -rn | head -3 | cut -c1-200 || true
awk -v p="$list_p99" -v r="$LIST_RATIO" 'BEGIN {
    printf "expectation (issue): list p99 < 20 ms: %s (%.2f ms); service >= 0.5 x raw-DB list rate: %s (%.2f)\n",
        (p < 20 ? "met" : "NOT met"), p, (r >= 0.5 ? "met" : "NOT met"), r }'
