#!/usr/bin/env bash
# Validates deploy/docker-compose.yml without a container engine: Debian's docker-compose parses, interpolates and
# checks it against its schema (`config -q`), and it refuses to resolve without the deployment's secrets. Which
# service holds which key, and that all eight run (two executors, two schedulers), is ComposeKeyLayoutTests' job.
# No container is started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
compose="$root/deploy/docker-compose.yml"
dir=$(mktemp -d /tmp/opsc-compose.XXXXXX)
trap 'rm -rf "$dir"' EXIT

# The secrets come from the environment (or an env file); throwaway values for the check.
printf 'OPSC_DB_PASSWORD=%s\nOPSC_SERVICE_SECRET=%s\n' "$(openssl rand -hex 16)" "$(openssl rand -base64 32)" >"$dir/env"
docker-compose --env-file "$dir/env" -f "$compose" config -q

# Without them the file must not resolve (a deployment with an empty database password or service secret).
: >"$dir/empty"
if env -u OPSC_DB_PASSWORD -u OPSC_SERVICE_SECRET docker-compose --env-file "$dir/empty" -f "$compose" config -q 2>/dev/null; then
  echo "docker-compose.yml resolves without OPSC_DB_PASSWORD / OPSC_SERVICE_SECRET" >&2; exit 1
fi
