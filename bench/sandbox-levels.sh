#!/usr/bin/env bash
# What each sandbox level adds to a request through the dispatcher, in one hyperfine run, as
# medians: the verb script run directly, main's dispatcher (network full, and the jail where the
# base has one), and this tree's dispatcher with network
# full (PID namespace through bwrap), network none, filesystem jail, jail + network none, and a
# verb with a capability (dac_read_search: sudo's privileged step, setpriv; a sudoers rule of the
# bench's own in /etc/sudoers.d, removed on exit), and network loopback (an nftables table of the
# bench's own, removed on exit).
# Not part of the test suite. As root (hyperfine, bubblewrap; git for main's dispatcher):
# creates a throwaway delegate and a test root under /var/lib/delegator-tests, removes both.
# Usage: bench/sandbox-levels.sh [--runs N] [--base REF]   (default 40 runs, base main)
# Prints per level: median wall time, its difference to the base's network full, and the mean
# user+sys CPU time with its difference (the steadier figure when others load the machine).
set -euo pipefail
runs=40
base_ref=main
while [ $# -gt 0 ]; do
    case $1 in
        --runs) runs=$2; shift 2 ;;
        --base) base_ref=$2; shift 2 ;;
        *) echo "usage: bench/sandbox-levels.sh [--runs N] [--base REF]" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "bench: run as root (creates a user)" >&2; exit 1; }
for tool in hyperfine bwrap git python3 setpriv sudo visudo nft; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
repo=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
scripts=$repo/deploy-scripts/src/main/resources/dev/delegator/scripts

install -d -m 0755 /var/lib/delegator-tests
root=$(mktemp -d /var/lib/delegator-tests/bench-levels.XXXXXX)
chmod 0755 "$root"
user=dlgl$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
sudoers=/etc/sudoers.d/dlgbench-$user
nft_table=$user
cleanup() {
    rm -f -- "$sudoers"
    nft delete table inet "$nft_table" 2>/dev/null || true
    pkill -KILL -u "$user" 2>/dev/null || true
    sleep 1 # let the orphans be reaped: the uid may be reused
    userdel "$user" 2>/dev/null || true
    rm -rf -- "$root"
}
trap cleanup EXIT
useradd --system --shell /bin/sh -p '*' --home-dir "$root/home" --create-home "$user"
install -d -m 0755 "$root/conf" "$root/bin" "$root/srv"
install -d -m 0750 -o "$user" "$root/srv/site"
install -m 0755 "$scripts/dispatch" "$root/dispatch"
git -C "$repo" show "$base_ref:deploy-scripts/src/main/resources/dev/delegator/scripts/dispatch" >"$root/dispatch-base"
chmod 0755 "$root/dispatch-base"
printf '#!/bin/sh\necho "$@" >/dev/null\n' >"$root/bin/verb"
chmod 0755 "$root/bin/verb"
conf() { # conf NAME EXTRA-LINES
    printf 'format 1\ndelegation %s\nverb deploy %s\narg deploy [0-9a-f]{40}\n%s' "$1" "$root/bin/verb" "$2" >"$root/conf/$1.conf"
    chmod 0644 "$root/conf/$1.conf"
}
conf full ''
conf none $'sandbox network none\n'
conf jail $'sandbox filesystem jail\nbind rw '"$root/srv/site"$'\n'
conf jailnone $'sandbox filesystem jail\nsandbox network none\nbind rw '"$root/srv/site"$'\n'
conf caps $'cap deploy dac_read_search\n'
conf loopback $'sandbox network loopback\n'
# the table apply writes (LoopbackRules), of the bench's own name, for the bench's user
nft -f - <<NFT
table inet $nft_table {
    set loopback_only { type uid; elements = { "$user" } }
    chain output {
        type filter hook output priority filter; policy accept;
        meta skuid @loopback_only oifname != "lo" meta l4proto tcp reject with tcp reset
        meta skuid @loopback_only oifname != "lo" reject with icmpx admin-prohibited
    }
}
NFT
# the rule apply writes (SudoersRule), for this root's dispatcher and options
printf 'Defaults!%s env_keep = "SSH_ORIGINAL_COMMAND SSH_CONNECTION", !use_pty\n%s ALL=(root) NOPASSWD: %s --grant --conf-dir %s --log-socket %s caps\n' \
    "$root/dispatch" "$user" "$root/dispatch" "$root/conf" "$root/none.sock" >"$sudoers.tmp"
visudo -cqf "$sudoers.tmp"
chmod 0440 "$sudoers.tmp"
mv "$sudoers.tmp" "$sudoers"

sha=0123456789abcdef0123456789abcdef01234567
as_user="setpriv --reuid $user --regid $user --init-groups --"
# stdin from a process substitution that stays open past the run (EOF would cancel the work);
# hyperfine subtracts the bash start-up it measures itself.
dispatch() { echo "SSH_ORIGINAL_COMMAND='deploy $sha' $as_user $root/$1 --conf-dir $root/conf --log-socket $root/none.sock $2 < <(sleep 2)"; }
hyperfine -S bash -i --warmup 5 --runs "$runs" --export-json "$root/result.json" \
    -n "verb script directly" "$as_user $root/bin/verb $sha" \
    -n "$base_ref dispatcher: network full" "$(dispatch dispatch-base full)" \
    -n "network full (PID namespace)" "$(dispatch dispatch full)" \
    -n "network none" "$(dispatch dispatch none)" \
    -n "$base_ref dispatcher: filesystem jail" "$(dispatch dispatch-base jail)" \
    -n "filesystem jail" "$(dispatch dispatch jail)" \
    -n "filesystem jail + network none" "$(dispatch dispatch jailnone)" \
    -n "network loopback" "$(dispatch dispatch loopback)" \
    -n "capabilities: dac_read_search" "$(dispatch dispatch caps)" >&2
python3 - "$root/result.json" "$base_ref" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = next(r for r in results if r["command"].endswith("network full") and r["command"].startswith(sys.argv[2]))
# user+sys CPU (hyperfine gives its mean) moves far less than wall time on a loaded machine
cpu = lambda r: (r["user"] + r["system"]) * 1000
print(f"{'level':40} {'median ms':>9} {'vs ' + sys.argv[2] + ' full':>14} {'cpu ms':>7} {'cpu vs full':>11}")
for r in results:
    m = r["median"] * 1000
    print(f"{r['command']:40} {m:9.1f} {m - base['median'] * 1000:+14.1f} {cpu(r):7.1f} {cpu(r) - cpu(base):+11.1f}")
PY
