#!/usr/bin/env bats
# shellcheck disable=SC2154 # status, output, stderr and stderr_lines are set by bats' run
# `sandbox filesystem jail`: the work in bubblewrap, observed from inside as a real throwaway
# delegate user. Every write the issue lists is tried from inside and checked from outside.

load test_helper

setup_file() {
    need_prerequisites bwrap logger setpriv prlimit unshare timeout setsid python3 bash nohup || return 1
    if [ -n "${FIXTURE_SKIP:-}" ]; then return 0; fi
    make_fixture
    # another account's world-readable file under /home: the jail must not show it
    OTHER=dlgo$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
    useradd --system --shell /bin/sh -p '*' --home-dir "/home/$OTHER" --create-home "$OTHER"
    chmod 0755 "/home/$OTHER"
    echo secret >"/home/$OTHER/notes"
    chmod 0644 "/home/$OTHER/notes"
    # a resource the delegate owns, one it may only read, and a source it reads
    install -d -m 0750 -o "$DUSER" -g "$DUSER" "$TROOT/srv/site" "$TROOT/srv/frozen"
    echo kept >"$TROOT/srv/frozen/file"
    chown "$DUSER:$DUSER" "$TROOT/srv/frozen/file"
    install -d -m 0755 "$TROOT/srv/source"
    echo "source file" >"$TROOT/srv/source/README"
    MARK=jail-$$-$RANDOM
    # try PATH...: tries to create a file in each directory and prints "PATH: written" or "PATH: refused"
    cat >"$TROOT/bin/try" <<SH
#!/bin/sh
for d in "\$@"; do
    if ( : >"\$d/$MARK" ) 2>/dev/null; then echo "\$d: written"; else echo "\$d: refused"; fi
done
SH
    # see PATH...: prints "PATH: visible" or "PATH: absent" for each path
    cat >"$TROOT/bin/see" <<'SH'
#!/bin/sh
for p in "$@"; do
    if [ -e "$p" ]; then echo "$p: visible"; else echo "$p: absent"; fi
done
SH
    cat >"$TROOT/bin/inside" <<'SH'
#!/bin/sh
grep -E '^(NoNewPrivs|CapEff):' /proc/self/status
echo "pid $$"
cat "$DELEGATOR_SOURCE/README"
if unshare -Ur true 2>/dev/null; then echo "userns: created"; else echo "userns: refused"; fi
SH
    cat >"$TROOT/bin/escape" <<'SH'
#!/bin/sh
setsid nohup sleep 300 </dev/null >/dev/null 2>&1 &
echo started >"$HOME/escape-started"
SH
    cat >"$TROOT/bin/selfterm" <<'SH'
#!/bin/sh
kill -TERM $$
sleep 5
SH
    cat >"$TROOT/bin/hang" <<'SH'
#!/bin/sh
setsid nohup sleep 300 </dev/null >/dev/null 2>&1 &
echo started >"$HOME/hang-started"
exec sleep 300
SH
    cat >"$TROOT/bin/connect" <<'SH'
#!/bin/bash
if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then echo connected; else echo "no connection"; fi
SH
    # fails: its own exit 1 with a line on its stderr, and no stray descriptor of the dispatcher's
    cat >"$TROOT/bin/fails" <<'SH'
#!/bin/sh
for fd in 4 5; do
    if ( : >&"$fd" ) 2>/dev/null; then echo "fd $fd open"; fi
done
echo "deploy failed" >&2
exit 1
SH
    chmod 0755 "$TROOT"/bin/*
    local binds="bind ro $TROOT/srv/frozen"
    write_conf jail \
        "verb try $TROOT/bin/try" \
        "arg try /[A-Za-z0-9/._-]*" \
        "arg try /[A-Za-z0-9/._-]*" \
        "arg try /[A-Za-z0-9/._-]*" \
        "arg try /[A-Za-z0-9/._-]*" \
        "arg try /[A-Za-z0-9/._-]*" \
        "arg try /[A-Za-z0-9/._-]*" \
        "arg try /[A-Za-z0-9/._-]*" \
        "arg try /[A-Za-z0-9/._-]*" \
        "verb see $TROOT/bin/see" \
        "arg see /[A-Za-z0-9/._-]*" \
        "arg see /[A-Za-z0-9/._-]*" \
        "arg see /[A-Za-z0-9/._-]*" \
        "arg see /[A-Za-z0-9/._-]*" \
        "arg see /[A-Za-z0-9/._-]*" \
        "verb inside $TROOT/bin/inside" \
        "verb escape $TROOT/bin/escape" \
        "verb selfterm $TROOT/bin/selfterm" \
        "verb hang $TROOT/bin/hang" \
        "verb connect $TROOT/bin/connect" \
        "arg connect [0-9]{1,5}" \
        "verb fails $TROOT/bin/fails" \
        "sandbox filesystem jail" \
        "bind ro $TROOT/srv/source" \
        "bind rw $TROOT/srv/site" \
        "$binds" \
        "env DELEGATOR_SOURCE $TROOT/srv/source"
    write_conf jailnet \
        "verb connect $TROOT/bin/connect" \
        "arg connect [0-9]{1,5}" \
        "sandbox filesystem jail" \
        "sandbox network none"
    write_conf jailslow \
        "verb hang $TROOT/bin/hang" \
        "sandbox filesystem jail" \
        "sandbox timeout 1"
    write_conf jailmissing \
        "verb escape $TROOT/bin/escape" \
        "sandbox filesystem jail" \
        "bind rw $TROOT/srv/not-there"
    write_conf bindnojail \
        "verb escape $TROOT/bin/escape" \
        "bind rw $TROOT/srv/site"
    export OTHER MARK
}

teardown_file() {
    if [ -n "${OTHER:-}" ] && id "$OTHER" >/dev/null 2>&1; then
        userdel "$OTHER" 2>/dev/null || true
        case $OTHER in dlgo*) rm -rf -- "/home/${OTHER:?}" ;; esac
    fi
    rm -f "/tmp/$MARK" "/var/tmp/$MARK"
    remove_fixture
}

setup() {
    skip_without_fixture
}

teardown() {
    if [ -n "${LISTENER:-}" ]; then kill "$LISTENER" 2>/dev/null || true; fi
    LISTENER=''
}

@test "jail: the host's /tmp, /var/tmp, /etc, another home and / are not written; the home and a resource are" {
    dispatch_as "try /tmp /var/tmp /etc /home/$OTHER / $TROOT/home $TROOT/srv/site $TROOT/srv/frozen" jail
    echo "status=$status output=[$output] stderr=[$stderr]"
    [ "$status" -eq 0 ]
    # the private /tmp takes the write; the host's never sees it
    [ "$output" = "/tmp: written
/var/tmp: refused
/etc: refused
/home/$OTHER: refused
/: refused
$TROOT/home: written
$TROOT/srv/site: written
$TROOT/srv/frozen: refused" ]
    [ ! -e "/tmp/$MARK" ]
    [ ! -e "/var/tmp/$MARK" ]
    [ ! -e "/etc/$MARK" ]
    [ ! -e "/home/$OTHER/$MARK" ]
    [ ! -e "/$MARK" ]
    [ -e "$TROOT/home/$MARK" ]
    [ -e "$TROOT/srv/site/$MARK" ]
    [ "$(stat -c %U "$TROOT/srv/site/$MARK")" = "$DUSER" ]
    # outside the jail the delegate could write the read-only resource and the host's /tmp
    run runuser -u "$DUSER" -- sh -c "touch $TROOT/srv/frozen/probe && rm $TROOT/srv/frozen/probe"
    [ "$status" -eq 0 ]
}

@test "jail: another account's 0644 file under /home, /root, /var/lib and the caller keys are invisible" {
    # the control: outside the jail the delegate reads it
    run runuser -u "$DUSER" -- cat "/home/$OTHER/notes"
    [ "$output" = secret ]
    dispatch_as "see /home/$OTHER/notes /root /var/lib/dpkg /var/lib/delegator $TROOT/conf" jail
    echo "status=$status output=[$output] stderr=[$stderr]"
    [ "$status" -eq 0 ]
    [ "$output" = "/home/$OTHER/notes: absent
/root: absent
/var/lib/dpkg: absent
/var/lib/delegator: absent
$TROOT/conf: absent" ]
}

@test "jail: no_new_privs, no capabilities, PID 2 under bwrap's init, the source readable, no nested user namespace" {
    # the control: the same delegate outside the jail may create a user namespace
    run runuser -u "$DUSER" -- unshare -Ur true
    [ "$status" -eq 0 ]
    dispatch_as inside jail
    echo "status=$status output=[$output] stderr=[$stderr]"
    [ "$status" -eq 0 ]
    [ "$output" = "CapEff:	0000000000000000
NoNewPrivs:	1
pid 2
source file
userns: refused" ]
}

@test "jail: a process started with setsid and nohup is gone when the verb ends" {
    rm -f "$TROOT/home/escape-started"
    dispatch_as escape jail
    [ "$status" -eq 0 ]
    [ -e "$TROOT/home/escape-started" ]
    assert_no_processes
}

@test "jail: the verb script's own kill -TERM \$\$ ends it with 143 (it is not PID 1)" {
    dispatch_as selfterm jail
    echo "status=$status stderr=[$stderr]"
    [ "$status" -eq 143 ]
}

@test "jail: the timeout ends the work and what it left with setsid, 124" {
    rm -f "$TROOT/home/hang-started"
    dispatch_as hang jailslow
    echo "status=$status stderr=[$stderr]"
    [ "$status" -eq 124 ]
    [ -e "$TROOT/home/hang-started" ]
    assert_no_processes
}

@test "jail: the caller going away ends the work and what it left with setsid" {
    rm -f "$TROOT/home/hang-started"
    hold_stdin
    env SSH_ORIGINAL_COMMAND=hang sh -c '"$@"; :' parent setpriv --reuid "$DUSER" --regid "$DUSER" --init-groups -- \
        "$TROOT/lib/dispatch" --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" jail <"$HELD" &
    local parent=$!
    for _ in $(seq 1 100); do [ -e "$TROOT/home/hang-started" ] && break; sleep 0.05; done
    [ -e "$TROOT/home/hang-started" ]
    # the marker is written before both sleeps have exec'd (setsid nohup, then exec sleep)
    for _ in $(seq 1 100); do [ "$(pgrep -c -u "$DUSER" sleep)" -ge 2 ] && break; sleep 0.05; done
    [ "$(pgrep -c -u "$DUSER" sleep)" -ge 2 ]
    kill -KILL "$parent"
    wait "$parent" || true
    release_stdin
    assert_no_processes
    assert_logged "delegation=jail" "decision=cancel" "reason=disconnect"
}

@test "jail with network none: a listening 127.0.0.1 port of the host is not reached" {
    python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(8); print(s.getsockname()[1], flush=True); time.sleep(60)' \
        >"$BATS_TEST_TMPDIR/port" &
    LISTENER=$!
    for _ in $(seq 1 100); do [ -s "$BATS_TEST_TMPDIR/port" ] && break; sleep 0.05; done
    local port
    port=$(cat "$BATS_TEST_TMPDIR/port")
    dispatch_as "connect $port" jail
    [ "$output" = connected ]
    dispatch_as "connect $port" jailnet
    [ "$status" -eq 0 ]
    [ "$output" = "no connection" ]
}

@test "jail: a bind that cannot be made is exit 71 with bwrap's reason, and nothing runs" {
    rm -f "$TROOT/home/escape-started"
    dispatch_as escape jailmissing
    echo "status=$status stderr=[$stderr]"
    [ "$status" -eq 71 ]
    [ "${#stderr_lines[@]}" -eq 1 ]
    [[ $stderr == "delegator: sandbox: filesystem jail cannot be set up: bwrap: "*"$TROOT/srv/not-there"* ]]
    [ ! -e "$TROOT/home/escape-started" ]
    assert_logged "delegation=jailmissing" "decision=error" "reason=sandbox"
}

@test "jail: the work's own exit 1 stays 1 (one bwrap run tells it from a setup failure), its stderr reaches the caller, no status descriptor leaks in" {
    # a file of an earlier account with the same (reused) uid is not this request's
    local before
    before=$(find /tmp -maxdepth 1 -user "$DUSER" -name 'tmp.*' | sort)
    dispatch_as fails jail
    echo "status=$status stdout=[$output] stderr=[$stderr]"
    [ "$status" -eq 1 ]
    [ "$stderr" = "deploy failed" ]
    [ "$output" = "" ]
    assert_logged "delegation=jail" "decision=done status=1"
    # the status file is gone with the request
    run sh -c "find /tmp -maxdepth 1 -user '$DUSER' -name 'tmp.*' | sort"
    [ "$output" = "$before" ]
}

@test "a bind line without the jail is a broken config (78), nothing runs" {
    dispatch_as escape bindnojail
    [ "$status" -eq 78 ]
    [ "$stderr" = "delegator: $TROOT/conf/bindnojail.conf:4: bind without sandbox filesystem jail" ]
    [ ! -e "$TROOT/home/escape-started" ]
}
