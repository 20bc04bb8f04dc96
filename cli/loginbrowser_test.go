package cli

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

const testLoginURL = "https://signin.aws.amazon.com/federation?Action=login&Issuer=aws-vault&Destination=x&SigninToken=live-token"

func nopLogf(string, ...any) {}

// Errors of the browser never carry the URL, even when the underlying
// error quotes it.
func TestBrowserOpenerErrors(t *testing.T) {
	quoting := errors.New("cannot open " + testLoginURL)
	for _, tc := range []struct {
		name string
		b    browserOpener
		want string
	}{
		{"default fails", browserOpener{openDefault: func(string) error { return errors.New(`exec: "xdg-open": not found`) }},
			`no browser could be opened (exec: "xdg-open": not found); set AWS_VAULT_BROWSER to a browser program, or use --stdout to print the sign-in URL`},
		{"default quotes the URL", browserOpener{openDefault: func(string) error { return quoting }},
			"no browser could be opened (the error message quoted the URL and is not shown); set AWS_VAULT_BROWSER to a browser program, or use --stdout to print the sign-in URL"},
		{"program quotes the URL", browserOpener{program: "firefox", startProgram: func(string, string) error { return quoting }},
			`the AWS_VAULT_BROWSER program "firefox" could not open the sign-in URL (the error message quoted the URL and is not shown); use --stdout to print the URL`},
	} {
		tc.b.logf = nopLogf
		err := tc.b.open(testLoginURL)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got  %v\n want %s", tc.name, err, tc.want)
		}
	}
}

func TestBrowserOpenerChoosesProgram(t *testing.T) {
	var got []string
	b := browserOpener{
		program:      "my-browser",
		openDefault:  func(u string) error { got = append(got, "default "+u); return nil },
		startProgram: func(p, u string) error { got = append(got, p+" "+u); return nil },
		logf:         nopLogf,
	}
	if err := b.open("U"); err != nil {
		t.Fatal(err)
	}
	b.program = ""
	if err := b.open("V"); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "my-browser U,default V" {
		t.Errorf("opened %q", got)
	}
}

func TestStartBrowser(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses the Unix programs true, false and sleep")
	}
	if err := startBrowser("true", "u", time.Second); err != nil {
		t.Errorf("true: %v", err)
	}
	if err := startBrowser("false", "u", time.Second); err == nil || err.Error() != "it exited with status 1" {
		t.Errorf("false: %v", err)
	}
	start := time.Now()
	if err := startBrowser("sleep", "2", 50*time.Millisecond); err != nil || time.Since(start) > 2*time.Second {
		t.Errorf("sleep: %v after %s", err, time.Since(start))
	}
	if err := startBrowser("no-such-browser-program", "u", time.Second); err == nil || strings.Contains(err.Error(), "u\"") {
		t.Errorf("missing: %v", err)
	}
}
