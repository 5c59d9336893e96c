#!/usr/bin/env bats
# shellcheck disable=SC2154 # status, output, stderr and stderr_lines are set by bats' run
# The deploy scripts end to end, through the installed dispatcher as a real delegate user, on
# real hg and git repositories owned by another account (root here, the caller in production).

load test_helper

setup_file() {
    need_prerequisites hg git logger setpriv python3 || return 1
    if [ -n "${FIXTURE_SKIP:-}" ]; then return 0; fi
    make_fixture
    export HGUSER=test GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=t@example.org \
        GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=t@example.org
    install -d -m 0755 "$TROOT/src"
    install -d -m 0700 -o "$DUSER" "$TROOT/site"

    # hg source: two changesets; its .hg/hgrc carries hooks that must never run as the delegate
    hg init "$TROOT/src/hg"
    (
        cd "$TROOT/src/hg" || exit 1
        mkdir .deploy
        write_entry v1
        hg add -q .deploy/run
        hg commit -q -m v1
        write_entry v2
        hg commit -q -m v2
    )
    cat >>"$TROOT/src/hg/.hg/hgrc" <<HGRC
[hooks]
outgoing = touch $TROOT/home/hg-hook-ran
preoutgoing = touch $TROOT/home/hg-hook-ran
HGRC
    chmod -R a+rX "$TROOT/src/hg"
    HG_V1=$(hg -R "$TROOT/src/hg" log -r 0 -T '{node}')
    HG_V2=$(hg -R "$TROOT/src/hg" log -r 1 -T '{node}')

    # git source, non-bare, owned by root (git refuses it without safe.directory)
    git init -q -b main "$TROOT/src/git"
    (
        cd "$TROOT/src/git" || exit 1
        mkdir .deploy
        write_entry v1
        git add .deploy/run
        git commit -q -m v1
        write_entry v2
        git commit -q -a -m v2
    )
    chmod -R a+rX "$TROOT/src/git"
    GIT_V1=$(git -C "$TROOT/src/git" rev-parse HEAD~1)
    GIT_V2=$(git -C "$TROOT/src/git" rev-parse HEAD)

    write_conf hgblog \
        "verb deploy $TROOT/lib/deploy/hg-deploy" \
        "arg deploy [0-9a-f]{40}" \
        "env DELEGATOR_SOURCE $TROOT/src/hg"
    write_conf gitblog \
        "verb deploy $TROOT/lib/deploy/git-deploy" \
        "arg deploy [0-9a-f]{40}" \
        "arg deploy refs/heads/[A-Za-z0-9._/-]+" \
        "env DELEGATOR_SOURCE $TROOT/src/git" \
        "env DELEGATOR_WORKDIR $TROOT/home/gitwork"
    write_conf site \
        "verb publish $TROOT/lib/deploy/publish" \
        "arg publish [a-z0-9][a-z0-9._/-]*" \
        "verb rollback $TROOT/lib/deploy/rollback" \
        "env DELEGATOR_TARGET $TROOT/site" \
        "env DELEGATOR_WORKDIR $TROOT/home/gitwork" \
        "env DELEGATOR_KEEP 2"
    export HG_V1 HG_V2 GIT_V1 GIT_V2
}

# The repository's deploy entry point: says what it deploys, builds "out/index.html", and
# exits 3 for v1 so the pass-through of its status is visible.
write_entry() {
    cat >.deploy/run <<SH
#!/bin/sh
echo "entry $1 at \$DELEGATOR_REVISION as \$(id -un) in \$(pwd)"
echo "to stderr" >&2
mkdir -p out
echo $1 >out/index.html
[ $1 = v2 ] || exit 3
SH
    chmod 0755 .deploy/run
}

teardown_file() {
    remove_fixture
}

setup() {
    skip_without_fixture
}

@test "hg-deploy clones, updates to the node and runs the entry point as the delegate" {
    dispatch_as "deploy $HG_V1" hgblog
    echo "$output"
    echo "$stderr"
    [ "$status" -eq 3 ]
    [ "${lines[0]}" = "==> cloning $TROOT/src/hg into $TROOT/home/work" ]
    [ "${lines[1]}" = "==> updating to $HG_V1" ]
    [ "${lines[2]}" = "==> running .deploy/run" ]
    [ "${lines[3]}" = "entry v1 at $HG_V1 as $DUSER in $TROOT/home/work" ]
    [ "$stderr" = "to stderr" ]
    [ "$(stat -c %U "$TROOT/home/work/out/index.html")" = "$DUSER" ]
    [ ! -e "$TROOT/home/hg-hook-ran" ]
}

@test "hg-deploy pulls the second time, passes status 0 through, and runs no hook of the source" {
    dispatch_as "deploy $HG_V2" hgblog
    echo "$output"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "==> pulling from $TROOT/src/hg" ]
    [ "${lines[3]}" = "entry v2 at $HG_V2 as $DUSER in $TROOT/home/work" ]
    [ "$(cat "$TROOT/home/work/out/index.html")" = v2 ]
    [ ! -e "$TROOT/home/hg-hook-ran" ]
}

@test "hg-deploy of an unknown node fails without running anything" {
    rm -f "$TROOT/home/work/out/index.html"
    dispatch_as "deploy $(printf '%040d' 0)" hgblog
    [ "$status" -ne 0 ]
    [ ! -e "$TROOT/home/work/out/index.html" ]
}

@test "git-deploy fetches a root-owned repository, checks out the commit and runs the entry point" {
    dispatch_as "deploy $GIT_V1 refs/heads/main" gitblog
    echo "$output"
    echo "$stderr"
    [ "$status" -eq 3 ]
    [ "${lines[0]}" = "==> creating $TROOT/home/gitwork" ]
    [ "${lines[1]}" = "==> fetching refs/heads/main from $TROOT/src/git" ]
    [ "${lines[2]}" = "==> checking out $GIT_V1" ]
    [ "${lines[3]}" = "==> running .deploy/run" ]
    [ "${lines[4]}" = "entry v1 at $GIT_V1 as $DUSER in $TROOT/home/gitwork" ]

    dispatch_as "deploy $GIT_V2 refs/heads/main" gitblog
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "==> fetching refs/heads/main from $TROOT/src/git" ]
    [ "$(cat "$TROOT/home/gitwork/out/index.html")" = v2 ]
}

@test "git-deploy runs no hook of the working copy" {
    install -d -o "$DUSER" "$TROOT/home/gitwork/.git/hooks"
    printf '#!/bin/sh\ntouch %s/home/git-hook-ran\n' "$TROOT" >"$TROOT/home/gitwork/.git/hooks/post-checkout"
    chown "$DUSER" "$TROOT/home/gitwork/.git/hooks/post-checkout"
    chmod 0755 "$TROOT/home/gitwork/.git/hooks/post-checkout"
    dispatch_as "deploy $GIT_V2 refs/heads/main" gitblog
    [ "$status" -eq 0 ]
    [ ! -e "$TROOT/home/git-hook-ran" ]
}

@test "git-deploy of a commit that is not on the ref fails" {
    dispatch_as "deploy $(printf '%040d' 0) refs/heads/main" gitblog
    [ "$status" -eq 1 ]
    [[ $stderr == *"git-deploy: commit 0000000000000000000000000000000000000000 is not in refs/heads/main"* ]]
}

@test "publish copies into a new release and switches current; keeps DELEGATOR_KEEP; rollback" {
    # the git work copy holds out/index.html = v2 from the tests above; make a fresh build
    install -d -o "$DUSER" "$TROOT/home/gitwork/out"
    local build
    for build in 1 2 3; do
        echo "build $build" >"$TROOT/home/gitwork/out/index.html"
        dispatch_as "publish out" site
        echo "$output"
        [ "$status" -eq 0 ]
        [[ ${lines[0]} == "==> copying out to releases/"* ]]
        [[ ${lines[1]} == "==> current -> releases/"* ]]
        [ -L "$TROOT/site/current" ]
        [ "$(cat "$TROOT/site/current/index.html")" = "build $build" ]
    done
    # keep 2: the third publish removed the first release
    [ "$(find "$TROOT/site/releases" -mindepth 1 -maxdepth 1 | wc -l)" -eq 2 ]
    [[ $output == *"==> removing old release "* ]]

    dispatch_as rollback site
    echo "$output"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "==> rolling back from "* ]]
    [ "$(cat "$TROOT/site/current/index.html")" = "build 2" ]

    dispatch_as rollback site
    [ "$status" -eq 1 ]
    [[ $stderr == "rollback: no release before "*" to roll back to" ]]
    [ "$(cat "$TROOT/site/current/index.html")" = "build 2" ]
}

@test "publish switches atomically: a reader never sees a missing current" {
    local reader_log=$BATS_TEST_TMPDIR/reader
    (
        while [ ! -e "$BATS_TEST_TMPDIR/stop" ]; do
            cat "$TROOT/site/current/index.html" >/dev/null 2>&1 || echo MISSING
        done
    ) >"$reader_log" &
    local reader=$!
    local build
    for build in 1 2 3 4 5 6; do
        echo "build $build" >"$TROOT/home/gitwork/out/index.html"
        dispatch_as "publish out" site
        [ "$status" -eq 0 ]
    done
    touch "$BATS_TEST_TMPDIR/stop"
    wait "$reader"
    [ ! -s "$reader_log" ]
    [ "$(cat "$TROOT/site/current/index.html")" = "build 6" ]
}

@test "publish refuses a directory outside the working copy" {
    hold_stdin
    run --separate-stderr env SSH_ORIGINAL_COMMAND="publish a/../../x" runuser -u "$DUSER" -- \
        "$TROOT/lib/dispatch" --conf-dir "$TROOT/conf" --log-socket "$SYSLOG_SOCK" site <"$HELD"
    release_stdin
    [ "$status" -eq 126 ]
    # and the script refuses it on its own as well (defence in depth)
    run --separate-stderr runuser -u "$DUSER" -- env DELEGATOR_TARGET="$TROOT/site" \
        "$TROOT/lib/deploy/publish" ../x
    [ "$status" -eq 1 ]
    [ "$stderr" = "publish: DIR must be a relative path inside the working copy: ../x" ]
}
