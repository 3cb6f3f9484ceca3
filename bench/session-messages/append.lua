-- POST one message to one of the bench sessions (SESSIONS, space-separated), each connection
-- keeping to its own session as each chat client would.
local sessions = {}
for id in string.gmatch(os.getenv("SESSIONS"), "%S+") do sessions[#sessions + 1] = id end
local counter = 0

function setup(thread)
   thread:set("offset", counter)
   counter = counter + 1
end

local n = 0
function request()
   n = n + 1
   local session = sessions[((offset + n * 2) % #sessions) + 1]
   return wrk.format("POST", "/api/sessions/" .. session .. "/messages", {
      ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY"),
      ["Content-Type"] = "application/json" },
      '{"role":"user","content":"How long should green tea steep at 80 degrees?","token_count":12}')
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      e.status + e.connect + e.read + e.write + e.timeout))
end
