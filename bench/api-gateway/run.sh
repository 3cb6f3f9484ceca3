#!/usr/bin/env bash
# API gateway overhead: the same OpenAI-format requests (plain and streamed) straight to a fast local
# upstream, through the suite's API gateway (deploy/launcher, as ./suite runs it), and through nginx
# set up as a reverse proxy the way one would front these services (HTTP/1.1 keep-alive pool, no
# buffering), in one run. Prints throughput, p50/p99 and the ratios, and each proxy's RSS.
# Also the CPU time each proxy spends per request (its processes' user + system time over the
# measured window), which varies less than throughput on a shared two-core machine.
#   env: BENCH_DURATION (20s), BENCH_WARMUP (seconds, 30: the JIT keeps improving the gateway that
#        long), BENCH_CONCURRENCY (64)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-30}
CONCURRENCY=${BENCH_CONCURRENCY:-64}
LAUNCHER=$ROOT/deploy/launcher/target
WORK=$(mktemp -d)
PIDS=()

die() { echo "api-gateway bench: $*" >&2; exit 1; }
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; }
done
[[ -f $LAUNCHER/suite-launcher.jar ]] || die "no launcher jar: run ./mvnw package -DskipTests first"
CP="$LAUNCHER/suite-launcher.jar:$LAUNCHER/lib/*"

# shellcheck source=../wrk-result.sh
source "$HERE/../wrk-result.sh"
# shellcheck source=../free-port.sh
source "$HERE/../free-port.sh"
wait_for() { for _ in $(seq 1 120); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.5; done; cat "$1"; die "$1: no '$2'"; }

UPSTREAM=$(free_port)
java -XX:+UseSerialGC -cp "$CP" "$ROOT/bench/chat-gateway/FakeOpenAi.java" "$UPSTREAM" >"$WORK/upstream.log" 2>&1 &
PIDS+=($!)
wait_for "$WORK/upstream.log" "fake OpenAI"

# The gateway with the JVM options ./suite gives the supervisor.
GATEWAY=$(free_port)
java -Xmx256m -XX:+UseSerialGC -cp "$CP" "$HERE/GatewayBench.java" "$GATEWAY" "$UPSTREAM" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")
wait_for "$WORK/gateway.log" "gateway listening"

NGINX=$(free_port)
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  upstream suite { server 127.0.0.1:$UPSTREAM; keepalive 128; }
  server {
    listen 127.0.0.1:$NGINX;
    location / {
      proxy_pass http://suite;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_buffering off;
    }
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$NGINX/" && break; sleep 0.25; done

# CPU clock ticks (user + system) the processes have used so far.
cpu_ticks() { local total=0 pid; for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$total"; }

run_wrk() { # name url stream duration [pids] -> sets RESULT="req/s p50 p99" and CPU (µs per request of the pids)
  local out=$WORK/$1.out name=$1 url=$2 stream=$3 duration=$4 before after requests
  shift 4
  before=$( (($# > 0)) && cpu_ticks "$@" || echo 0)
  BENCH_STREAM=$stream wrk -t2 -c"$CONCURRENCY" -d"$duration" --latency -s "$ROOT/bench/chat-gateway/chat.lua" "$url" \
    >"$out" 2>&1 || { cat "$out"; die "wrk failed"; }
  after=$( (($# > 0)) && cpu_ticks "$@" || echo 0)
  wrk_result "$name" "$out"
  requests=$(sed -n 's/.*BENCH_RESULT requests=\([0-9]*\).*/\1/p' "$out")
  CPU=$(awk -v t=$((after - before)) -v r="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.1f", t / hz * 1e6 / r}')
}

PATH_=/v1/chat/completions
echo "warming up (${WARMUP}s each proxy)..."
run_wrk warm-gateway "http://127.0.0.1:$GATEWAY$PATH_" 0 "${WARMUP}s"
run_wrk warm-gateway-stream "http://127.0.0.1:$GATEWAY$PATH_" 1 "${WARMUP}s"
run_wrk warm-nginx "http://127.0.0.1:$NGINX$PATH_" 0 "${WARMUP}s"
run_wrk warm-direct "http://127.0.0.1:$UPSTREAM$PATH_" 0 "${WARMUP}s"

echo "measuring ($DURATION each, concurrency $CONCURRENCY)..."
mapfile -t NGINX_PIDS < <(echo "$NGINX_PID"; pgrep -P "$NGINX_PID")
declare -A R C
for stream in 0 1; do
  run_wrk "direct-$stream" "http://127.0.0.1:$UPSTREAM$PATH_" "$stream" "$DURATION"; R[direct-$stream]=$RESULT
  run_wrk "gateway-$stream" "http://127.0.0.1:$GATEWAY$PATH_" "$stream" "$DURATION" "$GATEWAY_PID"
  R[gateway-$stream]=$RESULT; C[gateway-$stream]=$CPU
  run_wrk "nginx-$stream" "http://127.0.0.1:$NGINX$PATH_" "$stream" "$DURATION" "${NGINX_PIDS[@]}"
  R[nginx-$stream]=$RESULT; C[nginx-$stream]=$CPU
done
GATEWAY_RSS=$(( $(ps -o rss= -p "$GATEWAY_PID") / 1024 ))
NGINX_RSS=$(( ($(ps -o rss= --ppid "$NGINX_PID" | awk '{s+=$1} END{print s}') + $(ps -o rss= -p "$NGINX_PID")) / 1024 ))

echo
echo "API gateway benchmark — $(date -u '+%Y-%m-%d %H:%M:%S UTC'), nproc=$(nproc), concurrency=$CONCURRENCY, duration=$DURATION"
printf '%-30s %9s %9s %9s %12s\n' scenario "req/s" "p50 ms" "p99 ms" "CPU µs/req"
# shellcheck disable=SC2086 # each result is three columns
for stream in 0 1; do
  suffix=$([[ $stream == 1 ]] && echo ", stream" || echo "")
  printf '%-30s %9s %9s %9s\n' "direct to upstream$suffix" ${R[direct-$stream]}
  printf '%-30s %9s %9s %9s %12s\n' "suite gateway$suffix" ${R[gateway-$stream]} "${C[gateway-$stream]}"
  printf '%-30s %9s %9s %9s %12s\n' "nginx$suffix" ${R[nginx-$stream]} "${C[nginx-$stream]}"
done
for stream in 0 1; do
  read -r d_rps d50 d99 <<<"${R[direct-$stream]}"; read -r g_rps g50 g99 <<<"${R[gateway-$stream]}"
  read -r n_rps n50 n99 <<<"${R[nginx-$stream]}"
  awk -v s="$([[ $stream == 1 ]] && echo stream || echo plain)" -v d="$d_rps" -v g="$g_rps" -v n="$n_rps" \
      -v d50="$d50" -v g50="$g50" -v n50="$n50" -v g99="$g99" -v n99="$n99" -v d99="$d99" \
      'BEGIN{printf "%-6s gateway/direct %.2f, gateway/nginx %.2f; added p50: gateway %+.3f ms, nginx %+.3f ms; p99 gateway %.3f vs nginx %.3f ms\n", s, g/d, g/n, g50-d50, n50-d50, g99, n99}'
done
awk -v g="${C[gateway-0]}" -v n="${C[nginx-0]}" -v gs="${C[gateway-1]}" -v ns="${C[nginx-1]}" \
    'BEGIN{printf "CPU per request, gateway/nginx: plain %.2f, stream %.2f\n", g/n, gs/ns}'
echo "RSS after the run: gateway ${GATEWAY_RSS} MB (-Xmx256m), nginx ${NGINX_RSS} MB (master + workers)"
