#!/usr/bin/env bash
# Round trip of a short delegation, process start to exit: OpenSSH ssh vs delegator run, same key,
# same pinned known_hosts, same forced command, same private sshd. Target: delegator <= 1.5 x ssh.
# Usage (root): bench/run-latency.sh [RUNS]
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
runs=${1:-20}
start_sshd
p=${ports[0]}
warm_archive "$p"
export -f ssh_cmd delegator_cmd
export key known_hosts user delegator
hyperfine -N --warmup 3 --runs "$runs" --export-json "$base/latency.json" \
    -n ssh "bash -c 'ssh_cmd $p echo hi'" \
    -n "delegator run" "bash -c 'delegator_cmd $p echo hi'" \
    -n "delegator run (no CDS archive)" "env DELEGATOR_CDS=off bash -c 'delegator_cmd $p echo hi'"
python3 - "$base/latency.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
s = r["ssh"]["mean"]
for name, x in r.items():
    print(f"{name:34s} mean {x['mean']*1000:7.1f} ms  median {x['median']*1000:7.1f} ms  "
          f"user+sys {(x['user']+x['system'])*1000:6.1f} ms  ratio to ssh {x['mean']/s:4.2f}")
PY
