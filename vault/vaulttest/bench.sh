#!/bin/sh
# make bench: times aws-vault (path in $1) against the emulator, next to
# aws-vault v7.2.0 (see vault/vaulttest/cmd/avbench).
#
# Every program timed is built the same way: -trimpath, and on Linux
# without cgo (static), as the Makefile builds ours and as v7.2.0's Linux
# releases were built (cross-compiled, so without cgo).
#
# The reference is built from the Go module proxy (go install of it is
# refused: the proxy will not list the module's versions), once, into a
# cache directory ($AWS_VAULT_BENCH_CACHE, default ~/.cache/aws-vault-bench)
# that later runs reuse. Offline, with no cached build, the bench says so
# and times ours alone.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
REF_MODULE=github.com/99designs/aws-vault/v7
REF_VERSION=v7.2.0
CACHE=${AWS_VAULT_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aws-vault-bench}
NOCGO=""
[ "$(uname -s)" = Linux ] && NOCGO="CGO_ENABLED=0"
REF=$CACHE/aws-vault-$REF_VERSION${NOCGO:+-nocgo}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/aws-vault-bench.XXXXXX")
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT

# build_ref builds the reference into $REF; on failure it prints why on
# stdout (one line) and returns non-zero.
build_ref() {
	mkdir -p "$CACHE" "$TMP/mod"
	# Outside any module, so that our go.mod and go.sum are left alone.
	if ! json=$(cd "$TMP/mod" && GOFLAGS= GOWORK=off go mod download -json "$REF_MODULE@$REF_VERSION" 2>"$TMP/err"); then
		# The reason is the JSON's "Error" field, else stderr.
		why=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/\1/p' | head -c 300)
		[ -n "$why" ] || why=$(head -c 300 "$TMP/err" | tr '\n' ' ')
		echo "go mod download $REF_MODULE@$REF_VERSION failed (offline?): $why"
		return 1
	fi
	dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
	if [ -z "$dir" ] || [ ! -d "$dir" ]; then
		echo "go mod download $REF_MODULE@$REF_VERSION gave no module directory: $(printf '%s' "$json" | grep Error | head -c 300)"
		return 1
	fi
	cp -R "$dir" "$TMP/src"
	chmod -R u+w "$TMP/src"
	if ! (cd "$TMP/src" && env $NOCGO GOFLAGS= GOWORK=off go build -trimpath -ldflags "-X main.Version=$REF_VERSION" \
		-o "$REF.tmp" . >"$TMP/err" 2>&1); then
		echo "building $REF_MODULE@$REF_VERSION failed: $(head -c 300 "$TMP/err" | tr '\n' ' ')"
		return 1
	fi
	mv "$REF.tmp" "$REF"
}

cd "$ROOT"
note=""
if [ ! -x "$REF" ]; then
	echo "bench: building aws-vault $REF_VERSION from the Go module proxy into $CACHE"
	note=$(build_ref) || { REF=""; echo "bench: no reference: $note"; }
fi
env $NOCGO go build -trimpath -o "$TMP/floor.built" ./vault/vaulttest/cmd/floor
go build -o "$TMP/avbench" ./vault/vaulttest/cmd/avbench

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
"$TMP/avbench" -bin "$TMP/bin/aws-vault" -ref "$refcopy" -ref-source "$REF" -ref-note "$note" -floor "$TMP/bin/floor"
