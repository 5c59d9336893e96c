# shellcheck shell=bash
# Shared setup for the benchmarks: a throwaway delegate account, a caller key pinned to a forced
# command in a root-owned authorized_keys, and private sshd instances on 127.0.0.1 (never the
# machine's own sshd). Everything is removed on exit. Run as root.
set -euo pipefail

bench_dir=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$bench_dir")
delegator="$repo_dir/delegator"

[ "$(id -u)" = 0 ] || { echo "bench: run as root (creates a user and runs sshd)" >&2; exit 1; }
for tool in sshd ssh ssh-keygen useradd hyperfine; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "bench: $tool is missing" >&2; exit 1; }
done

mkdir -p /var/lib/delegator-tests /run/sshd
chmod 755 /var/lib/delegator-tests
base=$(mktemp -d /var/lib/delegator-tests/bench-XXXXXX)
chmod 755 "$base"
user="dbench$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
sshd_pids=()
ports=()

cleanup() {
    for pid in "${sshd_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    pkill -KILL -u "$user" 2>/dev/null || true
    sleep 0.2
    userdel --remove "$user" >/dev/null 2>&1 || true
    groupdel "$user" >/dev/null 2>&1 || true
    rm -rf "$base"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -m 755 "$base/keys" "$base/homes" "$base/sshd"
mkdir -m 700 "$base/caller"
useradd --system --user-group --create-home --home-dir "$base/homes/$user" --shell /bin/sh "$user"
usermod -p '*' "$user"
key="$base/caller/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C bench -f "$key"
ssh-keygen -q -t ed25519 -N '' -f "$base/sshd/host_key"
known_hosts="$base/caller/known_hosts"
: >"$known_hosts"

# the forced command: a stand-in for the dispatcher, with the requests the benchmarks send
cat >"$base/forced" <<'SH'
#!/bin/sh
case "$SSH_ORIGINAL_COMMAND" in
  "echo "*) echo "${SSH_ORIGINAL_COMMAND#echo }" ;;
  "big "*) head -c "${SSH_ORIGINAL_COMMAND#big }" /dev/zero ;;
  *) echo "unknown request" >&2; exit 126 ;;
esac
SH
chmod 755 "$base/forced"
printf 'restrict,command="exec %s" %s\n' "$base/forced" "$(cat "$key.pub")" >"$base/keys/$user"
chmod 644 "$base/keys/$user"

# start_sshd [CONFIG_LINE...]: one more private sshd (with these extra sshd_config lines); appends
# its port to ports[] and pins it in known_hosts
start_sshd() {
    local i=${#ports[@]} port cfg
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    cfg="$base/sshd/config$i"
    cat >"$cfg" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $base/sshd/host_key
PidFile $base/sshd/pid$i
UsePAM no
StrictModes yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile $base/keys/%u
MaxStartups 100:30:200
CFG
    [ "$#" = 0 ] || printf '%s\n' "$@" >>"$cfg"
    /usr/sbin/sshd -D -f "$cfg" -E "$base/sshd/log$i" &
    sshd_pids+=($!)
    for _ in $(seq 1 100); do grep -q 'Server listening' "$base/sshd/log$i" 2>/dev/null && break; sleep 0.02; done
    grep -q 'Server listening' "$base/sshd/log$i" || { echo "bench: sshd $i did not start" >&2; cat "$base/sshd/log$i" >&2; exit 1; }
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$base/sshd/host_key.pub")" >>"$known_hosts"
    ports+=("$port")
}

# the same key, known_hosts and forced command for both clients
ssh_cmd() { # port request...
    local port=$1; shift
    ssh -F /dev/null -i "$key" -o IdentitiesOnly=yes -o IdentityAgent=none -o UserKnownHostsFile="$known_hosts" \
        -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes -p "$port" \
        "$user@127.0.0.1" "$@"
}
delegator_cmd() { # port request...
    local port=$1; shift
    "$delegator" run --no-audit --host 127.0.0.1 --port "$port" --user "$user" --identity "$key" \
        --known-hosts "$known_hosts" -- "$@"
}

# build the CLI jar once, outside the measurements
"$delegator" --version >/dev/null

# warm_archive PORT: one real run trains the launcher's CDS/AOT archive; wait for the background build
warm_archive() {
    delegator_cmd "$1" echo warm >/dev/null
    for _ in $(seq 1 100); do
        ls "$repo_dir"/delegator-cli/target/cds/*.lock >/dev/null 2>&1 || break
        sleep 0.2
    done
}
