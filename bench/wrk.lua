-- Load script for wrk (`make bench`, bench/bench.py). Usage: wrk ... -s bench/wrk.lua -- <requests file>
-- The requests file has one request per line, tab separated: METHOD, PATH, then header lines "Name: value"
-- joined by "\x1f", then the body (may be empty). Each wrk thread walks the list round robin, starting at a
-- different offset, so 16 connections act as 16 different bench users.
-- Every response that is not 200 is counted (wrk itself counts only >= 400); done() prints one JSON line with
-- the latency percentiles in microseconds, so bench.py does not parse wrk's human output.

local requests = {}
local threads = {}
local counter = 0

local function load(path)
  local list = {}
  for line in io.lines(path) do
    local method, target, headers, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
    local h = {}
    for header in string.gmatch(headers or "", "[^\031]+") do
      local name, value = header:match("^([^:]+):%s*(.*)$")
      if name then h[name] = value end
    end
    if body == "" then body = nil end
    table.insert(list, wrk.format(method, target, h, body))
  end
  return list
end

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  requests = load(args[1])
  index = id or 0
  non200 = 0
  statuses = {}
end

function request()
  index = index + 1
  return requests[(index % #requests) + 1]
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    statuses[status] = true
  end
end

function done(summary, latency, requests)
  local bad = 0
  local seen = {}
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non200") or 0)
    local s = thread:get("statuses")
    if s then
      for code, _ in pairs(s) do table.insert(seen, tostring(code)) end
    end
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"mean_us": %.1f, "non200": %d, "statuses": "%s", "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, bad, table.concat(seen, ","), e.connect, e.read, e.write, e.timeout))
end
