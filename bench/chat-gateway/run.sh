#!/usr/bin/env bash
# Chat gateway overhead: the same OpenAI-format requests straight to a fast local fake provider,
# through llm-service (an openai-compatible config pointing at the fake) and through Portkey's
# gateway (npm @portkey-ai/gateway, pinned in portkey/package-lock.json, the fake as a custom host),
# in one run, at concurrency 16; then the same call through llm-service's Anthropic Messages and
# OpenAI Responses routes, against its Chat Completions. Prints throughput, p50/p99, the added
# latency, time to first byte of streams, and both gateways' RSS afterwards.
#   env: LLM_APP (jar, default llm-service/target/quarkus-app/quarkus-run.jar), BENCH_DURATION (20s),
#        BENCH_WARMUP (seconds, 15), BENCH_CONCURRENCY (16), BENCH_TTFB_SAMPLES (300),
#        GATEWAY_JAVA_OPTS (-Xmx256m: a container-sized heap rather than a quarter of the host's RAM)
# A second gateway traces every call (OTEL_EXPORTER_OTLP_ENDPOINT, http/protobuf, to a local sink
# that drops what it gets) and runs chat completions beside the untraced one: the cost of tracing.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LLM_APP=${LLM_APP:-$ROOT/llm-service/target/quarkus-app/quarkus-run.jar}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-15}
CONCURRENCY=${BENCH_CONCURRENCY:-16}
SAMPLES=${BENCH_TTFB_SAMPLES:-300}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:--Xmx256m}
WORK=$(mktemp -d)
KEY=bench-gateway-key
# Both gateways share the database, so they must share the key that encrypts the config's API key.
MASTER_KEY=$(openssl rand -base64 32)
PIDS=()

die() { echo "chat-gateway bench: $*" >&2; exit 1; }
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; }
# Portkey exactly as locked; its own postinstall (patch-package) has no patches to apply.
[[ -f $HERE/portkey/node_modules/.package-lock.json ]] \
    || (cd "$HERE/portkey" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null) || die "could not install Portkey"
[[ -f $LLM_APP ]] || die "no $LLM_APP: run ./mvnw package -DskipTests first"
# Run a private copy, so a rebuild during the run cannot pull the jar from under the gateway.
cp -r "$(dirname "$LLM_APP")" "$WORK/app"
LLM_APP=$WORK/app/$(basename "$LLM_APP")
bash "$ROOT/deploy/local/services.sh" >/dev/null

# shellcheck source=../wrk-result.sh
source "$HERE/../wrk-result.sh"
# shellcheck source=../free-port.sh
source "$HERE/../free-port.sh"
wait_http() { for _ in $(seq 1 120); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done; die "$1 did not answer"; }

# The fake runs on the service's own Vert.x: the libraries packaged beside its jar.
FAKE_CP="$(dirname "$LLM_APP")/lib/main/*"
FAKE_PORT=$(free_port)
java -XX:+UseSerialGC -cp "$FAKE_CP" "$HERE/FakeOpenAi.java" "$FAKE_PORT" >"$WORK/fake.log" 2>&1 &
PIDS+=($!)

mariadb -uroot -e "DROP DATABASE IF EXISTS suite_llm_bench; CREATE DATABASE suite_llm_bench"
GW_PORT=$(free_port)
# The fake upstream listens on loopback, which api-key mode refuses unless allowed. (A comment
# inside the continued command below would end it, and the service would run in local mode.)
# shellcheck disable=SC2086 # word splitting of the JVM options is intended
SUITE_MASTER_KEY=$MASTER_KEY SUITE_AUTH_MODE=api-key \
SUITE_AUTH_API_KEYS="bench:$(echo -n $KEY | sha256sum | cut -d' ' -f1)" SUITE_ALLOW_PRIVATE_NETWORKS=true \
java $GATEWAY_JAVA_OPTS -Dquarkus.http.port="$GW_PORT" -Dquarkus.log.level=WARN \
    -Dquarkus.datasource.reactive.url=mysql://127.0.0.1:3306/suite_llm_bench \
    -Dquarkus.datasource.jdbc.url=jdbc:mariadb://127.0.0.1:3306/suite_llm_bench \
    -jar "$LLM_APP" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=($GW_PID)
# The same gateway with tracing on, exporting every span to a local OTLP sink.
SINK_PORT=$(free_port)
java -XX:+UseSerialGC "$HERE/OtlpSink.java" "$SINK_PORT" >"$WORK/sink.log" 2>&1 &
PIDS+=($!)
TR_PORT=$(free_port)
# shellcheck disable=SC2086 # word splitting of the JVM options is intended
SUITE_MASTER_KEY=$MASTER_KEY SUITE_AUTH_MODE=api-key \
SUITE_AUTH_API_KEYS="bench:$(echo -n $KEY | sha256sum | cut -d' ' -f1)" SUITE_ALLOW_PRIVATE_NETWORKS=true \
OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
java $GATEWAY_JAVA_OPTS -Dquarkus.http.port="$TR_PORT" -Dquarkus.log.level=WARN \
    -Dquarkus.datasource.reactive.url=mysql://127.0.0.1:3306/suite_llm_bench \
    -Dquarkus.datasource.jdbc.url=jdbc:mariadb://127.0.0.1:3306/suite_llm_bench \
    -jar "$LLM_APP" >"$WORK/traced.log" 2>&1 &
PIDS+=($!)
PK_PORT=$(free_port)
NODE_ENV=production node "$HERE/portkey/node_modules/@portkey-ai/gateway/build/start-server.js" --headless \
    --port="$PK_PORT" >"$WORK/portkey.log" 2>&1 &
PK_PID=$!
PIDS+=($PK_PID)
wait_http "http://127.0.0.1:$GW_PORT/q/health/ready"
wait_http "http://127.0.0.1:$TR_PORT/q/health/ready"
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$PK_PORT/" && break; sleep 0.5; done
for _ in $(seq 1 60); do grep -q "fake OpenAI" "$WORK/fake.log" && break; sleep 0.5; done

curl -fs -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"provider\":\"openai-compatible\",\"api_url\":\"http://127.0.0.1:$FAKE_PORT/v1\",\"api_key\":\"sk-bench-0000000000\",\"model\":\"fake-model\"}" \
    "http://127.0.0.1:$GW_PORT/api/llm/configs" || die "could not create the bench config"

DIRECT=http://127.0.0.1:$FAKE_PORT/v1/chat/completions
PORTKEY=http://127.0.0.1:$PK_PORT/v1/chat/completions
GATEWAY=http://127.0.0.1:$GW_PORT/v1/chat/completions
TRACED=http://127.0.0.1:$TR_PORT/v1/chat/completions
MESSAGES=http://127.0.0.1:$GW_PORT/v1/messages
RESPONSES=http://127.0.0.1:$GW_PORT/v1/responses

run_wrk() { # name url key stream duration [api] -> sets RESULT="req/s p50 p99"
    local out=$WORK/$1.out portkey=
    [[ $2 == "$PORTKEY" ]] && portkey=http://127.0.0.1:$FAKE_PORT/v1
    BENCH_KEY=$3 BENCH_MODEL=$([[ -n $3 ]] && echo bench || echo fake-model) BENCH_STREAM=$4 BENCH_API=${6:-chat} \
        BENCH_PORTKEY_HOST=$portkey wrk -t2 -c"$CONCURRENCY" -d"$5" --latency -s "$HERE/chat.lua" "$2" >"$out" 2>&1 || { cat "$out"; die "wrk failed"; }
    wrk_result "$1" "$out"
}

ttfb() { # url key -> "p50 p99" of time to first byte of a stream, ms, sequential requests
    local auth=() model=fake-model
    [[ -n $2 ]] && { auth=(-H "Authorization: Bearer $2"); model=bench; }
    [[ $1 == "$PORTKEY" ]] && auth=(-H "Authorization: Bearer sk-bench-0000000000" -H "x-portkey-provider: openai"
        -H "x-portkey-custom-host: http://127.0.0.1:$FAKE_PORT/v1")
    for _ in $(seq 1 "$SAMPLES"); do
        curl -s --max-time 10 -o /dev/null -w '%{time_starttransfer}\n' "${auth[@]}" -H 'Content-Type: application/json' \
            -d "{\"model\":\"$model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" "$1"
    done | sort -n | awk '{v[NR]=$1*1000} END{printf "%.3f %.3f", v[int(NR*0.5)], v[int(NR*0.99)]}'
}

overhead() { # -> "p50 p99" of X-Suite-Overhead-Ms (the gateway's own time) over sequential non-streaming calls
    for _ in $(seq 1 "$SAMPLES"); do
        curl -s --max-time 10 -o /dev/null -D - -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
            -d '{"model":"bench","messages":[{"role":"user","content":"hi"}]}' "$GATEWAY" \
            | tr -d '\r' | sed -n 's/^[Xx]-[Ss]uite-[Oo]verhead-[Mm]s: //p'
    done | sort -n | awk '{v[NR]=$1} END{printf "%.3f %.3f", v[int(NR*0.5)], v[int(NR*0.99)]}'
}

echo "warming up (${WARMUP}s each way)..."
run_wrk warm-direct "$DIRECT" "" 0 "${WARMUP}s"
run_wrk warm-gateway "$GATEWAY" "$KEY" 0 "${WARMUP}s"
run_wrk warm-portkey "$PORTKEY" "" 0 "${WARMUP}s"
run_wrk warm-portkey-stream "$PORTKEY" "" 1 "${WARMUP}s"
run_wrk warm-gateway-stream "$GATEWAY" "$KEY" 1 "${WARMUP}s"
run_wrk warm-messages "$MESSAGES" "$KEY" 1 "${WARMUP}s" messages
run_wrk warm-responses "$RESPONSES" "$KEY" 1 "${WARMUP}s" responses
# As long as the untraced gateway warmed (its Messages and Responses runs go through the same code),
# so the comparison is not one of JIT warm-up.
run_wrk warm-traced "$TRACED" "$KEY" 0 "$((2 * WARMUP))s"
run_wrk warm-traced-stream "$TRACED" "$KEY" 1 "$((2 * WARMUP))s"

echo "measuring ($DURATION each, concurrency $CONCURRENCY)..."
run_wrk direct "$DIRECT" "" 0 "$DURATION"; read -r D_RPS D_P50 D_P99 <<<"$RESULT"
run_wrk gateway "$GATEWAY" "$KEY" 0 "$DURATION"; read -r G_RPS G_P50 G_P99 <<<"$RESULT"
run_wrk traced "$TRACED" "$KEY" 0 "$DURATION"; read -r T_RPS T_P50 T_P99 <<<"$RESULT"
run_wrk direct-stream "$DIRECT" "" 1 "$DURATION"; read -r DS_RPS DS_P50 DS_P99 <<<"$RESULT"
run_wrk gateway-stream "$GATEWAY" "$KEY" 1 "$DURATION"; read -r GS_RPS GS_P50 GS_P99 <<<"$RESULT"
run_wrk traced-stream "$TRACED" "$KEY" 1 "$DURATION"; read -r TS_RPS TS_P50 TS_P99 <<<"$RESULT"
run_wrk portkey "$PORTKEY" "" 0 "$DURATION"; read -r P_RPS P_P50 P_P99 <<<"$RESULT"
run_wrk portkey-stream "$PORTKEY" "" 1 "$DURATION"; read -r PS_RPS PS_P50 PS_P99 <<<"$RESULT"
run_wrk messages "$MESSAGES" "$KEY" 0 "$DURATION" messages; read -r M_RPS M_P50 M_P99 <<<"$RESULT"
run_wrk messages-stream "$MESSAGES" "$KEY" 1 "$DURATION" messages; read -r MS_RPS MS_P50 MS_P99 <<<"$RESULT"
run_wrk responses "$RESPONSES" "$KEY" 0 "$DURATION" responses; read -r R_RPS R_P50 R_P99 <<<"$RESULT"
run_wrk responses-stream "$RESPONSES" "$KEY" 1 "$DURATION" responses; read -r RS_RPS RS_P50 RS_P99 <<<"$RESULT"
SINK_STATS=$(curl -fs "http://127.0.0.1:$SINK_PORT/stats" || echo "unreachable")
read -r DT_P50 DT_P99 <<<"$(ttfb "$DIRECT" "")"
read -r GT_P50 GT_P99 <<<"$(ttfb "$GATEWAY" "$KEY")"
read -r PT_P50 PT_P99 <<<"$(ttfb "$PORTKEY" "")"
read -r OH_P50 OH_P99 <<<"$(overhead)"
RSS_MB=$(( $(ps -o rss= -p "$GW_PID") / 1024 ))
PK_RSS_MB=$(( $(ps -o rss= -p "$PK_PID") / 1024 ))

echo
echo "chat gateway benchmark — $(date -u '+%Y-%m-%d %H:%M:%S UTC'), nproc=$(nproc), concurrency=$CONCURRENCY, duration=$DURATION"
printf '%-28s %9s %9s %9s\n' scenario "req/s" "p50 ms" "p99 ms"
printf '%-28s %9s %9s %9s\n' "direct to fake" "$D_RPS" "$D_P50" "$D_P99"
printf '%-28s %9s %9s %9s\n' "through gateway" "$G_RPS" "$G_P50" "$G_P99"
printf '%-28s %9s %9s %9s\n' "direct to fake, stream" "$DS_RPS" "$DS_P50" "$DS_P99"
printf '%-28s %9s %9s %9s\n' "through gateway, stream" "$GS_RPS" "$GS_P50" "$GS_P99"
printf '%-28s %9s %9s %9s\n' "through Portkey 1.15.2" "$P_RPS" "$P_P50" "$P_P99"
printf '%-28s %9s %9s %9s\n' "through Portkey, stream" "$PS_RPS" "$PS_P50" "$PS_P99"
printf '%-28s %9s %9s %9s\n' "messages API" "$M_RPS" "$M_P50" "$M_P99"
printf '%-28s %9s %9s %9s\n' "messages API, stream" "$MS_RPS" "$MS_P50" "$MS_P99"
printf '%-28s %9s %9s %9s\n' "responses API" "$R_RPS" "$R_P50" "$R_P99"
printf '%-28s %9s %9s %9s\n' "responses API, stream" "$RS_RPS" "$RS_P50" "$RS_P99"
printf '%-28s %9s %9s %9s\n' "gateway, traced" "$T_RPS" "$T_P50" "$T_P99"
printf '%-28s %9s %9s %9s\n' "gateway, traced, stream" "$TS_RPS" "$TS_P50" "$TS_P99"
awk -v g="$G_RPS" -v d="$D_RPS" -v gs="$GS_RPS" -v ds="$DS_RPS" -v g50="$G_P50" -v d50="$D_P50" -v g99="$G_P99" -v d99="$D_P99" \
    'BEGIN{printf "throughput ratio: %.2f (stream %.2f); added latency under load: p50 %+.3f ms, p99 %+.3f ms\n", g/d, gs/ds, g50-d50, g99-d99}'
awk -v g="$G_RPS" -v p="$P_RPS" -v gs="$GS_RPS" -v ps="$PS_RPS" -v g50="$G_P50" -v p50="$P_P50" -v d50="$D_P50" \
    'BEGIN{printf "gateway / Portkey throughput: %.1fx (stream %.1fx); added p50 under load: gateway %+.3f ms, Portkey %+.3f ms\n", g/p, gs/ps, g50-d50, p50-d50}'
if awk -v g="$G_RPS" -v p="$P_RPS" -v g50="$G_P50" -v d50="$D_P50" 'BEGIN{exit !(g/p >= 10 && g50-d50 <= 1.5)}'; then
    echo "  expectation (>= 10x Portkey's throughput, <= +1.5 ms added p50): met"
else
    echo "  expectation (>= 10x Portkey's throughput, <= +1.5 ms added p50): NOT met"
fi
awk -v m="$M_RPS" -v ms="$MS_RPS" -v r="$R_RPS" -v rs="$RS_RPS" -v g="$G_RPS" -v gs="$GS_RPS" \
    'BEGIN{printf "messages / chat completions through the gateway: %.2f (stream %.2f); responses: %.2f (stream %.2f)\n", m/g, ms/gs, r/g, rs/gs}'
if awk -v m="$M_RPS" -v ms="$MS_RPS" -v r="$R_RPS" -v rs="$RS_RPS" -v g="$G_RPS" -v gs="$GS_RPS" \
    'BEGIN{exit !(m/g >= 0.85 && ms/gs >= 0.85 && r/g >= 0.85 && rs/gs >= 0.85)}'; then
    echo "  expectation (Messages and Responses within 15 % of chat completions): met"
else
    echo "  expectation (Messages and Responses within 15 % of chat completions): NOT met"
fi
awk -v t="$T_RPS" -v ts="$TS_RPS" -v g="$G_RPS" -v gs="$GS_RPS" -v t50="$T_P50" -v g50="$G_P50" \
    'BEGIN{printf "tracing on / off: throughput %.2f (stream %.2f), p50 %+.3f ms; the sink took %s\n", t/g, ts/gs, t50-g50, "'"$SINK_STATS"'"}'
if awk -v t="$T_RPS" -v ts="$TS_RPS" -v g="$G_RPS" -v gs="$GS_RPS" 'BEGIN{exit !(t/g >= 0.9 && ts/gs >= 0.9)}'; then
    echo "  expectation (tracing costs under 10 % of the throughput): met"
else
    echo "  expectation (tracing costs under 10 % of the throughput): NOT met"
fi
awk -v a="$GT_P50" -v b="$DT_P50" -v c="$GT_P99" -v d="$DT_P99" \
    'BEGIN{printf "time to first byte of a stream, unloaded (%s sequential): direct p50 %.3f ms / p99 %.3f ms, gateway p50 %.3f / p99 %.3f, added p50 %+.3f ms\n", "'"$SAMPLES"'", b, d, a, c, a-b}'
awk -v a="$PT_P50" -v b="$DT_P50" -v c="$PT_P99" 'BEGIN{printf "  through Portkey: p50 %.3f / p99 %.3f, added p50 %+.3f ms\n", a, c, a-b}'
echo "gateway's own time per unloaded call (X-Suite-Overhead-Ms, $SAMPLES sequential): p50 $OH_P50 ms, p99 $OH_P99 ms"
echo "gateway RSS after the run: ${RSS_MB} MB (JVM options: $GATEWAY_JAVA_OPTS); Portkey's: ${PK_RSS_MB} MB"
