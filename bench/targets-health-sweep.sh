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
user=opsc-test
password='OpsC-Test-Passw0rd!'
work=$(mktemp -d /tmp/opsc-bench-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "building Release..." >&2
dotnet build src/OpsConductor.Host -c Release -nologo -clp:ErrorsOnly >/dev/null
mkdir -p /run/sshd
chmod 755 "$work"

free_ports() { python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}
ports=($(free_ports "$count"))
host_port=$(free_ports 1)

# Authorized key for AUTH=key.
ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
cp "$work/client_key.pub" "$work/authorized_keys"; chmod 644 "$work/authorized_keys"

servers=$(( (count + 15) / 16 ))
sshd_pids=()
for ((s = 0; s < servers; s++)); do
  dir=$work/sshd$s; mkdir -p "$dir"
  ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
  {
    for ((i = s * 16; i < count && i < (s + 1) * 16; i++)); do echo "ListenAddress 127.0.0.1:${ports[$i]}"; done
    echo "HostKey $dir/host_key"
    echo "PasswordAuthentication yes"
    echo "KbdInteractiveAuthentication no"
    echo "StrictModes no"
    echo "UsePAM no"
    echo "AuthorizedKeysFile $work/authorized_keys"
    echo "PidFile $dir/sshd.pid"
    echo "AllowUsers $user"
    echo "MaxStartups 1000:30:1000"
    echo "LogLevel ERROR"
  } >"$dir/sshd_config"
  /usr/sbin/sshd -D -e -f "$dir/sshd_config" 2>>"$work/sshd.log" &
  pids+=($!); sshd_pids+=($!)
done

data=$work/data
OpsConductor__DataDirectory=$data \
OpsConductor__Bootstrap__AdminPassword=Bench-Admin-Password-1 \
OpsConductor__Targets__HealthCheckIntervalSeconds=0 \
OpsConductor__Targets__HealthCheckConcurrency=$concurrency \
Logging__LogLevel__Default=Warning \
  dotnet src/OpsConductor.Host/bin/Release/net10.0/OpsConductor.Host.dll --urls "http://127.0.0.1:$host_port" >"$work/host.log" 2>&1 &
host_pid=$!; pids+=($host_pid)
base=http://127.0.0.1:$host_port/api/v1
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$host_port/health" >/dev/null && break; sleep 0.2; done

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }
token=$(curl -sf "$base/auth/login" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"Bench-Admin-Password-1"}' | json 'd["accessToken"]')
api() { local method=$1 path=$2; shift 2; curl -sf -X "$method" "$base$path" -H "authorization: Bearer $token" -H 'content-type: application/json' "$@"; }

if [ "$auth" = key ]; then
  body=$(python3 -c 'import json,sys; print(json.dumps({"name":"bench","type":"ssh_key","username":sys.argv[1],"secret":{"privateKey":open(sys.argv[2]).read()}}))' "$user" "$work/client_key")
else
  body=$(python3 -c 'import json,sys; print(json.dumps({"name":"bench","type":"password","username":sys.argv[1],"secret":{"password":sys.argv[2]}}))' "$user" "$password")
fi
credential=$(api POST /credentials -d "$body" | json 'd["id"]')
echo "registering $count targets..." >&2
for ((i = 0; i < count; i++)); do
  api POST /targets -d "{\"name\":\"bench-$i\",\"hostname\":\"127.0.0.1\",\"port\":${ports[$i]},\"osType\":\"linux\",\"credentialId\":$credential,\"tags\":[\"bench\"]}" >/dev/null
done

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
  duration=$(echo "$result" | json 'd["durationMs"]')
  checked=$(echo "$result" | json 'd["checked"]')
  healthy=$(echo "$result" | json 'd["statuses"].get("healthy", 0)')
  label=$n; [ "$n" = 1 ] && label="1 (first: pins host keys, detects OS)"
  printf '| %s | %s | %s | %s | %s | %.2f | %.2f |\n' "$label" "$checked" "$healthy" "$duration" $(( (end - start) / 1000000 )) \
    "$(awk "BEGIN{print ($host_after - $host_before) / $ticks}")" "$(awk "BEGIN{print ($sshd_after - $sshd_before) / $ticks}")"
done
echo
echo "auth=$auth concurrency=$concurrency sshd processes=$servers cores=$(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
