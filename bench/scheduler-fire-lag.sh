#!/usr/bin/env bash
# Benchmark: the scheduler's fire lag on PostgreSQL with many schedules due at once, with one and with two scheduler
# processes. Split mode: an API process (auth,users,credentials,targets,jobs) and `--services scheduler` processes on
# one database; no executor process, so the runs stay queued and only the scheduler's cost (claim, occurrence rows,
# the run rows it queues through the jobs contract) is measured. The schedules are created through the API in parallel
# (bench/lib/schedules.py, CREATE=api: about 30 a second on the shared 2-core machine) or, by default (CREATE=sql), one
# through the API and the others copied from its row in one INSERT ... SELECT (every column as the API wrote it, but
# the name, the job and, with CRON=spread, the cron and next fire time). Each binds one of JOBS jobs with a trivial
# step (`true`) and no target.
#   bench/scheduler-fire-lag.sh        SCHEDULES=10000 MINUTES=2 CONFIGS="1 2" CRON="* * * * *" JOBS=10 CREATE=sql HOST_DLL=
# CRON=spread gives schedule i the 6-field cron "i%60 * * * * *" (the same load spread over the minute).
# For each configuration the measured occurrences are the MINUTES minute boundaries after the schedulers started
# (+5 s); per occurrence: lag = job_runs."QueuedAt" - "ScheduledFor" (the timestamp the run is queued with) and
# commit lag = the commit time of the run's row (track_commit_timestamp) - "ScheduledFor" (when an executor can see
# it; negative: queued ahead of its time), ready lag = max(commit, due) - due (when an executor may start it: the goal's
# figure). LOOKAHEAD (default 10) sets the schedulers' LookaheadSeconds. Duplicates: runs per (schedule, scheduledFor) beyond one. Misses: (schedule, boundary) pairs without a run.
# CPU: utime+stime of the scheduler processes and of PostgreSQL (postmaster and backends) from /proc, per minute.
# Needs root (PostgreSQL runs as its user) and PostgreSQL (scripts/install-test-deps.sh). Prints Markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
schedules=${SCHEDULES:-10000}
minutes=${MINUTES:-2}
configs=${CONFIGS:-1 2}
cron=${CRON:-* * * * *}
job_count=${JOBS:-10}
create=${CREATE:-sql}

. bench/lib/sshd-fleet.sh
fleet_init
# HOST_DLL: a host built elsewhere (e.g. a copy of an earlier build, to measure before and after a change); no build then.
host_dll=${HOST_DLL:-src/OpsConductor.Host/bin/Release/net10.0/OpsConductor.Host.dll}
[ -n "${HOST_DLL:-}" ] || fleet_build
eval "$(scripts/test-postgres.sh start)"
trap 'scripts/test-postgres.sh stop "$OPSC_TEST_PGDIR"; fleet_cleanup' EXIT
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_port=$(echo "$OPSC_TEST_POSTGRES" | sed 's/.*Port=\([0-9]*\).*/\1/')
sql() { "$pgbin/psql" -qtAX -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -F ' ' -c "$1"; }
# The commit time of every row (pg_xact_commit_timestamp(xmin)): pg_ctl restart keeps test-postgres.sh's options.
sql "ALTER SYSTEM SET track_commit_timestamp = on"
runuser -u postgres -- "$pgbin/pg_ctl" -D "$OPSC_TEST_PGDIR/data" -w restart >/dev/null

common=(OpsConductor__Database__Provider=postgres ConnectionStrings__OpsConductor="$OPSC_TEST_POSTGRES"
  OpsConductor__Bootstrap__AdminPassword=$fleet_admin_password OpsConductor__Targets__HealthCheckIntervalSeconds=0 Logging__LogLevel__Default=Warning)
start_process() { # start_process NAME SERVICES [VAR=value...]: prints its port once /health answers; the pid goes to $work/NAME.pid
  local name=$1 services=$2 port; shift 2
  port=$(fleet_free_ports 1)
  mkdir -p "$work/$name"
  env "${common[@]}" "$@" OpsConductor__DataDirectory="$work/$name" dotnet $host_dll --urls "http://127.0.0.1:$port" --services "$services" \
    >>"$work/$name.log" 2>&1 &
  echo $! >"$work/$name.pid"
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && { echo "$port"; return 0; }; sleep 0.2; done
  echo "$name did not start; the end of its log:" >&2; tail -20 "$work/$name.log" >&2; return 1
}
stop_process() { local pid; pid=$(cat "$work/$1.pid"); kill "$pid" 2>/dev/null || true; while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; }
cpu_ticks() { # cpu_ticks PID...: utime+stime summed
  local t=0 pid
  for pid in "$@"; do [ -r "/proc/$pid/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo $t
}
postgres_pids() { local pm; pm=$(head -1 "$OPSC_TEST_PGDIR/data/postmaster.pid"); echo "$pm" $(pgrep -P "$pm"); }

api_port=$(start_process api auth,users,credentials,targets,jobs)
pids+=($(cat "$work/api.pid"))
api_base=http://127.0.0.1:$api_port/api/v1
token=$(curl -sf "$api_base/auth/login" -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$fleet_admin_password\"}" | fleet_json 'd["accessToken"]')
job_ids=()
for ((j = 0; j < job_count; j++)); do
  job_ids+=($(curl -sf "$api_base/jobs" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"name\":\"fire-lag-$j\",\"steps\":[{\"name\":\"noop\",\"type\":\"command\",\"script\":\"true\"}],\"targets\":{\"tags\":[\"nowhere\"]}}" | fleet_json 'd["id"]'))
done
# LOOKAHEAD: the schedulers' OpsConductor:Scheduler:LookaheadSeconds (runs queued that long before their time; 0: at it).
scheduler_env=(OpsConductor__Auth__JwksUrl="$api_base/auth/jwks" OpsConductor__Scheduler__LookaheadSeconds="${LOOKAHEAD:-10}")

start_schedulers() { # start_schedulers N: sets scheduler_names, scheduler_pids, scheduler_port (the first one's)
  scheduler_names=(); scheduler_pids=()
  local n port
  for ((n = 1; n <= $1; n++)); do
    port=$(start_process "scheduler-$n" scheduler "${scheduler_env[@]}")
    [ "$n" = 1 ] && scheduler_port=$port
    scheduler_names+=("scheduler-$n"); scheduler_pids+=($(cat "$work/scheduler-$n.pid")); pids+=("${scheduler_pids[-1]}")
  done
}

created=""
echo "### Scheduler fire lag: $schedules schedules, cron \`$cron\`, $minutes measured minute(s) per configuration"
echo
echo "| schedulers | occurrences | runs | lag p50 ms | p99 ms | max ms | commit lag p50 ms | p99 ms | max ms | ready lag p50 ms | p99 ms | max ms | duplicates | misses | scheduler CPU s/min | PostgreSQL CPU s/min | load avg (1 min) during |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for config in $configs; do
  start_schedulers "$config"
  if [ -z "$created" ]; then
    jobs_csv=$(IFS=,; echo "${job_ids[*]}")
    if [ "$create" = api ]; then
      created=$(python3 bench/lib/schedules.py "http://127.0.0.1:$scheduler_port/api/v1" "$token" "$schedules" "$jobs_csv" "$cron")
      created="through the API (POST /schedules, 8 in parallel): $created"
    else
      started=$(date +%s.%N)
      python3 bench/lib/schedules.py "http://127.0.0.1:$scheduler_port/api/v1" "$token" 1 "$jobs_csv" "$cron" >/dev/null
      if [ "$cron" = spread ]; then
        cron_sql="(i % 60) || ' * * * * *'"; next_sql="date_trunc('minute', now()) + interval '1 minute' + (i % 60) * interval '1 second'"
      else
        cron_sql='t."Cron"'; next_sql='t."NextFireAt"'
      fi
      sql "INSERT INTO schedules (\"Name\", \"NormalizedName\", \"JobId\", \"Cron\", \"TimeZone\", \"SealedParameters\", \"TagsJson\", \"Enabled\",
          \"Paused\", \"NextFireAt\", \"CreatedBy\", \"CreatedAt\", \"UpdatedBy\", \"UpdatedAt\")
        SELECT 'bench-' || lpad(i::text, 5, '0'), 'bench-' || lpad(i::text, 5, '0'), (ARRAY[$jobs_csv])[1 + i % $job_count], $cron_sql, t.\"TimeZone\",
          t.\"SealedParameters\", t.\"TagsJson\", true, false, $next_sql, t.\"CreatedBy\", now(), t.\"UpdatedBy\", now()
        FROM schedules t CROSS JOIN generate_series(1, $(( schedules - 1 ))) AS i WHERE t.\"Name\" = 'bench-00000'"
      created="1 through the API, $(( schedules - 1 )) copied from it in SQL: $(python3 -c "print(f'{$(date +%s.%N) - $started:.1f}')") s"
    fi
    echo "created: $created" >&2
  fi
  # The window: MINUTES whole minutes from the first boundary at least 5 s after the schedulers answered.
  now=$(date +%s)
  # The first boundary whose runs are planned (LOOKAHEAD s before it) at least 5 s after the schedulers started.
  first=$(( (now + 5 + ${LOOKAHEAD:-10} + 59) / 60 * 60 ))
  last=$(( first + 60 * (minutes - 1) ))
  sleep $(( first - ${LOOKAHEAD:-10} - 1 - $(date +%s) ))
  ticks0=$(cpu_ticks "${scheduler_pids[@]}"); pg0=$(cpu_ticks $(postgres_pids)); t0=$(date +%s.%N)
  loads=()
  while [ "$(date +%s)" -lt $(( last + 59 )) ]; do loads+=($(cut -d' ' -f1 /proc/loadavg)); sleep 10; done
  ticks1=$(cpu_ticks "${scheduler_pids[@]}"); pg1=$(cpu_ticks $(postgres_pids)); t1=$(date +%s.%N)
  expected=$(( schedules * minutes ))
  # Every schedule fires once a minute (CRON=spread: at its own second), so MINUTES times in [first, last + 60).
  window="\"ScheduledFor\" >= to_timestamp($first) AND \"ScheduledFor\" < to_timestamp($(( last + 60 )))"
  # Late runs still count (their lag shows it); wait up to a minute more for the window's runs.
  for _ in $(seq 1 60); do
    [ "$(sql "SELECT count(DISTINCT (\"ScheduleId\", \"ScheduledFor\")) FROM job_runs WHERE $window")" -ge "$expected" ] && break
    sleep 1
  done
  read -r runs p50 p99 max cp50 cp99 cmax rp50 rp99 rmax < <(sql "SELECT count(*),
      round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM \"QueuedAt\" - \"ScheduledFor\"))),
      round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM \"QueuedAt\" - \"ScheduledFor\"))),
      round(1000 * max(extract(epoch FROM \"QueuedAt\" - \"ScheduledFor\"))),
      round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM pg_xact_commit_timestamp(xmin) - \"ScheduledFor\"))),
      round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM pg_xact_commit_timestamp(xmin) - \"ScheduledFor\"))),
      round(1000 * max(extract(epoch FROM pg_xact_commit_timestamp(xmin) - \"ScheduledFor\"))),
      round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM greatest(pg_xact_commit_timestamp(xmin), \"ScheduledFor\") - \"ScheduledFor\"))),
      round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM greatest(pg_xact_commit_timestamp(xmin), \"ScheduledFor\") - \"ScheduledFor\"))),
      round(1000 * max(extract(epoch FROM greatest(pg_xact_commit_timestamp(xmin), \"ScheduledFor\") - \"ScheduledFor\")))
    FROM job_runs WHERE $window")
  duplicates=$(sql "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM job_runs WHERE $window GROUP BY \"ScheduleId\", \"ScheduledFor\") d")
  misses=$(( expected - $(sql "SELECT count(DISTINCT (\"ScheduleId\", \"ScheduledFor\")) FROM job_runs WHERE $window") ))
  statuses=$(sql "SELECT string_agg(\"Status\" || '=' || n, ' ') FROM (SELECT \"Status\", count(*) AS n FROM schedule_occurrences WHERE $window GROUP BY 1) s")
  echo "occurrences in the window by status ($config scheduler(s)): $statuses" >&2
  seconds=$(python3 -c "print($t1 - $t0)")
  cpu=$(python3 -c "print(f'{($ticks1 - $ticks0) / $(getconf CLK_TCK) * 60 / $seconds:.2f}')")
  pgcpu=$(python3 -c "print(f'{($pg1 - $pg0) / $(getconf CLK_TCK) * 60 / $seconds:.2f}')")
  load=$(printf '%s\n' "${loads[@]}" | python3 -c "import sys; v=[float(x) for x in sys.stdin]; print(f'mean {sum(v)/len(v):.2f}, max {max(v):.2f}')")
  echo "| $config | $expected | $runs | $p50 | $p99 | $max | $cp50 | $cp99 | $cmax | $rp50 | $rp99 | $rmax | $duplicates | $misses | $cpu | $pgcpu | $load |"
  for name in "${scheduler_names[@]}"; do stop_process "$name"; done
done
echo
echo "schedules created $created"
