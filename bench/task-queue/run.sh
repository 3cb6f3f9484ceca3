#!/usr/bin/env bash
# task-service benchmark, two parts (see bench/README.md):
#  1. no-op tasks from enqueue to completion with two replicas: creation rate, completion throughput,
#     queue latency (queued → started) and end-to-end latency (created → finished) — one task per
#     request, then 100 per request through POST /api/v1/tasks/batch, then one per request at a steady
#     BENCH_RATE; and BullMQ with the same shapes on the same Redis, for reference;
#  2. a 12-megapixel JPEG to a 512-px thumbnail: image tasks vs. ImageMagick's convert -thumbnail,
#     same images, same parallelism, in the same run.
# Env: TASK_APP (default task-service/target/quarkus-app/quarkus-run.jar), BENCH_DURATION (20s), BENCH_WARMUP (60s),
#      BENCH_RATE (1000 tasks/s for the steady part),
#      BENCH_IMAGES (24), MAX_WORKERS (32 per replica: no-op tasks wait on I/O, not CPU; images are
#      capped at nproc per replica), BENCH_KEEP=1 (keep logs).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TASK_APP=${TASK_APP:-$ROOT/task-service/target/quarkus-app/quarkus-run.jar}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-60s}
IMAGES=${BENCH_IMAGES:-24}
WORKERS=${MAX_WORKERS:-32}
DB=suite_task_bench
OWNER=bench

die() { echo "task-queue bench: $*" >&2; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
# A "convert" on the PATH may be a stand-in: ask for ImageMagick by its version line.
convert -version 2>/dev/null | grep -q ImageMagick || { apt-get update -qq && apt-get install -y -qq imagemagick >/dev/null; }
[[ -f $TASK_APP ]] || die "no $TASK_APP: run ./mvnw package -DskipTests first"

WORK=$(mktemp -d /tmp/bench-task-queue.XXXXXX)
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

export BENCH_KEY="bench-$(openssl rand -hex 16)"
PREFIX="bench-$(openssl rand -hex 4):"
# shellcheck source=../free-port.sh
source "$HERE/../free-port.sh"
start_replica() { # port
    SUITE_AUTH_MODE=api-key SUITE_AUTH_API_KEYS="$OWNER:$(echo -n "$BENCH_KEY" | sha256sum | cut -d' ' -f1)" \
    SUITE_REDIS_PREFIX="$PREFIX" SUITE_TASK_FILES_DIRECTORY="$WORK/files" MAX_WORKERS="$WORKERS" \
    SUITE_TASK_MAX_WORKERS_BY_TYPE_IMAGE="$(nproc)" \
    SUITE_TASK_CREATES_PER_MINUTE=10000000 SUITE_TASK_MAX_ACTIVE_PER_USER=10000000 SUITE_TASK_GLOBAL_MAX_RUNNING=1000 \
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

# TRUNCATE, not DELETE: deleting tens of thousands of rows leaves InnoDB purging them during the next run.
forget_tasks() { sql "TRUNCATE TABLE task; TRUNCATE TABLE task_transition"; }
await_done() { # timeout seconds
    for _ in $(seq "$1"); do
        [[ $(sql "SELECT COUNT(*) FROM task WHERE state NOT IN ('COMPLETED','FAILED','CANCELLED')") = 0 ]] && return 0
        sleep 1
    done
    die "tasks still unfinished after $1 s"
}

# The JIT compiles the create and run paths for about half a minute of load: measure the replicas
# as they run for days, not as they start.
echo "warming up ($WARMUP of no-op tasks on both replicas)..."
wrk -t1 -c16 -d"$WARMUP" -s "$HERE/create.lua" "http://127.0.0.1:$A/api/v1/tasks" >/dev/null 2>&1 &
WARM_A=$!
wrk -t1 -c16 -d"$WARMUP" -s "$HERE/create.lua" "http://127.0.0.1:$B/api/v1/tasks" >/dev/null 2>&1
wait $WARM_A
await_done 300
forget_tasks

# Drains what was created, then reads the figures of the run from the tasks' own timestamps:
# N SPAN_S FAILED TWICE Q50 Q99 E50 E99 THROUGHPUT.
measure() {
    await_done 600
    read -r N SPAN_S FAILED TWICE <<<"$(sql "
      SELECT COUNT(*),
             TIMESTAMPDIFF(MICROSECOND, MIN(created_at), MAX(finished_at)) / 1e6,
             SUM(state <> 'COMPLETED'),
             (SELECT COUNT(*) FROM (SELECT task_id FROM task_transition WHERE to_state = 'COMPLETED'
                                    GROUP BY task_id HAVING COUNT(*) > 1) twice)
      FROM task")"
    Q50=$(pct "TIMESTAMPDIFF(MICROSECOND, queued_at, started_at) / 1000" 0.50)
    Q99=$(pct "TIMESTAMPDIFF(MICROSECOND, queued_at, started_at) / 1000" 0.99)
    E50=$(pct "TIMESTAMPDIFF(MICROSECOND, created_at, finished_at) / 1000" 0.50)
    E99=$(pct "TIMESTAMPDIFF(MICROSECOND, created_at, finished_at) / 1000" 0.99)
    THROUGHPUT=$(awk -v n="$N" -v s="$SPAN_S" 'BEGIN { printf "%.0f", n / s }')
}
pct() { # expression, percentile -> ms
    sql "SELECT v FROM (SELECT $1 AS v, ROW_NUMBER() OVER (ORDER BY $1) AS r, COUNT(*) OVER () AS n FROM task) x
         WHERE r = GREATEST(1, CEIL(n * $2)) LIMIT 1"
}
# What a task costs, over a whole phase (creates and the drain): SQL statements and commits, redo
# written, Redis scripts and Redis commands (those inside scripts included: Redis counts them
# alike), and CPU of the replicas, MariaDB and Redis. Counters are server-wide: nothing else may
# use them meanwhile.
counters() {
    mariadb -N -uroot -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_stmt_execute','Com_commit','Innodb_os_log_written')" \
        | awk '{printf "%s=%s ", $1, $2}'
    redis-cli info commandstats | awk -F'[:=,]' '/^cmdstat_/ {n += $3} /^cmdstat_eval:/ {e = $3} /^cmdstat_evalsha:/ {e += $3}
        END {printf "redis_commands=%d redis_eval=%d ", n, e}'
    echo "ticks_replicas=$(cpu_ticks "${PIDS[@]}") ticks_mariadb=$(cpu_ticks $(pgrep -x mariadbd)) ticks_redis=$(cpu_ticks $(pgrep -x redis-server))"
}
cpu_ticks() { for pid in "$@"; do awk '{print $14 + $15}' "/proc/$pid/stat"; done | awk '{s += $1} END {print s + 0}'; }
# per_task BEFORE AFTER N -> one line of costs per task.
per_task() {
    awk -v before="$1" -v after="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN {
        split(before, b, /[ =]/); split(after, a, /[ =]/)
        for (i = 1; i < length(a); i += 2) d[a[i]] = a[i + 1] - b[i + 1]
        printf "  per task: %.2f SQL statements, %.2f commits, %.1f KB redo; %.2f Redis scripts, %.1f Redis commands; CPU ms: replicas %.2f, MariaDB %.2f, Redis %.2f\n",
            d["Com_stmt_execute"] / n, d["Com_commit"] / n, d["Innodb_os_log_written"] / n / 1024,
            d["redis_eval"] / n, d["redis_commands"] / n, d["ticks_replicas"] * 1000 / hz / n, d["ticks_mariadb"] * 1000 / hz / n,
            d["ticks_redis"] * 1000 / hz / n }'
}
# Creates on both replicas for DURATION with a wrk script: (script, connections per replica, path).
create_load() {
    wrk -t1 -c"$2" -d"$DURATION" --latency -s "$HERE/$1" "http://127.0.0.1:$A$3" >"$WORK/wrk-a.txt" 2>&1 &
    local wa=$!
    wrk -t1 -c"$2" -d"$DURATION" --latency -s "$HERE/$1" "http://127.0.0.1:$B$3" >"$WORK/wrk-b.txt" 2>&1 &
    wait $wa $!
    grep -q "errors=0" "$WORK/wrk-a.txt" && grep -q "errors=0" "$WORK/wrk-b.txt" || { cat "$WORK"/wrk-*.txt; die "create errors"; }
    CREATE_RPS=$(awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}' "$WORK/wrk-a.txt" "$WORK/wrk-b.txt")
}

echo "1. no-op tasks: creating for $DURATION at concurrency 32 (16 per replica), then draining..."
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
BEFORE=$(counters)
create_load create.lua 16 /api/v1/tasks
await_done 600
AFTER=$(counters)
measure
SINGLE_COSTS=$(per_task "$BEFORE" "$AFTER" "$N")
SINGLE="$N created at $CREATE_RPS/s; completed $THROUGHPUT tasks/s (first created → last finished, ${SPAN_S}s)
  queue latency (queued → started) p50 ${Q50} ms, p99 ${Q99} ms; created → finished p50 ${E50} ms, p99 ${E99} ms
  not completed: $FAILED; completed twice: $TWICE"
SINGLE_THROUGHPUT=$THROUGHPUT

echo "   the same through POST /api/v1/tasks/batch, 100 tasks per request, 4 requests in flight per replica..."
forget_tasks
BEFORE=$(counters)
BATCH=100 create_load create.lua 4 /api/v1/tasks/batch
await_done 600
AFTER=$(counters)
measure
BULK_COSTS=$(per_task "$BEFORE" "$AFTER" "$N")
BULK_THROUGHPUT=$THROUGHPUT
BULK="$N created at $((CREATE_RPS * 100))/s; completed $THROUGHPUT tasks/s (first created → last finished, ${SPAN_S}s)
  queue latency (queued → started) p50 ${Q50} ms, p99 ${Q99} ms; created → finished p50 ${E50} ms, p99 ${E99} ms
  not completed: $FAILED; completed twice: $TWICE"

RATE=${BENCH_RATE:-1000}
echo "   at a steady ~$RATE tasks/s, one per request (32 connections, each pacing its requests)..."
forget_tasks
PACE_MS=$((32000 / RATE)) create_load create.lua 16 /api/v1/tasks
measure
STEADY="$N created at $CREATE_RPS/s; queue latency (queued → started) p50 ${Q50} ms, p99 ${Q99} ms; created → finished p50 ${E50} ms, p99 ${E99} ms
  not completed: $FAILED; completed twice: $TWICE"
STEADY_Q99=$Q99

# The reference in the same run: BullMQ (npm, version pinned in bullmq/package-lock.json) on the
# same Redis, under its own key prefix, which it deletes when done; the same shapes.
echo "   BullMQ with the same shapes, on the same Redis..."
npm ci --prefix "$HERE/bullmq" --no-audit --no-fund >/dev/null 2>&1 || die "npm ci in bench/task-queue/bullmq failed"
SECONDS_OF_LOAD=${DURATION%s}
[[ $SECONDS_OF_LOAD =~ ^[0-9]+$ ]] || die "BENCH_DURATION must be in seconds (20s), not $DURATION"
BULLMQ=$(BENCH_DURATION_S=$SECONDS_OF_LOAD BULK_JOBS=$((SECONDS_OF_LOAD * 2500 < 50000 ? SECONDS_OF_LOAD * 2500 : 50000)) \
    BENCH_PREFIX="bench-bullmq-$(openssl rand -hex 4)" node "$HERE/bullmq/bench.mjs") || die "the BullMQ run failed"
bullmq() { # part field
    echo "$BULLMQ" | sed -n "s/^BULLMQ $1 .*\b$2=\([^ ]*\).*/\1/p"
}
BULLMQ_VERSION=$(echo "$BULLMQ" | sed -n 's/^BULLMQ version=//p')

echo "2. thumbnails: $IMAGES × a 12-megapixel JPEG to 512 px..."
convert -size 4000x3000 gradient:orange-navy -attenuate 0.4 +noise Gaussian -quality 90 "$WORK/photo.jpg"
FILE=$(curl -fs -H "Authorization: Bearer $BENCH_KEY" -F "file=@$WORK/photo.jpg;type=image/jpeg" \
    "http://127.0.0.1:$A/api/v1/files" | sed 's/.*"file_id":"\([^"]*\)".*/\1/')
forget_tasks
for i in $(seq "$IMAGES"); do
    port=$([[ $((i % 2)) = 0 ]] && echo "$A" || echo "$B")
    curl -fs -o /dev/null -H "Authorization: Bearer $BENCH_KEY" -H 'Content-Type: application/json' \
        -d "{\"input_file_ids\":[\"$FILE\"],\"params\":{\"operation\":\"thumbnail\",\"size\":512,\"format\":\"jpeg\"}}" \
        "http://127.0.0.1:$port/api/v1/process/image"
done
await_done 600
[[ $(sql "SELECT COUNT(*) FROM task WHERE state = 'COMPLETED'") = "$IMAGES" ]] || die "thumbnail tasks failed: $(sql "SELECT error FROM task WHERE state <> 'COMPLETED' LIMIT 1")"
SVC_SPAN=$(sql "SELECT TIMESTAMPDIFF(MICROSECOND, MIN(created_at), MAX(finished_at)) / 1e6 FROM task")
PARALLEL=$(nproc)
START=$(date +%s.%N)
seq "$IMAGES" | xargs -P"$PARALLEL" -I{} convert "$WORK/photo.jpg" -thumbnail 512x512 -quality 90 "$WORK/thumb-{}.jpg"
IM_SPAN=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f", e - s }')

echo
echo "task-queue benchmark — $(date -u '+%Y-%m-%d %H:%M:%S UTC'), nproc=$(nproc), 2 replicas × $WORKERS workers, duration=$DURATION"
echo "load average before: $LOAD_BEFORE"
echo "no-op tasks, one per request: $SINGLE"
echo "$SINGLE_COSTS"
awk -v t="$SINGLE_THROUGHPUT" 'BEGIN { printf "  expectation (>= 2000 no-op tasks/s): %s\n", t >= 2000 ? "met" : "NOT met" }'
echo "no-op tasks, 100 per request: $BULK"
echo "$BULK_COSTS"
echo "no-op tasks at a steady rate: $STEADY"
awk -v q="$STEADY_Q99" 'BEGIN { printf "  expectation (p99 queue latency < 100 ms at ~1,000 tasks/s): %s\n", q < 100 ? "met" : "NOT met" }'
echo "BullMQ $BULLMQ_VERSION, same Redis, 2 workers × 32 (Redis without persistence: a job is durable only in memory):"
for part in single bulk; do
    label=$([[ $part = single ]] && echo "one add per job from 32 adders" || echo "addBulk of 1,000, 4 in flight")
    echo "  $label: $(bullmq $part added) added at $(bullmq $part add_rate)/s; completed $(bullmq $part completed_rate) jobs/s"
    echo "    queue latency p50 $(bullmq $part q50) ms, p99 $(bullmq $part q99) ms; added → finished p50 $(bullmq $part e50) ms, p99 $(bullmq $part e99) ms; completed twice: $(bullmq $part twice)"
done
awk -v s="$SINGLE_THROUGHPUT" -v b="$BULK_THROUGHPUT" -v rs="$(bullmq single completed_rate)" -v rb="$(bullmq bulk completed_rate)" \
    'BEGIN { printf "task-service / BullMQ, completed per second: one per request %.2f, bulk %.2f\n", s / rs, b / rb }'
awk -v n="$IMAGES" -v s="$SVC_SPAN" -v m="$IM_SPAN" -v p="$PARALLEL" 'BEGIN {
  printf "thumbnails (12 MP JPEG -> 512 px): task-service %.2f images/s (%.1f s), ImageMagick convert -thumbnail x%d %.2f images/s (%.1f s); ratio %.2f\n", n / s, s, p, n / m, m, (n / s) / (n / m)
  printf "  expectation (within 2x of ImageMagick): %s\n", (n / s) * 2 >= (n / m) ? "met" : "NOT met" }'
grep -h -E 'WARN|ERROR' "$WORK"/replica-*.log | grep -v 'already registered' | head -5 || true
