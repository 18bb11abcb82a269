#!/usr/bin/env bash
# Benchmark: one command (`uname -a`) on N real sshd targets through the OpsConductor API, beside Ansible and
# parallel-ssh on the same targets, plus key exchange cost, host memory, accept-to-start latency (1 and 100,000
# targets in the inventory) and 100 concurrent runs. Results are printed as Markdown tables.
#   bench/run-fanout.sh                 SIZES="10 50 200" LATENCY_RUNS=30 INVENTORY=100000 PARTS="all"
#   PARTS: any of fanout tools kex latency concurrent (default all)
# Needs root (sshd), the opsc-test user (scripts/install-test-deps.sh); installs ansible, pssh, hyperfine if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${SIZES:-10 50 200}
latency_runs=${LATENCY_RUNS:-30}
inventory=${INVENTORY:-100000}
parts=${PARTS:-all}
want() { [ "$parts" = all ] || [[ " $parts " == *" $1 "* ]]; }
max=0; for n in $sizes; do [ "$n" -gt "$max" ] && max=$n; done

missing=()
command -v ansible >/dev/null || missing+=(ansible)
command -v parallel-ssh >/dev/null || missing+=(pssh)
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

. bench/lib/sshd-fleet.sh
fleet_init
fleet_build
fleet_start_sshd "$max"
fanout() { python3 bench/lib/fanout.py "$@"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# Host keys, as every tool will trust them: known_hosts from ssh-keyscan, fingerprints pinned in OpsConductor.
for ((i = 0; i < max; i++)); do echo "-p ${ports[$i]} 127.0.0.1"; done |
  xargs -P 16 -L 1 ssh-keyscan -t ed25519 >"$work/known_hosts" 2>/dev/null
[ "$(wc -l <"$work/known_hosts")" -eq "$max" ] || { echo "ssh-keyscan found $(wc -l <"$work/known_hosts") of $max keys" >&2; exit 1; }
declare -A fingerprint
while read -r port fp; do fingerprint[$port]=$fp; done < <(
  ssh-keygen -lf "$work/known_hosts" | awk '{split($3, a, /[]:[]/); print a[4], $2}')

start_host() { fleet_start_host ${HOST_ENV:-} "$@"; } # HOST_ENV: extra VAR=value settings for every host start
register() { # register SET COUNT: targets SET-0..COUNT-1 on ports[0..], host keys pinned; prints ids comma-separated
  local set=$1 count=$2 i ids=()
  for ((i = 0; i < count; i++)); do
    ids+=($(api POST /targets -d "{\"name\":\"$set-$i\",\"hostname\":\"127.0.0.1\",\"port\":${ports[$i]},\"osType\":\"linux\",\"credentialId\":$credential,\"tags\":[\"$set\"],\"ssh\":{\"hostKeyFingerprint\":\"${fingerprint[${ports[$i]}]}\"}}" | fleet_json 'd["id"]'))
  done
  (IFS=,; echo "${ids[*]}")
}
job() { # job NAME SCRIPT IDS MAXPARALLEL: prints the job id
  python3 -c 'import json,sys; print(json.dumps({"name":sys.argv[1],"steps":[{"name":"cmd","type":"command","script":sys.argv[2]}],"targets":{"targetIds":[int(x) for x in sys.argv[3].split(",")]},"maxParallelTargets":int(sys.argv[4])}))' "$@" |
    api POST /jobs -d @- | fleet_json 'd["id"]'
}
rss_sampler() { # samples VmRSS and the thread count of the host every 20 ms into $work/rss until $work/rss.stop exists
  rm -f "$work/rss.stop"; : >"$work/rss"
  while [ ! -e "$work/rss.stop" ]; do awk '/VmRSS/{r=$2} /Threads/{t=$2} END{print r, t}' "/proc/$host_pid/status" >>"$work/rss" 2>/dev/null || true; sleep 0.02; done
}
rss_peak_mb() { touch "$work/rss.stop"; wait "$1" 2>/dev/null || true; sort -n "$work/rss" | tail -1 | awk '{printf "%.0f", $1 / 1024}'; }
threads_peak() { sort -k2 -n "$work/rss" | tail -1 | awk '{print $2}'; }
hwm_mb() { awk '/VmHWM/{printf "%.0f", $2 / 1024}' "/proc/$host_pid/status"; }

start_host
credential=$(fleet_credential key)
warm_ids=$(register warmup 1)
warm_job=$(job warmup 'uname -a' "$warm_ids" 1)
fanout run "$base" "$token" "$warm_job" 1 >/dev/null # JIT warm-up of the host, not measured
declare -A fan_ids
for n in $sizes; do fan_ids[$n]=$(register "fan$n" "$n"); done

if want fanout || want tools; then
  echo
  echo "### Run fan-out: \`uname -a\` on N targets"
  echo
  echo "| N | tool | run | wall ms | ok targets | notes |"
  echo "|---|---|---|---|---|---|"
fi
if want fanout; then
  for n in $sizes; do
    id=$(job "fanout-$n" 'uname -a' "${fan_ids[$n]}" "$n")
    if [ "$n" = "$max" ]; then rss_sampler & sampler=$!; fi
    for label in "1 (cold: new connections)" "2 (warm: pooled)" "3 (warm: pooled)"; do
      r=$(fanout run "$base" "$token" "$id" "$n")
      echo "| $n | OpsConductor | $label | $(echo "$r" | fleet_json 'd["ms"]') | $(echo "$r" | fleet_json 'd["stdout_non_empty"]') | $(echo "$r" | fleet_json '"status " + d["status"]') |"
    done
    if [ "$n" = "$max" ]; then
      rss_note="peak VmRSS sampled every 20 ms during the three N=$n runs: $(rss_peak_mb "$sampler") MB; VmHWM of the host since its start: $(hwm_mb) MB; most threads at once: $(threads_peak)"
    fi
  done
fi

if want tools; then
  ansible_version=$(ansible --version 2>/dev/null | awk 'NR == 1 {gsub(/[^0-9.]/, "", $0); print}')
  export ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_SSH_CONTROL_PATH_DIR="$work/cp" ANSIBLE_LOCALHOST_WARNING=False
  export ANSIBLE_SSH_ARGS="-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=$work/known_hosts -o StrictHostKeyChecking=yes"
  for n in $sizes; do
    {
      echo "[targets]"
      for ((i = 0; i < n; i++)); do echo "t$i ansible_host=127.0.0.1 ansible_port=${ports[$i]}"; done
      echo "[targets:vars]"
      echo "ansible_user=$fleet_user"
      echo "ansible_ssh_private_key_file=$work/client_key"
    } >"$work/inventory-$n.ini"
    for label in "1 (cold)" "2 (ControlPersist: warm)"; do
      t=$(date +%s%N)
      ansible all -i "$work/inventory-$n.ini" -m raw -a 'uname -a' -f "$n" >"$work/ansible-$n.out" 2>&1 || true
      wall=$(ms_since "$t")
      echo "| $n | Ansible $ansible_version | $label | $wall | $(grep -c '| CHANGED | rc=0' "$work/ansible-$n.out") | \`ansible all -m raw -a 'uname -a' -f $n\` |"
    done
    for sock in "$work"/cp/*; do [ -S "$sock" ] && ssh -o ControlPath="$sock" -O exit x 2>/dev/null || true; done

    for ((i = 0; i < n; i++)); do echo "127.0.0.1:${ports[$i]}"; done >"$work/hosts-$n"
    rm -rf "$work/pssh-$n"
    t=$(date +%s%N)
    parallel-ssh -h "$work/hosts-$n" -p "$n" -l "$fleet_user" -t 60 -o "$work/pssh-$n" \
      -O UserKnownHostsFile="$work/known_hosts" -O StrictHostKeyChecking=yes -O IdentityFile="$work/client_key" -O BatchMode=yes \
      'uname -a' >"$work/pssh-$n.log" 2>&1 || true
    wall=$(ms_since "$t")
    ok=$(find "$work/pssh-$n" -type f -size +0 | wc -l)
    echo "| $n | parallel-ssh $(parallel-ssh --version 2>&1 | awk "NR == 1") | 1 | $wall | $ok | \`parallel-ssh -h hosts -p $n -o dir 'uname -a'\` |"
  done
fi
[ -n "${rss_note:-}" ] && { echo; echo "Memory: $rss_note."; }

if want kex; then
  echo
  echo "### Key exchange: curve25519-sha256 vs sntrup761x25519-sha512@openssh.com"
  echo
  echo "One connection (OpenSSH client, key authentication, \`true\`), hyperfine, 30 runs each:"
  echo
  for kex in curve25519-sha256 sntrup761x25519-sha512@openssh.com; do
    hyperfine -N -w 3 -r 30 --export-json "$work/kex.json" \
      "ssh -p ${ports[0]} -i $work/client_key -o BatchMode=yes -o UserKnownHostsFile=$work/known_hosts -o KexAlgorithms=$kex $fleet_user@127.0.0.1 true" >/dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("- %s: mean %.1f ms ± %.1f (median %.1f ms)" % (sys.argv[2], r["mean"]*1000, r["stddev"]*1000, r["median"]*1000))' "$work/kex.json" "$kex"
  done
  echo
  echo "OpsConductor first (cold) run on $max targets, host restarted with each preference (3 restarts each, first run after a warm-up target):"
  echo
  echo "| KeyExchangePreference | cold run ms (3 host starts) | host CPU s (median) |"
  echo "|---|---|---|"
  kid=$(job "kex-$max" 'uname -a' "${fan_ids[$max]}" "$max")
  for kex in curve25519-sha256 sntrup761x25519-sha512@openssh.com; do
    walls=""; cpus=()
    for rep in 1 2 3; do
      fleet_stop_host
      start_host OpsConductor__Ssh__KeyExchangePreference="$kex"
      fanout run "$base" "$token" "$warm_job" 1 >/dev/null
      c0=$(awk '{print $14 + $15}' "/proc/$host_pid/stat")
      r=$(fanout run "$base" "$token" "$kid" "$max")
      c1=$(awk '{print $14 + $15}' "/proc/$host_pid/stat")
      walls+="$(echo "$r" | fleet_json 'str(d["ms"]) + ("" if d["ok"] else " (FAILED: %d of %d targets ok; %s)" % (d["stdout_non_empty"], d["targets"], d["error"]))'); "
      cpus+=($(awk "BEGIN{print ($c1 - $c0) / $(getconf CLK_TCK)}"))
    done
    echo "| $kex | ${walls%; } | $(printf '%s\n' "${cpus[@]}" | sort -n | sed -n 2p) |"
  done
  fleet_stop_host
  start_host
fi

if want latency; then
  echo
  echo "### Accept-to-start latency"
  echo
  echo "(remote \`date +%s%N\` printed by the command) − (client clock just before POST /jobs/{id}/runs); 1 warm target, $latency_runs runs:"
  echo
  echo "| targets in inventory | median ms | p10 ms | p90 ms | min ms | max ms |"
  echo "|---|---|---|---|---|---|"
  lat_ids=$(register lat 1)
  lat_job=$(job latency 'date +%s%N' "$lat_ids" 1)
  fanout run "$base" "$token" "$lat_job" 1 >/dev/null # warm connection
  row() { echo "$1" | fleet_json '" | ".join(str(d[k]) for k in ["median_ms","p10_ms","p90_ms","min_ms","max_ms"])'; }
  total=$(sqlite3 "$work/data/opsconductor.db" 'SELECT count(*) FROM targets')
  echo "| $total | $(row "$(fanout latency "$base" "$token" "$lat_job" "$latency_runs")") |"

  fleet_stop_host
  t=$(date +%s%N)
  sqlite3 "$work/data/opsconductor.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $inventory)
INSERT INTO targets (Name, NormalizedName, Hostname, Port, OsType, Connection, CredentialId, Description, WinRmUseHttps,
  WinRmVerifyCertificate, PinnedHostKey, LastSeenHostKey, Status, StatusChangedAt, LastError, LastCheckedAt, LatencyMs,
  OsName, OsVersion, Kernel, CreatedAt, UpdatedAt)
SELECT 'bulk-' || i, 'bulk-' || i, 'bulk-' || i || '.example.invalid', 22, OsType, Connection, CredentialId, NULL, 0, 1,
  NULL, NULL, 'unknown', NULL, NULL, NULL, NULL, NULL, NULL, NULL, CreatedAt, UpdatedAt
FROM n, (SELECT * FROM targets ORDER BY Id LIMIT 1);
INSERT INTO target_tags (TargetId, Tag) SELECT Id, 'bulk' FROM targets WHERE Name LIKE 'bulk-%';
SQL
  insert_ms=$(ms_since "$t")
  start_host
  fanout run "$base" "$token" "$lat_job" 1 >/dev/null
  total=$(sqlite3 "$work/data/opsconductor.db" 'SELECT count(*) FROM targets')
  echo "| $total | $(row "$(fanout latency "$base" "$token" "$lat_job" "$latency_runs")") |"
  echo
  echo "($inventory targets inserted with one SQL statement into the stopped host's SQLite database in $insert_ms ms.)"
fi

if want concurrent; then
  echo
  echo "### Concurrent runs of different jobs on one executor"
  echo
  echo "| MaxConcurrentRuns | runs posted at once | command | last run finished s | wall s (client, polling) | all POSTs answered s | first / last run started s | max running at once | statuses |"
  echo "|---|---|---|---|---|---|---|---|---|"
  conc_ids=(${fan_ids[$max]//,/ })
  for spec in "100 5" "10 1"; do
    set -- $spec; limit=$1; sleep_s=$2
    fleet_stop_host
    start_host OpsConductor__Executor__MaxConcurrentRuns="$limit"
    jobs_list=()
    for ((i = 0; i < 100; i++)); do jobs_list+=($(job "sleep-$limit-$i" "sleep $sleep_s; echo done" "${conc_ids[$((i % ${#conc_ids[@]}))]}" 1)); done
    r=$(fanout concurrent "$base" "$token" "$(IFS=,; echo "${jobs_list[*]}")")
    echo "| $limit | 100 | \`sleep $sleep_s\` | $(echo "$r" | fleet_json '" | ".join(str(x) for x in [d["last_finished_s"], d["wall_s"], d["all_posted_s"], "%s / %s" % (d["first_started_s"], d["last_started_s"]), d["max_running_at_once"], d["statuses"]])') |"
  done
fi
echo
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(. /etc/os-release; echo "$PRETTY_NAME"), $(ssh -V 2>&1), .NET $(dotnet --version), $(date -u +%Y-%m-%d)."
