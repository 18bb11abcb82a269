#!/usr/bin/env bash
# A throwaway OpenSSH server on 127.0.0.1 for the web UI's end-to-end tests.
#   eval "$(scripts/test-sshd.sh start)"   -> exports OPSC_SSH_PORT and OPSC_SSHD_DIR
#   scripts/test-sshd.sh stop "$OPSC_SSHD_DIR"
# Uses Debian's /usr/sbin/sshd with a fresh ed25519 host key and its own config in a temp dir.
# The login user (opsc-test) is created by scripts/install-test-deps.sh.
set -euo pipefail

SSHD=${SSHD:-/usr/sbin/sshd}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null && return
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port found" >&2; return 1
}

start() {
  [ -x "$SSHD" ] || { echo "sshd not found at $SSHD (apt-get install openssh-server)" >&2; exit 1; }
  mkdir -p /run/sshd 2>/dev/null || sudo -n mkdir -p /run/sshd 2>/dev/null || true
  local dir port
  dir=$(mktemp -d /tmp/opsc-sshd.XXXXXX)
  chmod 755 "$dir"
  port=$(free_port)
  ssh-keygen -q -t ed25519 -N '' -f "$dir/ssh_host_ed25519_key" >/dev/null
  cat > "$dir/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
UsePAM no
StrictModes no
PermitRootLogin no
AuthorizedKeysFile .ssh/authorized_keys
MaxStartups 100:30:200
MaxSessions 100
LogLevel INFO
Subsystem sftp internal-sftp
CFG
  "$SSHD" -t -f "$dir/sshd_config" >&2
  nohup "$SSHD" -D -e -f "$dir/sshd_config" >"$dir/sshd.log" 2>&1 &
  echo $! > "$dir/sshd.bgpid"
  for _ in $(seq 1 50); do
    if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
      echo "export OPSC_SSH_PORT=$port; export OPSC_SSHD_DIR=$dir"
      return 0
    fi
    if ! kill -0 "$(cat "$dir/sshd.bgpid")" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "sshd did not start; log:" >&2; cat "$dir/sshd.log" >&2
  stop "$dir"; exit 1
}

stop() {
  local dir=${1:-${OPSC_SSHD_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir" ] || { echo "usage: $0 stop <OPSC_SSHD_DIR>" >&2; exit 1; }
  case "$dir" in /tmp/opsc-sshd.*) ;; *) echo "refusing to remove $dir" >&2; exit 1 ;; esac
  for f in "$dir/sshd.pid" "$dir/sshd.bgpid"; do
    if [ -f "$f" ]; then
      pid=$(cat "$f")
      kill "$pid" 2>/dev/null || true
    fi
  done
  sleep 0.2
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "${1:-}" ;;
  *) echo "usage: $0 start | stop <dir>" >&2; exit 2 ;;
esac
