package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// options are the command-line flags.
type options struct {
	world      string
	caFile     string
	addrFile   string
	port       int
	proxyPort  int
	totpSerial string
	totpSecret string
	whoami     bool
	browse     string
	sso        ssoFlags
}

// parseFlags parses args; usage and errors go to stderr.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("fakeaws", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.world, "world", "fixture", "world to emulate (only \"fixture\")")
	fs.StringVar(&o.caFile, "ca-file", "", "where to write the proxy's CA certificate (default: a temporary directory)")
	fs.StringVar(&o.addrFile, "addr-file", "", "also write the KEY=value lines to this file, atomically")
	fs.IntVar(&o.port, "port", 0, "endpoint server port on 127.0.0.1 (default: random)")
	fs.IntVar(&o.proxyPort, "proxy-port", 0, "HTTPS proxy port on 127.0.0.1 (default: random)")
	fs.StringVar(&o.totpSerial, "totp", "", "print the current TOTP code of this fixture MFA serial and exit")
	fs.StringVar(&o.totpSecret, "totp-secret", "", "print the current TOTP code of this base32 secret and exit")
	fs.BoolVar(&o.whoami, "whoami", false, "call STS GetCallerIdentity with the credentials in the environment, print the ARN and exit")
	fs.StringVar(&o.browse, "browse", "", "play the browser on this SSO sign-in URL (through HTTPS_PROXY and AWS_CA_BUNDLE) and exit")
	o.sso.bind(fs)
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if err := o.sso.check(); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.world != "fixture" {
		return o, fmt.Errorf("unknown world %q (want \"fixture\")", o.world)
	}
	return o, nil
}

// run is the whole command; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "fakeaws: %v\n", err)
		return 2
	}
	if o.totpSerial != "" || o.totpSecret != "" {
		return printTOTP(o, stdout, stderr)
	}
	if o.whoami {
		return whoami(ctx, stdout, stderr)
	}
	if o.browse != "" {
		return browse(ctx, o.browse, stdout, stderr)
	}
	if err := serve(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "fakeaws: %v\n", err)
		return 1
	}
	return 0
}

// printTOTP prints the current code of a fixture serial or of a secret.
func printTOTP(o options, stdout, stderr io.Writer) int {
	secret := o.totpSecret
	for _, u := range vaulttest.FixtureUsers() {
		if o.totpSerial != "" && u.MFASerial == o.totpSerial {
			secret = u.TOTPSecret
		}
	}
	code := vaulttest.TOTP(secret, time.Now())
	if code == "" {
		fmt.Fprintln(stderr, "fakeaws: unknown MFA serial or malformed base32 secret")
		return 2
	}
	fmt.Fprintln(stdout, code)
	return 0
}
