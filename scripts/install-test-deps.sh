#!/usr/bin/env bash
# Installs what the test suites need and the machine lacks: Debian packages, dotnet tools, npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(postgresql openssh-server chromium wrk)
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
for service in postgresql ssh; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
    systemctl stop "$service" || true
  fi
done

dotnet tool restore >/dev/null

if [ -f ui/package.json ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
