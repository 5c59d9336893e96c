#!/usr/bin/env bats
# shellcheck disable=SC2154,SC2016 # bats' run sets status/output/stderr; single quotes keep $( ) literal on purpose
# The dispatcher's checks: every rejection of SECURITY.md exits 126, runs nothing and is logged;
# an accepted request runs with exactly the expected argv; unsafe configs exit 78, unknown
# delegations 79.

load test_helper

SHA=0123456789abcdef0123456789abcdef01234567

setup_file() {
    need_prerequisites logger setpriv prlimit python3 || return 1
    if [ -n "${FIXTURE_SKIP:-}" ]; then return 0; fi
    make_fixture
    # The verb script records its argv, one per line, and leaves a marker: the proof it ran.
    cat >"$TROOT/bin/record" <<'SH'
#!/bin/sh
printf '%s\n' "$@" >"$HOME/argv"
: >"$HOME/ran"
echo "recorded $#"
SH
    chmod 0755 "$TROOT/bin/record"
    write_conf blog \
        "verb deploy $TROOT/bin/record" \
        "arg deploy [0-9a-f]{40}" \
        "arg deploy refs/heads/[A-Za-z0-9._/-]+" \
        "verb publish $TROOT/bin/record" \
        "arg publish [a-z0-9][a-z0-9._-]*" \
        "verb path $TROOT/bin/record" \
        "arg path [A-Za-z0-9._/-]+" \
        "verb rollback $TROOT/bin/record" \
        "verb tag $TROOT/bin/record" \
        'arg tag v[0-9]+\.[0-9]+|latest'
}

teardown_file() {
    remove_fixture
}

setup() {
    skip_without_fixture
    rm -f "$TROOT/home/ran" "$TROOT/home/argv"
}

# rejected REASON REQUEST: exit 126, one line on stderr, nothing ran, decision logged.
rejected() {
    local reason=$1 request=$2
    dispatch_as "$request"
    echo "status=$status stdout=[$output] stderr=[$stderr]"
    [ "$status" -eq 126 ]
    [ -z "$output" ]
    [[ $stderr == "delegator: request rejected: "* ]]
    [ "${#stderr_lines[@]}" -eq 1 ]
    [ ! -e "$TROOT/home/ran" ]
    assert_logged "delegation=blog" "decision=reject" "reason=$reason" "client=127.0.0.9"
}

@test "accepted request runs the verb script with exactly the expected argv" {
    dispatch_as "deploy $SHA refs/heads/release/1.x"
    [ "$status" -eq 0 ]
    [ "$output" = "recorded 2" ]
    [ "$(cat "$TROOT/home/argv")" = "$SHA
refs/heads/release/1.x" ]
    assert_logged "delegation=blog" "verb=deploy" "decision=accept" "client=127.0.0.9" "request=\"deploy $SHA refs/heads/release/1.x\""
}

@test "a verb without arguments runs with an empty argv" {
    dispatch_as "rollback"
    [ "$status" -eq 0 ]
    [ "$output" = "recorded 0" ]
}

@test "patterns are EREs read verbatim: a backslash escape and an alternation, both anchored" {
    dispatch_as "tag v1.2"
    [ "$status" -eq 0 ]
    [ "$(cat "$TROOT/home/argv")" = v1.2 ]
    dispatch_as "tag latest"
    [ "$status" -eq 0 ]
    rm -f "$TROOT/home/ran"
    rejected pattern "tag v1x2"
    rejected pattern "tag v1.2latest"
    rejected pattern "tag xlatest"
}

@test "reject: semicolon" {
    rejected character "deploy $SHA;touch /tmp/x refs/heads/main"
}
@test "reject: &&" {
    rejected character "rollback && touch x"
}
@test "reject: pipe" {
    rejected character "publish site|sh"
}
@test "reject: command substitution" {
    rejected character 'publish $(touch x)'
}
@test "reject: backticks" {
    rejected character 'publish `touch x`'
}
@test "reject: redirection >" {
    rejected character "publish site>x"
}
@test "reject: redirection <" {
    rejected character "publish <x"
}
@test "reject: glob *" {
    rejected character "publish *"
}
@test "reject: glob ?" {
    rejected character "publish site?"
}
@test "reject: glob [" {
    rejected character "publish [a]"
}
@test "reject: braces" {
    rejected character "publish {a,b}"
}
@test "reject: closing bracket, bang, hash, caret" {
    rejected character "publish a]b"
    rejected character "publish a!b"
    rejected character "publish a#b"
    rejected character "publish a^b"
}

@test "reject: tilde" {
    rejected character "publish ~root"
}
@test "reject: newline" {
    rejected character "rollback
touch x"
}
@test "reject: carriage return" {
    rejected character "rollback"$'\r'
}
@test "reject: tab" {
    rejected character "publish"$'\t'"site"
}
@test "reject: escape and DEL" {
    rejected character "publish site"$'\e'"x"$'\x7f'
}
@test "reject: non-ASCII byte" {
    rejected character "publish sit"$'\xc3\xa9'
}
@test "reject: double quotes" {
    rejected character 'publish "site"'
}
@test "reject: single quotes" {
    rejected character "publish 'site'"
}
@test "reject: backslash" {
    rejected character 'publish si\te'
}
@test "reject: dollar variable" {
    rejected character 'publish $HOME'
}
@test "reject: argument starting with -" {
    rejected option "publish -rf"
}
@test "reject: verb starting with -" {
    rejected option "-c"
}
@test "reject: .. path segment" {
    rejected dotdot "path a/../../etc"
}
@test "reject: .. alone" {
    rejected dotdot "path .."
}
@test "reject: absolute path where a name is expected" {
    rejected pattern "publish /etc"
}
@test "reject: argument not matching its pattern" {
    rejected pattern "deploy abc refs/heads/main"
}
@test "reject: pattern is anchored - no partial match" {
    rejected pattern "deploy ${SHA}0 refs/heads/main"
}
@test "reject: unset request - shell request" {
    hold_stdin
    run --separate-stderr env -u SSH_ORIGINAL_COMMAND runuser -u "$DUSER" -- \
        "$TROOT/lib/dispatch" --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" blog <"$HELD"
    release_stdin
    [ "$status" -eq 126 ]
    [ "$stderr" = "delegator: request rejected: a command is required (shell requested)" ]
    assert_logged "decision=reject" "reason=shell"
}
@test "reject: empty request" {
    rejected empty ""
}
@test "reject: sftp subsystem - internal-sftp" {
    rejected sftp "internal-sftp"
}
@test "reject: sftp subsystem - sftp-server path" {
    rejected sftp "/usr/lib/openssh/sftp-server"
}
@test "reject: too many arguments" {
    rejected arg-count "publish a b"
}
@test "reject: too few arguments" {
    rejected arg-count "deploy $SHA"
}
@test "reject: arguments to a verb that takes none" {
    rejected arg-count "rollback now"
}
@test "reject: empty argument - double space" {
    rejected empty-argument "deploy  $SHA refs/heads/main"
}
@test "reject: trailing space" {
    rejected empty-argument "publish site "
}
@test "reject: too long" {
    rejected too-long "path $(head -c 5000 /dev/zero | tr '\0' a)"
}
@test "reject: unknown verb" {
    rejected unknown-verb "sh -c id"
}
@test "reject: a verb name from another line of the config" {
    rejected unknown-verb "delegation"
}

@test "unknown delegation exits 79 and is logged" {
    dispatch_as "rollback" nosuch
    [ "$status" -eq 79 ]
    [ "$stderr" = "delegator: unknown delegation nosuch" ]
    assert_logged "delegation=nosuch" "decision=reject" "reason=unknown-delegation"
}

@test "config not owned by root exits 78 and runs nothing" {
    write_conf owned "verb rollback $TROOT/bin/record"
    chown "$DUSER" "$TROOT/conf/owned.conf"
    dispatch_as "rollback" owned
    [ "$status" -eq 78 ]
    [[ $stderr == *"owned.conf is not owned by root" ]]
    [ ! -e "$TROOT/home/ran" ]
    assert_logged "delegation=owned" "decision=error" "reason=config"
}

# --trust-own-uid: for an sshd an ordinary user runs for themselves (delegator demo --no-root).
# own_conf DIR: a config dir and blog.conf owned by the delegate account itself.
own_conf() {
    install -d -m 0755 -o "$DUSER" "$1"
    cp "$TROOT/conf/blog.conf" "$1/blog.conf"
    chown "$DUSER" "$1/blog.conf"
    chmod 0644 "$1/blog.conf"
}

@test "--trust-own-uid accepts a config and directory owned by the uid the dispatcher runs as" {
    own_conf "$TROOT/ownconf"
    hold_stdin
    run --separate-stderr env SSH_ORIGINAL_COMMAND=rollback runuser -u "$DUSER" -- \
        "$TROOT/lib/dispatch" --conf-dir "$TROOT/ownconf" --log-socket "$SYSLOG_SOCK" --trust-own-uid blog <"$HELD"
    release_stdin
    rm -rf "$TROOT/ownconf"
    [ "$status" -eq 0 ]
    [ "$output" = "recorded 0" ]
}

@test "without --trust-own-uid the same self-owned config exits 78" {
    own_conf "$TROOT/ownconf"
    hold_stdin
    run --separate-stderr env SSH_ORIGINAL_COMMAND=rollback runuser -u "$DUSER" -- \
        "$TROOT/lib/dispatch" --conf-dir "$TROOT/ownconf" --log-socket "$SYSLOG_SOCK" blog <"$HELD"
    release_stdin
    rm -rf "$TROOT/ownconf"
    [ "$status" -eq 78 ]
    [[ $stderr == *"ownconf is not owned by root" ]]
    [ ! -e "$TROOT/home/ran" ]
}

@test "--trust-own-uid still refuses a config owned by another ordinary account" {
    own_conf "$TROOT/ownconf"
    chown nobody "$TROOT/ownconf/blog.conf"
    hold_stdin
    run --separate-stderr env SSH_ORIGINAL_COMMAND=rollback runuser -u "$DUSER" -- \
        "$TROOT/lib/dispatch" --conf-dir "$TROOT/ownconf" --log-socket "$SYSLOG_SOCK" --trust-own-uid blog <"$HELD"
    release_stdin
    rm -rf "$TROOT/ownconf"
    [ "$status" -eq 78 ]
    [[ $stderr == *"blog.conf is not owned by root" ]]
    [ ! -e "$TROOT/home/ran" ]
}

@test "--trust-own-uid is refused when the dispatcher runs as root" {
    hold_stdin
    run --separate-stderr env SSH_ORIGINAL_COMMAND=rollback \
        "$TROOT/lib/dispatch" --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" --trust-own-uid blog <"$HELD"
    release_stdin
    [ "$status" -eq 78 ]
    [[ $stderr == *"--trust-own-uid is refused when running as root" ]]
}

@test "group-writable config exits 78" {
    write_conf gw "verb rollback $TROOT/bin/record"
    chmod 0664 "$TROOT/conf/gw.conf"
    dispatch_as "rollback" gw
    [ "$status" -eq 78 ]
    [[ $stderr == *"gw.conf is writable by group or others (mode 664)" ]]
    [ ! -e "$TROOT/home/ran" ]
    assert_logged "delegation=gw" "decision=error" "reason=config"
}

@test "world-writable config directory exits 78" {
    install -d -m 0757 "$TROOT/wconf"
    cp -p "$TROOT/conf/blog.conf" "$TROOT/wconf/blog.conf"
    hold_stdin
    run --separate-stderr env SSH_ORIGINAL_COMMAND=rollback runuser -u "$DUSER" -- \
        "$TROOT/lib/dispatch" --conf-dir "$TROOT/wconf" --log-socket "$SYSLOG_SOCK" blog <"$HELD"
    release_stdin
    rm -rf "$TROOT/wconf"
    [ "$status" -eq 78 ]
    [[ $stderr == *"wconf is writable by group or others (mode 757)" ]]
    [ ! -e "$TROOT/home/ran" ]
}

@test "config directory under a sticky world-writable /tmp exits 78" {
    local d
    d=$(mktemp -d)
    chmod 0755 "$d"
    cp -p "$TROOT/conf/blog.conf" "$d/blog.conf"
    hold_stdin
    run --separate-stderr env SSH_ORIGINAL_COMMAND=rollback runuser -u "$DUSER" -- \
        "$TROOT/lib/dispatch" --conf-dir "$d" --log-socket "$SYSLOG_SOCK" blog <"$HELD"
    release_stdin
    rm -rf "$d"
    [ "$status" -eq 78 ]
    [[ $stderr == *"is writable by group or others (mode 1777)" ]]
}

@test "a config naming another delegation exits 78" {
    write_conf other "verb rollback $TROOT/bin/record"
    sed -i 's/^delegation other$/delegation blog/' "$TROOT/conf/other.conf"
    dispatch_as "rollback" other
    [ "$status" -eq 78 ]
    [[ $stderr == *"delegation blog does not match other" ]]
}

@test "unknown directive, missing format and env overriding dispatcher context exit 78" {
    write_conf bad1 "verb rollback $TROOT/bin/record" "frobnicate yes"
    dispatch_as "rollback" bad1
    [ "$status" -eq 78 ]
    [[ $stderr == *"bad1.conf:4: unknown directive frobnicate" ]]

    printf 'delegation bad2\n' >"$TROOT/conf/bad2.conf"
    chmod 0644 "$TROOT/conf/bad2.conf"
    dispatch_as "rollback" bad2
    [ "$status" -eq 78 ]
    [[ $stderr == *"bad2.conf:1: the first directive must be 'format 1'" ]]

    write_conf bad3 "verb rollback $TROOT/bin/record" "env DELEGATOR_VERB deploy"
    dispatch_as "rollback" bad3
    [ "$status" -eq 78 ]
    [[ $stderr == *"bad3.conf:4: DELEGATOR_VERB is set by the dispatcher" ]]
    [ ! -e "$TROOT/home/ran" ]
}

@test "a missing verb script exits 127" {
    write_conf gone "verb rollback $TROOT/bin/nonexistent"
    dispatch_as "rollback" gone
    [ "$status" -eq 127 ]
    [[ $stderr == "delegator: the script of rollback is missing: "* ]]
}

@test "config env lines and the dispatcher's context reach the work; nothing else does" {
    cat >"$TROOT/bin/printenv" <<'SH'
#!/bin/sh
env | LC_ALL=C sort
SH
    chmod 0755 "$TROOT/bin/printenv"
    write_conf envs "verb show $TROOT/bin/printenv" 'env DELEGATOR_SOURCE /srv/hg/with space $HOME `x`'
    hold_stdin
    run --separate-stderr env SSH_ORIGINAL_COMMAND=show SSH_CONNECTION="127.0.0.9 40000 127.0.0.1 22" \
        SECRET=leak LD_PRELOAD=/nonexistent.so runuser -u "$DUSER" -- "$TROOT/lib/dispatch" --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" envs <"$HELD"
    release_stdin
    [ "$status" -eq 0 ]
    [ "$output" = "DELEGATOR_CLIENT=127.0.0.9
DELEGATOR_DELEGATION=envs
DELEGATOR_REQUEST=show
DELEGATOR_SOURCE=/srv/hg/with space \$HOME \`x\`
DELEGATOR_VERB=show
HOME=$TROOT/home
LANG=C.UTF-8
LOGNAME=$DUSER
PATH=/usr/local/bin:/usr/bin:/bin
PWD=$TROOT/home
USER=$DUSER" ]
}

@test "the work is never run as root" {
    hold_stdin
    run --separate-stderr env SSH_ORIGINAL_COMMAND=rollback "$TROOT/lib/dispatch" --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" blog <"$HELD"
    release_stdin
    [ "$status" -eq 71 ]
    [ "$stderr" = "delegator: sandbox: refusing to run the work as root" ]
    [ ! -e "$TROOT/home/ran" ]
}

@test "without a syslog socket the dispatcher still works" {
    local args=(--conf-dir "$TROOT/conf" --log-socket "$TROOT/no-such-socket" blog)
    hold_stdin
    run --separate-stderr env SSH_ORIGINAL_COMMAND=rollback runuser -u "$DUSER" -- "$TROOT/lib/dispatch" "${args[@]}" <"$HELD"
    release_stdin
    [ "$status" -eq 0 ]
    [ "$output" = "recorded 0" ]
    [ -z "$stderr" ]
    hold_stdin
    run --separate-stderr env SSH_ORIGINAL_COMMAND="rollback;id" runuser -u "$DUSER" -- "$TROOT/lib/dispatch" "${args[@]}" <"$HELD"
    release_stdin
    [ "$status" -eq 126 ]
    [ "${#stderr_lines[@]}" -eq 1 ]
}
