#!/bin/sh
# make bench: times aws-vault (path in $1) against the emulator; see
# vault/vaulttest/cmd/avbench.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/aws-vault-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"
go build -o "$TMP/floor" ./vault/vaulttest/cmd/floor
go build -o "$TMP/avbench" ./vault/vaulttest/cmd/avbench
"$TMP/avbench" -bin "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" -floor "$TMP/floor"
