//go:build !windows

package cli_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/vaulttest"
)

const ssoFlightConfig = `[profile dev]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-central-1
sso_account_id = 111111111111
sso_role_name = Developer
region = eu-west-1

[profile viewonly]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-central-1
sso_account_id = 111111111111
sso_role_name = ViewOnly
region = eu-west-1

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-central-1

[profile s-dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = eu-west-1

[profile s-viewonly]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ViewOnly
region = eu-west-1
`

// newSSOFlight is a HOME with SSO profiles, an emulated IAM Identity
// Center whose access tokens last 10 minutes, and sso-browser as the
// browser, which waits browserDelay before it signs in.
func newSSOFlight(t *testing.T, browserDelay time.Duration) *flight {
	t.Helper()
	f := &flight{t: t, aws: vaulttest.Fixture(vaulttest.WithSSOSettings(vaulttest.SSOSettings{AccessTokenLifetime: 10 * time.Minute})),
		home: t.TempDir()}
	proxy := vaulttest.NewTestProxy(t, f.aws)
	f.env = []string{"HOME=" + f.home, "PATH=" + os.Getenv("PATH"), "HTTPS_PROXY=" + proxy.URL, "AWS_CA_BUNDLE=" + proxy.CAFile,
		"NO_PROXY=", "AWS_VAULT_BACKEND=file", "AWS_VAULT_FILE_PASSPHRASE=p", "AWS_CONFIG_FILE=" + filepath.Join(f.home, "config"),
		"GORACE=atexit_sleep_ms=0", "AWS_VAULT_BROWSER=sso-browser", "SSO_BROWSER_LOG=" + filepath.Join(f.home, "browser.log"),
		"SSO_BROWSER_DELAY=" + browserDelay.String()}
	if err := os.WriteFile(filepath.Join(f.home, "config"), []byte(ssoFlightConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// browserRuns counts the runs of the browser program.
func (f *flight) browserRuns() int {
	b, _ := os.ReadFile(filepath.Join(f.home, "browser.log"))
	return strings.Count(string(b), "run ARGS=1")
}

// allJSON checks every caller succeeded with credential_process JSON, and
// nothing else, on stdout; and that stderr holds the sign-in's lines
// (signedIn callers), one waiting line, or nothing. It returns how many
// callers waited.
func allJSON(t *testing.T, res []result, startURL string, signedIn int) int {
	t.Helper()
	waitLine := "waiting for SSO sign-in for " + startURL + " in your browser (Ctrl-C to abort)\n"
	waited, signIns := 0, 0
	for i, r := range res {
		var out struct{ AccessKeyID, SecretAccessKey, SessionToken string }
		if r.err != nil || json.Unmarshal([]byte(r.stdout), &out) != nil || out.SessionToken == "" {
			t.Fatalf("caller %d: %v\nstdout %q\nstderr %s", i, r.err, r.stdout, r.stderr)
		}
		switch {
		case r.stderr == "":
		case r.stderr == waitLine:
			waited++
		case strings.HasPrefix(r.stderr, "Opening the SSO authorization page in your default browser (use Ctrl-C to abort)\n"):
			signIns++
		default:
			t.Errorf("caller %d: stderr %q", i, r.stderr)
		}
	}
	if signIns != signedIn {
		t.Errorf("%d callers showed sign-in instructions, want %d", signIns, signedIn)
	}
	return waited
}

// 20 concurrent cold calls on two profiles sharing a start URL (10 each):
// one device authorization, one browser tab, all 20 succeed; callers that
// waited for the sign-in said so on one stderr line.
func TestSSOConcurrentSignIn(t *testing.T) {
	f := newSSOFlight(t, 2*time.Second)
	res := f.parallel(20, func(i int) []string { return []string{"exec", "--json", []string{"dev", "viewonly"}[i%2]} })
	waited := allJSON(t, res, vaulttest.FixtureSSOStartURL, 1)
	if n := len(f.aws.SSODeviceAuthorizations()); n != 1 {
		t.Errorf("%d device authorizations, want 1", n)
	}
	if n := f.browserRuns(); n != 1 {
		t.Errorf("the browser ran %d times, want 1", n)
	}
	f.expectCalls(map[string]int{"RegisterClient": 1, "StartDeviceAuthorization": 1, "VerifyDevice": 1,
		"CreateToken": f.aws.Count("CreateToken"), "GetRoleCredentials": 2})
	if n := f.aws.CountOK("CreateToken"); n != 1 {
		t.Errorf("%d tokens issued, want 1", n)
	}
	if waited == 0 {
		t.Error("no caller said it was waiting for the sign-in")
	}
	t.Logf("%d of 20 callers waited", waited)
}

// 20 concurrent calls on two sso-session profiles once the access token
// has expired: one refresh, no browser, all 20 succeed.
func TestSSOConcurrentRefresh(t *testing.T) {
	f := newSSOFlight(t, 0)
	if out, err := f.cmd(nil, "exec", "--json", "s-dev").CombinedOutput(); err != nil {
		t.Fatalf("sign-in: %v\n%s", err, out)
	}
	if out, err := f.cmd(nil, "clear", "s-dev").CombinedOutput(); err != nil {
		t.Fatalf("clear: %v\n%s", err, out)
	}
	f.aws.Reset()
	later := time.Now().Add(15 * time.Minute).UTC().Format(time.RFC3339)
	f.env = append(f.env, "AWSVAULT_TEST_NOW="+later)
	res := f.parallel(20, func(i int) []string { return []string{"exec", "--json", []string{"s-dev", "s-viewonly"}[i%2]} })
	allJSON(t, res, vaulttest.FixtureSSOStartURL, 0)
	f.expectCalls(map[string]int{"CreateToken": 1, "GetRoleCredentials": 2})
	if r := f.aws.RequestsFor("CreateToken"); len(r) != 1 || r[0].Params["GrantType"] != "refresh_token" {
		t.Errorf("CreateToken calls: %+v", r)
	}
	if n := f.browserRuns(); n != 1 {
		t.Errorf("the browser ran %d times in all, want 1 (the first sign-in)", n)
	}
}

// Ctrl-C during a sign-in (the browser's, or a device code's) ends
// aws-vault at once with 130, storing nothing.
func TestSSOSignInInterrupted(t *testing.T) {
	f := newSSOFlight(t, 0)
	for _, tc := range []struct {
		name  string
		args  []string
		shown string
	}{
		{"authorization code", []string{"exec", "--json", "s-dev"}, "Opening the SSO authorization page"},
		{"device code", []string{"exec", "--json", "--stdout", "dev"}, "Code: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := f.cmd([]string{"SSO_BROWSER_ACTION=none"}, tc.args...)
			stderr := &syncBuffer{}
			c.Stderr = stderr
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- c.Wait() }()
			f.await(done, "the sign-in instructions", func() bool { return strings.Contains(stderr.String(), tc.shown) })
			if err := c.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-done:
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() != 130 || !strings.Contains(stderr.String(), "aws-vault: error: exec: interrupted\n") {
					t.Errorf("after Ctrl-C: %v\n%s", err, stderr.String())
				}
			case <-time.After(bound):
				_ = c.Process.Kill()
				t.Fatalf("still running %s after Ctrl-C", bound)
			}
			if out, _ := f.cmd(nil, "list", "--sessions").Output(); len(out) != 0 {
				t.Errorf("stored after Ctrl-C: %s", out)
			}
		})
	}
}
