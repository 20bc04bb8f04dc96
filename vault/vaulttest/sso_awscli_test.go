package vaulttest

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// realClient finds a program among candidates for which probe succeeds.
// None found fails the test under AWSVAULT_REQUIRE_REAL=1 (make test
// installs awscli and python3-boto3), else skips it saying why.
func realClient(t *testing.T, what string, probe func(path string) bool, candidates ...string) string {
	t.Helper()
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil && probe(p) {
			return p
		}
	}
	if os.Getenv("AWSVAULT_REQUIRE_REAL") == "1" {
		t.Fatalf("%s is not installed; make test installs it (see DEB_PACKAGES in the Makefile)", what)
	}
	t.Skipf("SKIP: %s is not installed (set AWSVAULT_REQUIRE_REAL=1 to fail instead)", what)
	return ""
}

// cliEnv is a throwaway HOME with an AWS config for the fixture SSO
// instance, reaching the emulator through its proxy.
type cliEnv struct {
	home string
	env  []string
}

// ssoConfigFile is the AWS config the real clients read: an sso-session
// with registration scopes (so the AWS CLI's device flow gets refresh
// tokens), an SSO profile, and a role chained on top of it.
const ssoConfigFile = `[sso-session fixture]
sso_start_url = ` + FixtureSSOStartURL + `
sso_region = ` + FixtureSSORegion + `
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = fixture
sso_account_id = ` + FixtureAccount + `
sso_role_name = ` + FixtureSSODeveloperRole + `
region = eu-west-1

[profile chained]
source_profile = dev
role_arn = ` + ReadOnlyRoleARN + `
role_session_name = on-top-of-sso
region = eu-west-1
`

// newCLIEnv writes the config into a fresh HOME.
func newCLIEnv(t *testing.T, p *Proxy) *cliEnv {
	home := t.TempDir()
	noErr(t, os.MkdirAll(filepath.Join(home, ".aws"), 0o700))
	noErr(t, os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(ssoConfigFile), 0o600))
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "AWS_CONFIG_FILE=" + filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, ".aws", "credentials"), "AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=", "NO_PROXY=", "no_proxy=", "LC_ALL=C.UTF-8"}
	return &cliEnv{home, append(env, p.Env()...)}
}

// run runs a client with the environment, bounded by a minute.
func (e *cliEnv) run(t *testing.T, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env, cmd.Dir = e.env, e.home
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// cachedToken reads the AWS CLI's token cache file of the sso-session.
func (e *cliEnv) cachedToken(t *testing.T) map[string]any {
	t.Helper()
	sum := sha1.Sum([]byte("fixture"))
	data, err := os.ReadFile(filepath.Join(e.home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"))
	noErr(t, err)
	var tok map[string]any
	noErr(t, json.Unmarshal(data, &tok))
	return tok
}

// TestSSOWithAWSCLIAndBoto3 signs in with the real AWS CLI v2 (aws sso
// login, device flow, approved by the test), then lets the AWS CLI and
// boto3 use the token: botocore's SSO token provider refreshes a token
// that expires within 15 minutes, GetRoleCredentials hands out role
// credentials, and STS accepts them, a chained role included.
func TestSSOWithAWSCLIAndBoto3(t *testing.T) {
	awsCLI := realClient(t, "the AWS CLI v2 (awscli)", func(p string) bool {
		out, err := exec.Command(p, "--version").CombinedOutput()
		return err == nil && strings.HasPrefix(string(out), "aws-cli/2.")
	}, "aws", "/usr/bin/aws")
	python := realClient(t, "python3 with boto3 (python3-boto3)", func(p string) bool {
		return exec.Command(p, "-c", "import boto3").Run() == nil
	}, "python3", "/usr/bin/python3")
	// The test approves once the AWS CLI has polled and heard the sign-in
	// is pending, as a user would after reading the code.
	var (
		a       *AWS
		once    sync.Once
		approve = make(chan error, 1)
	)
	a = Fixture(WithSSOSettings(SSOSettings{AccessTokenLifetime: 12 * time.Minute}), WithObserver(func(r Request) {
		if r.Action == "CreateToken" && r.Code == "AuthorizationPendingException" {
			once.Do(func() { approve <- a.SSOApprove(a.SSODeviceAuthorizations()[0].UserCode) })
		}
	}))
	e := newCLIEnv(t, NewTestProxy(t, a))
	out, err := e.run(t, awsCLI, "sso", "login", "--profile", "dev", "--no-browser")
	select {
	case err := <-approve:
		noErr(t, err)
	default:
		t.Fatalf("aws sso login never polled a pending sign-in: %v\n%s", err, out)
	}
	auths := a.SSODeviceAuthorizations()
	if err != nil || len(auths) != 1 || !strings.Contains(out, auths[0].UserCode) ||
		!strings.Contains(out, "https://device.sso.eu-central-1.amazonaws.com/") || !strings.Contains(out, "Successfully logged into") {
		t.Fatalf("aws sso login: %v\n%s", err, out)
	}
	first := e.cachedToken(t)
	if first["refreshToken"] == nil || first["clientId"] == nil {
		t.Fatalf("cache file without refresh token or registration: keys %v", keysOf(first))
	}
	wantSession := SSOSessionARN(FixtureSSORegion, FixtureSSOStartURL, FixtureAccount, FixtureSSODeveloperRole, FixtureSSOUser)

	// The AWS CLI refreshes the 12-minute token, then calls STS with the
	// role credentials.
	out, err = e.run(t, awsCLI, "sts", "get-caller-identity", "--profile", "dev", "--query", "Arn", "--output", "text")
	if err != nil || strings.TrimSpace(out) != wantSession {
		t.Fatalf("aws sts get-caller-identity: %v\n%s", err, out)
	}
	second := e.cachedToken(t)
	if second["refreshToken"] == first["refreshToken"] || second["accessToken"] == first["accessToken"] {
		t.Error("the AWS CLI did not store the refreshed, rotated tokens")
	}

	// boto3 refreshes again with the rotated refresh token, and chains a
	// role on top of the SSO credentials.
	script := `import boto3
for p in ("dev", "chained"):
    print(boto3.Session(profile_name=p).client("sts").get_caller_identity()["Arn"])
`
	out, err = e.run(t, python, "-c", script)
	if want := wantSession + "\narn:aws:sts::222222222222:assumed-role/ReadOnly/on-top-of-sso\n"; err != nil || out != want {
		t.Fatalf("boto3: %v\n%s\nwant:\n%s", err, out, want)
	}
	// What the clients did, in order: the AWS CLI's sign-in (one pending
	// poll), then each client refreshed its near-expiry token, got role
	// credentials in sso_region and signed STS calls with them.
	refreshThenSTS := []string{"sso-oidc CreateToken refresh_token OK", "sso GetRoleCredentials  OK"}
	want := append([]string{"sso-oidc RegisterClient  OK", "sso-oidc StartDeviceAuthorization  OK",
		"sso-oidc CreateToken " + grantDeviceCode + " pending",
		"sso-oidc CreateToken " + grantDeviceCode + " OK"}, refreshThenSTS...)
	want = append(append(append(want, "sts GetCallerIdentity  OK"), refreshThenSTS...), "sts GetCallerIdentity  OK")
	want = append(append(want, refreshThenSTS...), "sts AssumeRole  OK", "sts GetCallerIdentity  OK")
	got := callSequence(t, a)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Revoked refresh token and a token the server expired: the portal
	// answers 401 and boto3 fails with UnauthorizedException.
	noErr(t, errOrNil(a.RevokeSSOToken(e.cachedToken(t)["refreshToken"].(string))))
	a.ExpireSSOAccessTokens()
	out, err = e.run(t, python, "-c", script)
	if err == nil || !strings.Contains(out, "UnauthorizedException") {
		t.Errorf("boto3 with a dead token: %v\n%s", err, out)
	}
	if got := callSequence(t, a); !slices.Contains(got, "sso-oidc CreateToken refresh_token InvalidGrantException") ||
		got[len(got)-1] != "sso GetRoleCredentials  UnauthorizedException" {
		t.Errorf("calls with a dead token:\n%s", strings.Join(got, "\n"))
	}
}

// callSequence is "service action grant code" per recorded call. Polls
// that heard "pending" or "slow down" count once in a row: botocore polls
// once more at once after printing the code, so how many did is timing.
// AssumeRole must be signed with SSO role credentials.
func callSequence(t *testing.T, a *AWS) []string {
	t.Helper()
	fromSSO := map[string]bool{}
	for _, c := range a.IssuedCredentials() {
		fromSSO[c.AccessKeyID] = c.Kind == KindSSO
	}
	var got []string
	for _, r := range a.Requests() {
		code := r.Code
		if code == "AuthorizationPendingException" || code == "SlowDownException" {
			code = "pending"
		}
		line := r.Service + " " + r.Action + " " + r.Params["GrantType"] + " " + code
		if code == "pending" && len(got) > 0 && got[len(got)-1] == line {
			continue
		}
		got = append(got, line)
		if r.Action == "AssumeRole" && !fromSSO[r.AccessKeyID] {
			t.Errorf("AssumeRole signed with %s, not SSO role credentials", r.AccessKeyID)
		}
	}
	return got
}

// keysOf lists a map's keys.
func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
