#!/usr/bin/env bash
# Benchmark of the eight-service topology (scripts/topology.sh: ten processes on PostgreSQL behind nginx) beside the
# all-in-one host (SQLite) behind the same nginx template: authenticated GET /api/v1/users (a page of 50) with wrk,
# throughput and p50/p99 through the gateway; a run of `uname -a` on 200 real sshd targets through the topology;
# the RSS of every process of the topology at rest. Prints Markdown for docs/benchmarks.md.
#   bench/topology.sh [wrk-seconds] [connections] [targets]
# Needs root (sshd, PostgreSQL), the opsc-test user (scripts/install-test-deps.sh), ports 3001-3018, 5433, 8080, 8443 free.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
connections=${2:-64}
targets=${3:-200}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

. bench/lib/sshd-fleet.sh
. bench/lib/wrk.sh
fleet_init
fleet_build
export OPSC_TOPOLOGY_DIR=$work/topology
trap 'scripts/topology.sh down >/dev/null 2>&1 || true; [ -n "${gateway_dir:-}" ] && scripts/test-gateway.sh stop "$gateway_dir"; fleet_cleanup' EXIT
OpsConductor__Targets__HealthCheckIntervalSeconds=0 Logging__LogLevel__Default=Warning scripts/topology.sh up >"$work/topology-up.log"

login() { # BASE -> access token
  curl -skf "$1/auth/login" -H 'content-type: application/json' -d "{\"username\":\"admin\",\"password\":\"$2\"}" | fleet_json 'd["accessToken"]'
}
rss_mb() { awk '/VmRSS/ {s += $2} END {printf "%.0f", s / 1024}' "$@" 2>/dev/null; }

# At rest: 20 s after every /health answered, nothing asked of it.
sleep 20
echo "### The topology at rest (RSS)"
echo
echo "| process | RSS MB |"
echo "|---|---|"
total=0
for pidfile in "$OPSC_TOPOLOGY_DIR"/run/*.pid; do
  mb=$(rss_mb "/proc/$(cat "$pidfile")/status"); total=$((total + mb))
  echo "| $(basename "$pidfile" .pid) | $mb |"
done
pg=$(rss_mb $(pgrep -f "$OPSC_TOPOLOGY_DIR/postgres" | sed 's|.*|/proc/&/status|'))
ngx=$(rss_mb $(pgrep -f "$OPSC_TOPOLOGY_DIR/gateway" | sed 's|.*|/proc/&/status|'))
echo "| PostgreSQL (the postmaster; its backends share most pages with it and are not summed) | $pg |"
echo "| nginx (master and worker) | $ngx |"
echo "| **all** | **$((total + pg + ngx))** |"

topology=https://localhost:8443/api/v1
topology_token=$(login "$topology" "$(cat "$OPSC_TOPOLOGY_DIR/admin-password")")
fleet_start_host
upstream=${base#http://}; upstream=${upstream%/api/v1}
eval "$(scripts/test-gateway.sh start "$upstream" ui/dist)"
gateway_dir=$OPSC_GATEWAY_DIR
aio=$OPSC_GATEWAY_URL/api/v1
aio_token=$token

for i in $(seq -w 1 60); do
  for side in "$topology $topology_token" "$aio $aio_token"; do
    read -r url tok <<<"$side"
    curl -skf -XPOST "$url/users" -H "authorization: Bearer $tok" -H 'content-type: application/json' \
      -d "{\"username\":\"user$i\",\"email\":\"user$i@example.com\",\"fullName\":\"Bench User $i\",\"role\":\"viewer\",\"password\":\"bench-password-$i\"}" >/dev/null
  done
done

echo
echo "### GET /api/v1/users?pageSize=50 through the nginx gateway (TLS), $connections connections, ${duration} s, wrk -t2"
echo
echo "| deployment | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
read -r rps p50 p99 err < <(wrk_measure "$topology/users?pageSize=50" "$topology_token" "$connections" "$duration" "$work")
echo "| topology: users service alone (PostgreSQL), behind nginx | $rps | $p50 | $p99 | $err |"
read -r rps p50 p99 err < <(wrk_measure "$aio/users?pageSize=50" "$aio_token" "$connections" "$duration" "$work")
echo "| all-in-one host (SQLite), behind nginx | $rps | $p50 | $p99 | $err |"
fleet_stop_host

# Fan-out through the topology: the executors read the key credential over HTTP from the credentials service.
fleet_start_sshd "$targets"
base=$topology; token=$topology_token
# The library's api() accepts the gateway's self-signed certificate.
fleet_curl_options=-k
credential=$(fleet_credential key)
ids=()
for ((i = 0; i < targets; i++)); do
  fp=$(ssh-keyscan -t ed25519 -p "${ports[$i]}" 127.0.0.1 2>/dev/null | ssh-keygen -lf - | awk '{print $2}')
  ids+=($(api POST /targets -d "{\"name\":\"fan-$i\",\"hostname\":\"127.0.0.1\",\"port\":${ports[$i]},\"osType\":\"linux\",\"credentialId\":$credential,\"tags\":[\"fan\"],\"ssh\":{\"hostKeyFingerprint\":\"$fp\"}}" | fleet_json 'd["id"]'))
done
job_id=$(python3 -c 'import json,sys; print(json.dumps({"name":"fanout","steps":[{"name":"cmd","type":"command","script":"uname -a"}],"targets":{"tags":["fan"]},"maxParallelTargets":int(sys.argv[1])}))' "$targets" |
  api POST /jobs -d @- | fleet_json 'd["id"]')
echo
echo "### \`uname -a\` on $targets sshd targets through the topology's gateway"
echo
echo "| run | wall ms (POST to final status) | ok targets | status |"
echo "|---|---|---|---|"
for label in "1 (cold: new connections)" "2 (warm)" "3 (warm)"; do
  r=$(python3 bench/lib/fanout.py run "$topology" "$topology_token" "$job_id" "$targets")
  echo "| $label | $(echo "$r" | fleet_json 'd["ms"]') | $(echo "$r" | fleet_json 'd["stdout_non_empty"]') | $(echo "$r" | fleet_json 'd["status"]') |"
done
