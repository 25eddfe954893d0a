-- POST /f/{form}?sessionId=S: one submit per session, as a person who loaded the page would send
-- it. Each thread reads its own file BENCH_SUBMIT_FILE.<tid> of "sessionId formToken" lines
-- (bench/form_tokens.py signs them as the app does). A session is never posted twice; should the
-- file run out, the last line is repeated (409 "already completed", counted as an error) and
-- `exhausted` says how often.
dofile(os.getenv("BENCH_LUA_DIR") .. "/stats.lua")

local form = os.getenv("BENCH_FORM") or "address-update"
local fields = os.getenv("BENCH_SUBMIT_FIELDS")
local sessions = {}
local i = 0
extra = { exhausted = 0 }

function init(args)
    for line in io.lines(os.getenv("BENCH_SUBMIT_FILE") .. "." .. tid) do
        local session, token = line:match("^(%S+) (%S+)$")
        table.insert(sessions, { session, token })
    end
end

function request()
    i = i + 1
    local entry = sessions[i]
    if entry == nil then
        extra.exhausted = extra.exhausted + 1
        entry = sessions[#sessions]
    end
    return wrk.format(
        "POST",
        "/f/" .. form .. "?sessionId=" .. entry[1],
        { ["Content-Type"] = "application/x-www-form-urlencoded" },
        "_token=" .. entry[2] .. "&" .. fields)
end
