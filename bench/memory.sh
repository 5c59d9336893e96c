#!/usr/bin/env bash
# Peak resident memory (GNU time's "Maximum resident set size") of ssh and delegator run, for a
# short request and for 256 MiB of output.
# Usage (root): bench/memory.sh
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
start_sshd
p=${ports[0]}
warm_archive "$p"
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {print $2}'; }
for req in "echo hi" "big 268435456"; do
    # shellcheck disable=SC2086
    printf '%-14s ssh %7s KiB   delegator %7s KiB\n' "$req" "$(peak bash -c "$(declare -f ssh_cmd); key=$key known_hosts=$known_hosts user=$user ssh_cmd $p $req")" \
        "$(peak "$delegator" run --no-audit --host 127.0.0.1 --port "$p" --user "$user" --identity "$key" --known-hosts "$known_hosts" -- $req)"
done
