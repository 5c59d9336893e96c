#!/usr/bin/env bash
# What the post-quantum key exchange costs a short run (issue 18): delegator run and OpenSSH ssh,
# same key, forced command and host key, against two private sshds that differ in one line: one
# offers its default key exchanges (so the hybrid is negotiated), the other only curve25519-sha256
# (what delegator negotiated before). On this machine's OpenSSH 9.2 the hybrid is
# sntrup761x25519-sha512; with --image IMAGE (a container-host image, e.g. from
# it/image/build-image.sh --suite trixie) the two sshds are that image's (OpenSSH 10.0:
# mlkem768x25519-sha256), run with the host's network on 127.0.0.1.
# Usage (root): bench/kex.sh [--image IMAGE] [RUNS]
# shellcheck source=bench/common.sh
image=""
if [ "${1:-}" = --image ]; then image=$2; shift 2; fi
. "$(dirname "$0")/common.sh"
runs=${1:-20}

if [ -n "$image" ]; then
    # the same private sshds, started inside the image (its own sshd binary and libraries); the
    # delegate account exists there with the same uid, home and key file
    container=$(docker run -d --rm --network host -v "$base:$base" --entrypoint sleep "$image" infinity)
    trap 'docker rm -f "$container" >/dev/null 2>&1 || true; cleanup' EXIT
    docker exec "$container" sh -c "mkdir -p /run/sshd && useradd --uid $(id -u "$user") --user-group \
        --no-create-home --home-dir $base/homes/$user --shell /bin/sh $user && usermod -p '*' $user"
    sshd_binary() { exec docker exec "$container" /usr/sbin/sshd "$@"; }
else
    sshd_binary() { exec /usr/sbin/sshd "$@"; }
fi

# like common.sh's start_sshd, with the sshd binary chosen above
start_kex_sshd() {
    local i=${#ports[@]} port cfg
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    cfg="$base/sshd/config$i"
    printf '%s\n' "Port $port" "ListenAddress 127.0.0.1" "HostKey $base/sshd/host_key" "PidFile $base/sshd/pid$i" \
        "StrictModes yes" "PasswordAuthentication no" "KbdInteractiveAuthentication no" \
        "AuthorizedKeysFile $base/keys/%u" "LogLevel DEBUG1" "$@" >"$cfg"
    sshd_binary -D -f "$cfg" -E "$base/sshd/log$i" </dev/null >/dev/null 2>&1 &
    sshd_pids+=($!)
    for _ in $(seq 1 150); do grep -q 'Server listening' "$base/sshd/log$i" 2>/dev/null && break; sleep 0.02; done
    grep -q 'Server listening' "$base/sshd/log$i" || { echo "bench: sshd $i did not start" >&2; cat "$base/sshd/log$i" >&2; exit 1; }
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$base/sshd/host_key.pub")" >>"$known_hosts"
    ports+=("$port")
}
start_kex_sshd
start_kex_sshd "KexAlgorithms curve25519-sha256"
hybrid=${ports[0]}
classic=${ports[1]}
warm_archive "$hybrid"
export -f ssh_cmd delegator_cmd
export key known_hosts user delegator
hyperfine -N --warmup 3 --runs "$runs" --export-json "$base/kex.json" \
    -n "ssh, hybrid" "bash -c 'ssh_cmd $hybrid echo hi'" \
    -n "ssh, curve25519" "bash -c 'ssh_cmd $classic echo hi'" \
    -n "delegator run, hybrid" "bash -c 'delegator_cmd $hybrid echo hi'" \
    -n "delegator run, curve25519" "bash -c 'delegator_cmd $classic echo hi'" >&2
# what each sshd negotiated, from its own log (the last connection's)
for i in 0 1; do
    printf 'sshd %s negotiated: %s\n' "$i" \
        "$(grep -o 'kex: algorithm: [^ ]*' "$base/sshd/log$i" | sort | uniq -c | tr -s ' ' | paste -sd, -)"
done
python3 - "$base/kex.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
for name, x in r.items():
    print(f"{name:28s} mean {x['mean']*1000:7.1f} ms  median {x['median']*1000:7.1f} ms  "
          f"user+sys {(x['user']+x['system'])*1000:6.1f} ms")
for client in ("ssh", "delegator run"):
    h, c = r[f"{client}, hybrid"], r[f"{client}, curve25519"]
    print(f"{client}: hybrid costs {(h['median']-c['median'])*1000:+.1f} ms at the median, "
          f"{(h['user']+h['system']-c['user']-c['system'])*1000:+.1f} ms CPU")
PY
