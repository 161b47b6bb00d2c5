-- Shared by every scenario script (loaded with dofile): the JSON report and a line reader.

function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  return lines
end

function read_file(path)
  local file = assert(io.open(path, "rb"))
  local content = file:read("*a")
  file:close()
  return content
end

-- Each thread gets its own seed, so the threads do not walk the same ids in step.
local next_seed = 1
function setup(thread)
  thread:set("thread_seed", next_seed)
  next_seed = next_seed + 1
end

function seed_random()
  math.randomseed(os.time() * 1000 + (thread_seed or 0))
end

-- One line the Python side parses: wrk's own counters and percentiles (latency in microseconds).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %.0f, "p90": %.0f, "p95": %.0f, "p99": %.0f, "max": %.0f, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean
  ))
end
