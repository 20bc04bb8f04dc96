// Command fakeaws runs the vaulttest AWS emulator for demos and
// Makefile-driven tests: STS, IAM, console sign-in and IAM Identity Center
// (SSO OIDC and the SSO portal), reachable both as an
// endpoint URL (AWS_ENDPOINT_URL) and as an HTTPS proxy with a throwaway CA
// (HTTPS_PROXY plus AWS_CA_BUNDLE).
//
// On start it prints KEY=value lines on stdout: AWS_ENDPOINT_URL,
// HTTPS_PROXY, AWS_CA_BUNDLE, then each fixture user's keys and MFA device,
// the fixture's IAM Identity Center (FAKEAWS_SSO_START_URL,
// FAKEAWS_SSO_REGION, FAKEAWS_SSO_USER and FAKEAWS_SSO_ROLES as
// ACCOUNT/ROLE,...), and finally FAKEAWS_READY=1. The keys are fake. Each
// request is logged on stderr in one line, without secrets. SIGINT or
// SIGTERM stops it with exit status 0.
//
// With -totp SERIAL (or -totp-secret BASE32) it prints the current TOTP code
// and exits, for a demo's mfa_process.
//
// SSO sign-ins need no one at a browser:
//
//   - -sso-auto-approve approves each device authorization as it starts, so
//     a client polling CreateToken gets its token at once (aws-vault
//     --stdout, aws sso login --no-browser).
//   - -sso-consent allow (the default) makes the PKCE authorize URL redirect
//     at once to the client's redirect URI with a code, and a visit to the
//     device verification URL approve its code; deny and ignore make the
//     user refuse or never answer. -sso-user kim signs in as the other
//     fixture user.
//   - -browse URL plays the browser on such a URL, reaching the emulator
//     through HTTPS_PROXY and AWS_CA_BUNDLE, and calls the client's
//     redirect URI; it prints what happened on stderr and exits. As a
//     client's browser program (AWS_VAULT_BROWSER runs a program with the
//     URL as its only argument), a two-line script does:
//     #!/bin/sh, then exec fakeaws -browse "$1".
//   - -sso-access-token-lifetime 2m issues short-lived access tokens (with
//     their refresh tokens), so clients refresh.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// main runs the command with a context cancelled on SIGINT and SIGTERM.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
