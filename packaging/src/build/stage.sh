#!/bin/sh
# Stages what the .deb ships compressed, as Debian policy wants it: man pages and the changelog,
# gzip -9n (no name, no time stamp, so the package is reproducible). Run by packaging/pom.xml in
# prepare-package, after the man pages are rendered into STAGING/man.
#   stage.sh STAGING DEB_VERSION MAINTAINER CHANGELOG
set -eu
staging=$1 version=$2 maintainer=$3 changelog=$4

rm -rf "$staging/deb"
for section in 1 5; do
    mkdir -p "$staging/deb/man/man$section"
    for page in "$staging/man/man$section"/*."$section"; do
        gzip -9n <"$page" >"$staging/deb/man/man$section/${page##*/}.gz"
    done
done
mkdir -p "$staging/deb/doc"
# Debian's form of the version: a snapshot sorts before its release (0.1.0~SNAPSHOT < 0.1.0), as jdeb writes it
deb_version=$(printf '%s\n' "$version" | sed 's/-SNAPSHOT$/~SNAPSHOT/')
sed -e "s|@DEB_VERSION@|$deb_version|" -e "s|@DEB_MAINTAINER@|$maintainer|" "$changelog" | gzip -9n >"$staging/deb/doc/changelog.gz"
