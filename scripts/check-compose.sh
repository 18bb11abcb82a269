#!/usr/bin/env bash
# Validates deploy/docker-compose.yml without a container engine: Debian's docker-compose parses and resolves it
# (`config -q`), it refuses to resolve without the deployment's secrets, and the resolved file gives every key to
# exactly the services that use it. No container is started.
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

docker-compose --env-file "$dir/env" -f "$compose" config >"$dir/resolved.yml"
python3 - "$dir/resolved.yml" <<'PY'
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
errors = []

def served(s):
    command = s.get("command") or []
    return command[command.index("--services") + 1] if "--services" in command else None

by_service = {}
for name, s in services.items():
    if served(s):
        by_service.setdefault(served(s), []).append(name)
for service in ["auth", "users", "credentials", "targets", "jobs", "executor", "scheduler", "notifications"]:
    if service not in by_service:
        errors.append(f"no container serves {service}")
for service in ["executor", "scheduler"]:
    if len(by_service.get(service, [])) < 2:
        errors.append(f"{service}: {len(by_service.get(service, []))} container(s), want 2 or more")

def volumes(s):
    return {str(v).split(":")[0] if isinstance(v, str) else v.get("source") for v in s.get("volumes", [])}

def holders(predicate):
    return {served(s) or name for name, s in services.items() if predicate(s)}

expect = {
    "opsc-credentials-keys (master key)": (holders(lambda s: "opsc-credentials-keys" in volumes(s)), {"credentials"}),
    "opsc-auth-keys (signing key)": (holders(lambda s: "opsc-auth-keys" in volumes(s)), {"auth"}),
    "opsc-data-protection (key ring)": (holders(lambda s: "opsc-data-protection" in volumes(s)), {"jobs", "executor", "scheduler"}),
    "OpsConductor__Auth__ServiceSecret": (holders(lambda s: "OpsConductor__Auth__ServiceSecret" in (s.get("environment") or {})),
                                          {"auth", "targets", "executor", "notifications"}),
    "OpsConductor__Remote__Credentials": (holders(lambda s: "OpsConductor__Remote__Credentials" in (s.get("environment") or {})),
                                          {"targets", "executor", "notifications"}),
}
for what, (actual, wanted) in expect.items():
    if actual != wanted:
        errors.append(f"{what} goes to {sorted(actual)}, want {sorted(wanted)}")
# Nobody but credentials may load the master key from its environment either.
for name, s in services.items():
    env = s.get("environment") or {}
    if served(s) != "credentials" and any(k.startswith("OpsConductor__Credentials__MasterKey") for k in env):
        errors.append(f"{name} is given the master key")
for e in errors:
    print("compose:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
