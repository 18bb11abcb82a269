#!/usr/bin/env bash
# Installs what the test suites need and the machine lacks: Debian packages, dotnet tools, npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

# docker-compose: only its `config` validates deploy/docker-compose.yml (no container engine is installed or needed).
packages=(postgresql openssh-server chromium wrk nginx python3-winrm docker-compose)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts the packaged PostgreSQL and sshd; the tests start their own on free ports instead.
# (nginx too: the gateway tests start their own from deploy/nginx.)
if [ -f /run/nginx.pid ]; then kill "$(cat /run/nginx.pid)" 2>/dev/null || true; fi
for service in postgresql ssh; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
    systemctl stop "$service" || true
  fi
done

# The SSH tests log in to their own loopback-only sshd as this local user (test-only password).
test_user=opsc-test
test_password='OpsC-Test-Passw0rd!'
sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
if ! id "$test_user" >/dev/null 2>&1; then
  $sudo_cmd useradd --create-home --shell /bin/bash "$test_user"
fi
echo "$test_user:$test_password" | $sudo_cmd chpasswd
$sudo_cmd mkdir -p /run/sshd

dotnet tool restore >/dev/null
# PowerShell 7 (the dotnet tool): the parameter-quoting tests run hostile values through a real pwsh.
[ -x .tools/pwsh ] || dotnet tool install --tool-path .tools PowerShell --version 7.6.9 >/dev/null
# smtp4dev (the dotnet tool): the notification tests send real mail to it and read it back through its REST API.
[ -x .tools/smtp4dev/smtp4dev ] || dotnet tool install --tool-path .tools/smtp4dev Rnwood.Smtp4dev --version 3.15.0 >/dev/null

# The Kubernetes manifest validator's schemas (kubernetes-models) and YAML parser.
(cd deploy/kubernetes && npm ci --no-audit --no-fund --loglevel=error)

if [ -f ui/package.json ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
