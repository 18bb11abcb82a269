#!/usr/bin/env bash
# Benchmark: accept -> command start, in one process and across processes (PostgreSQL LISTEN/NOTIFY).
# The job's command prints `date +%s.%N` first thing on a real sshd target; the sample is that remote clock minus
# the client clock when the 202 of POST /jobs/{id}/runs came back (same machine, same clock). Configurations:
#   all-in-one on SQLite, all-in-one on PostgreSQL, split on PostgreSQL (API process: auth,users,credentials,targets,jobs;
#   executor process: executor) with the default safety-net polls (5 s), so a quick start can only come from a wake-up.
#   bench/run-wakeup.sh            RUNS=50 MODES="sqlite postgres split"
# Needs root (sshd), the opsc-test user and PostgreSQL (scripts/install-test-deps.sh). Prints Markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-50}
modes=${MODES:-sqlite postgres split}

. bench/lib/sshd-fleet.sh
fleet_init
fleet_build
fleet_start_sshd 1
eval "$(scripts/test-postgres.sh start)"
trap 'scripts/test-postgres.sh stop "$OPSC_TEST_PGDIR"; fleet_cleanup' EXIT

new_database() { # prints a connection string to a fresh database
  local name=opsc_bench_$RANDOM$RANDOM
  python3 - "$OPSC_TEST_POSTGRES" "$name" <<'PY'
import sys
print(";".join(p for p in sys.argv[1].split(";") if not p.startswith("Database=")) + ";Database=" + sys.argv[2])
PY
  "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" -q -h 127.0.0.1 -p "$(echo "$OPSC_TEST_POSTGRES" | sed 's/.*Port=\([0-9]*\).*/\1/')" \
    -U postgres -d postgres -c "CREATE DATABASE $name" >/dev/null
}

start_split() { # start_split CONNECTION_STRING: API and executor processes on one database; sets base, token
  local cs=$1 api_port exec_port
  api_port=$(fleet_free_ports 1); exec_port=$(fleet_free_ports 1)
  mkdir -p "$work/split"
  local common=(OpsConductor__DataDirectory="$work/split" OpsConductor__Database__Provider=postgres ConnectionStrings__OpsConductor="$cs"
    OpsConductor__Bootstrap__AdminPassword=$fleet_admin_password OpsConductor__Targets__HealthCheckIntervalSeconds=0 Logging__LogLevel__Default=Warning
    Logging__LogLevel__OpsConductor.Jobs.PostgresRunListener=Information)
  env "${common[@]}" dotnet src/OpsConductor.Host/bin/Release/net10.0/OpsConductor.Host.dll --urls "http://127.0.0.1:$api_port" \
    --services auth,users,credentials,targets,jobs >>"$work/api.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$api_port/health" >/dev/null && break; sleep 0.2; done
  env "${common[@]}" OpsConductor__Auth__JwksUrl="http://127.0.0.1:$api_port/api/v1/auth/jwks" \
    dotnet src/OpsConductor.Host/bin/Release/net10.0/OpsConductor.Host.dll --urls "http://127.0.0.1:$exec_port" --services executor >>"$work/executor.log" 2>&1 &
  pids+=($!); split_pids=("${pids[-2]}" "${pids[-1]}")
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$exec_port/health" >/dev/null && break; sleep 0.2; done
  base=http://127.0.0.1:$api_port/api/v1
  token=$(curl -sf "$base/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$fleet_admin_password\"}" | fleet_json 'd["accessToken"]')
}

measure() { # measure: prints "median | p95 | min | max" over $runs runs of a `date +%s.%N` job on the one target
  local credential target job
  credential=$(fleet_credential key)
  target=$(fleet_register_targets 1 "$credential" wakeup)
  job=$(api POST /jobs -d "{\"name\":\"wakeup\",\"steps\":[{\"name\":\"stamp\",\"type\":\"command\",\"script\":\"date +%s.%N; echo started\"}],\"targets\":{\"targetIds\":[$target]}}" | fleet_json 'd["id"]')
  python3 - "$base" "$token" "$job" "$runs" <<'PY'
import http.client, json, statistics, sys, time, urllib.parse
from datetime import datetime
base, token, job, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
u = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
def call(method, path, body=None):
    conn.request(method, u.path + path, None if body is None else json.dumps(body), headers)
    r = conn.getresponse(); text = r.read()
    if r.status >= 300: raise RuntimeError(f"{method} {path}: {r.status} {text[:300]!r}")
    return r.status, json.loads(text) if text else None
def run():
    status, body = call("POST", f"/jobs/{job}/runs", {"parameters": {}})
    accepted = time.time()
    assert status == 202, status
    while True:
        _, r = call("GET", f"/runs/{body['id']}")
        if r["status"] in ("succeeded", "failed", "cancelled", "timed_out"): break
        time.sleep(0.05)
    assert r["status"] == "succeeded", r
    claimed = datetime.fromisoformat(r["startedAt"].replace("Z", "+00:00")).timestamp()
    return (float(r["targets"][0]["steps"][0]["stdout"].split()[0]) - accepted) * 1000, (claimed - accepted) * 1000
for _ in range(3): run()  # warm-up: JIT, SSH connection kept for the next run
samples, claims = [], []
for _ in range(count):
    start, claim = run()
    samples.append(start); claims.append(claim)
    time.sleep(0.1)  # idle between runs, so each start is a wake-up of a waiting executor
q = statistics.quantiles(samples, n=20)
print(f"{statistics.median(samples):.1f} | {q[18]:.1f} | {min(samples):.1f} | {max(samples):.1f} | {statistics.median(claims):.1f}")
PY
}

echo "### Accept -> command start ($runs runs each; remote \`date +%s.%N\` minus the client's clock when the 202 came back)"
echo
echo "| configuration | median ms | p95 ms | min ms | max ms | median ms to the claim (run's startedAt) |"
echo "|---|---|---|---|---|---|"
for mode in $modes; do
  case $mode in
    sqlite)
      rm -rf "$work/data"; fleet_start_host
      echo "| all-in-one, SQLite | $(measure) |"
      fleet_stop_host ;;
    postgres)
      rm -rf "$work/data"; fleet_start_host OpsConductor__Database__Provider=postgres ConnectionStrings__OpsConductor="$(new_database)"
      echo "| all-in-one, PostgreSQL | $(measure) |"
      fleet_stop_host ;;
    split)
      start_split "$(new_database)"
      echo "| split API + executor processes, PostgreSQL (LISTEN/NOTIFY, 5 s safety-net polls) | $(measure) |"
      grep -c "Listening for cross-process wake-ups" "$work/api.log" "$work/executor.log" >&2 || { echo "a process did not log that it listens" >&2; exit 1; }
      for pid in "${split_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done ;;
  esac
done
