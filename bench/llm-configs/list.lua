-- GET /api/llm/configs?limit=50 as the bench user. Needs BENCH_KEY in the environment.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local key = os.getenv("BENCH_KEY") or error("BENCH_KEY is not set")
wrk.method = "GET"
wrk.path = "/api/llm/configs?limit=50"
wrk.headers["Authorization"] = "Bearer " .. key
