#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats' run sets status/output/stderr
# The dispatcher's side of capabilities per verb: its own checks of the cap lines, and the
# privileged step (--grant) refusing every call sudo did not make for a delegate. The grant itself,
# through apply's sudoers rule, sshd and the real sudo: provisioner's CapabilitiesTest.

load test_helper

setup_file() {
    need_prerequisites logger setpriv prlimit python3 || return 1
    if [ -n "${FIXTURE_SKIP:-}" ]; then return 0; fi
    make_fixture
    cat >"$TROOT/bin/record" <<'SH'
#!/bin/sh
: >"$HOME/ran"
echo ran
SH
    chmod 0755 "$TROOT/bin/record"
    write_conf caps \
        "verb backup $TROOT/bin/record" \
        "cap backup dac_read_search" \
        "verb plain $TROOT/bin/record"
}

teardown_file() {
    remove_fixture
}

setup() {
    skip_without_fixture
    rm -f "$TROOT/home/ran"
}

# grant_as_root REQUEST [ENV...]: the privileged step run by root without sudo's SUDO_UID (or with ENV)
grant_as_root() {
    local request=$1
    shift
    run --separate-stderr env -u SUDO_UID SSH_ORIGINAL_COMMAND="$request" "$@" \
        "$TROOT/lib/dispatch" --grant --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" caps </dev/null
}

@test "a verb with capabilities and no sudoers rule in force exits 71 naming the rule, nothing runs" {
    dispatch_as backup caps
    [ "$status" -eq 71 ]
    [[ $stderr == "delegator: sandbox: capabilities of backup need the sudoers rule apply writes (/etc/sudoers.d/delegator-caps) for: $TROOT/lib/dispatch --grant --conf-dir $TROOT/conf --log-socket $SYSLOG_SOCK caps" ]]
    [ ! -e "$TROOT/home/ran" ]
    assert_logged "delegation=caps" "decision=error reason=sandbox"
}

@test "the cap-less verb of the same delegation runs as always, without sudo" {
    dispatch_as plain caps
    [ "$status" -eq 0 ]
    [ "$output" = ran ]
}

@test "--grant as the delegate (no sudo) exits 71 and runs nothing" {
    run --separate-stderr env SSH_ORIGINAL_COMMAND=backup runuser -u "$DUSER" -- \
        "$TROOT/lib/dispatch" --grant --conf-dir "$TROOT/conf" caps </dev/null
    [ "$status" -eq 71 ]
    [ "$stderr" = "delegator: sandbox: --grant runs only as root, through sudo (the sudoers rule apply writes)" ]
    [ ! -e "$TROOT/home/ran" ]
}

@test "--grant as root without a delegate's SUDO_UID, or with SUDO_UID 0, exits 71 and runs nothing" {
    grant_as_root backup
    [ "$status" -eq 71 ]
    [ "$stderr" = "delegator: sandbox: --grant needs the delegate's SUDO_UID, set by sudo" ]
    grant_as_root backup SUDO_UID=0
    [ "$status" -eq 71 ]
    grant_as_root backup SUDO_UID=1x
    [ "$status" -eq 71 ]
    [ ! -e "$TROOT/home/ran" ]
}

@test "--grant for a verb without capabilities is a rejected request (126)" {
    grant_as_root plain SUDO_UID="$(id -u "$DUSER")"
    [ "$status" -eq 126 ]
    [ "$stderr" = "delegator: request rejected: plain has no capabilities to grant" ]
    [ ! -e "$TROOT/home/ran" ]
    assert_logged "delegation=caps" "decision=reject reason=no-grant"
}

@test "--grant with --trust-own-uid is refused (78)" {
    run --separate-stderr env SSH_ORIGINAL_COMMAND=backup SUDO_UID="$(id -u "$DUSER")" \
        "$TROOT/lib/dispatch" --grant --trust-own-uid --conf-dir "$TROOT/conf" caps </dev/null
    [ "$status" -eq 78 ]
}

@test "--grant runs the verb as the delegate with exactly its capability and no_new_privs" {
    cat >"$TROOT/bin/caps" <<'SH'
#!/bin/sh
grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):' /proc/self/status | tr -d '\t' | tr '\n' ' '
id -un
SH
    chmod 0755 "$TROOT/bin/caps"
    write_conf grant "verb caps $TROOT/bin/caps" "cap caps dac_read_search" "cap caps net_bind_service"
    run --separate-stderr env SSH_ORIGINAL_COMMAND=caps SUDO_UID="$(id -u "$DUSER")" \
        "$TROOT/lib/dispatch" --grant --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" grant </dev/null
    [ "$status" -eq 0 ]
    c=0000000000000404
    [ "$output" = "CapInh:$c CapPrm:$c CapEff:$c CapBnd:$c CapAmb:$c NoNewPrivs:1 $DUSER" ]
}

@test "cap lines: an undeclared verb, a bad name, or a sandbox built on user namespaces exit 78" {
    write_conf badcap1 "verb backup $TROOT/bin/record" "cap other dac_read_search"
    dispatch_as backup badcap1
    [ "$status" -eq 78 ]
    [[ $stderr == *"badcap1.conf:4: cap for undeclared verb other" ]]
    write_conf badcap2 "verb backup $TROOT/bin/record" "cap backup CAP_DAC"
    dispatch_as backup badcap2
    [ "$status" -eq 78 ]
    [[ $stderr == *"badcap2.conf:4: bad capability name CAP_DAC" ]]
    write_conf badcap3 "verb backup $TROOT/bin/record" "cap backup dac_read_search" "sandbox network none"
    dispatch_as backup badcap3
    [ "$status" -eq 78 ]
    [[ $stderr == *"badcap3.conf:4: cap needs sandbox network full or loopback and filesystem host" ]]
    write_conf badcap4 "verb backup $TROOT/bin/record" "cap backup dac_read_search" "sandbox filesystem jail"
    dispatch_as backup badcap4
    [ "$status" -eq 78 ]
    [ ! -e "$TROOT/home/ran" ]
}
