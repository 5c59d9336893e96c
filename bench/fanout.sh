#!/usr/bin/env bash
# One request on 16 sshd targets: xargs -P16 ssh vs one delegator run with 16 --host.
# Target: delegator <= half of xargs -P16 ssh.
# Usage (root): bench/fanout.sh [N]
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
n=${1:-16}
for _ in $(seq 1 "$n"); do start_sshd; done
hosts=()
for p in "${ports[@]}"; do hosts+=(--host "127.0.0.1:$p"); done
warm_archive "${ports[0]}"
"$delegator" run --no-audit "${hosts[@]}" --user "$user" --identity "$key" --known-hosts "$known_hosts" -- echo hi >/dev/null 2>&1
printf '%s\n' "${ports[@]}" >"$base/ports"
export -f ssh_cmd
export key known_hosts user
hyperfine -N --warmup 1 --runs 10 --export-json "$base/fan.json" \
    -n "xargs -P$n ssh" "bash -c 'xargs -P$n -I{} bash -c \"ssh_cmd {} echo hi\" <$base/ports >/dev/null'" \
    -n "delegator run x$n" "$delegator run --no-audit ${hosts[*]} --user $user --identity $key --known-hosts $known_hosts -- echo hi"
python3 - "$base/fan.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(f"delegator / xargs ssh = {r[1]['mean']/r[0]['mean']:.2f} (target <= 0.5)")
PY
