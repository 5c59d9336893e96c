# Shared fixtures for the delegate-side tests: a root-owned test root outside /tmp, the scripts
# installed into it root-owned 0755 (as `delegator apply` would), a throwaway delegate account,
# a syslog socket the dispatcher logs to, and a held-open stdin (EOF on it cancels the work).
# shellcheck shell=bash

bats_require_minimum_version 1.5.0

SCRIPTS_DIR="$(cd "$BATS_TEST_DIRNAME/../../main/resources/dev/delegator/scripts" && pwd)"

# Prerequisites, checked in setup_file: root (users, chown, setpriv) and the given commands.
# bats 1.8 cannot skip from setup_file, so locally a missing one sets FIXTURE_SKIP and every
# test skips in setup (skip_without_fixture); with CI=true it fails the file instead.
need_prerequisites() {
    local missing='' c
    [ "$(id -u)" = 0 ] || missing=' root'
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || missing="$missing $c"
    done
    [ -n "$missing" ] || return 0
    if [ "${CI:-}" = true ]; then
        echo "CI=true: missing prerequisite(s):$missing" >&2
        return 1
    fi
    export FIXTURE_SKIP="missing prerequisite(s):$missing"
}

skip_without_fixture() {
    if [ -n "${FIXTURE_SKIP:-}" ]; then skip "$FIXTURE_SKIP"; fi
}

# Creates TROOT (root 0755 under /var/lib/delegator-tests), installs the scripts, creates the
# delegate user DUSER with home $TROOT/home, starts the syslog listener. Call from setup_file.
make_fixture() {
    install -d -m 0755 -o root -g root /var/lib/delegator-tests
    TROOT=$(mktemp -d /var/lib/delegator-tests/dispatch.XXXXXX)
    chmod 0755 "$TROOT"
    install -d -m 0755 "$TROOT/lib" "$TROOT/lib/deploy" "$TROOT/conf" "$TROOT/bin"
    install -m 0755 "$SCRIPTS_DIR/dispatch" "$TROOT/lib/dispatch"
    local s
    for s in "$SCRIPTS_DIR"/deploy/*; do
        install -m 0755 "$s" "$TROOT/lib/deploy/${s##*/}"
    done
    DUSER=dlgt$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
    useradd --system --shell /bin/sh -p '*' --home-dir "$TROOT/home" --create-home "$DUSER"
    chmod 0700 "$TROOT/home"
    start_syslog
    export TROOT DUSER SYSLOG_PID SYSLOG_FILE SYSLOG_SOCK
}

remove_fixture() {
    if [ -n "${SYSLOG_PID:-}" ]; then kill "$SYSLOG_PID" 2>/dev/null || true; fi
    if [ -n "${DUSER:-}" ] && id "$DUSER" >/dev/null 2>&1; then
        # nothing of the delegate may outlive the tests
        pkill -KILL -u "$DUSER" 2>/dev/null || true
        # the next throwaway user may get the same uid: let its zombies go first
        wait_reaped || true
        userdel "$DUSER" 2>/dev/null || true
    fi
    case ${TROOT:-} in
        /var/lib/delegator-tests/dispatch.*) rm -rf -- "$TROOT" ;;
    esac
    return 0
}

# A unix datagram socket that appends every message it receives to SYSLOG_FILE: the dispatcher's
# --log-socket option points logger at it, so the tests read exactly what syslog would get.
start_syslog() {
    SYSLOG_SOCK=$TROOT/log.sock
    SYSLOG_FILE=$TROOT/log.txt
    : >"$SYSLOG_FILE"
    python3 - "$SYSLOG_SOCK" "$SYSLOG_FILE" <<'PY' &
import os, socket, sys
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
with open(out, "ab", buffering=0) as f:
    while True:
        f.write(s.recv(65536).rstrip(b"\n") + b"\n")
PY
    SYSLOG_PID=$!
    for _ in $(seq 1 100); do [ -S "$SYSLOG_SOCK" ] && break; sleep 0.05; done
    [ -S "$SYSLOG_SOCK" ]
}

# Waits until the log holds a line matching all the given fixed strings (logger is synchronous,
# the listener's write may lag a moment). Prints the log on failure.
assert_logged() {
    local line
    for _ in $(seq 1 40); do
        while IFS= read -r line; do
            local ok=1 want
            for want in "$@"; do
                [[ $line == *"$want"* ]] || { ok=0; break; }
            done
            [ $ok = 1 ] && return 0
        done <"$SYSLOG_FILE"
        sleep 0.05
    done
    echo "no log line with: $*" >&2
    cat "$SYSLOG_FILE" >&2
    return 1
}

# write_conf NAME LINES...: root 0644 config in $TROOT/conf (format and delegation lines added).
write_conf() {
    local name=$1
    shift
    {
        printf 'format 1\ndelegation %s\n' "$name"
        printf '%s\n' "$@"
    } >"$TROOT/conf/$name.conf"
    chown root:root "$TROOT/conf/$name.conf"
    chmod 0644 "$TROOT/conf/$name.conf"
}

# A held-open stdin for the dispatcher: the SSH channel stays open until release_stdin.
hold_stdin() {
    HELD=$BATS_TEST_TMPDIR/stdin
    rm -f "$HELD"
    mkfifo "$HELD"
    sleep 600 >"$HELD" &
    HOLDER=$!
}

release_stdin() {
    if [ -n "${HOLDER:-}" ]; then kill "$HOLDER" 2>/dev/null || true; fi
    HOLDER=''
}

# dispatch_as REQUEST [CONF-NAME]: run the installed dispatcher as the delegate, as sshd would
# (SSH_ORIGINAL_COMMAND, SSH_CONNECTION), with the channel held open. Sets status/output/stderr.
dispatch_as() {
    local request=$1 name=${2:-blog}
    hold_stdin
    run --separate-stderr env SSH_ORIGINAL_COMMAND="$request" SSH_CONNECTION="127.0.0.9 40000 127.0.0.1 22" \
        runuser -u "$DUSER" -- "$TROOT/lib/dispatch" --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" "$name" <"$HELD"
    release_stdin
}

# No process of the delegate may be left (the dispatcher ends the work's process group).
# A zombie runs nothing and is its parent's to reap (sshd's session process does so when it
# notices), so only live processes count.
# shellcheck disable=SC2009 # the state column is what tells a zombie apart
live_processes() {
    ps -u "$DUSER" -o stat=,pid=,args= 2>/dev/null | grep -v '^Z' || true
}

assert_no_processes() {
    for _ in $(seq 1 60); do
        [ -z "$(live_processes)" ] && return 0
        sleep 0.05
    done
    echo "processes of $DUSER left:" >&2
    live_processes >&2
    return 1
}

# Waits until the delegate has no process at all, zombies included: a zombie counts against
# RLIMIT_NPROC until its parent (PID 1 for the orphans of a killed group) reaps it, which some
# inits do only every second or so.
wait_reaped() {
    for _ in $(seq 1 200); do
        pgrep -u "$DUSER" >/dev/null || return 0
        sleep 0.05
    done
    echo "processes of $DUSER not reaped:" >&2
    ps -u "$DUSER" -o stat=,pid=,ppid=,args= >&2
    return 1
}
