-- GET the newest page (50) of one of the bench sessions (SESSIONS, space-separated).
local sessions = {}
for id in string.gmatch(os.getenv("SESSIONS"), "%S+") do sessions[#sessions + 1] = id end
local n = 0

function request()
   n = n + 1
   return wrk.format("GET", "/api/sessions/" .. sessions[(n % #sessions) + 1] .. "/messages?limit=50", {
      ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") })
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      e.status + e.connect + e.read + e.write + e.timeout))
end
