#!/usr/bin/env bats
# shellcheck disable=SC2154 # status, output, stderr and stderr_lines are set by bats' run
# The sandbox the dispatcher puts the work in, observed from inside the work as a real
# throwaway delegate user: no_new_privs, no capabilities, no network, limits, timeout, and a
# caller disconnect ending the work's whole process group.

load test_helper

setup_file() {
    need_prerequisites logger setpriv prlimit unshare timeout setsid python3 bash bwrap nohup || return 1
    if [ -n "${FIXTURE_SKIP:-}" ]; then return 0; fi
    make_fixture
    cat >"$TROOT/bin/status" <<'SH'
#!/bin/sh
grep -E '^(NoNewPrivs|CapInh|CapPrm|CapEff|CapAmb):' /proc/self/status
pwd
umask
SH
    # connect PORT: prints whether a TCP connection to 127.0.0.1:PORT succeeds
    cat >"$TROOT/bin/connect" <<'SH'
#!/bin/bash
if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then echo connected; else echo "no connection"; fi
SH
    # fork N: starts N background sleeps; dash prints "Cannot fork" and exits 2 past the limit
    cat >"$TROOT/bin/fork" <<'SH'
#!/bin/sh
i=0
while [ "$i" -lt "$1" ]; do
    sleep 30 &
    i=$((i + 1))
done
echo "started $i"
SH
    # hang: leaves a process tree in its group, says so, and waits
    cat >"$TROOT/bin/hang" <<'SH'
#!/bin/sh
trap '' TERM
sleep 300 &
sh -c 'sleep 300' &
echo started >"$HOME/hang-started"
wait
SH
    # escape: a process that leaves the work's process group and session, then the work ends
    cat >"$TROOT/bin/escape" <<'SH'
#!/bin/sh
setsid sleep 300 </dev/null >/dev/null 2>&1 &
echo started >"$HOME/escape-started"
SH
    # escape-then-hang: the same, then the work itself hangs (for the timeout)
    cat >"$TROOT/bin/escape-then-hang" <<'SH'
#!/bin/sh
setsid nohup sleep 300 </dev/null >/dev/null 2>&1 &
echo started >"$HOME/escape-started"
exec sleep 300
SH
    # selfterm: the verb script signals itself, as a deploy that gives up does
    cat >"$TROOT/bin/selfterm" <<'SH'
#!/bin/sh
kill -TERM $$
sleep 5
SH
    # alloc MIB: allocates that much memory
    cat >"$TROOT/bin/alloc" <<'SH'
#!/bin/sh
exec /usr/bin/python3 -c 'import sys; b = bytearray(int(sys.argv[1]) << 20); print("allocated")' "$1"
SH
    cat >"$TROOT/bin/late" <<'SH'
#!/bin/sh
sleep 1
: >"$HOME/late-ran"
SH
    cat >"$TROOT/bin/bigfile" <<'SH'
#!/bin/sh
head -c 2097152 /dev/zero >"$HOME/big"
SH
    chmod 0755 "$TROOT"/bin/*
    # a setuid-root program: outside the sandbox it gives euid 0, inside it must not
    install -m 4755 -o root -g root /usr/bin/id "$TROOT/bin/suid-id"
    write_conf plain \
        "verb status $TROOT/bin/status" \
        "verb escape $TROOT/bin/escape" \
        "verb selfterm $TROOT/bin/selfterm" \
        "verb connect $TROOT/bin/connect" \
        "arg connect [0-9]{1,5}" \
        "verb suid $TROOT/bin/suid-id"
    write_conf isolated \
        "verb status $TROOT/bin/status" \
        "verb connect $TROOT/bin/connect" \
        "arg connect [0-9]{1,5}" \
        "verb escape $TROOT/bin/escape" \
        "verb hang $TROOT/bin/hang" \
        "sandbox network none"
    write_conf limited \
        "verb fork $TROOT/bin/fork" \
        "arg fork [0-9]+" \
        "verb bigfile $TROOT/bin/bigfile" \
        "verb alloc $TROOT/bin/alloc" \
        "arg alloc [0-9]+" \
        "sandbox processes 12" \
        "sandbox filesize 1048576" \
        "sandbox memory 268435456"
    write_conf slow \
        "verb hang $TROOT/bin/hang" \
        "verb escape-then-hang $TROOT/bin/escape-then-hang" \
        "sandbox timeout 1"
    write_conf cancel \
        "verb hang $TROOT/bin/hang" \
        "verb late $TROOT/bin/late"
}

teardown_file() {
    remove_fixture
}

setup() {
    skip_without_fixture
}

teardown() {
    if [ -n "${LISTENER:-}" ]; then kill "$LISTENER" 2>/dev/null || true; fi
    LISTENER=''
    # a failed start_under_daemon test leaves its stand-in listener, which never exits by itself
    if [ -n "${LISTENER_PID:-}" ]; then kill -KILL "$LISTENER_PID" 2>/dev/null || true; fi
    LISTENER_PID=''
    release_stdin
}

# A TCP listener on a random free 127.0.0.1 port, as root; sets PORT.
listen() {
    rm -f "$BATS_TEST_TMPDIR/port"
    python3 - "$BATS_TEST_TMPDIR/port" <<'PY' &
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept()
    c.close()
PY
    LISTENER=$!
    for _ in $(seq 1 100); do [ -s "$BATS_TEST_TMPDIR/port" ] && break; sleep 0.05; done
    PORT=$(cat "$BATS_TEST_TMPDIR/port")
}

@test "the work runs with no_new_privs, no capabilities, umask 077, in the delegate's home" {
    dispatch_as status plain
    [ "$status" -eq 0 ]
    [ "$output" = "CapInh:	0000000000000000
CapPrm:	0000000000000000
CapEff:	0000000000000000
CapAmb:	0000000000000000
NoNewPrivs:	1
$TROOT/home
0077" ]
}

@test "a setuid-root program cannot raise privileges" {
    # the control: outside the sandbox the same user gets euid 0 from it
    run runuser -u "$DUSER" -- "$TROOT/bin/suid-id"
    [[ $output == *"euid=0(root)"* ]]
    dispatch_as suid plain
    [ "$status" -eq 0 ]
    [[ $output == "uid=$(id -u "$DUSER")("* ]]
    [[ $output != *"euid=0"* ]]
}

@test "network full: the work can reach a listening 127.0.0.1 port (the control case)" {
    listen
    dispatch_as "connect $PORT" plain
    [ "$status" -eq 0 ]
    [ "$output" = connected ]
}

@test "network none: the work cannot reach a listening 127.0.0.1 port" {
    listen
    dispatch_as "connect $PORT" isolated
    [ "$status" -eq 0 ]
    [ "$output" = "no connection" ]
}

@test "network none: no_new_privs and no capabilities inside the user namespace too" {
    dispatch_as status isolated
    [ "$status" -eq 0 ]
    [[ $output == *"NoNewPrivs:	1"* ]]
    [[ $output == *"CapEff:	0000000000000000"* ]]
}

@test "the process limit leaves room for modest work" {
    wait_reaped
    dispatch_as "fork 3" limited
    [ "$status" -eq 0 ]
    [ "$output" = "started 3" ]
    assert_no_processes
}

@test "the process limit stops a fork bomb" {
    wait_reaped
    dispatch_as "fork 40" limited
    [ "$status" -eq 2 ]
    [[ $stderr == *"Cannot fork"* ]]
    assert_no_processes
}

@test "the file size limit stops a large write" {
    dispatch_as bigfile limited
    [ "$status" -ne 0 ]
    [ "$(stat -c %s "$TROOT/home/big")" -le 1048576 ]
    rm -f "$TROOT/home/big"
}

@test "the memory limit stops a large allocation and allows a small one" {
    dispatch_as "alloc 16" limited
    [ "$status" -eq 0 ]
    [ "$output" = allocated ]
    dispatch_as "alloc 512" limited
    [ "$status" -eq 1 ]
    [[ $stderr == *MemoryError* ]]
}

@test "the wall-clock timeout ends the work with 124 and leaves nothing behind" {
    rm -f "$TROOT/home/hang-started"
    dispatch_as hang slow
    echo "status=$status stderr=[$stderr]"
    [ "$status" -eq 124 ]
    [ "${stderr_lines[-1]}" = "delegator: hang timed out after 1 s" ]
    [ -e "$TROOT/home/hang-started" ]
    assert_no_processes
    assert_logged "delegation=slow" "decision=timeout"
}

# start_under_parent CONF VERB: the dispatcher as the delegate, under a parent shell that stands
# for sshd's session process (the connection), stdin held open; sets PARENT.
start_under_parent() {
    hold_stdin
    env SSH_ORIGINAL_COMMAND="$2" sh -c '"$@"; :' parent setpriv --reuid "$DUSER" --regid "$DUSER" --init-groups -- \
        "$TROOT/lib/dispatch" --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" "$1" <"$HELD" &
    PARENT=$!
    for _ in $(seq 1 100); do [ -e "$TROOT/home/hang-started" ] && break; sleep 0.05; done
    [ -e "$TROOT/home/hang-started" ]
}

@test "the caller going away (stdin EOF, connection gone) ends the work's whole process group" {
    rm -f "$TROOT/home/hang-started"
    start_under_parent cancel hang
    [ "$(pgrep -c -u "$DUSER" sleep)" -ge 2 ]
    kill -KILL "$PARENT"
    wait "$PARENT" || true
    release_stdin
    for _ in $(seq 1 100); do pgrep -u "$DUSER" >/dev/null || break; sleep 0.05; done
    assert_no_processes
    assert_logged "delegation=cancel" "decision=cancel" "reason=disconnect"
}

# start_under_daemon LAYOUT CONF VERB: the dispatcher as the delegate under stand-ins for sshd's
# processes, named as the real ones are (a process's comm is its executable's name): a copy of
# /bin/sh as listener <- privileged session <- session <- dispatcher. LAYOUT "9.2" names all
# three "sshd"; "9.8" (OpenSSH 9.8 and later) names the two session processes "sshd-session".
# The listener outlives its children, as the real one does. Sets LISTENER_PID and SESSION_PID.
start_under_daemon() {
    local layout=$1 session_name
    case $layout in 9.2) session_name=sshd ;; 9.8) session_name=sshd-session ;; esac
    local fake=$BATS_TEST_TMPDIR/daemon
    install -d -m 0755 "$fake"
    install -m 0755 /bin/sh "$fake/sshd"
    [ "$session_name" = sshd ] || install -m 0755 /bin/sh "$fake/$session_name"
    hold_stdin
    rm -f "$fake/session.pid"
    # shellcheck disable=SC2016 # the inner shells expand $$, $0 and $@, not this one
    env SSH_ORIGINAL_COMMAND="$3" "$fake/sshd" -c '"$@"; while :; do sleep 1; done' sshd \
        "$fake/$session_name" -c '"$@"; :' "$session_name" \
        "$fake/$session_name" -c 'echo $$ >"$0"; "$@"; :' "$fake/session.pid" \
        setpriv --reuid "$DUSER" --regid "$DUSER" --init-groups -- \
        "$TROOT/lib/dispatch" --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" "$2" <"$HELD" &
    LISTENER_PID=$!
    for _ in $(seq 1 100); do [ -e "$TROOT/home/hang-started" ] && break; sleep 0.05; done
    [ -e "$TROOT/home/hang-started" ]
    SESSION_PID=$(cat "$fake/session.pid")
    [ "$(cat "/proc/$SESSION_PID/comm")" = "$session_name" ]
    [ "$(cat "/proc/$LISTENER_PID/comm")" = sshd ]
}

# the session process goes (the client was killed), the listener stays: the work must end
cancel_when_session_goes() {
    rm -f "$TROOT/home/hang-started"
    start_under_daemon "$1" cancel hang
    [ "$(pgrep -c -u "$DUSER" sleep)" -ge 2 ]
    kill -KILL "$SESSION_PID"
    release_stdin
    for _ in $(seq 1 100); do pgrep -u "$DUSER" >/dev/null || break; sleep 0.05; done
    local left=0
    assert_no_processes || left=1
    kill -0 "$LISTENER_PID"
    kill -KILL "$LISTENER_PID"
    wait "$LISTENER_PID" || true
    [ "$left" = 0 ]
    assert_logged "delegation=cancel" "decision=cancel" "reason=disconnect"
}

@test "OpenSSH 9.2 process layout (sshd <- sshd <- sshd): the session process going away ends the work" {
    cancel_when_session_goes 9.2
}

@test "OpenSSH 9.8+ process layout (sshd <- sshd-session <- sshd-session): the session process going away ends the work" {
    cancel_when_session_goes 9.8
}

@test "stdin EOF while the caller is still connected does not cancel the work" {
    rm -f "$TROOT/home/hang-started"
    start_under_parent cancel hang
    release_stdin
    sleep 1
    [ "$(pgrep -c -u "$DUSER" sleep)" -ge 2 ]
    kill -KILL "$PARENT"
    wait "$PARENT" || true
    for _ in $(seq 1 100); do pgrep -u "$DUSER" >/dev/null || break; sleep 0.05; done
    assert_no_processes
}

@test "SIGHUP to the dispatcher ends the work's whole process group" {
    rm -f "$TROOT/home/hang-started"
    hold_stdin
    # SIGHUP at its default as sshd leaves it: a suite started under nohup would hand the dispatcher an
    # ignored SIGHUP, which no shell can trap, and this test would wait for the held stdin instead
    env --default-signal=HUP SSH_ORIGINAL_COMMAND=hang setpriv --reuid "$DUSER" --regid "$DUSER" --init-groups -- \
        "$TROOT/lib/dispatch" --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" cancel <"$HELD" &
    local dispatcher=$!
    for _ in $(seq 1 100); do [ -e "$TROOT/home/hang-started" ] && break; sleep 0.05; done
    [ -e "$TROOT/home/hang-started" ]
    kill -HUP "$dispatcher"
    local rc=0
    wait "$dispatcher" || rc=$?
    release_stdin
    [ "$rc" -ne 0 ]
    assert_no_processes
    assert_logged "delegation=cancel" "decision=cancel" "reason=signal"
}

@test "network none: a process that left the group with setsid still ends with the work" {
    rm -f "$TROOT/home/escape-started"
    dispatch_as escape isolated
    [ "$status" -eq 0 ]
    [ -e "$TROOT/home/escape-started" ]
    assert_no_processes
}

@test "network none: the caller going away ends the work inside the namespaces" {
    rm -f "$TROOT/home/hang-started"
    start_under_parent isolated hang
    kill -KILL "$PARENT"
    wait "$PARENT" || true
    release_stdin
    for _ in $(seq 1 100); do pgrep -u "$DUSER" >/dev/null || break; sleep 0.05; done
    assert_no_processes
}

@test "stdin at EOF from the start (ssh -n, </dev/null, cron) does not cancel: the work runs to its end" {
    rm -f "$TROOT/home/late-ran"
    run --separate-stderr env SSH_ORIGINAL_COMMAND=late runuser -u "$DUSER" -- \
        "$TROOT/lib/dispatch" --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" cancel </dev/null
    echo "status=$status stderr=[$stderr]"
    [ "$status" -eq 0 ]
    [ -e "$TROOT/home/late-ran" ]
    assert_no_processes
}

@test "network full: a process that left the group with setsid and nohup still ends with the work (PID namespace)" {
    rm -f "$TROOT/home/escape-started"
    dispatch_as escape plain
    [ "$status" -eq 0 ]
    [ -e "$TROOT/home/escape-started" ]
    assert_no_processes
    # where the host allows it: this one does (the jail tests need the same)
    run ! grep -q 'delegation=plain.*pid_namespace=no' "$SYSLOG_FILE"
}

@test "network full: the verb script's own kill -TERM \$\$ gives 143 (bwrap's init is PID 1, not the script)" {
    dispatch_as selfterm plain
    echo "status=$status stderr=[$stderr]"
    [ "$status" -eq 143 ]
}

@test "network full: the timeout ends the work and what it left with setsid" {
    rm -f "$TROOT/home/escape-started"
    dispatch_as escape-then-hang slow
    echo "status=$status stderr=[$stderr]"
    [ "$status" -eq 124 ]
    [ -e "$TROOT/home/escape-started" ]
    assert_no_processes
}
