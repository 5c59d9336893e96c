#!/usr/bin/env bash
# Builds the container host image for the integration tests without any registry:
#   1. debootstrap a minimal Debian root filesystem (12 "bookworm" or 13 "trixie") with sshd, hg
#      and git (cached as a tarball under /var/cache/delegator-it, keyed by suite and package list),
#   2. `docker import` it as delegator-it-host:base-<suite>-<hash>,
#   3. `docker build` the tiny Dockerfile beside this script FROM that base:
#      /run/sshd, per-container host keys, sshd -D -e  -> delegator-it-host:<suite>-<hash>.
# <hash> covers this script, the Dockerfile, sshd-entrypoint, the suite and the package list, so an
# unchanged input reuses the existing image and a changed one builds a new tag (old tags stay until
# removed with --prune). Prints the final image name on stdout, progress on stderr.
# The trixie image also holds Debian 13's own OpenJDK 21 and 25 (headless JREs): the installed
# jar and launcher are tested on the Java the distribution ships, not on the build machine's.
#
# Usage: it/image/build-image.sh [--suite bookworm|trixie] [--print-name] [--prune]
#   --suite       the Debian release (default bookworm: OpenSSH 9.2; trixie: OpenSSH 10.0)
#   --print-name  only print the image name for the current inputs, build nothing
#   --prune       remove delegator-it-host images of the same suite and other input hashes
# Environment:
#   DELEGATOR_IT_MIRROR  Debian mirror URL (default: the first URI for the suite configured in
#                        /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list, else
#                        http://deb.debian.org/debian)
#   DELEGATOR_IT_CACHE   cache directory for the rootfs tarball (default /var/cache/delegator-it)
set -euo pipefail

here=$(cd -- "$(dirname -- "$0")" && pwd)
suite=bookworm
after_debootstrap=""
packages=openssh-server,mercurial,git,procps,util-linux,iproute2,bsdutils,ca-certificates,bubblewrap,cron,at
repo=delegator-it-host
cache=${DELEGATOR_IT_CACHE:-/var/cache/delegator-it}

say() { printf 'build-image: %s\n' "$*" >&2; }
die() { printf 'build-image: %s\n' "$*" >&2; exit 1; }

usage="usage: build-image.sh [--suite bookworm|trixie] [--print-name] [--prune]"
print_only=no
prune=no
while [ $# -gt 0 ]; do
    case $1 in
        --suite)
            [ $# -ge 2 ] || die "--suite needs a value ($usage)"
            suite=$2
            shift
            ;;
        --print-name) print_only=yes ;;
        --prune) prune=yes ;;
        *) die "unknown argument: $1 ($usage)" ;;
    esac
    shift
done
case $suite in
    bookworm) ;;
    # OpenJDK from the distribution itself: what a Debian 13 admin runs the jar with.
    # cron and at come after debootstrap (below): trixie's cron-daemon-common needs a sysusers
    # implementation, debootstrap always takes the first alternative, systemd, whose
    # configuration fails in its chroot, and apt can be told to take systemd-standalone-sysusers.
    trixie) packages=${packages%,cron,at},openjdk-21-jre-headless,openjdk-25-jre-headless
            after_debootstrap="cron at systemd-standalone-sysusers" ;;
    *) die "unknown suite: $suite (bookworm or trixie)" ;;
esac

# The rootfs depends only on what debootstrap is asked for; the image also on this script
# and the Dockerfile.
rootfs_hash=$(printf '%s\n' "minbase" "$suite" "$packages" ${after_debootstrap:+"$after_debootstrap"} | sha256sum | cut -c1-12)
image_hash=$( { cat -- "$0" "$here/Dockerfile" "$here/sshd-entrypoint"; printf '%s\n' "$rootfs_hash"; } | sha256sum | cut -c1-12)
base="$repo:base-$suite-$image_hash"
image="$repo:$suite-$image_hash"

if [ "$print_only" = yes ]; then
    printf '%s\n' "$image"
    exit 0
fi

command -v docker >/dev/null || die "docker is not installed (apt-get install docker.io)"
docker version >/dev/null 2>&1 || die "no Docker daemon answers (start one: dockerd >/var/log/dockerd.log 2>&1 &)"

prune_others() {
    [ "$prune" = yes ] || return 0
    docker image ls --format '{{.Repository}}:{{.Tag}}' "$repo" | while read -r old; do
        case $old in
            "$image" | "$base") ;;
            "$repo:$suite-"* | "$repo:base-$suite-"*) say "removing $old"; docker image rm "$old" >/dev/null ;;
        esac
    done
}

if docker image inspect "$image" >/dev/null 2>&1; then
    say "reusing $image (inputs unchanged)"
    prune_others
    printf '%s\n' "$image"
    exit 0
fi

find_mirror() {
    if [ -n "${DELEGATOR_IT_MIRROR:-}" ]; then printf '%s\n' "$DELEGATOR_IT_MIRROR"; return; fi
    local f uri
    # deb822 sources: the URIs of a stanza whose Suites include the suite (not -security)
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        uri=$(awk -v suite="$suite" '
            /^[[:space:]]*$/ { if (u != "" && s) { print u; exit } u = ""; s = 0; next }
            /^URIs:/ { u = $2 }
            /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) s = 1 }
            END { if (u != "" && s) print u }' "$f" | head -n1)
        if [ -n "$uri" ]; then printf '%s\n' "$uri"; return; fi
    done
    # one-line sources: deb [opts] URI SUITE main
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        uri=$(awk -v suite="$suite" '$1 == "deb" { for (i = 2; i < NF; i++) if ($(i + 1) == suite && $i !~ /^\[/) { print $i; exit } }' "$f" | head -n1)
        if [ -n "$uri" ]; then printf '%s\n' "$uri"; return; fi
    done
    printf '%s\n' "http://deb.debian.org/debian"
}

mkdir -p "$cache"
tarball="$cache/rootfs-$suite-$rootfs_hash.tar"
if [ -s "$tarball" ]; then
    say "reusing cached root filesystem $tarball"
else
    command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
    [ "$(id -u)" = 0 ] || die "debootstrap needs root"
    mirror=$(find_mirror)
    work=$(mktemp -d "$cache/rootfs.XXXXXX")
    trap 'rm -rf -- "$work"' EXIT
    say "debootstrap --variant=minbase --include=$packages $suite from $mirror (about 30 s; log: $cache/debootstrap-$suite.log)"
    start=$SECONDS
    if ! debootstrap --variant=minbase --include="$packages" "$suite" "$work/root" "$mirror" >"$cache/debootstrap-$suite.log" 2>&1; then
        tail -n 20 "$cache/debootstrap-$suite.log" >&2
        die "debootstrap failed; full log: $cache/debootstrap-$suite.log"
    fi
    if [ -n "$after_debootstrap" ]; then
        say "apt-get install $after_debootstrap in the new root"
        printf '#!/bin/sh\nexit 101\n' >"$work/root/usr/sbin/policy-rc.d" && chmod +x "$work/root/usr/sbin/policy-rc.d"
        # shellcheck disable=SC2086 # a list of package names
        if ! chroot "$work/root" sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $after_debootstrap" \
                >>"$cache/debootstrap-$suite.log" 2>&1; then
            tail -n 20 "$cache/debootstrap-$suite.log" >&2
            die "apt-get install $after_debootstrap failed; full log: $cache/debootstrap-$suite.log"
        fi
        rm -f "$work/root/usr/sbin/policy-rc.d"
    fi
    # Nothing of the build machine may leak in: no host keys (each container makes its own
    # in the Dockerfile step), no apt lists (size).
    rm -f "$work"/root/etc/ssh/ssh_host_*
    rm -rf "$work"/root/var/lib/apt/lists/* "$work"/root/var/cache/apt/*.bin "$work"/root/var/cache/apt/archives/*.deb
    tar -C "$work/root" --numeric-owner -cf "$work/rootfs.tar" .
    mv "$work/rootfs.tar" "$tarball"
    rm -rf -- "$work"
    trap - EXIT
    say "root filesystem ready in $((SECONDS - start)) s: $tarball ($(du -h "$tarball" | cut -f1))"
fi

start=$SECONDS
say "docker import -> $base"
docker import - "$base" <"$tarball" >/dev/null
say "docker build -> $image"
# the legacy builder warns about BuildKit on stderr every time: show its output only on failure
if ! out=$(docker build -q --build-arg BASE="$base" -t "$image" "$here" 2>&1); then
    printf '%s\n' "$out" >&2
    die "docker build failed"
fi
say "image ready in $((SECONDS - start)) s: $image"
prune_others
printf '%s\n' "$image"
