#!/usr/bin/env bats
# shellcheck disable=SC2154,SC2016 # bats' run sets status/output/stderr; single quotes keep $( ) literal on purpose
# The dispatcher behind a real OpenSSH sshd (private instance on 127.0.0.1, random port, own
# host key and config, StrictModes on): what sshd really puts in SSH_ORIGINAL_COMMAND for an
# exec, a shell and an sftp subsystem request, and a caller that goes away ending the work.

load test_helper

setup_file() {
    need_prerequisites sshd ssh sftp ssh-keygen logger setpriv python3 || return 1
    if [ -n "${FIXTURE_SKIP:-}" ]; then return 0; fi
    make_fixture
    cat >"$TROOT/bin/record" <<'SH'
#!/bin/sh
printf '%s\n' "$@" >"$HOME/argv"
echo "recorded $#"
SH
    cat >"$TROOT/bin/hang" <<'SH'
#!/bin/sh
sleep 300 &
sh -c 'sleep 300' &
echo started >"$HOME/hang-started"
wait
SH
    chmod 0755 "$TROOT"/bin/*
    write_conf blog \
        "verb publish $TROOT/bin/record" \
        "arg publish [a-z0-9][a-z0-9._-]*" \
        "verb hang $TROOT/bin/hang"

    local d=$TROOT/sshd
    install -d -m 0755 "$d" "$d/keys"
    ssh-keygen -q -t ed25519 -N '' -f "$d/host_key"
    ssh-keygen -q -t ed25519 -N '' -f "$d/client_key"
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    printf 'restrict,command="%s --conf-dir %s --log-socket %s blog" %s\n' \
        "$TROOT/lib/dispatch" "$TROOT/conf" "$SYSLOG_SOCK" "$(cat "$d/client_key.pub")" >"$d/keys/$DUSER"
    chmod 0644 "$d/keys/$DUSER"
    printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$d/host_key.pub")" >"$d/known_hosts"
    cat >"$d/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $d/host_key
PidFile $d/sshd.pid
UsePAM no
StrictModes yes
AuthorizedKeysFile $d/keys/%u
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowUsers $DUSER
Subsystem sftp /usr/lib/openssh/sftp-server
CONF
    mkdir -p /run/sshd
    /usr/sbin/sshd -D -f "$d/sshd_config" -E "$d/sshd.log" &
    SSHD_PID=$!
    for _ in $(seq 1 100); do grep -q 'Server listening' "$d/sshd.log" 2>/dev/null && break; sleep 0.05; done
    grep -q 'Server listening' "$d/sshd.log"
    export PORT SSHD_PID
}

teardown_file() {
    if [ -n "${SSHD_PID:-}" ]; then kill "$SSHD_PID" 2>/dev/null || true; fi
    remove_fixture
}

setup() {
    skip_without_fixture
    rm -f "$TROOT/home/argv"
}

ssh_opts() {
    printf '%s\n' -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes \
        -o "UserKnownHostsFile=$TROOT/sshd/known_hosts" -o IdentitiesOnly=yes \
        -i "$TROOT/sshd/client_key" -o LogLevel=ERROR
}

# ssh_run ARGS...: the OpenSSH client with its stdin held open.
ssh_run() {
    local opts
    mapfile -t opts < <(ssh_opts)
    hold_stdin
    run --separate-stderr ssh "${opts[@]}" -p "$PORT" "$@" <"$HELD"
    release_stdin
}

@test "an allowed exec request runs with exactly its argv" {
    ssh_run "$DUSER@127.0.0.1" publish site-1.0
    [ "$status" -eq 0 ]
    [ "$output" = "recorded 1" ]
    [ "$(cat "$TROOT/home/argv")" = site-1.0 ]
    assert_logged "verb=publish" "decision=accept" "client=127.0.0.1" 'request="publish site-1.0"'
}

@test "shell metacharacters sent by a real client are rejected, nothing runs" {
    ssh_run "$DUSER@127.0.0.1" 'publish $(id)>x;id'
    [ "$status" -eq 126 ]
    [ "$stderr" = "delegator: request rejected: characters outside [A-Za-z0-9._/:@%+=,-] and single spaces" ]
    [ ! -e "$TROOT/home/argv" ]
    [ ! -e "$TROOT/home/x" ]
}

@test "a shell request (no command) is rejected" {
    ssh_run -T "$DUSER@127.0.0.1"
    [ "$status" -eq 126 ]
    [ "$stderr" = "delegator: request rejected: a command is required (shell requested)" ]
    assert_logged "decision=reject" "reason=shell" "client=127.0.0.1"
}

@test "an sftp subsystem request is rejected: sshd passes the Subsystem command line" {
    local opts
    mapfile -t opts < <(ssh_opts)
    run --separate-stderr sftp "${opts[@]}" -P "$PORT" -b /dev/null "$DUSER@127.0.0.1"
    [ "$status" -ne 0 ]
    assert_logged "decision=reject" "reason=sftp" 'request="/usr/lib/openssh/sftp-server"'
}

@test "the caller going away (client killed) ends the work's whole process group" {
    rm -f "$TROOT/home/hang-started"
    local opts
    mapfile -t opts < <(ssh_opts)
    hold_stdin
    ssh "${opts[@]}" -p "$PORT" "$DUSER@127.0.0.1" hang <"$HELD" >/dev/null 2>&1 &
    local client=$!
    for _ in $(seq 1 100); do [ -e "$TROOT/home/hang-started" ] && break; sleep 0.05; done
    [ -e "$TROOT/home/hang-started" ]
    [ "$(pgrep -c -u "$DUSER" sleep)" -ge 2 ]
    kill -KILL "$client"
    wait "$client" || true
    release_stdin
    assert_no_processes
    assert_logged "verb=hang" "decision=cancel" "reason=disconnect"
}

@test "ssh -n (stdin at EOF at once) still runs the work to its end" {
    local opts
    mapfile -t opts < <(ssh_opts)
    run --separate-stderr ssh -n "${opts[@]}" -p "$PORT" "$DUSER@127.0.0.1" publish site-2.0
    [ "$status" -eq 0 ]
    [ "$output" = "recorded 1" ]
    [ "$(cat "$TROOT/home/argv")" = site-2.0 ]
}
