-- POST one chat request in the shape of BENCH_API: chat (/v1/chat/completions, the default),
-- messages (/v1/messages) or responses (/v1/responses). BENCH_KEY (gateway only), BENCH_MODEL and
-- BENCH_STREAM=1 from the environment; BENCH_PORTKEY_HOST (Portkey only) is the fake's URL, which
-- Portkey reaches as an OpenAI provider at a custom host.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("BENCH_KEY")
if key and key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
local portkey = os.getenv("BENCH_PORTKEY_HOST")
if portkey and portkey ~= "" then
   wrk.headers["Authorization"] = "Bearer sk-bench-0000000000"
   wrk.headers["x-portkey-provider"] = "openai"
   wrk.headers["x-portkey-custom-host"] = portkey
end
local stream = os.getenv("BENCH_STREAM") == "1" and "true" or "false"
local model = os.getenv("BENCH_MODEL") or "fake-model"
local api = os.getenv("BENCH_API") or "chat"
local prompt = "Say hello in a few words."
if api == "messages" then
   wrk.headers["anthropic-version"] = "2023-06-01"
   wrk.body = '{"model":"' .. model .. '","max_tokens":256,"stream":' .. stream
           .. ',"messages":[{"role":"user","content":"' .. prompt .. '"}]}'
elseif api == "responses" then
   wrk.body = '{"model":"' .. model .. '","store":false,"stream":' .. stream .. ',"input":"' .. prompt .. '"}'
else
   wrk.body = '{"model":"' .. model .. '","stream":' .. stream
           .. ',"messages":[{"role":"user","content":"' .. prompt .. '"}]}'
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      e.status + e.connect + e.read + e.write + e.timeout))
end
