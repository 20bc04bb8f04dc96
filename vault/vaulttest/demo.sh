#!/bin/sh
# make demo: aws-vault against the local AWS emulator, no account needed.
# Usage: demo.sh path/to/aws-vault
set -eu

AWSVAULT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/aws-vault-demo.XXXXXX")
FAKEAWS_PID=""

cleanup() {
	if [ -n "$FAKEAWS_PID" ]; then
		kill -INT "$FAKEAWS_PID" 2>/dev/null || true
		wait "$FAKEAWS_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

if [ -t 1 ]; then bold='\033[1m' plain='\033[0m'; else bold='' plain=''; fi
step() { printf "\n${bold}== %s${plain}\n" "$*"; }
# run prints a command line as a user would type it, then runs it.
run() { printf '$ %s\n' "$1"; sh -c "$1"; }

step "Build and start the local AWS emulator (STS, IAM, sign-in; SigV4 checked for real)"
(cd "$ROOT" && go build -o "$WORK/bin/fakeaws" ./vault/vaulttest/cmd/fakeaws)
"$WORK/bin/fakeaws" -addr-file "$WORK/fakeaws.env" -ca-file "$WORK/ca.pem" >/dev/null 2>"$WORK/fakeaws.log" &
FAKEAWS_PID=$!
i=0
until [ -s "$WORK/fakeaws.env" ]; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || { echo "the emulator did not start:"; cat "$WORK/fakeaws.log"; exit 1; }
	sleep 0.1
done
HTTPS_PROXY=$(sed -n 's/^HTTPS_PROXY=//p' "$WORK/fakeaws.env")
AWS_CA_BUNDLE=$(sed -n 's/^AWS_CA_BUNDLE=//p' "$WORK/fakeaws.env")
echo "It answers as the real AWS hosts through HTTPS_PROXY=$HTTPS_PROXY with its own CA ($AWS_CA_BUNDLE)."

# A throwaway HOME with the encrypted file keyring; nothing of yours is touched.
export HOME="$WORK/home" HTTPS_PROXY AWS_CA_BUNDLE NO_PROXY=
export AWS_CONFIG_FILE="$HOME/.aws/config" AWS_VAULT_BACKEND=file AWS_VAULT_FILE_PASSPHRASE=demo-passphrase
export PATH="$(dirname "$AWSVAULT"):$WORK/bin:$PATH" AWS_PAGER=
mkdir -p "$HOME/.aws"
cat >"$AWS_CONFIG_FILE" <<EOF
[default]
region = eu-west-1

[profile alice]
mfa_serial = arn:aws:iam::111111111111:mfa/alice

[profile admin]
source_profile = alice
role_arn = arn:aws:iam::222222222222:role/Admin
mfa_serial = arn:aws:iam::111111111111:mfa/alice
role_session_name = demo
mfa_process = fakeaws -totp arn:aws:iam::111111111111:mfa/alice
EOF

if command -v aws >/dev/null 2>&1; then
	WHOAMI='aws sts get-caller-identity --query Arn --output text'
	CLIENT="the AWS CLI"
else
	WHOAMI='fakeaws -whoami'
	CLIENT="a small SDK client (install awscli to use the real AWS CLI)"
fi

step "Store bob's (fake) long-term key in the keyring"
run 'AWS_ACCESS_KEY_ID=AKIABOBEXAMPLE000001 AWS_SECRET_ACCESS_KEY=bobSecretKey0000000000000000000000000001 aws-vault add --env bob'

step "Run $CLIENT with short-lived session credentials for bob"
run "aws-vault exec bob -- $WHOAMI"

step "Store alice's key; her role 'admin' needs MFA, answered by mfa_process from the emulator's TOTP"
run 'AWS_ACCESS_KEY_ID=AKIAALICEEXAMPLE0001 AWS_SECRET_ACCESS_KEY=aliceSecretKey00000000000000000000000001 aws-vault add --env alice'
run "aws-vault exec admin -- $WHOAMI"

step "The same role as credential_process JSON (served from the cache: no new MFA code)"
run 'aws-vault export --format=json admin' | sed 's/\("SecretAccessKey": "\).*"/\1<hidden>"/; s/\("SessionToken": "\).\{16\}.*"/\1<hidden>"/'

step "What the keyring holds now"
run 'aws-vault list'

step "Done: the emulator is stopped and the throwaway HOME removed"
