#!/usr/bin/env bash
# Web UI run view while N real sshd targets (loopback, bench/lib/sshd-fleet.sh) stream output: time to interactive,
# long tasks and frames over 100 ms in Chromium (Playwright), plus the production bundle's initial JavaScript.
#   bench/ui-runview.sh [targets]      N=200; RUNS=3 runs; SCRIPT= the command each target runs (default: 40 lines, one
#                                      every 0.2 s); SKIP_UI_BUILD=1 reuses ui/dist; OPSC_PERF_PROFILE=1 takes a CPU profile
#                                      of each run (top functions in Playwright's log); PW_LOG=file keeps that log
# Needs root (sshd), the opsc-test user (scripts/install-test-deps.sh), ui/node_modules (cd ui && npm ci), /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
runs=${RUNS:-3}
script=${SCRIPT:-'for i in $(seq 1 40); do echo line $i from $(hostname) $RANDOM; sleep 0.2; done'}
if [ -z "${SKIP_UI_BUILD:-}" ]; then
  echo "building ui..." >&2
  (cd ui && npm run build) >"${TMPDIR:-/tmp}/opsc-ui-build.log" 2>&1 || { cat "${TMPDIR:-/tmp}/opsc-ui-build.log" >&2; exit 1; }
fi

. bench/lib/sshd-fleet.sh
fleet_init
fleet_build
fleet_start_sshd "$n"
for ((i = 0; i < n; i++)); do echo "-p ${ports[$i]} 127.0.0.1"; done |
  xargs -P 16 -L 1 ssh-keyscan -t ed25519 >"$work/known_hosts" 2>/dev/null
declare -A fingerprint
while read -r p fp; do fingerprint[$p]=$fp; done < <(ssh-keygen -lf "$work/known_hosts" | awk '{split($3, a, /[]:[]/); print a[4], $2}')

fleet_start_host OpsConductor__UiDirectory="$PWD/ui/dist"
origin=${base%/api/v1}
curl -sf "$origin/" | grep -q '<div id="root">' || { echo "the host does not serve ui/dist" >&2; exit 1; }
credential=$(fleet_credential key)
ids=()
for ((i = 0; i < n; i++)); do
  ids+=($(api POST /targets -d "{\"name\":\"stream-$i\",\"hostname\":\"127.0.0.1\",\"port\":${ports[$i]},\"osType\":\"linux\",\"credentialId\":$credential,\"tags\":[\"stream\"],\"ssh\":{\"hostKeyFingerprint\":\"${fingerprint[${ports[$i]}]}\"}}" | fleet_json 'd["id"]'))
done
job=$(python3 -c 'import json,sys; print(json.dumps({"name":"stream-%d" % len(sys.argv[2].split(",")),"steps":[{"name":"stream","type":"command","script":sys.argv[1]}],"targets":{"targetIds":[int(x) for x in sys.argv[2].split(",")]},"maxParallelTargets":len(sys.argv[2].split(","))}))' "$script" "$(IFS=,; echo "${ids[*]}")" |
  api POST /jobs -d @- | fleet_json 'd["id"]')
python3 bench/lib/fanout.py run "$base" "$token" "$job" "$n" >"$work/warmup.json" # warm-up run (connections, JIT), not measured
echo "warm-up run: $(cat "$work/warmup.json")" >&2

echo
echo "### Production bundle (vite build, gzip)"
echo
bench/lib/bundle-size.sh "${TMPDIR:-/tmp}/opsc-ui-build.log"
echo
echo "### Run view: $n targets streaming \`$script\`"
echo
(cd ui && OPSC_BASE_URL=$origin OPSC_ADMIN_PASSWORD=$fleet_admin_password OPSC_RUNVIEW_JOB=$job OPSC_RUNVIEW_RUNS=$runs OPSC_RUNVIEW_TARGETS=$n \
  npx playwright test -c e2e-bench/playwright.config.ts runview.bench.ts --reporter=list) 2>&1 | tee "$work/pw.log" | sed -n '/^| run/,/^$/p'
grep -q '^| run' "$work/pw.log" || { cat "$work/pw.log" >&2; exit 1; }
if [ -n "${PW_LOG:-}" ]; then cp "$work/pw.log" "$PW_LOG"; fi
echo
echo "Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), Playwright $(cd ui && npx playwright --version | awk '{print $2}'); host, $n sshd targets and Chromium on one machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(. /etc/os-release; echo "$PRETTY_NAME"), $(ssh -V 2>&1); $(date -u +%Y-%m-%d)."
