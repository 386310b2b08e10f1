-- wrk script for bench.sh: POSTs one fixed Anthropic request and, when the run ends, writes its numbers
-- as one JSON object to $BENCH_OUT (latencies in microseconds).
--   BENCH_BODY_FILE  request body (JSON)      BENCH_KEY  gateway key (sent as x-api-key; optional)
--   BENCH_AUTH=bearer  send the key as "Authorization: Bearer" instead (OpenAI routes)
--   BENCH_OUT  where to write the result      BENCH_CONNS / BENCH_THREADS  echoed into the result
local function read_file(path)
  local f = assert(io.open(path, "rb"), "cannot open " .. tostring(path))
  local data = f:read("*a")
  f:close()
  return data
end

wrk.method = "POST"
wrk.body = read_file(os.getenv("BENCH_BODY_FILE"))
wrk.headers["Content-Type"] = "application/json"
wrk.headers["anthropic-version"] = "2023-06-01"
local key = os.getenv("BENCH_KEY")
if key ~= nil and key ~= "" then
  if os.getenv("BENCH_AUTH") == "bearer" then
    wrk.headers["Authorization"] = "Bearer " .. key -- OpenAI routes (what the OpenAI SDK and Codex send)
  else
    wrk.headers["x-api-key"] = key
  end
end

function done(summary, latency, requests)
  if os.getenv("BENCH_OUT") == nil then return end -- ad-hoc runs (bench.sh --serve): wrk's own report only
  local out = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  out:write(string.format(
    '{"connections":%d,"threads":%d,"requests":%d,"duration_us":%d,"bytes":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,' ..
    '"errors_status":%d,"errors_timeout":%d,"lat_p50_us":%d,"lat_p90_us":%d,"lat_p99_us":%d,"lat_max_us":%d,' ..
    '"lat_mean_us":%.3f,"lat_stdev_us":%.3f}\n',
    tonumber(os.getenv("BENCH_CONNS") or "0"), tonumber(os.getenv("BENCH_THREADS") or "0"),
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean, latency.stdev))
  out:close()
end
