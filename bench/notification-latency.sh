#!/usr/bin/env bash
# Benchmark: notification latency. RUNS runs (default 1,000) of a job whose step fails fast (`exit 3`) on real sshd
# targets, each run with a failure rule, through a real smtp4dev. Per run: smtp4dev's receivedDate (the SMTP server
# accepted the message) minus the run's finishedAt (the jobs database); p50/p99/max; lost (a run without a message)
# and duplicated (more than one). Prints a Markdown table row and the load average seen while it ran.
#   bench/notification-latency.sh      RUNS=1000 TARGETS=16 CLIENTS=8 HOST_ENV="OpsConductor__Notifications__BatchSize=100"
# Needs root (sshd), the opsc-test user and .tools/smtp4dev (scripts/install-test-deps.sh). NO_BUILD=1 skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-1000}
targets=${TARGETS:-16}
clients=${CLIENTS:-8}
[ -x .tools/smtp4dev/smtp4dev ] || { echo ".tools/smtp4dev/smtp4dev missing: run scripts/install-test-deps.sh" >&2; exit 1; }

. bench/lib/sshd-fleet.sh
fleet_init
[ -n "${NO_BUILD:-}" ] || fleet_build
fleet_start_sshd "$targets"
notify() { python3 bench/lib/notify_latency.py "$@"; }

# smtp4dev on loopback, messages in memory; it keeps only 100 messages unless told otherwise (they would look lost).
read -r smtp_port web_port imap_port pop_port <<<"$(fleet_free_ports 4)"
mkdir -p "$work/smtp4dev"
# exec: the pid cleaned up on exit is smtp4dev itself, not a subshell that would leave it running.
(cd "$work/smtp4dev" && HOME=$work/smtp4dev XDG_CONFIG_HOME=$work/smtp4dev exec "$OLDPWD/.tools/smtp4dev/smtp4dev" \
  --urls="http://127.0.0.1:$web_port" --smtpport="$smtp_port" --imapport="$imap_port" --pop3port="$pop_port" --db= --nousersettings \
  --hostname=localhost --baseappdatapath="$work/smtp4dev" --tlsmode=None --messagestokeep=100000 --sessionstokeep=100000 >"$work/smtp4dev.log" 2>&1) &
pids+=($!)
smtp4dev=http://127.0.0.1:$web_port
for _ in $(seq 1 300); do curl -sf "$smtp4dev/api/messages" >/dev/null && break; sleep 0.2; done

fleet_start_host ${HOST_ENV:-}
credential=$(fleet_credential key)
ids=$(fleet_register_targets "$targets" "$credential" bench | paste -sd,)
api PUT /notifications/smtp -d "{\"host\":\"127.0.0.1\",\"port\":$smtp_port,\"security\":\"none\",\"fromAddress\":\"bench@example.test\",\"fromName\":\"bench\",\"allowInvalidCertificate\":false}" >/dev/null
to="oncall-$RANDOM@example.test"
job=$(python3 -c 'import json,sys; ids=[int(x) for x in sys.argv[1].split(",")]; print(json.dumps({"name":"notify-bench","steps":[{"name":"fail","type":"command","script":"exit 3"}],"targets":{"targetIds":ids},"maxParallelTargets":len(ids),"notifications":[{"on":"failed","recipients":[sys.argv[2]]}]}))' "$ids" "$to" |
  api POST /jobs -d @- | fleet_json 'd["id"]')
# Warm-up (JIT, SSH connections, the first SMTP connection): one run and its message, not measured.
warm=$(python3 -c 'import json,sys; print(json.dumps({"name":"notify-warmup","steps":[{"name":"fail","type":"command","script":"exit 3"}],"targets":{"targetIds":[int(x) for x in sys.argv[1].split(",")]},"notifications":[{"on":"failed","recipients":["warmup@example.test"]}]}))' "$ids" |
  api POST /jobs -d @- | fleet_json 'd["id"]')
notify post "$base" "$token" "$warm" 1 1 >/dev/null
notify measure "$base" "$token" "$warm" "$smtp4dev" warmup@example.test >/dev/null

(while :; do cut -d' ' -f1 /proc/loadavg; sleep 5; done) >"$work/load" &
load_pid=$!; pids+=($load_pid)
posted=$(notify post "$base" "$token" "$job" "$runs" "$clients")
result=$(notify measure "$base" "$token" "$job" "$smtp4dev" "$to")
kill "$load_pid" 2>/dev/null || true
[ -z "${HOST_LOG:-}" ] || cp "$work/host.log" "$HOST_LOG" # HOST_LOG=FILE keeps the host's log
load=$(sort -n "$work/load" | awk '{a[NR]=$1} END{printf "%s–%s", a[1], a[NR]}')

echo
echo "posted: $posted"
echo "result: $result"
echo "load average (1 min) during the run: $load on $(nproc) cores"
echo "host settings: ${HOST_ENV:-defaults}"
python3 - "$result" "$load" "${HOST_ENV:-defaults}" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print()
print("| runs | failed | runs ended within | p50 ms | p99 ms | max ms | lost | duplicated | load avg | settings |")
print("|---|---|---|---|---|---|---|---|---|---|")
print(f"| {r['runs']} | {r['failed']} | {r['runs_end_span_s']} s | {r.get('p50_ms')} | {r.get('p99_ms')} | {r.get('max_ms')} | {r['lost']} | {r['duplicated']} | {sys.argv[2]} | {sys.argv[3]} |")
PY
