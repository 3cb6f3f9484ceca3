-- POST /api/llm/configs with a name unique per request: <prefix>-<thread>-<counter>-<random>.
-- Needs BENCH_KEY; BENCH_NAME_PREFIX must differ between wrk runs against one database.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local key = os.getenv("BENCH_KEY") or error("BENCH_KEY is not set")
local prefix = os.getenv("BENCH_NAME_PREFIX") or error("BENCH_NAME_PREFIX is not set")

local next_tid = 0
function setup(thread)
   next_tid = next_tid + 1
   thread:set("tid", next_tid)
end

local counter = 0
local headers = {
   ["Authorization"] = "Bearer " .. key,
   ["Content-Type"] = "application/json",
}

function init(args)
   math.randomseed(os.time() + (tid or 0) * 7919)
end

function request()
   counter = counter + 1
   local name = string.format("%s-%d-%d-%06x", prefix, tid, counter, math.random(0, 0xFFFFFF))
   local body = '{"name":"' .. name .. '","provider":"openai",'
      .. '"api_key":"sk-bench0123456789abcdefghijklmnopqrstuvwxyz","model":"gpt-4o-mini"}'
   return wrk.format("POST", "/api/llm/configs", headers, body)
end
