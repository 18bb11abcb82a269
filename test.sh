#!/usr/bin/env bash
# Runs every test suite on a fresh Debian 12 machine: installs what is missing, checks formatting,
# runs the .NET tests against SQLite and against PostgreSQL, then the web UI's tests.
# Ends with one line "N passed, N failed, N skipped" and a non-zero exit when anything failed.
set -uo pipefail
cd "$(dirname "$0")"
root=$PWD
results=$root/TestResults
rm -rf "$results"; mkdir -p "$results"
started=$(date +%s)

step() { echo; echo "=== $* ($(( $(date +%s) - started ))s)"; }
check() { # check NAME COMMAND... : one pass/fail line counted in the summary
  local name=$1; shift
  if "$@"; then echo "pass $name" >>"$results/checks.check"; else echo "fail $name" >>"$results/checks.check"; echo "FAILED: $name"; fi
}

step "Installing what is missing"
scripts/install-test-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

step "Building"
if ! dotnet build OpsConductor.slnx -c Release -nologo -clp:ErrorsOnly; then
  echo "0 passed, 1 failed"; exit 1
fi
check "dotnet format" dotnet format OpsConductor.slnx --verify-no-changes --no-restore

step "Deployment files: compose and Kubernetes (validated offline; no engine or cluster runs them)"
check "compose config" scripts/check-compose.sh
check "kubernetes manifests" node deploy/kubernetes/validate.mjs
# The validator's own tests: each breaks one manifest and expects it refused.
(cd deploy/kubernetes && node --test --test-reporter=spec --test-reporter=junit --test-reporter-destination=stdout \
   --test-reporter-destination="$results/kubernetes-validate.junit.xml" validate.test.mjs) \
  || [ -f "$results/kubernetes-validate.junit.xml" ] || echo "fail kubernetes validator tests" >>"$results/checks.check"

step "Starting PostgreSQL"
eval "$(scripts/test-postgres.sh start)"
trap 'scripts/test-postgres.sh stop "$OPSC_TEST_PGDIR"' EXIT

run_dotnet_tests() { # NAME FILTER [ENV=VALUE...]
  local name=$1 filter=$2; shift 2
  env "$@" dotnet test OpsConductor.slnx -c Release --no-build --nologo ${filter:+--filter "$filter"} \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results/$name" --blame-hang-timeout 10m
}

step ".NET tests on SQLite"
# Category=Topology needs scripts/topology.sh's processes: it runs in its own pass below.
run_dotnet_tests sqlite "Category!=Topology" OPSC_TEST_DATABASE=sqlite
step ".NET tests on PostgreSQL"
# What cannot depend on the provider runs once, in the SQLite pass: the WS-Management client and test server
# (namespace OpsConductor.Tests.WinRm) and the classes marked Category=ProviderIndependent (shells, TLS, pure rules).
run_dotnet_tests postgres "FullyQualifiedName!~OpsConductor.Tests.WinRm.&Category!=Topology&Category!=ProviderIndependent" OPSC_TEST_DATABASE=postgres

step "The eight-service topology (scripts/topology.sh): acceptance and scale-out tests through its gateway"
export OPSC_TOPOLOGY_DIR=$(mktemp -d /tmp/opsc-topology-XXXXXX)
trap 'scripts/topology.sh down >/dev/null 2>&1; rm -rf "$OPSC_TOPOLOGY_DIR"; scripts/test-postgres.sh stop "$OPSC_TEST_PGDIR"' EXIT
topology_up=0
# A short run lease, so the kill -9 test sees the run failed with the reason within seconds.
if OpsConductor__Executor__LeaseSeconds=10 scripts/topology.sh up >"$results/topology-up.log" 2>&1; then
  topology_up=1
  echo "pass topology up" >>"$results/checks.check"
  topology_env=(OPSC_ACCEPTANCE_URL=https://localhost:8443 OPSC_ACCEPTANCE_CERT="$OPSC_TOPOLOGY_DIR/gateway/gateway.crt"
    OPSC_ACCEPTANCE_ADMIN_PASSWORD="$(cat "$OPSC_TOPOLOGY_DIR/admin-password")"
    OPSC_ACCEPTANCE_PROCESSES="$(scripts/topology.sh urls)" OpsConductor__Executor__LeaseSeconds=10)
  run_dotnet_tests topology "FullyQualifiedName~OpsConductor.Tests.Acceptance" "${topology_env[@]}"
else
  echo "fail topology up" >>"$results/checks.check"; cat "$results/topology-up.log"
fi

if [ -f ui/package.json ]; then
  step "UI: typecheck, lint, unit tests, build"
  check "ui typecheck" bash -c "cd ui && npm run --silent typecheck"
  check "ui lint" bash -c "cd ui && npm run --silent lint"
  (cd ui && npx vitest run --reporter=default --reporter=junit --outputFile.junit="$results/ui-unit.junit.xml") \
    || [ -f "$results/ui-unit.junit.xml" ] || echo "fail ui unit tests" >>"$results/checks.check"
  check "ui build" bash -c "cd ui && npm run --silent build"

  step "UI: end-to-end in Chromium against the real host and a real sshd"
  e2e_data=$(mktemp -d /tmp/opsc-e2e-XXXXXX)
  e2e_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  e2e_password='E2e-Admin-Password-1'
  # Short access tokens (20 s + 10 s clock skew), so the silent-refresh test sees one expire.
  OpsConductor__DataDirectory=$e2e_data OpsConductor__Bootstrap__AdminPassword=$e2e_password OpsConductor__Auth__AccessTokenSeconds=20 \
    dotnet src/OpsConductor.Host/bin/Release/net10.0/OpsConductor.Host.dll --urls "http://127.0.0.1:$e2e_port" \
    --OpsConductor:UiDirectory="$root/ui/dist" >"$results/e2e-host.log" 2>&1 &
  e2e_host=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$e2e_port/health" >/dev/null && break; sleep 0.1; done
  if [ -x scripts/test-sshd.sh ]; then eval "$(scripts/test-sshd.sh start)"; fi
  # The real nginx gateway template in front of the same host: the CSP and Secure-cookie check runs through it.
  eval "$(scripts/test-gateway.sh start "127.0.0.1:$e2e_port" "$root/ui/dist")" || echo "fail ui gateway start" >>"$results/checks.check"
  check "ui api client matches the OpenAPI document" bash -c "cd ui && OPENAPI_URL=http://127.0.0.1:$e2e_port/openapi/v1.json npm run --silent check:api"
  e2e_env=(OPSC_BASE_URL="http://127.0.0.1:$e2e_port" OPSC_ADMIN_PASSWORD=$e2e_password OPSC_ACCESS_TOKEN_WAIT_SECONDS=31 OPSC_GATEWAY_URL=${OPSC_GATEWAY_URL:-})
  # The session-refresh spec spends a minute waiting for access tokens to expire: it runs beside the others, in its own browser.
  (cd ui && env "${e2e_env[@]}" PLAYWRIGHT_JUNIT_OUTPUT_FILE="$results/ui-e2e-session.junit.xml" PLAYWRIGHT_JUNIT_SUITE_NAME=session OPSC_E2E_OUTPUT=test-results-session \
     npx playwright test e2e/session-refresh.spec.ts --reporter=list,junit >"$results/ui-e2e-session.log" 2>&1) &
  session_e2e=$!
  (cd ui && env "${e2e_env[@]}" OPSC_E2E_IGNORE='**/session-refresh.spec.ts' \
     PLAYWRIGHT_JUNIT_OUTPUT_FILE="$results/ui-e2e.junit.xml" npx playwright test --reporter=list,junit) \
    || [ -f "$results/ui-e2e.junit.xml" ] || echo "fail ui e2e" >>"$results/checks.check"
  wait $session_e2e || [ -f "$results/ui-e2e-session.junit.xml" ] || echo "fail ui e2e session refresh" >>"$results/checks.check"
  cat "$results/ui-e2e-session.log"
  if [ "$topology_up" = 1 ]; then
    # The main operator flow again, through the topology's gateway (its self-signed certificate accepted).
    (cd ui && OPSC_BASE_URL=https://localhost:8443 OPSC_IGNORE_HTTPS_ERRORS=1 OPSC_ADMIN_PASSWORD="$(cat "$OPSC_TOPOLOGY_DIR/admin-password")" \
       OPSC_EXPECT_PROCESSES="$("$root/scripts/topology.sh" urls | tr ',' '\n' | wc -l)" \
       PLAYWRIGHT_JUNIT_OUTPUT_FILE="$results/ui-e2e-topology.junit.xml" PLAYWRIGHT_JUNIT_SUITE_NAME=topology \
       npx playwright test e2e/ops-flow.spec.ts --reporter=list,junit) \
      || [ -f "$results/ui-e2e-topology.junit.xml" ] || echo "fail ui e2e on the topology" >>"$results/checks.check"
  fi
  kill $e2e_host 2>/dev/null; wait $e2e_host 2>/dev/null
  if [ -n "${OPSC_SSHD_DIR:-}" ]; then scripts/test-sshd.sh stop "$OPSC_SSHD_DIR"; fi
  if [ -n "${OPSC_GATEWAY_DIR:-}" ]; then scripts/test-gateway.sh stop "$OPSC_GATEWAY_DIR"; fi
  rm -rf "$e2e_data"
fi

step "Summary (total $(( $(date +%s) - started ))s)"
python3 scripts/summarize-tests.py "$results"
