#!/usr/bin/env bash
# Recurring tasks at scale (see bench/README.md): BENCH_SCHEDULES (1000) schedules ticking each
# second on two task-service replicas, each tick a no-op task run by the replicas' workers, for
# BENCH_DURATION after BENCH_WARMUP. From the tasks' own rows: ticks/s against the expected rate,
# ticks missed or made twice, tick lateness (tick → taken, → committed and queued) and tick → task
# started, p50/p99.
# Then, in the same run, the reference: BullMQ's job schedulers (npm, pinned in
# bullmq/package-lock.json) with the same count ticking each second, on the same Redis.
# Env: TASK_APP (default task-service/target/quarkus-app/quarkus-run.jar), BENCH_SCHEDULES (1000),
#      BENCH_DURATION (30s), BENCH_WARMUP (15 s), MAX_WORKERS (32 per replica), BENCH_KEEP=1 (keep logs).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TASK_APP=${TASK_APP:-$ROOT/task-service/target/quarkus-app/quarkus-run.jar}
SCHEDULES=${BENCH_SCHEDULES:-1000}
DURATION_S=$(echo "${BENCH_DURATION:-30s}" | tr -dc 0-9)
WARMUP_S=$(echo "${BENCH_WARMUP:-15}" | tr -dc 0-9)
WORKERS=${MAX_WORKERS:-32}
DB=suite_schedule_bench
OWNER=bench

die() { echo "schedules bench: $*" >&2; exit 1; }
[[ -f $TASK_APP ]] || die "no $TASK_APP: run ./mvnw package -DskipTests first"

WORK=$(mktemp -d /tmp/bench-schedules.XXXXXX)
PIDS=()
cleanup() {
    local rc=$?
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [[ $rc -ne 0 || -n ${BENCH_KEEP:-} ]]; then echo "outputs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

cp -r "$(dirname "$TASK_APP")" "$WORK/app"
bash "$ROOT/deploy/local/services.sh" >/dev/null
mariadb -uroot -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
sql() { mariadb -N -uroot "$DB" -e "$1"; }

KEY="bench-$(openssl rand -hex 16)"
PREFIX="bench-$(openssl rand -hex 4):"
# shellcheck source=../free-port.sh
source "$HERE/../free-port.sh"
start_replica() { # port
    SUITE_AUTH_MODE=api-key SUITE_AUTH_API_KEYS="$OWNER:$(echo -n "$KEY" | sha256sum | cut -d' ' -f1)" \
    SUITE_REDIS_PREFIX="$PREFIX" SUITE_TASK_FILES_DIRECTORY="$WORK/files" MAX_WORKERS="$WORKERS" \
    SUITE_TASK_MAX_SCHEDULES_PER_USER=1000000 SUITE_TASK_MAX_ACTIVE_PER_USER=10000000 SUITE_TASK_GLOBAL_MAX_RUNNING=1000 \
        java -Xmx512m -Dquarkus.http.port="$1" -Dquarkus.log.level=WARN \
        -Dquarkus.datasource.reactive.url="mysql://127.0.0.1:3306/$DB" \
        -Dquarkus.datasource.jdbc.url="jdbc:mariadb://127.0.0.1:3306/$DB" \
        -jar "$WORK/app/quarkus-run.jar" >"$WORK/replica-$1.log" 2>&1 &
    PIDS+=($!)
}
A=$(free_port); start_replica "$A"
for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$A/q/health/ready" && break; sleep 0.5; done
B=$(free_port); start_replica "$B"
for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$B/q/health/ready" && break; sleep 0.5; done
curl -fs -o /dev/null "http://127.0.0.1:$B/q/health/ready" || die "replicas not ready"

echo "creating $SCHEDULES schedules ticking each second (half on each replica)..."
seq "$SCHEDULES" | xargs -P 8 -I{} sh -c '
    port=$(( {} % 2 == 0 ? '"$A"' : '"$B"' ))
    curl -fs -o /dev/null -H "Authorization: Bearer '"$KEY"'" -H "Content-Type: application/json" \
        -d "{\"name\": \"tick-{}\", \"cron\": \"* * * * * *\", \"task\": {\"type\": \"noop\"}}" \
        "http://127.0.0.1:$port/api/v1/schedules"' || die "a schedule was not created"
[[ $(sql "SELECT COUNT(*) FROM task_schedule") = "$SCHEDULES" ]] || die "not every schedule was stored"

echo "warming up for $WARMUP_S s, then measuring $DURATION_S s..."
sleep "$WARMUP_S"
FROM=$(sql "SELECT DATE_FORMAT(UTC_TIMESTAMP(6) + INTERVAL 1 SECOND, '%Y-%m-%d %H:%i:%s')")
sleep "$DURATION_S"
UNTIL=$(sql "SELECT DATE_FORMAT('$FROM' + INTERVAL $DURATION_S SECOND, '%Y-%m-%d %H:%i:%s')")
# Ticks due near the window's end are given time to be made and to start.
sleep 5
WINDOW="scheduled_for >= '$FROM' AND scheduled_for < '$UNTIL'"
read -r TICKS DISTINCT <<<"$(sql "SELECT COUNT(*), COUNT(DISTINCT schedule_id, scheduled_for) FROM task WHERE $WINDOW")"
pct() { # expression, percentile -> ms
    sql "SELECT ROUND(v, 1) FROM (SELECT $1 AS v, ROW_NUMBER() OVER (ORDER BY $1) AS r, COUNT(*) OVER () AS n
         FROM task WHERE $WINDOW AND started_at IS NOT NULL) x WHERE r = GREATEST(1, CEIL(n * $2)) LIMIT 1"
}
LATE="TIMESTAMPDIFF(MICROSECOND, scheduled_for, created_at) / 1000"
START="TIMESTAMPDIFF(MICROSECOND, scheduled_for, started_at) / 1000"
EXPECTED=$((SCHEDULES * DURATION_S))
echo
echo "task-service, 2 replicas: $SCHEDULES schedules each second, $DURATION_S s"
awk -v t="$TICKS" -v s="$DURATION_S" -v n="$SCHEDULES" -v e="$EXPECTED" -v d="$DISTINCT" 'BEGIN {
    printf "  ticks/s %.0f of %d expected; ticks missed %d, made twice %d\n", t / s, n, e - d, t - d }'
# The replicas' own timer, from the tick to the task committed and queued (p99 over about the last
# two minutes, the window and the warm-up; the worse replica's).
QUEUED_P99=$(for port in "$A" "$B"; do curl -fs "http://127.0.0.1:$port/q/metrics" \
    | awk '/^task_schedule_lateness_seconds\{.*quantile="0.99"/ {print $2 * 1000}'; done | sort -g | tail -1)
echo "  tick -> replica took it ms (task created_at): p50 $(pct "$LATE" 0.5)  p99 $(pct "$LATE" 0.99)"
echo "  tick -> task committed and queued ms: p99 ${QUEUED_P99:-n/a}"
echo "  tick -> task started ms: p50 $(pct "$START" 0.5)  p99 $(pct "$START" 0.99)  max $(pct "$START" 1)"
for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
wait 2>/dev/null || true
PIDS=()

# The reference in the same run: BullMQ's job schedulers, under a key prefix of their own.
npm ci --prefix "$HERE/bullmq" --no-audit --no-fund >/dev/null 2>&1 || die "npm ci in bench/schedules/bullmq failed"
LINE=$(BENCH_DURATION_S="$DURATION_S" BENCH_WARMUP_S="$WARMUP_S" SCHEDULES="$SCHEDULES" \
    BENCH_PREFIX="bench-bullmq-$(openssl rand -hex 4)" node "$HERE/bullmq/bench.mjs") || die "the BullMQ run failed"
echo "BullMQ $(grep -o 'version=[^ ]*' <<<"$LINE" | cut -d= -f2), 2 workers x 32: $SCHEDULES job schedulers every 1000 ms, $DURATION_S s"
field() { grep -o " $1=[^ ]*" <<<"$LINE" | cut -d= -f2; }
echo "  ticks/s $(field ticks_per_s) of $SCHEDULES expected"
echo "  tick -> job started ms: p50 $(field start_p50)  p99 $(field start_p99)  max $(field start_max)"
echo "(Redis runs without persistence here: BullMQ's schedules live in memory; ours are rows in MySQL.)"
