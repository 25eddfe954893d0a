-- GET /f/{form}?sessionId=… with a new sessionId on every request (BENCH_SESSION_POOL=0, the
-- default: every page load is a new dialog, as in a campaign), or cycling through the pool
-- PREFIX-0 … PREFIX-(N-1) (the simulator knows only the dialogs created for the run).
dofile(os.getenv("BENCH_LUA_DIR") .. "/stats.lua")

local form = os.getenv("BENCH_FORM") or "address-update"
local prefix = os.getenv("BENCH_SESSION_PREFIX") or "page"
local pool = tonumber(os.getenv("BENCH_SESSION_POOL") or "0")
local path_prefix = os.getenv("BENCH_PATH_PREFIX") or ""
local n = 0

function request()
    n = n + 1
    local session
    if pool > 0 then
        session = prefix .. "-" .. ((n * 7919 + tid) % pool)
    else
        session = prefix .. "-" .. tid .. "-" .. n
    end
    return wrk.format("GET", path_prefix .. "/f/" .. form .. "?sessionId=" .. session)
end
