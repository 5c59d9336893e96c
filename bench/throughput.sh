#!/usr/bin/env bash
# 1 GiB of forced-command output relayed to /dev/null: ssh vs delegator run. Target: delegator >= ssh.
# Usage (root): bench/throughput.sh [BYTES]
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
bytes=${1:-1073741824}
start_sshd
p=${ports[0]}
warm_archive "$p"
export -f ssh_cmd delegator_cmd
export key known_hosts user delegator
hyperfine -N --warmup 1 --runs 3 --export-json "$base/tput.json" \
    -n ssh "bash -c 'ssh_cmd $p big $bytes >/dev/null'" \
    -n "delegator run" "bash -c 'delegator_cmd $p big $bytes >/dev/null'"
python3 - "$base/tput.json" "$bytes" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
for name, x in r.items():
    print(f"{name:16s} {x['mean']:6.2f} s  {n / x['mean'] / 2**20:7.1f} MiB/s  ratio to ssh time {x['mean']/r['ssh']['mean']:4.2f}")
PY
# the bytes arrive complete
test "$(delegator_cmd "$p" big "$bytes" | wc -c)" = "$bytes" && echo "delegator relayed exactly $bytes bytes"
