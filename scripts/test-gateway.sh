#!/usr/bin/env bash
# Debian's nginx with deploy/nginx/opsconductor.conf.template in front of one host, for the web UI's
# end-to-end checks through the real gateway (TLS, Content-Security-Policy, Secure session cookie).
#   eval "$(scripts/test-gateway.sh start 127.0.0.1:5080 ui/dist)"  -> exports OPSC_GATEWAY_URL and OPSC_GATEWAY_DIR
#   scripts/test-gateway.sh stop "$OPSC_GATEWAY_DIR"
# scripts/topology.sh uses it too, with these set: GATEWAY_DIR (kept, with its certificate, between starts),
# GATEWAY_HTTP_PORT / GATEWAY_HTTPS_PORT (fixed ports) and OPSC_UPSTREAM_<SERVICE> (one service's upstream servers,
# e.g. "127.0.0.1:3007;127.0.0.1:3017" for two executors; the rest go to HOST:PORT).
set -euo pipefail

NGINX=${NGINX:-/usr/sbin/nginx}
root=$(cd "$(dirname "$0")/.." && pwd)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start() {
  local upstream=$1 ui
  ui=$(cd "$2" && pwd)
  [ -x "$NGINX" ] || { echo "nginx not found at $NGINX (apt-get install nginx-light)" >&2; exit 1; }
  local dir http https days=1
  if [ -n "${GATEWAY_DIR:-}" ]; then dir=$GATEWAY_DIR; mkdir -p "$dir"; days=365; else dir=$(mktemp -d /tmp/opsc-gateway.XXXXXX); fi
  http=${GATEWAY_HTTP_PORT:-$(free_port)}; https=${GATEWAY_HTTPS_PORT:-$(free_port)}
  if [ ! -s "$dir/gateway.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days "$days" -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
      -keyout "$dir/gateway.key" -out "$dir/gateway.crt" 2>/dev/null
    chmod 600 "$dir/gateway.key"
  fi
  mkdir -p "$dir"/{client,proxy,fastcgi,uwsgi,scgi}
  OPSC_UPSTREAM=$upstream OPSC_HTTP=$http OPSC_HTTPS=$https OPSC_DIR=$dir OPSC_UI=$ui python3 - "$root/deploy/nginx/opsconductor.conf.template" >"$dir/opsconductor.conf" <<'PY'
import os, sys
text = open(sys.argv[1]).read()
e = os.environ
# Several servers of one upstream: "a;b" becomes "a; server b" inside `server ${OPSC_X};`.
values = {f"OPSC_{s}": e.get(f"OPSC_UPSTREAM_{s}", e["OPSC_UPSTREAM"]).replace(";", "; server ")
          for s in ["AUTH", "USERS", "CREDENTIALS", "TARGETS", "JOBS", "EXECUTOR", "SCHEDULER", "NOTIFICATIONS"]}
values.update(OPSC_HTTP_PORT=f"127.0.0.1:{e['OPSC_HTTP']}", OPSC_HTTPS_PORT=f"127.0.0.1:{e['OPSC_HTTPS']}",
              OPSC_TLS_CERT=f"{e['OPSC_DIR']}/gateway.crt", OPSC_TLS_KEY=f"{e['OPSC_DIR']}/gateway.key", OPSC_UI_ROOT=e["OPSC_UI"])
for name, value in values.items():
    text = text.replace("${" + name + "}", value)
# The redirect keeps the public port only.
text = text.replace(f"https://$host:127.0.0.1:{e['OPSC_HTTPS']}", f"https://$host:{e['OPSC_HTTPS']}")
print(text)
PY
  cat >"$dir/nginx.conf" <<CONF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    include /etc/nginx/mime.types;
    client_body_temp_path $dir/client;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    include $dir/opsconductor.conf;
}
CONF
  "$NGINX" -t -q -p "$dir" -c "$dir/nginx.conf" >&2
  nohup "$NGINX" -p "$dir" -c "$dir/nginx.conf" >"$dir/nginx.out" 2>&1 &
  echo $! >"$dir/nginx.bgpid"
  for _ in $(seq 1 100); do
    if curl -sk -o /dev/null "https://127.0.0.1:$https/health"; then
      echo "export OPSC_GATEWAY_URL=https://127.0.0.1:$https OPSC_GATEWAY_DIR=$dir"
      return
    fi
    sleep 0.1
  done
  echo "nginx did not start: $(cat "$dir/error.log" 2>/dev/null)" >&2
  exit 1
}

stop() {
  local dir=$1
  [ -f "$dir/nginx.bgpid" ] && kill "$(cat "$dir/nginx.bgpid")" 2>/dev/null || true
  [ -n "${GATEWAY_DIR:-}" ] || rm -rf "$dir"
}

case "${1:-}" in
  start) start "$2" "$3" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 start HOST:PORT UI_DIR | stop DIR" >&2; exit 2 ;;
esac
