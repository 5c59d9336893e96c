#!/usr/bin/env bash
# Benchmark (not part of the test suite): what the dispatcher and its sandbox add to a request,
# against running the same verb script directly, in the same run. As root: creates a throwaway
# delegate user and a test root under /var/lib/delegator-tests, removes both at the end.
# Usage: bench/dispatch-bench.sh [hyperfine options]
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "needs hyperfine" >&2; exit 1; }
scripts=$(cd -- "$(dirname -- "$0")/../deploy-scripts/src/main/resources/dev/delegator/scripts" && pwd)

install -d -m 0755 /var/lib/delegator-tests
root=$(mktemp -d /var/lib/delegator-tests/bench.XXXXXX)
chmod 0755 "$root"
user=dlgb$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
cleanup() {
    pkill -KILL -u "$user" 2>/dev/null || true
    sleep 2 # let PID 1 reap, the uid may be reused
    userdel "$user" 2>/dev/null || true
    rm -rf -- "$root"
}
trap cleanup EXIT
useradd --system --shell /bin/sh -p '*' --home-dir "$root/home" --create-home "$user"
install -d -m 0755 "$root/conf" "$root/bin"
install -m 0755 "$scripts/dispatch" "$root/dispatch"
printf '#!/bin/sh\necho "$@" >/dev/null\n' >"$root/bin/verb"
chmod 0755 "$root/bin/verb"
common="verb deploy $root/bin/verb
arg deploy [0-9a-f]{40}"
printf 'format 1\ndelegation full\n%s\n' "$common" >"$root/conf/full.conf"
printf 'format 1\ndelegation limits\n%s\nsandbox timeout 600\nsandbox processes 64\nsandbox memory 536870912\nsandbox filesize 1073741824\n' "$common" >"$root/conf/limits.conf"
printf 'format 1\ndelegation none\n%s\nsandbox network none\nsandbox timeout 600\nsandbox processes 64\n' "$common" >"$root/conf/none.conf"
chmod 0644 "$root"/conf/*.conf

sha=0123456789abcdef0123456789abcdef01234567
as_user="setpriv --reuid $user --regid $user --init-groups --"
# stdin from a process substitution that stays open past the run (EOF would cancel the work)
# and is not waited for; hyperfine subtracts the bash start-up it measures itself.
dispatch() { echo "SSH_ORIGINAL_COMMAND='$1' $as_user $root/dispatch --conf-dir $root/conf --log-socket $root/none.sock $2 < <(sleep 2)"; }
hyperfine -S bash -i --warmup 5 "$@" \
    -n "verb script directly" "$as_user $root/bin/verb $sha" \
    -n "dispatch: rejected" "$(dispatch "deploy $sha;id" full)" \
    -n "dispatch: accepted" "$(dispatch "deploy $sha" full)" \
    -n "dispatch: accepted, limits+timeout" "$(dispatch "deploy $sha" limits)" \
    -n "dispatch: accepted, network none" "$(dispatch "deploy $sha" none)"
