#!/usr/bin/env bash
# Benchmark of `delegator apply` (issues 3 and 15): COUNT delegations applied from scratch, compared in
# the same run with a plain shell script doing the equivalent useradd + ssh-keygen + append; then a
# no-op re-apply and a plan with nothing to do (hyperfine). Everything goes through the launcher
# (./delegator), as an admin runs it, with its plan/apply class-data archive trained first. Runs
# as root; creates throwaway accounts and a root under /var/lib/delegator-tests and removes them
# again. Not part of the test suite.
#   usage: bench/provision-bench.sh [COUNT [ROUNDS]]   (default 100 delegations, 3 rounds; above 500
#   delegations, uids and gids from 57000 on)
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")/.." && pwd)
count=${1:-100}
rounds=${2:-3}
[ "$(id -u)" = 0 ] || { echo "run as root (it creates system users)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
[ -x /usr/sbin/sshd ] || { echo "sshd is needed (apt-get install openssh-server): plan reads host keys through sshd -T" >&2; exit 1; }
mkdir -p /run/sshd   # sshd -T refuses to run without its privilege separation directory

delegator="$here/delegator"
"$delegator" --version >/dev/null   # builds the jar when missing or stale
tag=$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
base=/var/lib/delegator-tests/bench-$tag
mkdir -p /var/lib/delegator-tests && chmod 755 /var/lib/delegator-tests
mkdir -m 755 "$base" "$base/tool" "$base/shell" "$base/sshd"
caller=dlgbc$tag
users=()

cleanup() {
    for u in "${users[@]}"; do userdel --remove "$u" >/dev/null 2>&1 || true; groupdel "$u" >/dev/null 2>&1 || true; done
    userdel --remove "$caller" >/dev/null 2>&1 || true
    if [ -n "${made_group:-}" ]; then groupdel delegator >/dev/null 2>&1 || true; fi
    rm -rf "$base"
}
trap cleanup EXIT
getent group delegator >/dev/null || made_group=1

useradd --system --user-group --create-home --home-dir "$base/home-$caller" --shell /bin/sh "$caller"
ssh-keygen -q -t ed25519 -N '' -f "$base/sshd/host_ed25519"
mkdir -m 755 "$base/sshd/sshd_config.d"
cat > "$base/sshd/sshd_config" <<CFG
Include $base/sshd/sshd_config.d/*.conf
Port 22222
ListenAddress 127.0.0.1
HostKey $base/sshd/host_ed25519
PidFile $base/sshd/sshd.pid
UsePAM no
CFG

# Debian's system id range (100-999) holds fewer than 900 accounts: larger runs take uids from a
# range of their own (and their groups, since useradd --system --user-group takes a system gid), the
# tool through the manifest's uidRange and gidRange, the script through --uid, groupadd --gid and --gid
first_uid=""
if [ "$count" -gt 500 ]; then first_uid=57000; fi
manifest=$base/delegations.yaml
{
    echo "version: 1"
    if [ -n "$first_uid" ]; then
        echo "uidRange: '$first_uid-$((first_uid + count + 999))'"
        echo "gidRange: '$first_uid-$((first_uid + count + 999))'"
    fi
    echo "delegations:"
    for i in $(seq -w 1 "$count"); do
        u=dlgb$tag-t$i
        users+=("$u")
        cat <<YAML
  b$tag-t$i:
    caller: {user: $caller}
    delegate: {user: $u, home: $base/home-$u}
    hosts: ['localhost:22222']
    expires: 90d
    verbs:
      deploy: {run: /usr/lib/delegator/deploy/hg-deploy, args: ['[0-9a-f]{40}']}
YAML
    done
} > "$manifest"

now() { date +%s.%N; }
minus() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) - float(sys.argv[2])))" "$1" "$2"; }
opts=(--root "$base/tool" --manifest "$manifest" --sshd-config "$base/sshd/sshd_config" --host-name benchhost)

# the first plan trains the launcher's plan/apply archive; wait for its background build
"$delegator" plan "${opts[@]}" > "$base/plan.log" || { tail -n 5 "$base/plan.log" >&2; exit 1; }
for _ in $(seq 1 150); do
    ls "$here"/delegator-cli/target/cds/*-admin.lock >/dev/null 2>&1 || break
    sleep 0.2
done

remove_users() {
    for u in "${users[@]}"; do userdel --remove "$u" >/dev/null 2>&1 || true; groupdel "$u" >/dev/null 2>&1 || true; done
}

# delegator apply from scratch: an empty root and drop-in directory, none of the accounts
tool_from_scratch() {
    rm -rf "$base/tool" && mkdir -m 755 "$base/tool"
    rm -f "$base"/sshd/sshd_config.d/*
    local t0 t1
    t0=$(now)
    "$delegator" apply "${opts[@]}" --no-reload > "$base/apply.log"
    t1=$(now)
    minus "$t1" "$t0"
}

# the plain script an admin would write instead: useradd + ssh-keygen + append
shell_from_scratch() {
    local sh_root=$base/shell t0 t1 i u d ids
    rm -rf "$sh_root" && mkdir -m 755 "$sh_root"
    t0=$(now)
    mkdir -m 755 "$sh_root/authorized_keys" "$sh_root/dispatch" "$sh_root/callers"
    install -d -m 700 -o "$caller" -g "$caller" "$sh_root/callers/$caller"
    for i in $(seq -w 1 "$count"); do
        u=dlgb$tag-t$i
        d=b$tag-t$i
        ids=(--user-group)
        if [ -n "$first_uid" ]; then
            groupadd --system --gid $((first_uid + 10#$i - 1)) "$u"
            ids=(--uid $((first_uid + 10#$i - 1)) --gid "$u")
        fi
        useradd --system "${ids[@]}" --shell /bin/sh --password '*' --create-home --home-dir "$base/home-$u" --groups delegator "$u"
        install -d -m 700 -o "$caller" -g "$caller" "$sh_root/callers/$caller/$d"
        ssh-keygen -q -t ed25519 -N '' -C "$caller@delegator:$d" -f "$sh_root/callers/$caller/$d/id_ed25519"
        chown "$caller:$caller" "$sh_root/callers/$caller/$d/id_ed25519" "$sh_root/callers/$caller/$d/id_ed25519.pub"
        printf 'restrict,from="127.0.0.1,::1",expiry-time="%s",command="/usr/lib/delegator/dispatch %s" %s\n' \
            "$(date -u -d '+90 days' +%Y%m%d%H%M%SZ)" "$d" "$(cut -d' ' -f1,2 "$sh_root/callers/$caller/$d/id_ed25519.pub") delegator:$d" \
            >> "$sh_root/authorized_keys/$u"
        printf 'format 1\ndelegation %s\nverb deploy /usr/lib/delegator/deploy/hg-deploy\narg deploy [0-9a-f]{40}\n' "$d" > "$sh_root/dispatch/$d.conf"
    done
    t1=$(now)
    minus "$t1" "$t0"
}

# Rounds of both from scratch, the order alternating (tool first in odd rounds) so a machine that
# slows down or speeds up during the run weighs on both alike; each round's ratio is reported. The
# first round's apply also creates the group delegator, which the script then finds.
ratios=()
tool_times=()
shell_times=()
for r in $(seq 1 "$rounds"); do
    if [ $((r % 2)) = 1 ]; then
        t=$(tool_from_scratch); remove_users
        s=$(shell_from_scratch); remove_users
    else
        s=$(shell_from_scratch); remove_users
        t=$(tool_from_scratch); remove_users
    fi
    tool_times+=("$t"); shell_times+=("$s")
    ratios+=("$(python3 -c "print('%.2f' % (float('$t') / float('$s')))")")
    echo "== round $r: delegator apply from scratch $t s, plain shell script $s s, ratio ${ratios[-1]} ($(tail -n 1 "$base/apply.log"))"
done

# the no-op figures need the applied state
tool_from_scratch >/dev/null
echo "== delegator apply: no-op re-apply"
hyperfine -N --runs 5 --warmup 1 --export-json "$base/noop.json" "$delegator apply ${opts[*]} --no-reload" 2>&1 | grep -E "Time|Range"
echo "== delegator plan (no changes)"
hyperfine -N --runs 5 --warmup 1 --export-json "$base/plan.json" "$delegator plan ${opts[*]}" 2>&1 | grep -E "Time|Range"

# mean wall time, and CPU (user+sys): under a shared machine's load the CPU shows the growth better
summary() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print('%.2f s (CPU %.2f s)' % (r['mean'], r['user']+r['system']))" "$1"; }
noop_mean=$(summary "$base/noop.json")
plan_mean=$(summary "$base/plan.json")
echo
echo "results ($count delegations, $(nproc) cores, $(date -u +%Y-%m-%d)):"
printf '  delegator apply from scratch : %s s\n' "${tool_times[*]}"
printf '  plain shell script           : %s s\n' "${shell_times[*]}"
printf '  ratio apply / shell          : %s (median %s, %s rounds)\n' "${ratios[*]}" \
    "$(printf '%s\n' "${ratios[@]}" | sort -n | python3 -c "import sys; v=[float(x) for x in sys.stdin]; print('%.2f' % v[len(v)//2])")" "$rounds"
printf '  delegator apply, no changes  : %s, mean of 5\n' "$noop_mean"
printf '  delegator plan, no changes   : %s, mean of 5\n' "$plan_mean"
printf '  load average                 : %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
