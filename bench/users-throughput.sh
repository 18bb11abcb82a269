#!/usr/bin/env bash
# Authenticated GET /api/v1/users (a page of 50) on the all-in-one host (SQLite), beside a bare
# ASP.NET Core endpoint that validates the same JWT and returns a list of the same size; plus idle
# memory and cold start of the host. Prints a Markdown table for docs/benchmarks.md.
#   bench/users-throughput.sh [duration-seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
connections=${2:-64}
. bench/lib/wrk.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

dotnet build src/OpsConductor.Host -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
dotnet build bench/BareJwtEndpoint -c Release -nologo -v q -clp:ErrorsOnly >/dev/null

data=$(mktemp -d /tmp/opsc-bench-XXXXXX)
port=5181; bare_port=5182
password='Bench-Admin-Password-1'
cleanup() { kill "${host_pid:-}" "${bare_pid:-}" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

start=$(date +%s%N)
OpsConductor__DataDirectory=$data OpsConductor__Bootstrap__AdminPassword=$password Logging__LogLevel__Default=Warning \
  dotnet src/OpsConductor.Host/bin/Release/net10.0/OpsConductor.Host.dll --urls http://127.0.0.1:$port >"$data/host.log" 2>&1 &
host_pid=$!
until curl -sf http://127.0.0.1:$port/health >/dev/null; do sleep 0.02; done
cold_ms=$(( ($(date +%s%N) - start) / 1000000 ))

# Second start on the same data directory: migrations already applied, the usual restart.
kill $host_pid; wait $host_pid 2>/dev/null || true
start=$(date +%s%N)
OpsConductor__DataDirectory=$data Logging__LogLevel__Default=Warning \
  dotnet src/OpsConductor.Host/bin/Release/net10.0/OpsConductor.Host.dll --urls http://127.0.0.1:$port >>"$data/host.log" 2>&1 &
host_pid=$!
until curl -sf http://127.0.0.1:$port/health >/dev/null; do sleep 0.02; done
warm_ms=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 3
idle_kb=$(awk '/VmRSS/ {print $2}' /proc/$host_pid/status)

token=$(curl -sf -XPOST http://127.0.0.1:$port/api/v1/auth/login -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
for i in $(seq -w 1 60); do
  curl -sf -XPOST http://127.0.0.1:$port/api/v1/users -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"username\":\"user$i\",\"email\":\"user$i@example.com\",\"fullName\":\"Bench User $i\",\"role\":\"viewer\",\"password\":\"bench-password-$i\"}" >/dev/null
done

JwksUrl=http://127.0.0.1:$port/api/v1/auth/jwks dotnet bench/BareJwtEndpoint/bin/Release/net10.0/BareJwtEndpoint.dll --urls http://127.0.0.1:$bare_port &
bare_pid=$!
until curl -sf -o /dev/null -H "authorization: Bearer $token" http://127.0.0.1:$bare_port/api/v1/users; do sleep 0.05; done

read -r real_rps real_p50 real_p99 real_err < <(wrk_measure "http://127.0.0.1:$port/api/v1/users?pageSize=50" "$token" "$connections" "$duration" "$data")
busy_kb=$(awk '/VmRSS/ {print $2}' /proc/$host_pid/status)
read -r bare_rps bare_p50 bare_p99 bare_err < <(wrk_measure "http://127.0.0.1:$bare_port/api/v1/users" "$token" "$connections" "$duration" "$data")
items=$(curl -sf -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/users?pageSize=50" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')

ratio=$(python3 -c "print(f'{100*$real_rps/$bare_rps:.0f}%')")
cat <<EOT
| measure | OpsConductor (SQLite) | bare JWT endpoint |
|---|---|---|
| GET /api/v1/users, page of $items, requests/s | $real_rps | $bare_rps |
| latency p50 / p99 | $real_p50 / $real_p99 | $bare_p50 / $bare_p99 |
| non-2xx responses | $real_err | $bare_err |
| ratio | $ratio of the bare endpoint | |
| idle memory (RSS, after start) | $(( idle_kb / 1024 )) MB | |
| memory after the load (RSS) | $(( busy_kb / 1024 )) MB | |
| cold start to healthy (empty data dir, migrations) | $cold_ms ms | |
| restart to healthy (existing data dir) | $warm_ms ms | |

wrk -t2 -c$connections -d${duration}s, after a 3 s warm-up, $(nproc) cores, $(date -u +%Y-%m-%d).
EOT
