#!/usr/bin/env bash
# Benchmark: one PowerShell command on N WinRM endpoints of the test server (tests/OpsConductor.WinRmServer: HTTP,
# NTLM with message encryption, commands run by pwsh), in one run: OpsConductor through its API (a cold run with new
# connections, then warm runs), pywinrm in an N-thread pool (one Session.run_ps per endpoint), and Ansible's winrm
# connection with `raw`. Prints Markdown tables.  bench/winrm-fanout.sh   N=50
# Needs scripts/install-test-deps.sh (pwsh, python3-winrm); installs ansible if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${N:-50}
user=bench
password='Bench-WinRM-Passw0rd!'
script='Write-Output "$([Environment]::MachineName) $PSVersionTable.PSVersion"'
command -v ansible >/dev/null || { echo "installing ansible..." >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ansible >/dev/null; }
[ -x .tools/pwsh ] || { echo "run scripts/install-test-deps.sh first (PowerShell 7 in .tools/pwsh)" >&2; exit 1; }

. bench/lib/sshd-fleet.sh
fleet_init
fleet_build
dotnet build tests/OpsConductor.WinRmServer -c Release -nologo -clp:ErrorsOnly >/dev/null
# Debian's OpenSSL 3 keeps MD4 (NTLM's password hash) in the legacy provider: pywinrm and Ansible need it.
cat >"$work/openssl.cnf" <<'CNF'
openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
legacy = legacy_sect
[default_sect]
activate = 1
[legacy_sect]
activate = 1
CNF

run_set() { # run_set POWERSHELL LABEL: a fresh test server whose `powershell` is POWERSHELL, a fresh host, every tool
powershell=$1; label_set=$2
  dotnet tests/OpsConductor.WinRmServer/bin/Release/net10.0/OpsConductor.WinRmServer.dll \
    --endpoints "$n" --https 0 --user "$user:$password" --pwsh "$powershell" >"$work/winrm-server.out" 2>"$work/winrm-server.err" &
  server_pid=$!; pids+=($server_pid)
  for _ in $(seq 1 300); do grep -q '^thumbprint sha1' "$work/winrm-server.out" 2>/dev/null && break; sleep 0.1; done
  winrm_ports=($(awk '$1 == "listening" && $2 == "http" {print $3}' "$work/winrm-server.out"))
  [ "${#winrm_ports[@]}" -eq "$n" ] || { echo "the test server opened ${#winrm_ports[@]} of $n endpoints" >&2; cat "$work/winrm-server.err" >&2; exit 1; }

  fleet_start_host
  credential=$(python3 -c 'import json,sys; print(json.dumps({"name":"bench-winrm","type":"winrm","username":sys.argv[1],"authentication":"ntlm","secret":{"password":sys.argv[2]}}))' "$user" "$password" |
    api POST /credentials -d @- | fleet_json 'd["id"]')
  ids=()
  for ((i = 0; i < n; i++)); do
    ids+=($(api POST /targets -d "{\"name\":\"win-$i\",\"hostname\":\"127.0.0.1\",\"port\":${winrm_ports[$i]},\"osType\":\"windows\",\"connection\":\"winrm\",\"credentialId\":$credential,\"winrm\":{\"useHttps\":false,\"verifyCertificate\":true}}" | fleet_json 'd["id"]'))
  done
  job=$(python3 -c 'import json,sys; print(json.dumps({"name":"winrm-fanout","steps":[{"name":"ps","type":"powershell","script":sys.argv[1]}],"targets":{"targetIds":[int(x) for x in sys.argv[2].split(",")]},"maxParallelTargets":int(sys.argv[3])}))' \
    "$script" "$(IFS=,; echo "${ids[*]}")" "$n" | api POST /jobs -d @- | fleet_json 'd["id"]')
  warm=$(python3 -c 'import json,sys; print(json.dumps({"name":"winrm-warmup","steps":[{"name":"ps","type":"powershell","script":sys.argv[1]}],"targets":{"targetIds":[int(sys.argv[2])]}}))' \
    "$script" "${ids[0]}" | api POST /jobs -d @- | fleet_json 'd["id"]')
  python3 bench/lib/fanout.py run "$base" "$token" "$warm" 1 >/dev/null # JIT warm-up of the host, not measured

  rm -f "$work/rss.stop"; : >"$work/rss"
  ( while [ ! -e "$work/rss.stop" ]; do awk '/VmRSS/{print $2}' "/proc/$host_pid/status" >>"$work/rss" 2>/dev/null || true; sleep 0.02; done ) &
  sampler=$!
  echo
  echo "### One PowerShell command on $n WinRM endpoints (HTTP, NTLM with message encryption), $label_set"
  echo
  echo "| tool | run | wall ms | ok endpoints | notes |"
  echo "|---|---|---|---|---|"
  for label in "1 (cold: new connections, NTLM handshakes)" "2 (warm: pooled)" "3 (warm: pooled)"; do
    r=$(python3 bench/lib/fanout.py run "$base" "$token" "$job" "$n")
    echo "| OpsConductor | $label | $(echo "$r" | fleet_json 'd["ms"]') | $(echo "$r" | fleet_json 'd["stdout_non_empty"]') | status $(echo "$r" | fleet_json 'd["status"]') |"
  done
  touch "$work/rss.stop"; wait "$sampler" 2>/dev/null || true
  rss_peak=$(sort -n "$work/rss" | tail -1 | awk '{printf "%.0f", $1 / 1024}')

  pywinrm_version=$(dpkg-query -W -f '${Version}' python3-winrm 2>/dev/null || echo "?")
  for label in 1 2; do
    r=$(OPENSSL_CONF=$work/openssl.cnf /usr/bin/python3 bench/lib/winrm_pool.py "$user" "$password" "$script" "${winrm_ports[@]}")
    echo "| pywinrm $pywinrm_version, $n threads | $label | $(echo "$r" | fleet_json 'd["ms"]') | $(echo "$r" | fleet_json 'd["ok"]') | one \`Session.run_ps\` per endpoint |"
  done

  {
    echo "[win]"
    for ((i = 0; i < n; i++)); do echo "w$i ansible_host=127.0.0.1 ansible_port=${winrm_ports[$i]}"; done
    echo "[win:vars]"
    echo "ansible_connection=winrm"
    echo "ansible_winrm_scheme=http"
    echo "ansible_winrm_transport=ntlm"
    echo "ansible_winrm_message_encryption=always"
    echo "ansible_user=$user"
    echo "ansible_password=$password"
  } >"$work/inventory.ini"
  ansible_version=$(ansible --version 2>/dev/null | awk 'NR == 1 {gsub(/[^0-9.]/, "", $0); print}')
  t=$(date +%s%N)
  OPENSSL_CONF=$work/openssl.cnf ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_HOST_KEY_CHECKING=False \
    ansible win -i "$work/inventory.ini" -m raw -a "$script" -f "$n" >"$work/ansible.out" 2>&1 || true
  wall=$(( ($(date +%s%N) - t) / 1000000 ))
  ok=$(grep -c '| CHANGED | rc=0' "$work/ansible.out" || true)
  note="\`ansible win -m raw -f $n\` (ansible_connection=winrm, ntlm, message encryption always)"
  [ "$ok" -eq "$n" ] || note="$note; did not run on every endpoint: $(grep -m1 -E 'UNREACHABLE|FAILED' "$work/ansible.out" | cut -c1-200 | tr '|' '/')"
  echo "| Ansible $ansible_version | 1 | $wall | $ok | $note |"
  echo
  echo "Host memory: peak VmRSS sampled every 20 ms during the three OpsConductor runs: $rss_peak MB; VmHWM since start: $(awk '/VmHWM/{printf "%.0f", $2 / 1024}' "/proc/$host_pid/status") MB."
  kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true
  fleet_stop_host; rm -rf "$work/data"
}

# The clients' and the host's WinRM work alone: `powershell` on the server is a shell script that prints one line,
# so PowerShell's own start-up (hundreds of ms of CPU per command) does not drown the protocol.
printf '#!/bin/sh\necho "$(uname -n) shim"\n' >"$work/powershell-shim"; chmod 755 "$work/powershell-shim"
run_set "$work/powershell-shim" "the server's powershell a one-line shim"
# End to end as a user sees it: every command starts a real pwsh 7.
run_set "$PWD/.tools/pwsh" "the server's powershell a real pwsh"
echo
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(. /etc/os-release; echo "$PRETTY_NAME"), .NET $(dotnet --version), pwsh $(.tools/pwsh -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null || echo '?'), $(date -u +%Y-%m-%d)."
