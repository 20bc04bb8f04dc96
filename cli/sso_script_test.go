//go:build unix

package cli_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/vaulttest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestSSOScripts runs cli/testdata/sso: SSO (IAM Identity Center) profiles
// against the emulator's SSO OIDC and portal, through the HTTPS proxy as
// the real hosts, with sso-browser playing the user's browser.
func TestSSOScripts(t *testing.T) {
	t.Parallel()
	awsCLI2 := findAWSCLI2()
	p := scriptParams(t, "testdata/sso")
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		env.Setenv("AWSCLI2", awsCLI2)
		env.Setenv("AWS_PAGER", "")
		env.Setenv("SSO_BROWSER_LOG", filepath.Join(env.WorkDir, "browser.log"))
		env.Setenv("SSO_BROWSER_CODES", filepath.Join(env.WorkDir, "browser.codes"))
		env.Setenv("SSO_BROWSER_DELAY", "")
		env.Setenv("SSO_BROWSER_STATE", "")
		env.Setenv("SSO_BROWSER_ACTION", "")
		return setup(env)
	}
	p.Condition = func(cond string) (bool, error) {
		if cond != "awscli2" {
			return chainCondition(cond)
		}
		if awsCLI2 == "" && os.Getenv("AWSVAULT_REQUIRE_REAL") == "1" {
			return false, fmt.Errorf("the AWS CLI v2 is not installed; make test installs it (awscli in DEB_PACKAGES)")
		}
		return awsCLI2 != "", nil
	}
	p.Cmds["sso"] = cmdSSO
	p.Cmds["ssocalls"] = cmdSSOCalls
	p.Cmds["nosecrets"] = cmdNoSecrets
	p.Cmds["nowplus"] = cmdNowPlus
	p.Cmds["kritem"] = cmdKeyringItem
	p.Cmds["jsoncheck"] = cmdJSONCheck
	p.Cmds["ssomask"] = cmdSSOMask
	p.Cmds["signins"] = cmdSignins
	p.Cmds["ssoendpoint"] = cmdSSOEndpoint
	testscript.Run(t, p)
}

// findAWSCLI2 finds the AWS CLI v2, Debian's /usr/bin/aws first (a PATH
// may hold a v1 from pip), or returns "".
func findAWSCLI2() string {
	for _, c := range []string{"/usr/bin/aws", "aws"} {
		path, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		if out, err := exec.Command(path, "--version").CombinedOutput(); err == nil && strings.HasPrefix(string(out), "aws-cli/2.") {
			return path
		}
	}
	return ""
}

// sso approve [USER] | deny | set KEY=VALUE... | expire-access |
// revoke-access | revoke-refresh | expire-clients | devices N: drives the
// emulated IAM Identity Center as its user or administrator would.
// approve and deny wait (30 s at most) for a pending device code that the
// client has polled.
func cmdSSO(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: sso approve|deny|set|expire-access|revoke-access|revoke-refresh|expire-clients|devices")
	}
	a := emulator(ts)
	switch args[0] {
	case "approve", "deny":
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		code, err := a.WaitSSOUserCode(ctx)
		ts.Check(err)
		waitPendingPoll(ts, ctx, a, code)
		switch {
		case args[0] == "deny":
			ts.Check(a.SSODeny(code))
		case len(args) == 2:
			ts.Check(a.SSOApproveAs(code, args[1]))
		default:
			ts.Check(a.SSOApprove(code))
		}
	case "set":
		a.SetSSOSettings(ssoSettings(ts, a.SSOSettings(), args[1:]))
	case "expire-access":
		a.ExpireSSOAccessTokens()
	case "revoke-access", "revoke-refresh":
		for _, t := range a.SSOTokens() {
			tok := t.AccessToken
			if args[0] == "revoke-refresh" {
				tok = t.RefreshToken
			}
			if tok != "" {
				a.RevokeSSOToken(tok)
			}
		}
	case "expire-clients":
		a.ExpireSSOClients()
	case "devices":
		want, err := strconv.Atoi(args[1])
		ts.Check(err)
		if got := len(a.SSODeviceAuthorizations()); got != want {
			ts.Fatalf("%d device authorizations, want %d", got, want)
		}
	default:
		ts.Fatalf("sso: unknown subcommand %s", args[0])
	}
}

// waitPendingPoll waits for the client to poll and hear that the sign-in
// is pending, as a user reads the code before approving it: the calls
// then come in the same order on every run.
func waitPendingPoll(ts *testscript.TestScript, ctx context.Context, a *vaulttest.AWS, code string) {
	client := ""
	for _, d := range a.SSODeviceAuthorizations() {
		if d.UserCode == code {
			client = d.ClientID
		}
	}
	for {
		for _, r := range a.RequestsFor("CreateToken") {
			if r.Code == "AuthorizationPendingException" && r.Params["ClientId"] == client {
				return
			}
		}
		select {
		case <-ctx.Done():
			ts.Fatalf("the client never polled the pending sign-in")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// ssoSettings applies KEY=VALUE settings (consent, user, auto-approve,
// access-token, device-code, session, client) to s.
func ssoSettings(ts *testscript.TestScript, s vaulttest.SSOSettings, kvs []string) vaulttest.SSOSettings {
	for _, kv := range kvs {
		k, v, _ := strings.Cut(kv, "=")
		dur := func() time.Duration {
			d, err := time.ParseDuration(v)
			ts.Check(err)
			return d
		}
		switch k {
		case "consent":
			s.Consent = map[string]vaulttest.SSOConsent{"allow": vaulttest.SSOConsentAllow, "deny": vaulttest.SSOConsentDeny,
				"ignore": vaulttest.SSOConsentIgnore}[v]
		case "user":
			s.BrowserUser = v
		case "auto-approve":
			s.AutoApprove = v == "true"
		case "access-token":
			s.AccessTokenLifetime = dur()
		case "device-code":
			s.DeviceCodeLifetime = dur()
		case "session":
			s.SessionDuration = dur()
		default:
			ts.Fatalf("sso set: unknown setting %s", k)
		}
	}
	return s
}

// ssoendpoint VAR serves the emulator on a 127.0.0.1 endpoint URL too,
// for AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_SSO, and sets VAR to
// it (and $SSO_ENDPOINT_HOST to its host, for ssocalls -hosts).
func cmdSSOEndpoint(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: ssoendpoint var")
	}
	url, stop := emulator(ts).StartServer()
	ts.Defer(stop)
	ts.Setenv(args[0], url)
	ts.Setenv("SSO_ENDPOINT_HOST", strings.TrimPrefix(url, "http://"))
}

// ssocalls [-hosts] prints the AWS calls made since the last awscalls or
// ssocalls, one a line: "[host] service Action [GrantType=...] [Params...]
// -> Code" (the host of $SSO_ENDPOINT_HOST as ENDPOINT),
// without the values that change from run to run (client ids, redirect
// ports). Polls that heard "pending" count once in a row.
func cmdSSOCalls(ts *testscript.TestScript, neg bool, args []string) {
	hosts := len(args) == 1 && args[0] == "-hosts"
	if neg || len(args) > 1 || len(args) == 1 && !hosts {
		ts.Fatalf("usage: ssocalls [-hosts]")
	}
	a := emulator(ts)
	reqs := a.Requests()
	// When the fake browser approves the device (VerifyDevice), how many
	// polls came before it depends on how fast that process ran: those
	// polls are left out. Without a browser (auto-approval, --stdout) the
	// pending answers are the emulator's own and are listed, repeats once.
	browser := slices.ContainsFunc(reqs, func(r vaulttest.Request) bool { return r.Action == "VerifyDevice" })
	w := ts.Stdout()
	last := ""
	for _, r := range reqs {
		line := ssoCallLine(r)
		if hosts {
			line = strings.Replace(r.Host, ts.Getenv("SSO_ENDPOINT_HOST"), "ENDPOINT", 1) + " " + line
		}
		pending := strings.HasSuffix(line, "AuthorizationPendingException")
		if pending && (browser || line == last) {
			continue
		}
		fmt.Fprintln(w, line)
		last = line
	}
	a.Reset()
}

func ssoCallLine(r vaulttest.Request) string {
	parts := []string{r.Service, r.Action}
	var keys []string
	for k := range r.Params {
		switch k {
		case "ClientId", "RedirectUri", "RedirectUris", "IssuerUrl", "ClientName", "ClientType", "StartUrl":
			continue // run-to-run values, or the same every time
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+r.Params[k])
	}
	if r.DurationSeconds != 0 {
		parts = append(parts, fmt.Sprintf("DurationSeconds=%d", r.DurationSeconds))
	}
	return strings.Join(parts, " ") + " -> " + r.Code
}

// userCode matches a device flow's user code.
var userCode = regexp.MustCompile(`\b[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}\b`)

// ssomask FILE prints FILE (stdout, stderr or a file) with each device
// user code replaced by XXXX-XXXX, for cmp.
func cmdSSOMask(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: ssomask file")
	}
	fmt.Fprint(ts.Stdout(), userCode.ReplaceAllString(ts.ReadFile(args[0]), "XXXX-XXXX"))
}

// nosecrets PATH...: no file under the paths (or named: stdout, stderr)
// holds an SSO access or refresh token the emulator issued, an
// authorization code the browser saw, or the PKCE verifier of a challenge
// it saw. The file backend's items are encrypted, so a plain-text copy
// anywhere would show.
func cmdNoSecrets(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: nosecrets path...")
	}
	secrets, challenges := scriptSecrets(ts)
	check := func(name string, data []byte) {
		for _, s := range secrets {
			if strings.Contains(string(data), s) {
				ts.Fatalf("%s holds an SSO secret (%d bytes of it)", name, len(s))
			}
		}
		for _, word := range verifierLike.FindAllString(string(data), -1) {
			sum := sha256.Sum256([]byte(word))
			if challenges[base64.RawURLEncoding.EncodeToString(sum[:])] {
				ts.Fatalf("%s holds a PKCE code verifier", name)
			}
		}
	}
	for _, arg := range args {
		if arg == "stdout" || arg == "stderr" {
			check(arg, []byte(ts.ReadFile(arg)))
			continue
		}
		ts.Check(filepath.WalkDir(ts.MkAbs(arg), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || path == ts.Getenv("SSO_BROWSER_CODES") {
				return err
			}
			data, err := os.ReadFile(path)
			if err == nil {
				check(path, data)
			}
			return nil
		}))
	}
}

// verifierLike matches what a PKCE verifier may look like (RFC 7636 §4.1).
var verifierLike = regexp.MustCompile(`[A-Za-z0-9._~-]{43,128}`)

// scriptSecrets are the tokens the emulator issued and the codes the
// browser saw, and the challenges it saw.
func scriptSecrets(ts *testscript.TestScript) ([]string, map[string]bool) {
	var secrets []string
	for _, t := range emulator(ts).SSOTokens() {
		secrets = append(secrets, t.AccessToken)
		if t.RefreshToken != "" {
			secrets = append(secrets, t.RefreshToken)
		}
	}
	challenges := map[string]bool{}
	if data, err := os.ReadFile(ts.Getenv("SSO_BROWSER_CODES")); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if c, ok := strings.CutPrefix(line, "challenge "); ok {
				challenges[c] = true
			} else if line != "" {
				secrets = append(secrets, line)
			}
		}
	}
	if len(secrets) == 0 {
		ts.Fatalf("nosecrets: no secret was issued: nothing to look for")
	}
	return secrets, challenges
}
