# Shared by bench/list-latency.sh and bench/ui-render.sh: an all-in-one Release host on a SQLite database seeded
# by bench/LargeSeed. Source it from a script running at the repository root (set -euo pipefail). It defines:
#   large_db_init [port]               builds the Release host and LargeSeed, makes the data dir ($data), cleanup on exit
#   large_db_host [VAR=value|arg...]   starts the host on $data (VAR=value: extra environment, anything else: extra
#                                      host arguments), waits for /health; sets host_pid
#   large_db_stop                      stops the host (the data directory stays)
#   large_db_token                     prints an admin access token
#   large_db_seed TARGETS JOBS RUNS    creates the credential the seed needs, stops the host and seeds the database
# KEEP=1 keeps the data directory.
port=${port:-5183}
password='Bench-Admin-Password-1'

large_db_init() {
  [ -n "${1:-}" ] && port=$1
  dotnet build src/OpsConductor.Host -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
  dotnet build bench/LargeSeed -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
  data=$(mktemp -d /tmp/opsc-large-XXXXXX)
  trap 'kill ${host_pid:-} 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$data"' EXIT
}

large_db_host() {
  local envs=() args=() a
  for a in "$@"; do if [[ $a == *=* && $a != -* ]]; then envs+=("$a"); else args+=("$a"); fi; done
  env "${envs[@]}" OpsConductor__DataDirectory=$data OpsConductor__Bootstrap__AdminPassword=$password Logging__LogLevel__Default=Warning \
    OpsConductor__Targets__HealthCheckIntervalSeconds=0 \
    dotnet src/OpsConductor.Host/bin/Release/net10.0/OpsConductor.Host.dll --urls http://127.0.0.1:$port "${args[@]}" >>"$data/host.log" 2>&1 &
  host_pid=$!
  until curl -sf http://127.0.0.1:$port/health >/dev/null; do sleep 0.1; done
}

large_db_stop() { kill $host_pid; wait $host_pid 2>/dev/null || true; }

large_db_token() {
  curl -sf -XPOST http://127.0.0.1:$port/api/v1/auth/login -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])'
}

large_db_seed() {
  local credential seed_start
  large_db_host
  credential=$(curl -sf -XPOST http://127.0.0.1:$port/api/v1/credentials -H "authorization: Bearer $(large_db_token)" -H 'content-type: application/json' \
    -d '{"name":"seed","type":"password","username":"ops","secret":{"password":"seed-password"}}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  large_db_stop
  seed_start=$(date +%s)
  dotnet bench/LargeSeed/bin/Release/net10.0/LargeSeed.dll "$data/opsconductor.db" "$1" "$2" "$3" "$credential" >&2
  echo "seeded in $(( $(date +%s) - seed_start )) s; database $(du -sh "$data/opsconductor.db" | cut -f1)" >&2
}
