#!/usr/bin/env bash
# Web UI render time of the dashboard and every list page on a large installation (1,000 targets, 10,000 jobs,
# 1,000,000 runs; SQLite, all-in-one Release host serving the production build of ui/), in Chromium with Playwright.
# Prints the production bundle's sizes and a Markdown table.
#   bench/ui-render.sh [targets] [jobs] [runs]       OPSC_RENDER_LOADS=5 loads per page and mode
# Needs ui/node_modules (cd ui && npm ci) and /usr/bin/chromium (CHROMIUM_PATH); no browser is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=${1:-1000}; jobs=${2:-10000}; runs=${3:-1000000}
echo "building ui..." >&2
(cd ui && npm run build) >"${TMPDIR:-/tmp}/opsc-ui-build.log" 2>&1 || { cat "${TMPDIR:-/tmp}/opsc-ui-build.log" >&2; exit 1; }
. bench/lib/large-db.sh
large_db_init 5184
large_db_seed "$targets" "$jobs" "$runs"
large_db_host --OpsConductor:UiDirectory="$PWD/ui/dist"
curl -sf http://127.0.0.1:$port/ | grep -q '<div id="root">' || { echo "the host does not serve ui/dist" >&2; exit 1; }
echo
echo "### Production bundle (vite build, gzip)"
echo
bench/lib/bundle-size.sh "${TMPDIR:-/tmp}/opsc-ui-build.log"
echo
echo "### Render time: navigation start → first data row visible"
echo
(cd ui && OPSC_BASE_URL=http://127.0.0.1:$port OPSC_ADMIN_PASSWORD=$password \
  npx playwright test -c e2e-bench/playwright.config.ts render.bench.ts --reporter=list) >"$data/pw.log" 2>&1 || { cat "$data/pw.log" >&2; exit 1; }
sed -n '/^| page/,/^$/p' "$data/pw.log"
echo
echo "$targets targets, $jobs jobs, $runs runs; Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), Playwright $(cd ui && npx playwright --version | awk '{print $2}'); $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(. /etc/os-release; echo "$PRETTY_NAME"); $(date -u +%Y-%m-%d)."
