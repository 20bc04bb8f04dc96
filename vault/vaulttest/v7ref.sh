#!/bin/sh
# v7ref.sh: builds aws-vault v7.2.0, the reference, once, and prints its
# path. make bench times against it; the compatibility tests run it
# (make test builds it first). On failure it prints why, in one line, on
# stdout, and exits 1.
#
# It is built from the Go module proxy (go install of it is refused: the
# proxy will not list the module's versions) with -trimpath, and on Linux
# without cgo (static), as the Makefile builds ours and as v7.2.0's Linux
# releases were built (cross-compiled, so without cgo), into a cache
# directory ($AWS_VAULT_BENCH_CACHE, default ~/.cache/aws-vault-bench) that
# later runs reuse.
set -eu
REF_MODULE=github.com/99designs/aws-vault/v7
REF_VERSION=v7.2.0
CACHE=${AWS_VAULT_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aws-vault-bench}
NOCGO=""
[ "$(uname -s)" = Linux ] && NOCGO="CGO_ENABLED=0"
REF=$CACHE/aws-vault-$REF_VERSION${NOCGO:+-nocgo}
if [ -x "$REF" ]; then
	echo "$REF"
	exit 0
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/aws-vault-v7ref.XXXXXX")
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
echo "building aws-vault $REF_VERSION from the Go module proxy into $CACHE" >&2
mkdir -p "$CACHE" "$TMP/mod"
# Outside any module, so that our go.mod and go.sum are left alone.
if ! json=$(cd "$TMP/mod" && GOFLAGS= GOWORK=off go mod download -json "$REF_MODULE@$REF_VERSION" 2>"$TMP/err"); then
	# The reason is the JSON's "Error" field, else stderr.
	why=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/\1/p' | head -c 300)
	[ -n "$why" ] || why=$(head -c 300 "$TMP/err" | tr '\n' ' ')
	echo "go mod download $REF_MODULE@$REF_VERSION failed (offline?): $why"
	exit 1
fi
dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
	echo "go mod download $REF_MODULE@$REF_VERSION gave no module directory: $(printf '%s' "$json" | grep Error | head -c 300)"
	exit 1
fi
cp -R "$dir" "$TMP/src"
chmod -R u+w "$TMP/src"
if ! (cd "$TMP/src" && env $NOCGO GOFLAGS= GOWORK=off go build -trimpath -ldflags "-X main.Version=$REF_VERSION" \
	-o "$REF.tmp" . >"$TMP/err" 2>&1); then
	echo "building $REF_MODULE@$REF_VERSION failed: $(head -c 300 "$TMP/err" | tr '\n' ' ')"
	exit 1
fi
mv "$REF.tmp" "$REF"
echo "$REF"
