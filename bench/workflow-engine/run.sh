#!/usr/bin/env bash
# workflow-service engine benchmark (see bench/README.md), in one run:
#  1. engine overhead: a 1,000-node chain and a 1,000-node fan-out of noop nodes, submitted one at
#     a time; per-node time from the execution's own timestamps;
#  2. small executions end to end with two replicas sharing MySQL and Redis: wrk POSTs 3-node noop
#     graphs to both, completions counted in MySQL over the same window, then the backlog drains;
#  3. the reference: the same executions' least SQL straight to MariaDB over JDBC (Bench.java).
#
# Env: WORKFLOW_APP (default workflow-service/target/quarkus-app/quarkus-run.jar), BENCH_DURATION (20s),
#      BENCH_WARMUP (seconds, 60), BENCH_CONCURRENCY (16 per replica), BENCH_NODES (1000),
#      BENCH_RUNS (20), BENCH_WARMUP_RUNS (5), BENCH_POLL_MS (10), BENCH_REF_THREADS (2 x concurrency),
#      BENCH_KEEP=1 (keep logs, raw outputs and the database), SERVICE_JAVA_OPTS (extra JVM options).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORKFLOW_APP=${WORKFLOW_APP:-$ROOT/workflow-service/target/quarkus-app/quarkus-run.jar}
DURATION=${BENCH_DURATION:-20s}
DURATION_S=${DURATION%s}
WARMUP=${BENCH_WARMUP:-60}
CONCURRENCY=${BENCH_CONCURRENCY:-16}
NODES=${BENCH_NODES:-1000}
RUNS=${BENCH_RUNS:-20}
WARMUP_RUNS=${BENCH_WARMUP_RUNS:-5}
POLL_MS=${BENCH_POLL_MS:-10}
REF_THREADS=${BENCH_REF_THREADS:-$((2 * CONCURRENCY))}
DB_NAME=suite_workflow_bench
OWNER=local          # the user every request acts as in local auth mode
RAW_OWNER=bench-raw  # the reference's executions, kept apart from the service's in the counts

die() { echo "workflow-engine bench: $*" >&2; exit 1; }

[[ $DURATION_S =~ ^[0-9]+$ ]] || die "BENCH_DURATION must be whole seconds like 20s (got $DURATION)"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
for tool in java python3 mariadb redis-cli curl openssl ss; do
    command -v "$tool" >/dev/null || die "$tool is missing"
done
[[ -f $WORKFLOW_APP ]] || die "no $WORKFLOW_APP: run ./mvnw -B package -DskipTests first"
JDBC_JAR=$(ls -1 "$HOME"/.m2/repository/org/mariadb/jdbc/mariadb-java-client/*/mariadb-java-client-*.jar 2>/dev/null \
    | grep -v -e sources -e javadoc | sort -V | tail -1)
[[ -n $JDBC_JAR ]] || die "no MariaDB JDBC driver in ~/.m2 (build the project once)"

WORK=$(mktemp -d /tmp/bench-workflow-engine.XXXXXX)
PREFIX="bench-$(openssl rand -hex 4):"
PIDS=()
cleanup() {
    local rc=$?
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    # The replicas' Redis keys (queue, running set, one event stream per execution) go with them.
    redis-cli --scan --pattern "${PREFIX}*" 2>/dev/null | xargs -r -n 500 redis-cli DEL >/dev/null 2>&1 || true
    if [[ -n ${BENCH_KEEP:-} ]]; then
        echo "outputs kept in $WORK, database $DB_NAME kept" >&2
    else
        mariadb -uroot -e "DROP DATABASE IF EXISTS $DB_NAME" 2>/dev/null || true
        if [[ $rc -ne 0 ]]; then echo "outputs kept in $WORK" >&2; else rm -rf "$WORK"; fi
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Run a private copy, so a rebuild during the run cannot pull the jar from under the replicas.
cp -r "$(dirname "$WORKFLOW_APP")" "$WORK/app"
bash "$ROOT/deploy/local/services.sh" >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }' \
    && echo "warning: load average $LOAD_BEFORE on $(nproc) cores: the machine is not quiet, numbers will be low" >&2
mariadb -uroot -e "DROP DATABASE IF EXISTS $DB_NAME; CREATE DATABASE $DB_NAME; GRANT ALL ON $DB_NAME.* TO 'suite'@'%'" \
    2>/dev/null || mariadb -uroot -e "DROP DATABASE IF EXISTS $DB_NAME; CREATE DATABASE $DB_NAME"
sql() { mariadb -N -uroot "$DB_NAME" -e "$1"; }

# shellcheck source=../free-port.sh
source "$HERE/../free-port.sh"
MASTER_KEY=$(openssl rand -base64 32)  # local mode would otherwise read or create ~/.suite/master.key
start_replica() { # name -> sets PORT_<name>, PID_<name>
    local name=$1 port pid i
    port=$(free_port)
    ss -ltn "sport = :$port" | grep -q LISTEN && die "port $port is taken"
    SUITE_AUTH_MODE=local SUITE_MASTER_KEY="$MASTER_KEY" SUITE_REDIS_PREFIX="$PREFIX" \
    SUITE_WORKFLOW_GLOBAL_MAX_RUNNING=256 SUITE_WORKFLOW_REPLICA_MAX_RUNNING=128 \
    SUITE_WORKFLOW_SUBMITS_PER_MINUTE=10000000 SUITE_WORKFLOW_MAX_ACTIVE_PER_USER=10000000 \
        java -Xmx512m ${SERVICE_JAVA_OPTS:-} -Dquarkus.http.port="$port" -Dquarkus.log.level=WARN \
        -Dquarkus.datasource.reactive.url="mysql://127.0.0.1:3306/$DB_NAME" \
        -Dquarkus.datasource.jdbc.url="jdbc:mariadb://127.0.0.1:3306/$DB_NAME" \
        -jar "$WORK/app/quarkus-run.jar" >"$WORK/replica-$name.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    for i in $(seq 120); do
        kill -0 "$pid" 2>/dev/null || { tail -20 "$WORK/replica-$name.log" >&2; die "replica $name exited during start-up"; }
        [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready") = 200 ]] && break
        [[ $i -eq 120 ]] && die "replica $name not ready after 60 s (see $WORK/replica-$name.log)"
        sleep 0.5
    done
    # Ready on that port, and it is ours answering (not another process that took the port meanwhile).
    ss -ltnp "sport = :$port" | grep -q "pid=$pid," || die "port $port is not served by replica $name (pid $pid)"
    printf -v "PORT_$name" '%s' "$port"
    printf -v "PID_$name" '%s' "$pid"
}
# One after the other: both migrate the same database at start.
start_replica A
start_replica B
BASE_A=http://127.0.0.1:$PORT_A
BASE_B=http://127.0.0.1:$PORT_B

parse() { grep '^BENCH_' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
unfinished() { # [created since] -> queued or running executions of the service's user
    sql "SELECT COUNT(*) FROM execution WHERE owner_id = '$OWNER' AND status IN ('queued','running')${1:+ AND created_at >= '$1'}"
}
await_drain() { # timeout seconds, [created since] -> DRAIN_S (seconds, or "not"), STUCK (left unfinished)
    local start
    start=$(date +%s.%N)
    for _ in $(seq "$(( $1 * 4 ))"); do
        STUCK=$(unfinished "${2:-}")
        if [[ $STUCK = 0 ]]; then
            DRAIN_S=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
            return 0
        fi
        sleep 0.25
    done
    # A lost claim is recovered once its lease (30 s) lapses; what is left after the timeout is stuck.
    DRAIN_S=not
    echo "warning: $STUCK executions still queued or running $1 s after the load stopped:" >&2
    sql "SELECT execution_id, status, started_at, replica_id, resumes FROM execution WHERE owner_id = '$OWNER'
         AND status IN ('queued','running')${2:+ AND created_at >= '$2'} LIMIT 5" >&2
}
submit_load() { # name duration: wrk on both replicas at once, CONCURRENCY connections each
    wrk -t1 -c"$CONCURRENCY" -d"$2" --timeout 10s --latency -s "$HERE/submit.lua" "$BASE_A/api/executions" >"$WORK/$1-a.txt" 2>&1 &
    local wa=$!
    wrk -t1 -c"$CONCURRENCY" -d"$2" --timeout 10s --latency -s "$HERE/submit.lua" "$BASE_B/api/executions" >"$WORK/$1-b.txt" 2>&1 &
    local wb=$!
    PIDS+=("$wa" "$wb")
    wait "$wa" || die "wrk failed (see $WORK/$1-a.txt)"
    wait "$wb" || die "wrk failed (see $WORK/$1-b.txt)"
    grep -q '\.lua:' "$WORK/$1-a.txt" "$WORK/$1-b.txt" && { cat "$WORK/$1-a.txt" >&2; die "$1: Lua error"; }
    [[ -n $(parse "$WORK/$1-a.txt" requests) && -n $(parse "$WORK/$1-b.txt" requests) ]] || die "$1: no wrk result"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

echo "warming up (${WARMUP}s of 3-node executions on both replicas, then the backlog drains)..."
submit_load warm "${WARMUP}s"
await_drain 60

echo "1. engine overhead: $NODES-node chain and fan-out of noop nodes, $WARMUP_RUNS warm-up + $RUNS runs each, one at a time..."
for shape in chain fanout; do
    python3 "$HERE/overhead.py" "$BASE_A" "$shape" "$NODES" "$WARMUP_RUNS" "$RUNS" "$POLL_MS" >"$WORK/overhead-$shape.txt" 2>&1 &
    PIDS+=($!)
    wait $! || { cat "$WORK/overhead-$shape.txt" >&2; die "engine overhead run ($shape) failed"; }
done

echo "2. small executions: wrk POSTs 3-node graphs for $DURATION at concurrency $CONCURRENCY on each replica..."
CLK=$(getconf CLK_TCK)
MARIADB_PID=$(pidof mariadbd mysqld 2>/dev/null | awk '{ print $1 }' || true)
REDIS_PID=$(pidof redis-server 2>/dev/null | awk '{ print $1 }' || true)
declare -A TICKS0
for p in "$PID_A" "$PID_B" ${MARIADB_PID:-} ${REDIS_PID:-}; do TICKS0[$p]=$(cpu_ticks "$p"); done
ROWS0=$(sql "SELECT COUNT(*) FROM execution WHERE owner_id = '$OWNER'")
DONE0=$(sql "SELECT COUNT(*) FROM execution WHERE owner_id = '$OWNER' AND status = 'completed'")
WINDOW_FROM=$(sql "SELECT UTC_TIMESTAMP(6)")
T0=$(date +%s.%N)
submit_load measure "$DURATION"
T1=$(date +%s.%N)
DONE1=$(sql "SELECT COUNT(*) FROM execution WHERE owner_id = '$OWNER' AND status = 'completed'")
BACKLOG=$(sql "SELECT COUNT(*) FROM execution WHERE owner_id = '$OWNER' AND status IN ('queued','running')")
CPU=""
for p in "$PID_A" "$PID_B" ${MARIADB_PID:-} ${REDIS_PID:-}; do
    CPU="$CPU $(awk -v a="${TICKS0[$p]}" -v b="$(cpu_ticks "$p")" -v c="$CLK" -v s="$T0" -v e="$T1" \
        'BEGIN { printf "%.0f", 100 * (b - a) / c / (e - s) }')"
done
read -r CPU_A CPU_B CPU_DB CPU_REDIS <<<"$CPU"
await_drain 60 "$WINDOW_FROM"
ROWS1=$(sql "SELECT COUNT(*) FROM execution WHERE owner_id = '$OWNER'")
W="owner_id = '$OWNER' AND created_at >= '$WINDOW_FROM'"
read -r N_WIN FAILED_WIN SPAN_S <<<"$(sql "SELECT COUNT(*), SUM(status <> 'completed'),
    TIMESTAMPDIFF(MICROSECOND, MIN(created_at), MAX(finished_at)) / 1e6 FROM execution WHERE $W")"
FAILED_ALL=$(sql "SELECT COUNT(*) FROM execution WHERE owner_id = '$OWNER' AND status <> 'completed'")
# Every completed execution must show each of its nodes completed (the journal writes them before the end).
MISSING_NODES=$(sql "SELECT COUNT(*) FROM (SELECT e.execution_id FROM execution e LEFT JOIN node_run r
    ON r.execution_id = e.execution_id AND r.status = 'completed' WHERE e.owner_id = '$OWNER' AND e.status = 'completed'
    GROUP BY e.execution_id HAVING COUNT(r.node_id) <> MAX(JSON_LENGTH(e.graph, '$.nodes'))) x")
pct() { # expression, percentile -> ms, over the window's executions
    sql "SELECT ROUND(v, 1) FROM (SELECT $1 AS v, ROW_NUMBER() OVER (ORDER BY $1) AS r, COUNT(*) OVER () AS n
         FROM execution WHERE $W AND status = 'completed') x WHERE r = GREATEST(1, CEIL(n * $2)) LIMIT 1"
}
Q50=$(pct "TIMESTAMPDIFF(MICROSECOND, created_at, started_at) / 1000" 0.50)
Q99=$(pct "TIMESTAMPDIFF(MICROSECOND, created_at, started_at) / 1000" 0.99)
E50=$(pct "TIMESTAMPDIFF(MICROSECOND, created_at, finished_at) / 1000" 0.50)
E99=$(pct "TIMESTAMPDIFF(MICROSECOND, created_at, finished_at) / 1000" 0.99)

REQS=$(( $(parse "$WORK/measure-a.txt" requests) + $(parse "$WORK/measure-b.txt" requests) ))
NON2XX=$(( $(parse "$WORK/measure-a.txt" status) + $(parse "$WORK/measure-b.txt" status) ))
SOCKET_ERRORS=$(( $(parse "$WORK/measure-a.txt" errors) + $(parse "$WORK/measure-b.txt" errors) - NON2XX ))
ACCEPTED=$(( REQS - NON2XX - SOCKET_ERRORS ))
SUBMIT_RPS=$(awk -v r="$REQS" -v d="$(parse "$WORK/measure-a.txt" duration_us)" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
ACCEPTED_RPS=$(awk -v r="$ACCEPTED" -v d="$(parse "$WORK/measure-a.txt" duration_us)" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
# Latency: the worse replica's percentile (wrk keeps no histogram to merge).
SUBMIT_P50=$(awk -v a="$(parse "$WORK/measure-a.txt" p50_us)" -v b="$(parse "$WORK/measure-b.txt" p50_us)" 'BEGIN { printf "%.2f", (a > b ? a : b) / 1000 }')
SUBMIT_P99=$(awk -v a="$(parse "$WORK/measure-a.txt" p99_us)" -v b="$(parse "$WORK/measure-b.txt" p99_us)" 'BEGIN { printf "%.2f", (a > b ? a : b) / 1000 }')
DONE_RPS=$(awk -v n="$((DONE1 - DONE0))" -v s="$T0" -v e="$T1" 'BEGIN { printf "%.0f", n / (e - s) }')
SUSTAINED=$(awk -v n="$N_WIN" -v s="$SPAN_S" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')

sql "SELECT graph FROM execution WHERE owner_id = '$OWNER' AND JSON_LENGTH(graph, '$.nodes') = 3 LIMIT 1" >"$WORK/graph.json"
[[ -s $WORK/graph.json ]] || die "no stored 3-node graph to give the reference"
# The reference runs alone: the replicas' reconciler would otherwise adopt its rows (queued or running for a
# moment, or left so by a deadlock) and run them, and their writes would meet the reference's.
kill "$PID_A" "$PID_B" 2>/dev/null || true
wait "$PID_A" 2>/dev/null || true
wait "$PID_B" 2>/dev/null || true

echo "3. reference: the same executions' SQL straight to MariaDB, $REF_THREADS JDBC threads, $DURATION each..."
run_jdbc() { # mode -> RESULT="rps p50 p99 deadlocks"
    java -cp "$JDBC_JAR" "$HERE/Bench.java" "$1" "$REF_THREADS" "$DURATION_S" 5 \
        "jdbc:mariadb://127.0.0.1:3306/$DB_NAME?useServerPrepStmts=true" suite suite "$RAW_OWNER" "$WORK/graph.json" \
        >"$WORK/raw-$1.txt" 2>"$WORK/raw-$1.err" &
    PIDS+=($!)
    wait $! || { cat "$WORK/raw-$1.txt" >&2; tail -5 "$WORK/raw-$1.err" >&2; die "JDBC run ($1) failed"; }
    [[ $(parse "$WORK/raw-$1.txt" errors) = 0 ]] || { tail -5 "$WORK/raw-$1.err" >&2; die "JDBC errors ($1)"; }
    RESULT=$(awk -v r="$(parse "$WORK/raw-$1.txt" requests)" -v d="$(parse "$WORK/raw-$1.txt" duration_us)" \
        -v a="$(parse "$WORK/raw-$1.txt" p50_us)" -v b="$(parse "$WORK/raw-$1.txt" p99_us)" \
        -v k="$(parse "$WORK/raw-$1.txt" deadlocks)" 'BEGIN { printf "%.0f %.2f %.2f %d", r / (d / 1e6), a / 1000, b / 1000, k }')
}
run_jdbc plain; RAW_PLAIN=$RESULT
run_jdbc counted; RAW_COUNTED=$RESULT

echo
echo "workflow-engine benchmark — $(date -u '+%Y-%m-%d %H:%M:%S UTC'), nproc=$(nproc), 2 replicas, concurrency ${CONCURRENCY} per replica, duration=$DURATION"
echo "load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "1. engine overhead, $NODES noop nodes, $RUNS runs after $WARMUP_RUNS warm-up, one execution at a time (ms)"
printf '%-8s %15s %15s %13s %13s %17s %9s %9s\n' "graph" "per node p50" "per node max" "inner p50" "inner max" \
    "submit->seen p50" "POST p50" "last GET"
for shape in chain fanout; do
    f="$WORK/overhead-$shape.txt"
    awk -v s="$shape" -v a="$(parse "$f" exec_p50_us)" -v b="$(parse "$f" exec_max_us)" -v c="$(parse "$f" inner_p50_us)" \
        -v d="$(parse "$f" inner_max_us)" -v e="$(parse "$f" seen_p50_ms)" -v p="$(parse "$f" post_p50_ms)" \
        -v g="$(parse "$f" get_p50_ms)" \
        'BEGIN { printf "%-8s %15.3f %15.3f %13.3f %13.3f %17.1f %9.1f %9.1f\n", s, a / 1000, b / 1000, c / 1000, d / 1000, e, p, g }'
done
echo "  per node: (finished_at - started_at of the execution) / nodes — claim, plan compile, run; finished_at is"
echo "  taken before the journal writes the node rows. inner: first node started -> last node finished / nodes."
echo "  submit->seen: POST sent -> GET shows completed (incl. the journal write; polled every ${POLL_MS} ms)."
WORST=$(awk -v a="$(parse "$WORK/overhead-chain.txt" exec_p50_us)" -v b="$(parse "$WORK/overhead-fanout.txt" exec_p50_us)" \
    'BEGIN { print (a > b ? a : b) }')
awk -v w="$WORST" 'BEGIN { printf "  expectation (< 0.2 ms engine overhead per node, p50): %s\n", w < 200 ? "met" : "NOT met" }'
echo
echo "2./3. 3-node noop executions: two replicas vs the same executions' SQL straight to MariaDB"
printf '%-52s %9s %9s %9s %9s\n' "scenario" "per s" "p50 ms" "p99 ms" "errors"
printf '%-52s %9s %9s %9s %9s\n' "submit via 2 replicas (wrk POST, all replies)" "$SUBMIT_RPS" "$SUBMIT_P50" "$SUBMIT_P99" "$NON2XX"
printf '%-52s %9s %9s %9s %9s\n' "  of which accepted (202)" "$ACCEPTED_RPS" "" "" ""
printf '%-52s %9s %9s %9s %9s\n' "completed by the replicas in the window" "$DONE_RPS" "$E50" "$E99" "$FAILED_WIN"
printf '%-52s %9s %9s %9s %9s\n' "  queue wait (created -> started)" "" "$Q50" "$Q99" ""
row() { read -r rps p50 p99 k <<<"$2"; printf '%-52s %9s %9s %9s %9s\n' "$1" "$rps" "$p50" "$p99" "$k"; }
row "raw SQL, without the quota read ($REF_THREADS JDBC threads)" "$RAW_PLAIN"
row "raw SQL, the service's statements (deadlocks)" "$RAW_COUNTED"
awk -v s="$DONE_RPS" -v r="${RAW_COUNTED%% *}" 'BEGIN { printf "ratio service completions / raw SQL executions: %.2f\n", s / r }'
echo "  completed p50/p99: created -> finished, from the rows; errors: non-2xx replies (wrk), failed executions,"
echo "  deadlocked executions (JDBC). Raw: one execution = INSERT, claim UPDATE, 3-row node_run upsert + finish UPDATE."
if [[ $DRAIN_S = not ]]; then DRAINED="did NOT drain: $STUCK still queued or running 60 s later"; else DRAINED="drained in ${DRAIN_S} s"; fi
echo "window ${DURATION}: $ACCEPTED accepted, $((DONE1 - DONE0)) completed in it; backlog at its end $BACKLOG, $DRAINED;"
echo "  first created -> last finished: $N_WIN executions in ${SPAN_S} s = $SUSTAINED/s; rows created $((ROWS1 - ROWS0)) (accepted $ACCEPTED)"
echo "  not completed (all bench executions): $FAILED_ALL; completed with node rows missing: $MISSING_NODES; socket errors: $SOCKET_ERRORS"
echo "  CPU during the window (% of one core): replica A $CPU_A, replica B $CPU_B, mariadbd ${CPU_DB:-?}, redis ${CPU_REDIS:-?}"
awk -v d="$DONE_RPS" -v e="$NON2XX" -v f="$FAILED_ALL" 'BEGIN {
  printf "expectation (>= 1000 executions/s end to end with 2 replicas, no errors; n8n ~220/s on one): %s\n",
    (d >= 1000 && e == 0 && f == 0) ? "met" : "NOT met" }'
echo
echo "service log, WARN/ERROR lines by kind:"
grep -h -E '^[0-9-]+ [0-9:,]+ (WARN|ERROR)' "$WORK"/replica-*.log | grep -v 'already registered' \
    | sed -E 's/^[0-9-]+ [0-9:,]+ //; s/\(vert\.x-[a-z-]+-[0-9]+\)/(thread)/; s/\[rid=[^]]*\]//; s/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<id>/g; s/could not write [0-9]+ items/could not write N items/' \
    | cut -c1-220 | sort | uniq -c | sort -rn | head -8 || true

(( NON2XX == 0 && SOCKET_ERRORS == 0 )) || die "$NON2XX non-2xx replies and $SOCKET_ERRORS socket errors to submits (see the log lines above)"
(( FAILED_ALL == 0 )) || die "$FAILED_ALL executions did not complete"
(( MISSING_NODES == 0 )) || die "$MISSING_NODES completed executions lack node rows"
(( ROWS1 - ROWS0 >= ACCEPTED )) || die "fewer execution rows ($((ROWS1 - ROWS0))) than accepted submits ($ACCEPTED)"
