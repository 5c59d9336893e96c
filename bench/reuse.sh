#!/usr/bin/env bash
# Connection reuse (README "Connection reuse"), in one run with the same key, known_hosts, forced
# command and sshd: a short request by cold ssh, ssh through a warm ControlMaster, delegator run
# cold, and delegator run --reuse through a warm agent; then one request on N targets by
# xargs -PN ssh and by delegator run --reuse through a warm agent; then peak RSS of the light
# client next to ssh's. Targets: reuse warm <= 0.5 x cold ssh; N=16 reuse warm <= 0.3 x xargs.
# Usage (root): bench/reuse.sh [RUNS] [N]
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
runs=${1:-30}
n=${2:-16}
agent_dir="$base/agent"
export DELEGATOR_AGENT_DIR=$agent_dir
stop_all() {
    "$delegator" agent stop >/dev/null 2>&1 || true
    ssh -F /dev/null -o ControlPath="$base/cm-%C" -O exit -p "${ports[0]}" "$user@127.0.0.1" >/dev/null 2>&1 || true
    cleanup
}
trap stop_all EXIT
for _ in $(seq 1 "$n"); do start_sshd; done
p=${ports[0]}
warm_archive "$p"
ssh_cm() { # port request...: through a ControlMaster that stays up (ControlPersist)
    local port=$1; shift
    ssh -F /dev/null -i "$key" -o IdentitiesOnly=yes -o IdentityAgent=none -o UserKnownHostsFile="$known_hosts" \
        -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes \
        -o ControlMaster=auto -o ControlPath="$base/cm-%C" -o ControlPersist=10m -p "$port" "$user@127.0.0.1" "$@"
}
delegator_reuse() { # port request...
    local port=$1; shift
    "$delegator" run --reuse 10m --no-audit --host 127.0.0.1 --port "$port" --user "$user" --identity "$key" \
        --known-hosts "$known_hosts" -- "$@"
}
# warm: the master connection, and the agent with its connection
ssh_cm "$p" echo warm >/dev/null
delegator_reuse "$p" echo warm >/dev/null
export -f ssh_cmd ssh_cm delegator_cmd delegator_reuse
export key known_hosts user delegator base
hyperfine -N --warmup 3 --runs "$runs" --export-json "$base/short.json" \
    -n "ssh" "bash -c 'ssh_cmd $p echo hi'" \
    -n "ssh, ControlMaster warm" "bash -c 'ssh_cm $p echo hi'" \
    -n "delegator run" "bash -c 'delegator_cmd $p echo hi'" \
    -n "delegator run --reuse, agent warm" "bash -c 'delegator_reuse $p echo hi'"
python3 - "$base/short.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
s = r["ssh"]["mean"]
cm = r["ssh, ControlMaster warm"]["mean"]
for name, x in r.items():
    print(f"{name:36s} mean {x['mean']*1000:7.1f} ms  median {x['median']*1000:7.1f} ms  "
          f"user+sys {(x['user']+x['system'])*1000:6.1f} ms  ratio to ssh {x['mean']/s:4.2f}  to ControlMaster {x['mean']/cm:5.2f}")
w = r["delegator run --reuse, agent warm"]["mean"]
print(f"reuse warm / cold ssh = {w/s:.2f} (target <= 0.5); reuse warm / ssh ControlMaster = {w/cm:.2f}")
PY
hosts=()
for q in "${ports[@]}"; do hosts+=(--host "127.0.0.1:$q"); done
printf '%s\n' "${ports[@]}" >"$base/ports"
fan_reuse="$delegator run --reuse 10m --no-audit ${hosts[*]} --user $user --identity $key --known-hosts $known_hosts -- echo hi"
# warm: one connection per target in the agent
$fan_reuse >/dev/null 2>&1
hyperfine -N --warmup 2 --runs 10 --export-json "$base/fan.json" \
    -n "xargs -P$n ssh" "bash -c 'xargs -P$n -I{} bash -c \"ssh_cmd {} echo hi\" <$base/ports >/dev/null'" \
    -n "delegator run --reuse x$n, agent warm" "$fan_reuse"
python3 - "$base/fan.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(f"{r[1]['command']} / {r[0]['command']} = {r[1]['mean']/r[0]['mean']:.2f} (target <= 0.3)")
PY
if [ -x /usr/bin/time ]; then
    peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {print $2}'; }
    printf 'peak RSS, echo hi: ssh %s KiB   ssh ControlMaster client %s KiB   delegator run --reuse (light client) %s KiB\n' \
        "$(peak bash -c "ssh_cmd $p echo hi")" "$(peak bash -c "ssh_cm $p echo hi")" "$(peak bash -c "delegator_reuse $p echo hi")"
else
    echo "bench: /usr/bin/time is missing (apt-get install time): no peak RSS" >&2
fi
"$delegator" agent status
