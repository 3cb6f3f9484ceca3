#!/usr/bin/env bash
# session-service messages benchmark: message append and page read through the service vs. the same
# SQL straight against MariaDB (JDBC), at concurrency 32, in one run. See bench/README.md.
#
# Env: SESSION_APP (default session-service/target/quarkus-app/quarkus-run.jar), BENCH_DURATION (20s),
#      BENCH_WARMUP (seconds, 15), BENCH_KEEP=1 (keep the service log and raw outputs),
#      SERVICE_JAVA_OPTS (extra JVM options of the service, e.g. a Flight Recorder setting).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SESSION_APP=${SESSION_APP:-$ROOT/session-service/target/quarkus-app/quarkus-run.jar}
DURATION=${BENCH_DURATION:-20s}
DURATION_S=${DURATION%s}
WARMUP=${BENCH_WARMUP:-15}
CONCURRENCY=32
SESSIONS_N=32
SEED_MESSAGES=200
DB_NAME=suite_session_bench
OWNER=bench

die() { echo "session-messages bench: $*" >&2; exit 1; }

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[[ -f $SESSION_APP ]] || die "no $SESSION_APP: run ./mvnw package -DskipTests first"
JDBC_JAR=$(ls -1 "$HOME"/.m2/repository/org/mariadb/jdbc/mariadb-java-client/*/mariadb-java-client-*.jar 2>/dev/null \
    | grep -v -e sources -e javadoc | sort -V | tail -1)
[[ -n $JDBC_JAR ]] || die "no MariaDB JDBC driver in ~/.m2 (build the project once)"

WORK=$(mktemp -d /tmp/bench-session-messages.XXXXXX)
SERVICE_PID=""
cleanup() {
    local rc=$?
    [[ -n $SERVICE_PID ]] && { kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; }
    if [[ $rc -ne 0 || -n ${BENCH_KEEP:-} ]]; then echo "outputs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# Run a private copy, so a rebuild during the run cannot pull the jar from under the service.
cp -r "$(dirname "$SESSION_APP")" "$WORK/app"
bash "$ROOT/deploy/local/services.sh" >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
mariadb -uroot -e "DROP DATABASE IF EXISTS $DB_NAME; CREATE DATABASE $DB_NAME; GRANT ALL ON $DB_NAME.* TO 'suite'@'%'" \
    2>/dev/null || mariadb -uroot -e "DROP DATABASE IF EXISTS $DB_NAME; CREATE DATABASE $DB_NAME"

# shellcheck source=../free-port.sh
source "$HERE/../free-port.sh"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
export BENCH_KEY="bench-$(openssl rand -hex 16)"
SUITE_AUTH_MODE=api-key SUITE_AUTH_API_KEYS="$OWNER:$(echo -n "$BENCH_KEY" | sha256sum | cut -d' ' -f1)" \
SUITE_REDIS_PREFIX="bench-$(openssl rand -hex 4):" \
    java -Xmx512m ${SERVICE_JAVA_OPTS:-} -Dquarkus.http.port="$PORT" -Dquarkus.log.level=WARN \
    -Dquarkus.datasource.reactive.url="mysql://127.0.0.1:3306/$DB_NAME" \
    -Dquarkus.datasource.jdbc.url="jdbc:mariadb://127.0.0.1:3306/$DB_NAME" \
    -jar "$WORK/app/quarkus-run.jar" >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
for i in $(seq 120); do
    kill -0 "$SERVICE_PID" 2>/dev/null || die "service exited during start-up (see $WORK/service.log)"
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/q/health/ready") = 200 ]] && break
    [[ $i -eq 120 ]] && die "service not ready after 60 s"
    sleep 0.5
done

echo "seeding $SESSIONS_N sessions of $SEED_MESSAGES messages..."
SESSIONS=""
batch=$(python3 -c "import json; print(json.dumps([{'role': 'user' if i % 2 == 0 else 'assistant', 'content': 'seed message %d with some text to read back' % i, 'token_count': 9} for i in range($SEED_MESSAGES)]))")
for i in $(seq "$SESSIONS_N"); do
    id=$(curl -fs -H "Authorization: Bearer $BENCH_KEY" -H 'Content-Type: application/json' \
        -d "{\"title\":\"bench $i\",\"session_type\":\"agent\"}" "$BASE/api/sessions" \
        | sed 's/.*"session_id":"\([^"]*\)".*/\1/') || die "could not create a session"
    curl -fs -o /dev/null -H "Authorization: Bearer $BENCH_KEY" -H 'Content-Type: application/json' \
        -d "$batch" "$BASE/api/sessions/$id/messages" || die "could not seed session $id"
    SESSIONS="$SESSIONS $id"
done
export SESSIONS

parse() { grep '^BENCH_RESULT' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
summarize() { # file -> RESULT="rps p50 p99"
    local req dur p50 p99
    req=$(parse "$1" requests); dur=$(parse "$1" duration_us); p50=$(parse "$1" p50_us); p99=$(parse "$1" p99_us)
    [[ $(parse "$1" errors) = 0 && -n $req && $req -gt 0 ]] || { cat "$1" >&2; die "errors in $1"; }
    RESULT=$(awk -v r="$req" -v d="$dur" -v a="$p50" -v b="$p99" 'BEGIN { printf "%.0f %.2f %.2f", r / (d / 1e6), a / 1000, b / 1000 }')
}
run_wrk() { # name script duration
    wrk -t2 -c"$CONCURRENCY" -d"$3" --latency -s "$HERE/$2" "$BASE" >"$WORK/$1.txt" 2>&1 || { cat "$WORK/$1.txt"; die "wrk failed"; }
    grep -qE 'Non-2xx|Socket errors|\.lua:' "$WORK/$1.txt" && { cat "$WORK/$1.txt" >&2; die "$1: errors"; }
    summarize "$WORK/$1.txt"
}
run_jdbc() { # name mode
    # shellcheck disable=SC2086 # one argument per session id
    java -cp "$JDBC_JAR" "$HERE/Bench.java" "$2" "$CONCURRENCY" "$DURATION_S" "$WARMUP" \
        "jdbc:mariadb://127.0.0.1:3306/$DB_NAME?useServerPrepStmts=true" suite suite "$OWNER" $SESSIONS \
        >"$WORK/$1.txt" 2>&1 || { cat "$WORK/$1.txt" >&2; die "JDBC run failed"; }
    summarize "$WORK/$1.txt"
}

echo "warming up the service (${WARMUP}s page reads, ${WARMUP}s appends)..."
run_wrk warm-page page.lua "${WARMUP}s"
run_wrk warm-append append.lua "${WARMUP}s"
echo "measuring ($DURATION each, concurrency $CONCURRENCY)..."
run_wrk page page.lua "$DURATION"; SVC_PAGE=$RESULT
run_jdbc raw-page page; RAW_PAGE=$RESULT
before=$(mariadb -N -uroot -e "SELECT COUNT(*) FROM $DB_NAME.chat_message")
run_wrk append append.lua "$DURATION"; SVC_APPEND=$RESULT
after=$(mariadb -N -uroot -e "SELECT COUNT(*) FROM $DB_NAME.chat_message")
(( after - before >= $(parse "$WORK/append.txt" requests) )) || die "fewer rows than wrk counted appends"
run_jdbc raw-append append; RAW_APPEND=$RESULT
# Every chain must have stayed linear: no message shares its parent with another.
forks=$(mariadb -N -uroot -e "SELECT COUNT(*) FROM (SELECT parent_id FROM $DB_NAME.chat_message WHERE parent_id IS NOT NULL GROUP BY parent_id HAVING COUNT(*) > 1) f")

ratio() { awk -v a="${1%% *}" -v b="${2%% *}" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "session-messages benchmark — $(date -u '+%Y-%m-%d %H:%M:%S UTC'), nproc=$(nproc), concurrency=$CONCURRENCY, duration=$DURATION"
echo "load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %9s %9s %9s\n' "scenario" "req/s" "p50 ms" "p99 ms"
row() { read -r rps p50 p99 <<<"$2"; printf '%-44s %9s %9s %9s\n' "$1" "$rps" "$p50" "$p99"; }
row "page read (50) via session-service" "$SVC_PAGE"
row "page read, same SQL straight to MariaDB" "$RAW_PAGE"
row "append via session-service" "$SVC_APPEND"
row "append, same SQL straight to MariaDB" "$RAW_APPEND"
echo "ratios service/raw: page $(ratio "$SVC_PAGE" "$RAW_PAGE"), append $(ratio "$SVC_APPEND" "$RAW_APPEND")"
echo "forked chains after the run (must be 0): $forks"
read -r _ _ page_p99 <<<"$SVC_PAGE"
read -r append_rps _ _ <<<"$SVC_APPEND"
awk -v p="$page_p99" -v a="$append_rps" 'BEGIN { printf "expectation (page p99 < 20 ms, >= 3000 appends/s): %s\n", (p < 20 && a >= 3000) ? "met" : "NOT met" }'
grep -E 'WARN|ERROR' "$WORK/service.log" | head -5 || true
