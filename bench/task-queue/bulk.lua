-- POST a batch of 100 no-op tasks to /api/v1/tasks/batch; BENCH_KEY from the environment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
local tasks = {}
for i = 1, 100 do tasks[i] = '{"type":"noop"}' end
wrk.body = '{"tasks":[' .. table.concat(tasks, ",") .. ']}'

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      e.status + e.connect + e.read + e.write + e.timeout))
end
