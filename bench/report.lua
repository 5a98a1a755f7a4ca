-- wrk reporting hook of the benchmark (bench/load.py reads the BENCH_JSON line).
-- Latencies are wrk's own per-request measurements, in microseconds.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "socket_errors": %d, "non_2xx_3xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
