#!/usr/bin/env bash
# API latency of every list page and the dashboard's requests on a large installation:
# 1,000 targets, 10,000 jobs, 1,000,000 runs (SQLite, all-in-one host). Prints a Markdown table.
#   bench/list-latency.sh [targets] [jobs] [runs] [requests-per-endpoint]
set -euo pipefail
cd "$(dirname "$0")/.."
targets=${1:-1000}; jobs=${2:-10000}; runs=${3:-1000000}; samples=${4:-50}
. bench/lib/large-db.sh
large_db_init
large_db_seed "$targets" "$jobs" "$runs"
large_db_host
since=$(python3 -c 'import datetime; print((datetime.datetime.now(datetime.timezone.utc)-datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
TOKEN=$(large_db_token) PORT=$port SAMPLES=$samples SINCE=$since python3 - <<'PY'
import http.client, json, os, statistics, time
port, token, n, since = int(os.environ["PORT"]), os.environ["TOKEN"], int(os.environ["SAMPLES"]), os.environ["SINCE"]
conn = http.client.HTTPConnection("127.0.0.1", port)
def get(path):
    t = time.perf_counter()
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    r = conn.getresponse(); body = r.read()
    return (time.perf_counter() - t) * 1000, r.status, body
pages = [
    ("targets, first page", "/api/v1/targets?pageSize=50"),
    ("targets, search", "/api/v1/targets?search=srv-004&pageSize=50"),
    ("targets, tag filter", "/api/v1/targets?tag=web&pageSize=50"),
    ("targets, status filter", "/api/v1/targets?status=unreachable&pageSize=50"),
    ("jobs, first page", "/api/v1/jobs?pageSize=50"),
    ("jobs, search", "/api/v1/jobs?search=job-09&pageSize=50"),
    ("jobs, page 100", "/api/v1/jobs?page=100&pageSize=50"),
    ("runs, first page", "/api/v1/runs?pageSize=50"),
    ("runs, failed only", "/api/v1/runs?status=failed&pageSize=50"),
    ("runs, one job", "/api/v1/runs?jobId=42&pageSize=50"),
    ("runs, page 1000", "/api/v1/runs?page=1000&pageSize=50"),
    ("users", "/api/v1/users?pageSize=50"),
    ("credentials", "/api/v1/credentials?pageSize=50"),
    ("dashboard: health", "/health"),
    ("dashboard: executor status", "/api/v1/executor/status"),
    ("dashboard: running now", "/api/v1/runs?status=running&pageSize=50"),
    ("dashboard: failing targets (unreachable)", "/api/v1/targets?status=unreachable&pageSize=50"),
    ("dashboard: failing targets (auth_failed)", "/api/v1/targets?status=auth_failed&pageSize=50"),
] + [(f"dashboard: last 24 h {s}", f"/api/v1/runs?from={since}&status={s}&pageSize=1") for s in ["succeeded", "failed", "cancelled", "timed_out", "running", "queued"]]
print("| request | status | total | p50 ms | p95 ms | max ms |")
print("|---|---|---|---|---|---|")
for name, path in pages:
    for _ in range(3): get(path)
    times = []; status = 0; body = b""
    for _ in range(n):
        ms, status, body = get(path); times.append(ms)
    times.sort()
    try: total = json.loads(body).get("total", "")
    except Exception: total = ""
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    print(f"| {name} `{path.split('?')[0]}` | {status} | {total} | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} |")
PY
echo
echo "$targets targets, $jobs jobs, $runs runs; $samples sequential requests per row after 3 warm-up requests; $(nproc) cores; $(date -u +%Y-%m-%d)."
