#!/bin/sh
# make bench: times aws-vault (path in $1) against the emulator, next to
# aws-vault v7.2.0, and loads both ECS credential servers with
# vault/vaulttest/cmd/ecsload (see vault/vaulttest/cmd/avbench).
#
# Every program timed is built the same way: -trimpath, and on Linux
# without cgo (static), as the Makefile builds ours and as v7.2.0's Linux
# releases were built (cross-compiled, so without cgo).
#
# The reference is built by v7ref.sh (from the Go module proxy, once, into
# a cache directory that later runs reuse). Offline, with no cached build,
# the bench says so and times ours alone.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
REF_VERSION=v7.2.0
NOCGO=""
[ "$(uname -s)" = Linux ] && NOCGO="CGO_ENABLED=0"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/aws-vault-bench.XXXXXX")
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT

cd "$ROOT"
note=""
if ! REF=$(./vault/vaulttest/v7ref.sh); then
	note=$REF
	REF=""
	echo "bench: no reference: $note"
fi
env $NOCGO go build -trimpath -o "$TMP/floor.built" ./vault/vaulttest/cmd/floor
go build -o "$TMP/avbench" ./vault/vaulttest/cmd/avbench
env $NOCGO go build -trimpath -o "$TMP/ecsload" ./vault/vaulttest/cmd/ecsload

# Every program timed is a fresh copy in one directory: an executable the Go
# linker wrote (through mmap) starts about 10% slower for as long as its
# pages stay in the page cache, so timing the files as built would favour
# whichever was built longest ago.
mkdir "$TMP/bin"
cp "$BIN" "$TMP/bin/aws-vault"
cp "$TMP/floor.built" "$TMP/bin/floor"
refcopy=""
if [ -n "$REF" ]; then
	refcopy=$TMP/bin/aws-vault-$REF_VERSION
	cp "$REF" "$refcopy"
fi
"$TMP/avbench" -bin "$TMP/bin/aws-vault" -ref "$refcopy" -ref-source "$REF" -ref-note "$note" -floor "$TMP/bin/floor" -ecsload "$TMP/ecsload"
