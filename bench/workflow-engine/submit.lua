-- POST a small inline graph to /api/executions: three noop nodes in a chain, the first with a
-- literal input (no Authorization header: the replicas run in local auth mode).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"nodes":[{"id":"a","type":"noop","inputs":{"value":1}},{"id":"b","type":"noop"},{"id":"c","type":"noop"}],'
   .. '"edges":[{"id":"e1","source":"a","source_handle":"value","target":"b","target_handle":"value"},'
   .. '{"id":"e2","source":"b","source_handle":"value","target":"c","target_handle":"value"}]}'

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d status=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      e.status + e.connect + e.read + e.write + e.timeout, e.status))
end
