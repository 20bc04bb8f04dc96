package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// startFakeAWS runs the command with args until the test ends and returns
// its KEY=value lines and a function that stops it and returns its log.
func startFakeAWS(t *testing.T, bin string, args ...string) (map[string]string, func() string) {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(bin, append([]string{"-ca-file", filepath.Join(dir, "ca.pem")}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	noErr(t, err)
	noErr(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	env, _ := readEnv(t, bufio.NewScanner(stdout))
	return env, func() string {
		noErr(t, cmd.Process.Signal(syscall.SIGINT))
		if err := cmd.Wait(); err != nil {
			t.Errorf("exit: %v", err)
		}
		return stderr.String()
	}
}

func TestSSOAutoApproveAndBrowse(t *testing.T) {
	bin := build(t)
	env, stop := startFakeAWS(t, bin, "-sso-auto-approve")
	if env["FAKEAWS_SSO_START_URL"] != vaulttest.FixtureSSOStartURL || env["FAKEAWS_SSO_REGION"] != vaulttest.FixtureSSORegion ||
		!strings.Contains(env["FAKEAWS_SSO_ROLES"], "111111111111/Developer") {
		t.Errorf("env = %v", env)
	}
	proxy := proxyClient(t, env)

	// Device flow on the endpoint URL: approved as it starts.
	oidc := ssooidc.NewFromConfig(aws.Config{Region: vaulttest.FixtureSSORegion, BaseEndpoint: aws.String(env["AWS_ENDPOINT_URL"])})
	reg, err := oidc.RegisterClient(t.Context(), &ssooidc.RegisterClientInput{ClientName: aws.String("aws-vault"), ClientType: aws.String("public")})
	noErr(t, err)
	start, err := oidc.StartDeviceAuthorization(t.Context(), &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(vaulttest.FixtureSSOStartURL)})
	noErr(t, err)
	tok, err := oidc.CreateToken(t.Context(), &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"), DeviceCode: start.DeviceCode})
	noErr(t, err)
	if tok.ExpiresIn != 8*3600 { // whole seconds on a running clock, as AWS answers
		t.Errorf("expiresIn = %d", tok.ExpiresIn)
	}
	portal := sso.NewFromConfig(aws.Config{Region: vaulttest.FixtureSSORegion, HTTPClient: proxy})
	rc, err := portal.GetRoleCredentials(t.Context(), &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
		AccountId: aws.String(vaulttest.FixtureAccount), RoleName: aws.String(vaulttest.FixtureSSODeveloperRole)})
	noErr(t, err)
	c := rc.RoleCredentials
	id, err := sts.NewFromConfig(aws.Config{Region: "aws-global", HTTPClient: proxy,
		Credentials: credentials.NewStaticCredentialsProvider(*c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)}).
		GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	noErr(t, err)
	if want := vaulttest.SSOSessionARN(vaulttest.FixtureSSORegion, vaulttest.FixtureSSOStartURL, vaulttest.FixtureAccount,
		vaulttest.FixtureSSODeveloperRole, vaulttest.FixtureSSOUser); aws.ToString(id.Arn) != want {
		t.Errorf("caller %s, want %s", aws.ToString(id.Arn), want)
	}

	// PKCE: fakeaws -browse plays the browser through the proxy and calls
	// the redirect URI.
	got := make(chan url.Values, 1)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- r.URL.Query() }))
	defer cb.Close()
	pkceOIDC := ssooidc.NewFromConfig(aws.Config{Region: vaulttest.FixtureSSORegion, HTTPClient: proxy})
	preg, err := pkceOIDC.RegisterClient(t.Context(), &ssooidc.RegisterClientInput{ClientName: aws.String("aws-vault"),
		ClientType: aws.String("public"), GrantTypes: []string{"authorization_code", "refresh_token"},
		RedirectUris: []string{"http://127.0.0.1/oauth/callback"}, IssuerUrl: aws.String(vaulttest.FixtureSSOStartURL),
		Scopes: []string{"sso:account:access"}})
	noErr(t, err)
	verifier := strings.Repeat("v", 43)
	sum := sha256.Sum256([]byte(verifier))
	redirect := cb.URL + "/oauth/callback"
	q := url.Values{"response_type": {"code"}, "client_id": {*preg.ClientId}, "redirect_uri": {redirect}, "state": {"st"},
		"code_challenge_method": {"S256"}, "scopes": {"sso:account:access"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}}
	browser := exec.Command(bin, "-browse", "https://oidc."+vaulttest.FixtureSSORegion+".amazonaws.com/authorize?"+q.Encode())
	browser.Env = []string{"HTTPS_PROXY=" + env["HTTPS_PROXY"], "AWS_CA_BUNDLE=" + env["AWS_CA_BUNDLE"]}
	out, err := browser.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "signed in") {
		t.Fatalf("fakeaws -browse: %v\n%s", err, out)
	}
	cbq := <-got
	if cbq.Get("state") != "st" || cbq.Get("code") == "" || strings.Contains(string(out), cbq.Get("code")) {
		t.Fatalf("redirect URI got %v; browser said %s", cbq, out)
	}
	_, err = pkceOIDC.CreateToken(t.Context(), &ssooidc.CreateTokenInput{ClientId: preg.ClientId, ClientSecret: preg.ClientSecret,
		GrantType: aws.String("authorization_code"), Code: aws.String(cbq.Get("code")), RedirectUri: aws.String(redirect),
		CodeVerifier: aws.String(verifier)})
	noErr(t, err)

	log := stop()
	for _, want := range []string{"sso-oidc StartDeviceAuthorization", "portal.sso.eu-central-1.amazonaws.com sso GetRoleCredentials",
		"oidc.eu-central-1.amazonaws.com sso-oidc Authorize"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{*reg.ClientSecret, *tok.AccessToken, *c.SecretAccessKey, cbq.Get("code")} {
		if strings.Contains(log, secret) {
			t.Errorf("log holds a secret:\n%s", log)
		}
	}
}

func TestSSOFlags(t *testing.T) {
	var sink strings.Builder
	for _, args := range [][]string{{"-sso-consent", "maybe"}, {"-sso-user", "nobody"}, {"-sso-access-token-lifetime", "-1s"}} {
		if _, err := parseFlags(args, &sink); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	o, err := parseFlags([]string{"-sso-auto-approve", "-sso-consent", "deny", "-sso-user", "kim", "-sso-access-token-lifetime", "2m"}, &sink)
	noErr(t, err)
	if s := o.sso.settings(); !s.AutoApprove || s.Consent != vaulttest.SSOConsentDeny || s.BrowserUser != "kim" || s.AccessTokenLifetime.Minutes() != 2 {
		t.Errorf("settings = %+v", s)
	}
	bin := build(t)
	if out, err := exec.Command(bin, "-browse", "ftp://example.com/").CombinedOutput(); err == nil || !strings.Contains(string(out), "not an http(s) URL") {
		t.Errorf("-browse ftp: %v %s", err, out)
	}
}
