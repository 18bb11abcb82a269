#!/usr/bin/env bash
# Runs OpsConductor: every service in one process, SQLite under ./data, the web UI included.
# Extra arguments go to the host, e.g. ./run.sh --urls http://0.0.0.0:5080
set -euo pipefail
cd "$(dirname "$0")"

if [ -f ui/package.json ]; then
  if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/src ui/index.html ui/package.json -newer ui/dist/index.html 2>/dev/null | head -1)" ]; then
    echo "Building the web UI..."
    (cd ui && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build)
  fi
fi

# dotnet run starts the host in its project folder: name the data folder here, unless configured.
data=()
[ -n "${OpsConductor__DataDirectory:-}" ] || data=(--OpsConductor:DataDirectory="$PWD/data")
exec dotnet run -c Release --project src/OpsConductor.Host -- --OpsConductor:UiDirectory="$PWD/ui/dist" "${data[@]}" "$@"
