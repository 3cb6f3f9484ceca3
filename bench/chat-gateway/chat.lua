-- POST /v1/chat/completions; BENCH_KEY (gateway only), BENCH_MODEL and BENCH_STREAM=1 from the environment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("BENCH_KEY")
if key and key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
local stream = os.getenv("BENCH_STREAM") == "1" and "true" or "false"
wrk.body = '{"model":"' .. (os.getenv("BENCH_MODEL") or "fake-model") .. '","stream":' .. stream
        .. ',"messages":[{"role":"user","content":"Say hello in a few words."}]}'

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      e.status + e.connect + e.read + e.write + e.timeout))
end
