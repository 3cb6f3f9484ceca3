-- POST no-op tasks; BENCH_KEY from the environment. With BATCH=n in the environment, n tasks per
-- request, for POST /api/v1/tasks/batch; with PACE_MS=m, each connection waits m ms before each
-- request (a steady rate instead of as fast as the service answers).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
local batch = tonumber(os.getenv("BATCH") or "")
if batch then
   local tasks = {}
   for i = 1, batch do tasks[i] = '{"type":"noop"}' end
   wrk.body = '{"tasks":[' .. table.concat(tasks, ",") .. ']}'
else
   wrk.body = '{"type":"noop"}'
end

local pace = tonumber(os.getenv("PACE_MS") or "")
if pace then
   function delay() return pace end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      e.status + e.connect + e.read + e.write + e.timeout))
end
