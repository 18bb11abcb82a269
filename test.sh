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

step "Starting PostgreSQL"
eval "$(scripts/test-postgres.sh start)"
trap 'scripts/test-postgres.sh stop "$OPSC_TEST_PGDIR"' EXIT

run_dotnet_tests() { # NAME [ENV=VALUE...]
  local name=$1; shift
  env "$@" dotnet test OpsConductor.slnx -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results/$name" --blame-hang-timeout 10m
}

step ".NET tests on SQLite"
run_dotnet_tests sqlite OPSC_TEST_DATABASE=sqlite
step ".NET tests on PostgreSQL"
run_dotnet_tests postgres OPSC_TEST_DATABASE=postgres

step "Summary (total $(( $(date +%s) - started ))s)"
python3 scripts/summarize-tests.py "$results"
