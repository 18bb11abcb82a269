# wrk_measure URL TOKEN CONNECTIONS SECONDS WORKDIR -> "requests/s p50 p99 non-2xx" on one line.
# A 3-second warm-up first (JIT, connection pools, TLS sessions), then the measured run with wrk -t2 --latency.
wrk_measure() {
  local url=$1 token=$2 connections=$3 seconds=$4 workdir=$5
  wrk -t2 -c"$connections" -d3s -H "authorization: Bearer $token" "$url" >/dev/null
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "authorization: Bearer $token" "$url" >"$workdir/wrk.txt"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$workdir/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$workdir/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$workdir/wrk.txt")
  errors=$(awk '/Non-2xx/ {print $5}' "$workdir/wrk.txt")
  echo "$rps $p50 $p99 ${errors:-0}"
}
