# Shared by the bench scripts: a fleet of real OpenSSH servers on loopback and an all-in-one Release host.
# Source it from a script running at the repository root (set -euo pipefail), as root, after
# scripts/install-test-deps.sh (the opsc-test user). It defines:
#   fleet_init                        work dir ($work), cleanup of every process started here on exit
#   fleet_build                       dotnet build of the Release host
#   fleet_free_ports N                N free loopback ports
#   fleet_start_sshd N                ceil(N/16) sshd processes, 16 ports each (sshd's maximum per process), each with its
#                                     own ed25519 host key; sets ports[] and sshd_pids[]; the client key is $work/client_key
#   fleet_start_host [VAR=value...]   starts the host on SQLite in $work/data (extra environment as arguments); sets
#                                     host_pid, base, token; api METHOD PATH [curl args] calls the API
#   fleet_stop_host                   stops the host (the data directory stays)
#   fleet_credential key|password     creates the credential, prints its id
#   fleet_register_targets N CRED TAG registers ports[0..N-1] as targets with TAG, prints their ids, one a line
fleet_user=opsc-test
fleet_password='OpsC-Test-Passw0rd!'
fleet_admin_password=Bench-Admin-Password-1
pids=()

fleet_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

fleet_init() {
  work=$(mktemp -d /tmp/opsc-bench-XXXXXX)
  chmod 755 "$work"
  trap fleet_cleanup EXIT
  mkdir -p /run/sshd
}

fleet_build() {
  echo "building Release..." >&2
  dotnet build src/OpsConductor.Host -c Release -nologo -clp:ErrorsOnly >/dev/null
}

fleet_free_ports() { python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

fleet_start_sshd() {
  local count=$1 s i dir
  ports=($(fleet_free_ports "$count"))
  ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
  cp "$work/client_key.pub" "$work/authorized_keys"; chmod 644 "$work/authorized_keys"
  fleet_servers=$(( (count + 15) / 16 ))
  sshd_pids=()
  for ((s = 0; s < fleet_servers; s++)); do
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
      echo "AllowUsers $fleet_user"
      echo "MaxStartups 1000:30:1000"
      echo "LogLevel ERROR"
    } >"$dir/sshd_config"
    /usr/sbin/sshd -D -e -f "$dir/sshd_config" 2>>"$work/sshd.log" &
    pids+=($!); sshd_pids+=($!)
  done
}

fleet_json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }

fleet_start_host() {
  local port
  port=$(fleet_free_ports 1)
  env "$@" \
    OpsConductor__DataDirectory="$work/data" \
    OpsConductor__Bootstrap__AdminPassword=$fleet_admin_password \
    OpsConductor__Targets__HealthCheckIntervalSeconds=0 \
    Logging__LogLevel__Default=Warning \
    dotnet src/OpsConductor.Host/bin/Release/net10.0/OpsConductor.Host.dll --urls "http://127.0.0.1:$port" >>"$work/host.log" 2>&1 &
  host_pid=$!; pids+=($host_pid)
  base=http://127.0.0.1:$port/api/v1
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
  token=$(curl -sf "$base/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$fleet_admin_password\"}" | fleet_json 'd["accessToken"]')
}

fleet_stop_host() {
  kill "$host_pid" 2>/dev/null || true
  wait "$host_pid" 2>/dev/null || true
}

# api METHOD PATH [CURL ARGS...]: the REST API at $base with $token; fleet_curl_options adds options (-k for a self-signed gateway).
api() { local method=$1 path=$2; shift 2; curl -sf ${fleet_curl_options:-} -X "$method" "$base$path" -H "authorization: Bearer $token" -H 'content-type: application/json' "$@"; }

fleet_credential() {
  local body
  if [ "$1" = key ]; then
    body=$(python3 -c 'import json,sys; print(json.dumps({"name":"bench-key","type":"ssh_key","username":sys.argv[1],"secret":{"privateKey":open(sys.argv[2]).read()}}))' "$fleet_user" "$work/client_key")
  else
    body=$(python3 -c 'import json,sys; print(json.dumps({"name":"bench-password","type":"password","username":sys.argv[1],"secret":{"password":sys.argv[2]}}))' "$fleet_user" "$fleet_password")
  fi
  api POST /credentials -d "$body" | fleet_json 'd["id"]'
}

fleet_register_targets() {
  local count=$1 credential=$2 tag=$3 i
  for ((i = 0; i < count; i++)); do
    api POST /targets -d "{\"name\":\"$tag-$i\",\"hostname\":\"127.0.0.1\",\"port\":${ports[$i]},\"osType\":\"linux\",\"credentialId\":$credential,\"tags\":[\"$tag\"]}" | fleet_json 'd["id"]'
  done
}
