#!/usr/bin/env bash
# The seed's topology on one machine, without Docker: PostgreSQL (Debian's) on a loopback port, every service in
# its own process on its port from the API contract, two executors and two schedulers, and Debian's nginx with
# deploy/nginx/opsconductor.conf.template on 8080 (redirect) and 8443 (TLS, a self-signed certificate made on first use).
#   scripts/topology.sh up       start what is not running, wait for every /health, print where to sign in
#   scripts/topology.sh status   every process: pid, alive, health
#   scripts/topology.sh down     stop exactly what `up` started (by pid); the data stays for the next `up`
#   scripts/topology.sh urls     name=url of every process, comma-separated
# State (database, keys, logs, pids) lives in OPSC_TOPOLOGY_DIR (default ./.topology). Ports: OPSC_TOPOLOGY_PG_PORT
# (5433), OPSC_TOPOLOGY_HTTP_PORT (8080), OPSC_TOPOLOGY_HTTPS_PORT (8443); the services keep the contract's 3001-3009,
# the second executor and scheduler take 3017 and 3018.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
state=$(mkdir -p "${OPSC_TOPOLOGY_DIR:-$root/.topology}" && cd "${OPSC_TOPOLOGY_DIR:-$root/.topology}" && pwd)
pg_port=${OPSC_TOPOLOGY_PG_PORT:-5433}
http_port=${OPSC_TOPOLOGY_HTTP_PORT:-8080}
https_port=${OPSC_TOPOLOGY_HTTPS_PORT:-8443}
host_dll=$root/src/OpsConductor.Host/bin/Release/net10.0/OpsConductor.Host.dll
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# name service port data-directory [credentials over HTTP]. jobs, the executors and the schedulers share one Data
# Protection key ring (secret run parameters are sealed by jobs and the schedulers, unsealed by the executors);
# only auth holds the signing key, only credentials the master key; the rest read credentials over HTTP.
processes=(
  "auth auth 3001 auth"
  "users users 3002 users"
  "credentials credentials 3004 credentials"
  "targets targets 3005 targets remote"
  "jobs jobs 3006 jobs"
  "executor-1 executor 3007 executor-1 remote"
  "executor-2 executor 3017 executor-2 remote"
  "scheduler-1 scheduler 3008 scheduler-1"
  "scheduler-2 scheduler 3018 scheduler-2"
  "notifications notifications 3009 notifications remote"
)
shared_ring=(jobs executor-1 executor-2 scheduler-1 scheduler-2)

# A build without a service's module (its OpsConductor.<Service>.dll) leaves that service's processes out.
has_module() { local s=$1; [ -f "$(dirname "$host_dll")/OpsConductor.${s^}.dll" ]; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
secret() { # secret FILE BYTES: made once (hex), owner-only
  [ -s "$1" ] || (umask 077; openssl rand -hex "$2" >"$1")
  cat "$1"
}

start_postgres() {
  [ -n "$pgbin" ] || { echo "PostgreSQL not found: apt-get install postgresql" >&2; exit 1; }
  mkdir -p "$state/postgres"
  [ "$(id -u)" = 0 ] && chown postgres: "$state/postgres"
  if [ ! -f "$state/postgres/data/PG_VERSION" ]; then
    as_postgres "$pgbin/initdb" -D "$state/postgres/data" -U postgres --auth=trust -E UTF8 >"$state/postgres/initdb.log" 2>&1
  fi
  if ! as_postgres "$pgbin/pg_ctl" -D "$state/postgres/data" status >/dev/null 2>&1; then
    as_postgres "$pgbin/pg_ctl" -D "$state/postgres/data" -l "$state/postgres/server.log" -w start \
      -o "-p $pg_port -k $state/postgres -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null
  fi
  if ! as_postgres psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "select 1 from pg_database where datname='opsconductor'" | grep -q 1; then
    as_postgres psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "create database opsconductor" >/dev/null
  fi
}

ensure_built() {
  if [ ! -f "$host_dll" ]; then
    echo "Building OpsConductor..."
    dotnet build "$root/OpsConductor.slnx" -c Release -nologo -clp:ErrorsOnly >/dev/null
  fi
  if [ ! -f "$root/ui/dist/index.html" ]; then
    echo "Building the web UI..."
    (cd "$root/ui" && { [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null; } && npm run --silent build >/dev/null)
  fi
}

start_service() { # start_service NAME SERVICE PORT DATA [remote]
  local name=$1 service=$2 port=$3 data=$state/data/$4 remote=${5:-}
  alive "$state/run/$name.pid" && return 0
  mkdir -p "$data"
  local env=(
    OpsConductor__Database__Provider=postgres
    "ConnectionStrings__OpsConductor=Host=127.0.0.1;Port=$pg_port;Database=opsconductor;Username=postgres"
    OpsConductor__Auth__Url=http://127.0.0.1:3001
    OpsConductor__Auth__JwksUrl=http://127.0.0.1:3001/api/v1/auth/jwks
    "OpsConductor__PublicUrl=https://localhost:$https_port"
    OpsConductor__Bootstrap__AdminPassword="$(cat "$state/admin-password")"
    # Any process can report the health of all of them (the dashboard's service health).
    OpsConductor__Topology__Processes="$(urls)"
  )
  # Only auth (which checks it) and the processes that exchange it for service tokens get the service secret.
  if [ "$service" = auth ] || [ -n "$remote" ]; then env+=(OpsConductor__Auth__ServiceSecret="$(cat "$state/service-secret")"); fi
  [ -n "$remote" ] && env+=(OpsConductor__Remote__Credentials=http://127.0.0.1:3004)
  # $! must be dotnet's own pid (env and nohup exec it), so that `down` stops exactly this process.
  env "${env[@]}" nohup dotnet "$host_dll" --services "$service" --data "$data" --urls "http://127.0.0.1:$port" \
    >"$state/logs/$name.log" 2>&1 &
  echo $! >"$state/run/$name.pid"
  disown $!
}

wait_healthy() { # wait_healthy NAME PORT
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$2/health" && return 0
    alive "$state/run/$1.pid" || { echo "$1 stopped; the end of $state/logs/$1.log:" >&2; tail -20 "$state/logs/$1.log" >&2; return 1; }
    sleep 0.2
  done
  echo "$1 did not become healthy on port $2 (see $state/logs/$1.log)" >&2; return 1
}

up() {
  ensure_built
  mkdir -p "$state/run" "$state/logs" "$state/data/shared-data-protection"
  chmod 711 "$state"; chmod 700 "$state/data" "$state/data/shared-data-protection"
  secret "$state/admin-password" 10 >/dev/null
  secret "$state/service-secret" 32 >/dev/null
  for name in "${shared_ring[@]}"; do
    mkdir -p "$state/data/$name/keys"
    [ -e "$state/data/$name/keys/data-protection" ] || ln -s "$state/data/shared-data-protection" "$state/data/$name/keys/data-protection"
  done
  start_postgres
  # auth, users and credentials first: the others call them as they start. jobs before the ring's other users, so
  # that jobs makes the shared ring's first key.
  for entry in "${processes[@]}"; do
    read -r name service port data remote <<<"$entry"
    has_module "$service" || { echo "This build has no $service service: $name left out." >&2; continue; }
    start_service "$name" "$service" "$port" "$data" "${remote:-}"
    case $name in auth|users|credentials|jobs) wait_healthy "$name" "$port" ;; esac
  done
  for entry in "${processes[@]}"; do
    read -r name service port _ <<<"$entry"
    has_module "$service" || continue
    wait_healthy "$name" "$port"
  done
  if ! alive "$state/gateway/nginx.bgpid"; then
    GATEWAY_DIR=$state/gateway GATEWAY_HTTP_PORT=$http_port GATEWAY_HTTPS_PORT=$https_port \
      OPSC_UPSTREAM_AUTH=127.0.0.1:3001 OPSC_UPSTREAM_USERS=127.0.0.1:3002 OPSC_UPSTREAM_CREDENTIALS=127.0.0.1:3004 \
      OPSC_UPSTREAM_TARGETS=127.0.0.1:3005 OPSC_UPSTREAM_JOBS=127.0.0.1:3006 \
      OPSC_UPSTREAM_EXECUTOR="127.0.0.1:3007;127.0.0.1:3017" OPSC_UPSTREAM_SCHEDULER="127.0.0.1:3008;127.0.0.1:3018" \
      OPSC_UPSTREAM_NOTIFICATIONS=127.0.0.1:3009 \
      "$root/scripts/test-gateway.sh" start 127.0.0.1:3001 "$root/ui/dist" >/dev/null
  fi
  echo "OpsConductor is up: https://localhost:$https_port (self-signed certificate: $state/gateway/gateway.crt)"
  echo "Sign in as admin with the password in $state/admin-password: $(cat "$state/admin-password")"
  echo "Logs: $state/logs; stop with: scripts/topology.sh down"
}

status() {
  local failed=0
  printf '%-14s %-8s %-6s %s\n' PROCESS PID PORT STATE
  for entry in "${processes[@]}"; do
    read -r name service port _ <<<"$entry"
    has_module "$service" || continue
    local pid=- health=stopped
    if alive "$state/run/$name.pid"; then
      pid=$(cat "$state/run/$name.pid")
      health=$(curl -s "http://127.0.0.1:$port/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' 2>/dev/null || echo "not answering")
    fi
    [ "$health" = healthy ] || failed=1
    printf '%-14s %-8s %-6s %s\n' "$name" "$pid" "$port" "$health"
  done
  local pg=stopped gw=stopped
  [ -n "$pgbin" ] && [ -d "$state/postgres/data" ] && as_postgres "$pgbin/pg_ctl" -D "$state/postgres/data" status >/dev/null 2>&1 && pg=running
  alive "$state/gateway/nginx.bgpid" && gw=running
  [ $pg = running ] && [ $gw = running ] || failed=1
  printf '%-14s %-8s %-6s %s\n' postgres - "$pg_port" "$pg" gateway "$(cat "$state/gateway/nginx.bgpid" 2>/dev/null || echo -)" "$https_port" "$gw"
  return $failed
}

stop_pid() { # stop_pid PIDFILE: TERM, then KILL after 15 s
  alive "$1" || { rm -f "$1"; return 0; }
  local pid; pid=$(cat "$1")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$1"
}

down() {
  stop_pid "$state/gateway/nginx.bgpid"
  for entry in "${processes[@]}"; do
    read -r name _ <<<"$entry"
    stop_pid "$state/run/$name.pid"
  done
  if [ -n "$pgbin" ] && [ -d "$state/postgres/data" ]; then
    as_postgres "$pgbin/pg_ctl" -D "$state/postgres/data" -m fast stop >/dev/null 2>&1 || true
  fi
  echo "Stopped. The data stays in $state (remove it to start afresh)."
}

urls() { # name=http://127.0.0.1:port,... of every process (for the acceptance tests)
  local out=()
  for entry in "${processes[@]}"; do
    read -r name service port _ <<<"$entry"
    has_module "$service" || continue
    out+=("$name=http://127.0.0.1:$port")
  done
  (IFS=,; echo "${out[*]}")
}

case "${1:-}" in
  up) up ;;
  urls) urls ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up | status | down | urls" >&2; exit 2 ;;
esac
