-- Shared by the wrk scripts: numbers each thread (global `tid`, 1-based), counts the responses
-- by status in every thread, and prints one machine-readable line at the end:
--   BENCH rps=… p50_ms=… p99_ms=… max_ms=… requests=… bad=… socket_errors=… statuses=200:123,303:4
-- `bad` counts responses that are neither 2xx nor 3xx; socket_errors are wrk's connect, read,
-- write and timeout errors.
local threads = {}
local next_tid = 1

function setup(thread)
    thread:set("tid", next_tid)
    next_tid = next_tid + 1
    table.insert(threads, thread)
end

statuses = {}
extra = {}

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
    local merged, extras = {}, {}
    for _, thread in ipairs(threads) do
        for status, count in pairs(thread:get("statuses")) do
            merged[status] = (merged[status] or 0) + count
        end
        for key, count in pairs(thread:get("extra")) do
            extras[key] = (extras[key] or 0) + count
        end
    end
    local bad, parts, keys = 0, {}, {}
    for status in pairs(merged) do table.insert(keys, status) end
    table.sort(keys)
    for _, status in ipairs(keys) do
        if status < 200 or status >= 400 then bad = bad + merged[status] end
        table.insert(parts, status .. ":" .. merged[status])
    end
    local errors = summary.errors
    local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
    local line = string.format(
        "BENCH rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f requests=%d bad=%d socket_errors=%d statuses=%s",
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
        summary.requests, bad, socket_errors, table.concat(parts, ","))
    for key, count in pairs(extras) do line = line .. string.format(" %s=%d", key, count) end
    io.write(line .. "\n")
end
