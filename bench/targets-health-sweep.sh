#!/usr/bin/env bash
# Benchmark: one health sweep of N real sshd targets on loopback (default 200).
#   bench/targets-health-sweep.sh [N]          AUTH=password|key (default password), CONCURRENCY=50, SWEEPS=3
# Starts ceil(N/16) OpenSSH servers (16 listening ports each, sshd's maximum), an all-in-one Release host on SQLite,
# registers the targets through the API, then runs sweeps through POST /api/v1/targets/health-sweep and reports
# wall time (from the API and from curl) and CPU time of the host and of the sshd servers (from /proc).
# Needs root (sshd) and the opsc-test user from scripts/install-test-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
count=${1:-200}
auth=${AUTH:-password}
concurrency=${CONCURRENCY:-50}
sweeps=${SWEEPS:-3}
. bench/lib/sshd-fleet.sh
fleet_init
fleet_build
fleet_start_sshd "$count"
servers=$fleet_servers
fleet_start_host OpsConductor__Targets__HealthCheckConcurrency="$concurrency"
credential=$(fleet_credential "$auth")
echo "registering $count targets..." >&2
fleet_register_targets "$count" "$credential" bench >/dev/null

ticks=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; } # utime stime cutime cstime
sshd_cpu() { local sum=0; for p in "${sshd_pids[@]}"; do sum=$((sum + $(cpu_of "$p"))); done; echo "$sum"; }

echo "| sweep | targets | healthy | wall (API) ms | wall (curl) ms | host CPU s | sshd CPU s |"
echo "|---|---|---|---|---|---|---|"
for ((n = 1; n <= sweeps; n++)); do
  host_before=$(cpu_of "$host_pid"); sshd_before=$(sshd_cpu)
  start=$(date +%s%N)
  result=$(api POST /targets/health-sweep)
  end=$(date +%s%N)
  host_after=$(cpu_of "$host_pid"); sshd_after=$(sshd_cpu)
  duration=$(echo "$result" | fleet_json 'd["durationMs"]')
  checked=$(echo "$result" | fleet_json 'd["checked"]')
  healthy=$(echo "$result" | fleet_json 'd["statuses"].get("healthy", 0)')
  label=$n; [ "$n" = 1 ] && label="1 (first: pins host keys, detects OS)"
  printf '| %s | %s | %s | %s | %s | %.2f | %.2f |\n' "$label" "$checked" "$healthy" "$duration" $(( (end - start) / 1000000 )) \
    "$(awk "BEGIN{print ($host_after - $host_before) / $ticks}")" "$(awk "BEGIN{print ($sshd_after - $sshd_before) / $ticks}")"
done
echo
echo "auth=$auth concurrency=$concurrency sshd processes=$servers cores=$(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
