#!/usr/bin/env bash
# One request on N sshd targets (default 16), cold: xargs -PN ssh and parallel-ssh (Debian's pssh,
# when installed) against one delegator run with N --host, in the same hyperfine run with the same
# key, known_hosts, forced command and sshds. Target for 16: delegator <= half of xargs -P16 ssh.
# delegator runs with --parallel 0 (all at once), as xargs -PN and parallel-ssh -pN do.
# Usage (root): bench/fanout.sh [N [RUNS]]
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
n=${1:-16}
runs=${2:-10}
for _ in $(seq 1 "$n"); do start_sshd; done
hosts=()
for p in "${ports[@]}"; do hosts+=(--host "127.0.0.1:$p"); done
warm_archive "${ports[0]}"
"$delegator" run --no-audit "${hosts[@]}" --user "$user" --identity "$key" --known-hosts "$known_hosts" -- echo hi >/dev/null 2>&1
printf '%s\n' "${ports[@]}" >"$base/ports"
sed 's/^/127.0.0.1:/' "$base/ports" >"$base/pssh-hosts"
export -f ssh_cmd
export key known_hosts user
pssh=()
if command -v parallel-ssh >/dev/null 2>&1; then
    # the same ssh options as ssh_cmd; -t 0: no timeout of its own; output discarded as for the others
    pssh=(-n "parallel-ssh -p$n" "parallel-ssh -h $base/pssh-hosts -p $n -t 0 -l $user -x '-F /dev/null -i $key \
-o IdentitiesOnly=yes -o IdentityAgent=none -o UserKnownHostsFile=$known_hosts -o GlobalKnownHostsFile=/dev/null \
-o StrictHostKeyChecking=yes -o BatchMode=yes' echo hi")
else
    echo "bench: parallel-ssh (apt-get install pssh) is missing; comparing with xargs only" >&2
fi
hyperfine -N --warmup 1 --runs "$runs" --export-json "$base/fan.json" \
    -n "xargs -P$n ssh" "bash -c 'xargs -P$n -I{} bash -c \"ssh_cmd {} echo hi\" <$base/ports >/dev/null'" \
    "${pssh[@]}" \
    -n "delegator run x$n" "$delegator run --no-audit --parallel 0 ${hosts[*]} --user $user --identity $key --known-hosts $known_hosts -- echo hi"
python3 - "$base/fan.json" "$n" <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1]))["results"]
x, d = r[0]["mean"], r[-1]["mean"]
for e in r:
    print(f"{e['command']:22s} mean {e['mean']*1000:7.1f} ms  min {e['min']*1000:7.1f}  max {e['max']*1000:7.1f}  "
          f"user+sys {(e['user']+e['system'])*1000:6.1f} ms  ratio to xargs {e['mean']/x:4.2f}")
print(f"delegator / xargs ssh = {d/x:.2f}" + (" (target <= 0.5)" if sys.argv[2] == "16" else ""))
if len(r) == 3:
    print(f"delegator / parallel-ssh = {d/r[1]['mean']:.2f}")
print("load average: %.2f %.2f %.2f" % os.getloadavg())
PY
