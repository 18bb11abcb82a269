#!/usr/bin/env bash
# Benchmark: a late subscriber's replay of a big run. One real run on TARGETS sshd targets, each printing LINES lines
# (200 x 500 = 100,000 lines), reported by the executor as it does (chunks of what arrived every 100 ms). Once the run
# is final, GET /runs/{id}/events is read to its end event REPEAT times (a late subscriber: the whole replay), timed
# from the request to the last byte, and checked (every line once, FirstLine consecutive per step). Also timed:
# GET /runs/{id} and one target's output download. Results are printed as a Markdown table.
#   bench/run-replay.sh                     TARGETS=200 LINES=500 REPEAT=5 MODES="burst trickle single" DATABASE=sqlite
#   MODES:    burst   (each step prints its lines at once: one or a few chunks per step)
#             trickle (a line every 10 ms: several lines per chunk, so many more events)
#             single  (SQLite only, after burst: the burst run copied in the database with one line per output event,
#                      100,000 events: the worst case, a fleet printing slower than the executor reports)
#   DATABASE: sqlite, or postgres (a throw-away server from scripts/test-postgres.sh)
# Needs root (sshd) and the opsc-test user (scripts/install-test-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=${TARGETS:-200}
lines=${LINES:-500}
repeat=${REPEAT:-5}
modes=${MODES:-burst trickle single}
database=${DATABASE:-sqlite}

. bench/lib/sshd-fleet.sh
fleet_init
fleet_build
fleet_start_sshd "$targets"
replay() { python3 bench/lib/replay.py "$@"; }

# Host keys pinned in OpsConductor, as in run-fanout.sh.
for ((i = 0; i < targets; i++)); do echo "-p ${ports[$i]} 127.0.0.1"; done |
  xargs -P 16 -L 1 ssh-keyscan -t ed25519 >"$work/known_hosts" 2>/dev/null
declare -A fingerprint
while read -r port fp; do fingerprint[$port]=$fp; done < <(
  ssh-keygen -lf "$work/known_hosts" | awk '{split($3, a, /[]:[]/); print a[4], $2}')

host_env=()
if [ "$database" = postgres ]; then
  eval "$(scripts/test-postgres.sh start)"
  trap 'scripts/test-postgres.sh stop "$OPSC_TEST_PGDIR"; fleet_cleanup' EXIT
  host_env=(OpsConductor__Database__Provider=postgres "ConnectionStrings__OpsConductor=$OPSC_TEST_POSTGRES")
fi
fleet_start_host "${host_env[@]}"
credential=$(fleet_credential key)
ids=()
for ((i = 0; i < targets; i++)); do
  ids+=($(api POST /targets -d "{\"name\":\"replay-$i\",\"hostname\":\"127.0.0.1\",\"port\":${ports[$i]},\"osType\":\"linux\",\"credentialId\":$credential,\"tags\":[\"replay\"],\"ssh\":{\"hostKeyFingerprint\":\"${fingerprint[${ports[$i]}]}\"}}" | fleet_json 'd["id"]'))
done
target_ids=$(IFS=,; echo "${ids[*]}")

script_for() {
  case $1 in
    burst) echo "seq 1 $lines | awk '{printf \"line %d of $lines %040d\\n\", \$1, \$1}'" ;;
    trickle) echo "python3 -c 'import time
for i in range(1, $lines + 1):
    print(\"line %d of $lines %040d\" % (i, i), flush=True); time.sleep(0.01)'" ;;
  esac
}
job() { # job NAME SCRIPT: prints the job id
  python3 -c 'import json,sys; print(json.dumps({"name":sys.argv[1],"steps":[{"name":"print","type":"command","script":sys.argv[2]}],"targets":{"targetIds":[int(x) for x in sys.argv[3].split(",")]},"maxParallelTargets":int(sys.argv[4])}))' \
    "$1" "$2" "$target_ids" "$targets" | api POST /jobs -d @- | fleet_json 'd["id"]'
}
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

echo
echo "### Replay of a $((targets * lines))-line run to a late subscriber ($targets targets x $lines lines, $database)"
echo
echo "| output | run s | events (output) | stream MB | replay ms, $repeat reads | median ms | first byte ms | GET /runs/{id} ms | one target's download ms |"
echo "|---|---|---|---|---|---|---|---|---|"
for mode in $modes; do
  if [ "$mode" = single ]; then
    [ "$database" = sqlite ] && [ -n "${burst_run:-}" ] || { echo "single: needs DATABASE=sqlite and the burst mode before it" >&2; continue; }
    run_id=$(replay single "$work/data/opsconductor.db" "$burst_run")
    r='{"s": "(copied)"}'
  else
    r=$(replay run "$base" "$token" "$(job "replay-$mode" "$(script_for "$mode")")")
    run_id=$(echo "$r" | fleet_json 'd["run"]')
    [ "$(echo "$r" | fleet_json 'd["status"]')" = succeeded ] || { echo "run $run_id: $r" >&2; exit 1; }
    [ "$mode" = burst ] && burst_run=$run_id
  fi
  times=(); first=""
  for ((k = 0; k < repeat; k++)); do
    p=$(replay replay "$base" "$token" "$run_id" $((targets * lines)))
    times+=($(echo "$p" | fleet_json 'd["ms_to_end"]'))
    first+="$(echo "$p" | fleet_json 'd["ms_to_first_byte"]') "
    events="$(echo "$p" | fleet_json 'd["events"]') ($(echo "$p" | fleet_json 'd["output_events"]'))"
    mb=$(echo "$p" | fleet_json 'd["mb"]')
  done
  g=$(replay get "$base" "$token" "$run_id" | fleet_json 'd["ms"]')
  d=$(replay download "$base" "$token" "$run_id" "${ids[0]}" | fleet_json 'd["ms"]')
  echo "| $mode | $(echo "$r" | fleet_json 'd["s"]') | $events | $mb | ${times[*]} | $(printf '%s\n' "${times[@]}" | median) | ${first% } | $g | $d |"
done
