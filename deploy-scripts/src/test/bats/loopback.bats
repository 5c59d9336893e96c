#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats' run sets status/output/stderr
# The dispatcher's side of network loopback: it runs nothing unless the nftables rule for the
# delegate is in force, checked before each request. The table apply writes, through sshd and a
# network namespace: provisioner's LoopbackTest.

load test_helper

setup_file() {
    need_prerequisites logger setpriv prlimit python3 nft bash || return 1
    if [ -n "${FIXTURE_SKIP:-}" ]; then return 0; fi
    make_fixture
    cat >"$TROOT/bin/record" <<'SH'
#!/bin/sh
: >"$HOME/ran"
echo ran
SH
    chmod 0755 "$TROOT/bin/record"
    write_conf lb "verb run $TROOT/bin/record" "sandbox network loopback"
    write_conf lbjail "verb run $TROOT/bin/record" "sandbox network loopback" "sandbox filesystem jail"
    write_conf lbbad "verb run $TROOT/bin/record" "sandbox network local"
    write_conf lbcap "verb run $TROOT/bin/record" "cap run net_bind_service" "sandbox network loopback"
    NFT_TABLE=dlgt_$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
    export NFT_TABLE
}

teardown_file() {
    if [ -n "${NFT_TABLE:-}" ]; then nft delete table inet "$NFT_TABLE" 2>/dev/null || true; fi
    remove_fixture
}

setup() {
    skip_without_fixture
    rm -f "$TROOT/home/ran"
}

install_rule() {
    nft -f - <<NFT
table inet $NFT_TABLE {
    set loopback_only { type uid; elements = { "$DUSER" } }
    chain output {
        type filter hook output priority filter; policy accept;
        meta skuid @loopback_only oifname != "lo" meta l4proto tcp reject with tcp reset
        meta skuid @loopback_only oifname != "lo" reject with icmpx admin-prohibited
    }
}
NFT
}

@test "network loopback without the rule in force exits 71 naming it, nothing runs (also in a jail)" {
    nft delete table inet "$NFT_TABLE" 2>/dev/null || true
    dispatch_as run lb
    [ "$status" -eq 71 ]
    [ "$stderr" = "delegator: sandbox: network loopback: the nftables rule for uid $(id -u "$DUSER") is not in force (a packet to 192.0.2.1 left the host); run delegator apply as root" ]
    [ ! -e "$TROOT/home/ran" ]
    assert_logged "delegation=lb" "decision=error reason=sandbox"
    dispatch_as run lbjail
    [ "$status" -eq 71 ]
    [ ! -e "$TROOT/home/ran" ]
}

@test "network loopback with the rule in force runs the verb (also in a jail)" {
    install_rule
    dispatch_as run lb
    [ "$status" -eq 0 ]
    [ "$output" = ran ]
    dispatch_as run lbjail
    [ "$status" -eq 0 ]
    [ "$output" = ran ]
    nft delete table inet "$NFT_TABLE"
}

@test "the privileged step of a verb with capabilities checks the rule too, as the delegate" {
    nft delete table inet "$NFT_TABLE" 2>/dev/null || true
    run --separate-stderr env SSH_ORIGINAL_COMMAND=run SUDO_UID="$(id -u "$DUSER")" \
        "$TROOT/lib/dispatch" --grant --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" lbcap </dev/null
    [ "$status" -eq 71 ]
    [[ $stderr == "delegator: sandbox: network loopback: the nftables rule for uid $(id -u "$DUSER") is not in force"* ]]
    [ ! -e "$TROOT/home/ran" ]
    install_rule
    run --separate-stderr env SSH_ORIGINAL_COMMAND=run SUDO_UID="$(id -u "$DUSER")" \
        "$TROOT/lib/dispatch" --grant --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" lbcap </dev/null
    [ "$status" -eq 0 ]
    [ "$output" = ran ]
    nft delete table inet "$NFT_TABLE"
}

@test "an unknown network value is a broken config (78)" {
    dispatch_as run lbbad
    [ "$status" -eq 78 ]
    [ "$stderr" = "delegator: $TROOT/conf/lbbad.conf:4: sandbox network must be none, loopback or full" ]
}
