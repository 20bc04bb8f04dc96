// Command fakeaws runs the vaulttest AWS emulator for demos and
// Makefile-driven tests: STS, IAM and console sign-in, reachable both as an
// endpoint URL (AWS_ENDPOINT_URL) and as an HTTPS proxy with a throwaway CA
// (HTTPS_PROXY plus AWS_CA_BUNDLE).
//
// On start it prints KEY=value lines on stdout: AWS_ENDPOINT_URL,
// HTTPS_PROXY, AWS_CA_BUNDLE, then each fixture user's keys and MFA device,
// and finally FAKEAWS_READY=1. The keys are fake. Each request is logged on
// stderr in one line, without secrets. SIGINT or SIGTERM stops it with
// exit status 0.
//
// With -totp SERIAL (or -totp-secret BASE32) it prints the current TOTP code
// and exits, for a demo's mfa_process.
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
