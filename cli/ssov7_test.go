//go:build !windows

package cli_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// interopConfig has a legacy SSO profile on the second instance and an
// sso-session profile on the first: two tokens. hash names the second
// instance's start URL as the AWS console shows it, ending in "#/":
// aws-vault v7.2.0 reads the value cut at the '#', so both key its token
// as legacy's.
const interopConfig = `[profile legacy]
sso_start_url = https://d-9999999999.awsapps.com/start
sso_region = us-east-1
sso_account_id = 333333333333
sso_role_name = Developer
region = us-east-1

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-central-1

[profile sess]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = eu-west-1

[profile hash]
sso_start_url = https://d-9999999999.awsapps.com/start#/
sso_region = us-east-1
sso_account_id = 333333333333
sso_role_name = Developer
region = us-east-1
`

// interopWorld is a HOME with the file keyring and an emulator, which
// both aws-vault v7.2.0 and ours run in with the same environment.
type interopWorld struct {
	t   *testing.T
	aws *vaulttest.AWS
	env []string
}

func newInteropWorld(t *testing.T) *interopWorld {
	t.Helper()
	home := t.TempDir()
	a := vaulttest.Fixture()
	proxy := vaulttest.NewTestProxy(t, a)
	// v7.2.0 builds its SDK configuration by hand: it ignores AWS_CA_BUNDLE
	// but Go honours SSL_CERT_FILE. With no D-Bus session bus it would
	// start a daemon; this address refuses at once.
	bus := filepath.Join(home, "bus")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: bus, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	w := &interopWorld{t: t, aws: a, env: []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"),
		"HTTPS_PROXY=" + proxy.URL, "NO_PROXY=", "AWS_CA_BUNDLE=" + proxy.CAFile, "SSL_CERT_FILE=" + proxy.CAFile,
		"AWS_VAULT_BACKEND=file", "AWS_VAULT_FILE_PASSPHRASE=interop", "AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + bus, "AWS_VAULT_BROWSER=sso-browser", "GORACE=atexit_sleep_ms=0",
		"SSO_BROWSER_LOG=" + filepath.Join(home, "browser.log")}}
	if err := os.WriteFile(filepath.Join(home, "config"), []byte(interopConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

// start starts bin with args.
func (w *interopWorld) start(ctx context.Context, bin string, args ...string) (*exec.Cmd, *bytes.Buffer, *syncBuffer) {
	c := exec.CommandContext(ctx, bin, args...)
	var stdout bytes.Buffer
	stderr := &syncBuffer{}
	c.Env, c.Stdout, c.Stderr = w.env, &stdout, stderr
	if err := c.Start(); err != nil {
		w.t.Fatal(err)
	}
	return c, &stdout, stderr
}

// run runs bin with args, bounded by a minute, and returns its stdout.
func (w *interopWorld) run(bin string, args ...string) string {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, stdout, stderr := w.start(ctx, bin, args...)
	if err := c.Wait(); err != nil {
		w.t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// signInV7 runs aws-vault v7.2.0 for profile with --stdout, approving its
// device code once it has polled, as a user would.
func (w *interopWorld) signInV7(v7, profile string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, _, stderr := w.start(ctx, v7, "exec", "--json", "--stdout", profile)
	code, err := w.aws.WaitSSOUserCode(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	for !polled(w.aws, code) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	if err := w.aws.SSOApprove(code); err != nil {
		w.t.Fatal(err)
	}
	if err := c.Wait(); err != nil {
		w.t.Fatalf("v7.2.0 exec %s: %v\n%s", profile, err, stderr.String())
	}
}

// polled reports whether the client of user code has polled and heard the
// sign-in is pending.
func polled(a *vaulttest.AWS, code string) bool {
	for _, d := range a.SSODeviceAuthorizations() {
		for _, r := range a.RequestsFor("CreateToken") {
			if d.UserCode == code && r.Params["ClientId"] == d.ClientID && r.Code == "AuthorizationPendingException" {
				return true
			}
		}
	}
	return false
}

// calls lists the actions called since the last calls, and forgets them.
func (w *interopWorld) calls() []string {
	var out []string
	for _, r := range w.aws.Requests() {
		out = append(out, r.Action+" "+r.Code)
	}
	w.aws.Reset()
	return out
}

// remaining matches the time-left part of list's session labels.
var remaining = regexp.MustCompile(`:-?(\d+h)?(\d+m)?\d+s\b`)

// normalList is list's output with times left and column padding folded.
func normalList(s string) string {
	s = remaining.ReplaceAllString(s, ":T")
	return regexp.MustCompile(` +`).ReplaceAllString(s, " ")
}

// referenceBinary is aws-vault v7.2.0, built as make bench builds it, or
// a skip saying why there is none (a failure under make test).
func referenceBinary(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin, err := vaulttest.ReferenceBinary(ctx)
	if err != nil {
		if keyringtest.RequireReal() {
			t.Fatalf("no aws-vault v7.2.0 to test against: %v", err)
		}
		t.Skipf("SKIP: no aws-vault v7.2.0 to test against (set AWSVAULT_REQUIRE_REAL=1 to fail instead): %v", err)
	}
	return bin
}

// Keyring interop with aws-vault v7.2.0 for SSO profiles (legacy and
// sso-session): the token and role sessions we write are read by v7.2.0
// and the ones it writes are read by us, with no new sign-in either way,
// and each binary's list shows the same whichever wrote the items.
func TestSSOKeyringInteropWithV7(t *testing.T) {
	v7 := referenceBinary(t)
	ours, err := exec.LookPath("aws-vault")
	if err != nil {
		t.Fatal(err)
	}
	signIns, profiles := []string{"legacy", "sess"}, []string{"legacy", "sess", "hash"}

	// Ours signs in (device code for legacy, PKCE for the sso-session);
	// hash uses legacy's token.
	a := newInteropWorld(t)
	for _, p := range profiles {
		a.run(ours, "exec", "--json", p)
	}
	if got := a.calls(); strings.Count(strings.Join(got, ","), "GetRoleCredentials OK") != 3 || len(a.aws.SSOTokens()) != 2 {
		t.Fatalf("our sign-ins: %q", got)
	}
	oursListA, v7ListA := a.run(ours, "list"), a.run(v7, "list")
	v7Reads := func(w *interopWorld, reader, clear string) {
		t.Helper()
		for _, p := range profiles {
			w.run(reader, "exec", "--json", "--stdout", p)
		}
		if got := w.calls(); len(got) != 0 {
			t.Errorf("%s reading the other's role sessions made AWS calls: %q", filepath.Base(reader), got)
		}
		for _, p := range profiles {
			w.run(clear, "clear", p) // the role session; the token stays
			w.run(reader, "exec", "--json", "--stdout", p)
		}
		if got := w.calls(); strings.Join(got, ",") != "GetRoleCredentials OK,GetRoleCredentials OK,GetRoleCredentials OK" {
			t.Errorf("%s reading the other's tokens made other calls than GetRoleCredentials: %q", filepath.Base(reader), got)
		}
	}
	v7Reads(a, v7, ours)

	// v7.2.0 signs in (device code, --stdout); ours reads its items.
	b := newInteropWorld(t)
	for _, p := range signIns {
		b.signInV7(v7, p)
	}
	b.run(v7, "exec", "--json", "--stdout", "hash")
	if got := b.calls(); strings.Count(strings.Join(got, ","), "GetRoleCredentials OK") != 3 || len(b.aws.SSOTokens()) != 2 {
		t.Fatalf("v7.2.0's sign-ins: %q", got)
	}
	oursListB, v7ListB := b.run(ours, "list"), b.run(v7, "list")
	v7Reads(b, ours, v7)

	for _, l := range []struct{ name, a, b string }{{"ours", oursListA, oursListB}, {"v7.2.0", v7ListA, v7ListB}} {
		if normalList(l.a) != normalList(l.b) {
			t.Errorf("%s list differs by who wrote the items:\nours wrote:\n%s\nv7.2.0 wrote:\n%s", l.name, l.a, l.b)
		}
	}
	if !strings.Contains(oursListA, "legacy                   -                        oidc:https://d-9999999999.awsapps.com/start, sso.GetRoleCredentials:") {
		t.Errorf("our list does not show the token on its profile:\n%s", oursListA)
	}
	t.Logf("ours:\n%s\nv7.2.0:\n%s", oursListA, v7ListA)
}
