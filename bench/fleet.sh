#!/usr/bin/env bash
# One request fanned out to 8, 16 and 32 container hosts (the it/ image: Debian's own sshd in each):
# mean wall time and the caller's CPU (user+sys of delegator run, from hyperfine) for each
# --parallel in FLEET_PARALLEL (default "8 16 0"; 16 is run's default, 0 all hosts at once).
# The hosts get a throwaway delegate with a forced command by docker exec (the fan-out is what is
# measured, not provisioning). Containers are named delegator-fleet-bench-<pid>-N and removed on exit.
# Usage (root, Docker running, image built: it/image/build-image.sh): [FLEET_PARALLEL='8 16 0'] bench/fleet.sh [COUNT...] (default 8 16 32)
set -euo pipefail

bench_dir=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$bench_dir")
delegator="$repo_dir/delegator"
[ "$(id -u)" = 0 ] || { echo "bench: run as root" >&2; exit 1; }
for tool in docker hyperfine ssh-keygen python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing" >&2; exit 1; }
done
image=$("$repo_dir/it/image/build-image.sh" --print-name)
docker image inspect "$image" >/dev/null 2>&1 || { echo "bench: no image $image (it/image/build-image.sh)" >&2; exit 1; }
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(8 16 32)
max=0
for c in "${counts[@]}"; do [ "$c" -gt "$max" ] && max=$c; done

mkdir -p /var/lib/delegator-tests
base=$(mktemp -d /var/lib/delegator-tests/fleet-bench-XXXXXX)
names=()
cleanup() {
    [ ${#names[@]} -eq 0 ] || docker rm -f "${names[@]}" >/dev/null 2>&1 || true
    rm -rf "$base"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

key="$base/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C fleet-bench -f "$key"
: >"$base/known_hosts"

# start all containers at once, then set each up
for i in $(seq 1 "$max"); do
    names+=("delegator-fleet-bench-$$-$i")
done
for n in "${names[@]}"; do
    docker run -d --name "$n" -p 127.0.0.1::22 "$image" >/dev/null &
done
wait
setup() { # name
    local n=$1
    for _ in $(seq 1 200); do docker logs "$n" 2>&1 | grep -q 'Server listening' && break; sleep 0.05; done
    docker exec -i "$n" sh -c 'useradd --system --create-home --home-dir /var/lib/dlg-bench --shell /bin/sh dlg-bench \
        && usermod -p "*" dlg-bench && install -d -m 0700 -o dlg-bench /var/lib/dlg-bench/.ssh \
        && printf "restrict,command=\"echo hi from \$(hostname)\" %s\n" "$(cat)" >/var/lib/dlg-bench/.ssh/authorized_keys \
        && chown dlg-bench /var/lib/dlg-bench/.ssh/authorized_keys && chmod 600 /var/lib/dlg-bench/.ssh/authorized_keys' <"$key.pub"
}
for n in "${names[@]}"; do setup "$n" & done
wait
i=0
for n in "${names[@]}"; do
    i=$((i + 1))
    port=$(docker port "$n" 22/tcp | head -n1 | sed 's/.*://')
    echo "[127.0.0.1]:$port $(docker exec "$n" cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" >>"$base/known_hosts"
    echo "127.0.0.1:$port" >>"$base/hosts-all"
done

"$delegator" --version >/dev/null   # build the jar outside the measurements
run_args="--no-audit --user dlg-bench --identity $key --known-hosts $base/known_hosts"
# one real run trains the launcher's class-data archive; wait for its background build
head -n1 "$base/hosts-all" >"$base/hosts-1"
# shellcheck disable=SC2086
"$delegator" run $run_args --hosts-file "$base/hosts-1" -- x >/dev/null
for _ in $(seq 1 100); do ls "$repo_dir"/delegator-cli/target/cds/*.lock >/dev/null 2>&1 || break; sleep 0.2; done

printf '%-6s %-14s %10s %12s\n' hosts parallel "wall (s)" "caller CPU"
for c in "${counts[@]}"; do
    head -n "$c" "$base/hosts-all" >"$base/hosts-$c"
    for par in ${FLEET_PARALLEL:-8 16 0}; do
        hyperfine -N --warmup 1 --runs 5 --export-json "$base/r-$c-$par.json" \
            "$delegator run $run_args --parallel $par --hosts-file $base/hosts-$c -- x" >/dev/null 2>&1
        python3 - "$base/r-$c-$par.json" "$c" "$par" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
par = "0 (all)" if sys.argv[3] == "0" else sys.argv[3]
print(f"{sys.argv[2]:<6} {par:<14} {r['mean']:10.2f} {r['user'] + r['system']:11.2f}s")
PY
    done
done
