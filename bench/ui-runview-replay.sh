#!/usr/bin/env bash
# The web UI run view alone: Chromium (Playwright) renders a generated run that ui/e2e-bench/mock-backend.mjs streams in
# the typed RunStreamEvent format, with no host, sshd or database competing for the cores. Reports time to interactive,
# long tasks and frames over 100 ms while streaming, and the worst frame while scrolling, per scenario.
#   bench/ui-runview-replay.sh [scenarios]   default "1x40@2,200x40@8,200x2000@20,1x100000@20" (TARGETSxLINES@SECONDS;
#                                            1x40 is the page-load floor, 1x100000 one step past the 20,000-line cap; every target prints
#                                            LINES lines evenly over SECONDS, one chunk per target every 100 ms);
#                                            a ~DROP_MS suffix breaks every stream connection after DROP_MS (resume check);
#                                            RUNS=3 runs each; SKIP_UI_BUILD=1 reuses ui/dist; PORT=5391; PW_LOG=file
# Needs ui/node_modules (cd ui && npm ci) and /usr/bin/chromium. Results: docs/benchmarks-ui-runview.md.
set -euo pipefail
cd "$(dirname "$0")/../ui"
scenarios=${1:-1x40@2,200x40@8,200x2000@20,1x100000@20}
port=${PORT:-5391}
password=Bench-$RANDOM-Password-1
log=${TMPDIR:-/tmp}/opsc-ui-replay.$$
load=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -z "${SKIP_UI_BUILD:-}" ]; then
  echo "building ui..." >&2
  npm run build >"$log.build" 2>&1 || { cat "$log.build" >&2; exit 1; }
fi
PORT=$port OPSC_ADMIN_PASSWORD=$password node e2e-bench/mock-backend.mjs >"$log.mock" 2>&1 &
mock=$!
trap 'kill $mock 2>/dev/null || true; rm -f "$log.build" "$log.mock" "$log.pw"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

echo "### Run view alone (mock backend): $scenarios, ${RUNS:-3} runs each"
echo
OPSC_BASE_URL=http://127.0.0.1:$port OPSC_ADMIN_PASSWORD=$password OPSC_REPLAY_SCENARIOS=$scenarios OPSC_REPLAY_RUNS=${RUNS:-3} \
  npx playwright test -c e2e-bench/playwright.config.ts replay.bench.ts --reporter=list >"$log.pw" 2>&1 || { cat "$log.pw" >&2; exit 1; }
sed -n '/^| scenario/,/^$/p' "$log.pw"
if [ -n "${PW_LOG:-}" ]; then cp "$log.pw" "$PW_LOG"; fi
echo "Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), Playwright $(npx playwright --version | awk '{print $2}'), Node $(node --version); mock backend and Chromium on one machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average at the start: $load; $(date -u +%Y-%m-%d)."
