# Sourced by the benchmarks whose wrk Lua scripts print a BENCH_RESULT line in done().
# wrk_result <name> <wrk output file>: sets RESULT="req/s p50_ms p99_ms"; stops the run (the
# caller's `die`) on a missing result, any socket error or any non-2xx reply.
wrk_result() {
    local line req dur p50 p99 errors
    line=$(grep BENCH_RESULT "$2") || { cat "$2"; die "$1: no result from wrk"; }
    req=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$line"); dur=$(sed 's/.*duration_us=\([0-9]*\).*/\1/' <<<"$line")
    p50=$(sed 's/.*p50_us=\([0-9]*\).*/\1/' <<<"$line"); p99=$(sed 's/.*p99_us=\([0-9]*\).*/\1/' <<<"$line")
    errors=$(sed 's/.*errors=\([0-9]*\).*/\1/' <<<"$line")
    [[ $errors -eq 0 ]] || { cat "$2"; die "$1: $errors errors or non-2xx responses"; }
    RESULT="$(awk -v r="$req" -v d="$dur" 'BEGIN{printf "%.0f", r/(d/1e6)}') $(awk -v v="$p50" 'BEGIN{printf "%.3f", v/1000}') $(awk -v v="$p99" 'BEGIN{printf "%.3f", v/1000}')"
}
