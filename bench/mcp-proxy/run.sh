#!/usr/bin/env bash
# MCP proxy overhead: tools/call of an echo tool straight to a Streamable HTTP MCP server and
# through mcp-gateway's per-server proxy (/mcp/servers/{id}), side by side in one run, at
# concurrency 32, against two upstreams: a fast Java fake (the worst case for the ratio: the
# upstream costs almost nothing) and the reference server-everything from npm (Node.js, what
# people run). Each side first initialises its own session (the gateway's id seals the
# upstream's). Prints throughput, p50/p99, the ratio and the added latency, and the gateway's RSS.
#   env: MCP_APP (jar, default mcp-gateway/target/quarkus-app/quarkus-run.jar), BENCH_DURATION (20s),
#        BENCH_WARMUP (seconds, 15), BENCH_CONCURRENCY (32), GATEWAY_JAVA_OPTS (-Xmx512m)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MCP_APP=${MCP_APP:-$ROOT/mcp-gateway/target/quarkus-app/quarkus-run.jar}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-15}
CONCURRENCY=${BENCH_CONCURRENCY:-32}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:--Xmx512m}
WORK=$(mktemp -d)
KEY=bench-gateway-key
PIDS=()

die() { echo "mcp-proxy bench: $*" >&2; exit 1; }
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[[ -f $MCP_APP ]] || die "no $MCP_APP: run ./mvnw package -DskipTests first"
# Run a private copy, so a rebuild during the run cannot pull the jar from under the gateway.
cp -r "$(dirname "$MCP_APP")" "$WORK/app"
MCP_APP=$WORK/app/$(basename "$MCP_APP")
bash "$ROOT/deploy/local/services.sh" >/dev/null

# shellcheck source=../wrk-result.sh
source "$HERE/../wrk-result.sh"
# shellcheck source=../free-port.sh
source "$HERE/../free-port.sh"
wait_http() { for _ in $(seq 1 120); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done; die "$1 did not answer"; }

# The fake runs on the service's own Vert.x: the libraries packaged beside its jar.
FAKE_CP="$(dirname "$MCP_APP")/lib/main/*"
FAKE_PORT=$(free_port)
java -XX:+UseSerialGC -cp "$FAKE_CP" "$HERE/FakeMcp.java" "$FAKE_PORT" >"$WORK/fake.log" 2>&1 &
PIDS+=($!)

mariadb -uroot -e "DROP DATABASE IF EXISTS suite_mcp_bench; CREATE DATABASE suite_mcp_bench"
GW_PORT=$(free_port)
# The fake upstream listens on loopback, which api-key mode refuses unless allowed. (A comment
# inside the continued command below would end it, and the service would run in local mode.)
# shellcheck disable=SC2086 # word splitting of the JVM options is intended
SUITE_MASTER_KEY=$(openssl rand -base64 32) SUITE_AUTH_MODE=api-key \
SUITE_AUTH_API_KEYS="bench:$(echo -n $KEY | sha256sum | cut -d' ' -f1)" SUITE_ALLOW_PRIVATE_NETWORKS=true \
java $GATEWAY_JAVA_OPTS -Dquarkus.http.port="$GW_PORT" -Dquarkus.log.level=WARN \
    -Dquarkus.datasource.reactive.url=mysql://127.0.0.1:3306/suite_mcp_bench \
    -Dquarkus.datasource.jdbc.url=jdbc:mariadb://127.0.0.1:3306/suite_mcp_bench \
    -jar "$MCP_APP" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=($GW_PID)
wait_http "http://127.0.0.1:$GW_PORT/q/health/ready"
for _ in $(seq 1 60); do grep -q "fake MCP" "$WORK/fake.log" && break; sleep 0.5; done

NODE_DIR=$ROOT/mcp-gateway/src/test/node
[[ -f $NODE_DIR/node_modules/.package-lock.json ]] || npm ci --prefix "$NODE_DIR" --no-audit --no-fund >/dev/null
EVERYTHING_PORT=$(free_port)
PORT=$EVERYTHING_PORT node "$NODE_DIR/node_modules/@modelcontextprotocol/server-everything/dist/index.js" \
    streamableHttp >"$WORK/everything.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$EVERYTHING_PORT/mcp" && break; sleep 0.5; done

register() { # name url -> server id
    curl -fs -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$1\",\"type\":\"http-stream\",\"url\":\"$2\"}" \
        "http://127.0.0.1:$GW_PORT/api/mcp/servers" | sed 's/.*"server_id":"\([^"]*\)".*/\1/'
}
FAKE_ID=$(register fake "http://127.0.0.1:$FAKE_PORT/mcp") || die "could not register the fake"
EVERYTHING_ID=$(register everything "http://127.0.0.1:$EVERYTHING_PORT/mcp") || die "could not register server-everything"

session() { # url key -> the Mcp-Session-Id an initialize answers with
    local auth=()
    [[ -n $2 ]] && auth=(-H "Authorization: Bearer $2")
    curl -fs -D - -o /dev/null "${auth[@]}" -H 'Content-Type: application/json' \
        -H 'Accept: application/json, text/event-stream' \
        -d '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' \
        "$1" | tr -d '\r' | sed -n 's/^[Mm]cp-[Ss]ession-[Ii]d: //p'
}
run_wrk() { # name url key session duration -> sets RESULT="req/s p50 p99"
    local out=$WORK/$1.out
    BENCH_KEY=$3 MCP_SESSION=$4 wrk -t2 -c"$CONCURRENCY" -d"$5" --latency -s "$HERE/call.lua" "$2" >"$out" 2>&1 \
        || { cat "$out"; die "wrk failed"; }
    wrk_result "$1" "$out"
}

scenario() { # label direct-url gateway-url -> prints two table rows and the ratio line
    local direct_session gateway_session
    direct_session=$(session "$2" "") && [[ -n $direct_session ]] || die "no session from $2"
    gateway_session=$(session "$3" "$KEY") && [[ -n $gateway_session ]] || die "no session from the gateway"
    run_wrk warm-direct "$2" "" "$direct_session" "${WARMUP}s"
    run_wrk warm-gateway "$3" "$KEY" "$gateway_session" "${WARMUP}s"
    run_wrk direct "$2" "" "$direct_session" "$DURATION"; read -r D_RPS D_P50 D_P99 <<<"$RESULT"
    run_wrk gateway "$3" "$KEY" "$gateway_session" "$DURATION"; read -r G_RPS G_P50 G_P99 <<<"$RESULT"
    ROWS+=("$(printf '%-36s %9s %9s %9s' "$1, direct" "$D_RPS" "$D_P50" "$D_P99")")
    ROWS+=("$(printf '%-36s %9s %9s %9s' "$1, through mcp-gateway" "$G_RPS" "$G_P50" "$G_P99")")
    ROWS+=("$(awk -v l="$1" -v g="$G_RPS" -v d="$D_RPS" -v g50="$G_P50" -v d50="$D_P50" -v g99="$G_P99" -v d99="$D_P99" \
        'BEGIN{printf "  %s: throughput ratio %.2f; added latency under load p50 %+.3f ms, p99 %+.3f ms", l, g/d, g50-d50, g99-d99}')")
}

ROWS=()
echo "measuring (warm-up ${WARMUP}s, then $DURATION each way, concurrency $CONCURRENCY)..."
scenario "fast Java fake" "http://127.0.0.1:$FAKE_PORT/mcp" "http://127.0.0.1:$GW_PORT/mcp/servers/$FAKE_ID"
scenario "server-everything (Node.js)" "http://127.0.0.1:$EVERYTHING_PORT/mcp" \
    "http://127.0.0.1:$GW_PORT/mcp/servers/$EVERYTHING_ID"
RSS_MB=$(( $(ps -o rss= -p "$GW_PID") / 1024 ))

echo
echo "MCP proxy benchmark — $(date -u '+%Y-%m-%d %H:%M:%S UTC'), nproc=$(nproc), concurrency=$CONCURRENCY, duration=$DURATION"
printf '%-36s %9s %9s %9s\n' "tools/call of echo" "req/s" "p50 ms" "p99 ms"
printf '%s\n' "${ROWS[@]}"
echo "gateway RSS after the run: ${RSS_MB} MB (JVM options: $GATEWAY_JAVA_OPTS)"
