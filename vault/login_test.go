package vault_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	sdkconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// loginWorld is the fixture AWS reached through its HTTPS proxy, so that
// STS, IAM and the sign-in host are addressed by their real names.
type loginWorld struct {
	t     *testing.T
	aws   *vaulttest.AWS
	login *vault.ConsoleLogin
}

func newLoginWorld(t *testing.T) *loginWorld {
	t.Helper()
	a := vaulttest.Fixture()
	p := vaulttest.NewTestProxy(t, a)
	proxyURL, err := url.Parse(p.URL)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(p.CACertPEM())
	client := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.Proxy = http.ProxyURL(proxyURL)
		tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	})
	opts := []func(*sdkconfig.LoadOptions) error{sdkconfig.WithHTTPClient(client), sdkconfig.WithRetryMaxAttempts(1)}
	loader := &vault.AWSConfigLoader{Getenv: func(string) string { return "" }, Options: opts}
	return &loginWorld{t: t, aws: a, login: &vault.ConsoleLogin{AWS: loader}}
}

// profile is a resolved profile in us-east-1 with the default federation
// duration.
func profile(name string, mutate ...func(*config.Profile)) *config.Profile {
	p := &config.Profile{ProfileName: name, Region: "us-east-1", GetFederationTokenDuration: time.Hour}
	for _, m := range mutate {
		m(p)
	}
	return p
}

func longTerm(id, secret string) aws.Credentials {
	return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}
}

func (w *loginWorld) actions() []string {
	var out []string
	for _, r := range w.aws.Requests() {
		s := r.Action
		if name := r.Params["Name"]; name != "" {
			s += " " + name
		}
		if r.Code != "OK" {
			s += " " + r.Code
		}
		out = append(out, s)
	}
	w.aws.Reset()
	return out
}

func TestLoginRoleCredentialsUsedDirectly(t *testing.T) {
	w := newLoginWorld(t)
	creds := aws.Credentials{AccessKeyID: "ASIAEXAMPLEEXAMPLE00", SecretAccessKey: "s", SessionToken: "t"}
	for _, kind := range []string{vault.KindAssumeRole, vault.KindWebIdentity, vault.KindSSO} {
		got, err := w.login.Credentials(context.Background(), vault.LoginSource{Profile: profile("r"), Kind: kind, Creds: creds})
		if err != nil || got != creds {
			t.Errorf("%s: got %v, %v", kind, got.AccessKeyID, err)
		}
	}
	assertStrings(t, "calls", w.actions(), nil)
}

func TestLoginFederatesIAMUser(t *testing.T) {
	w := newLoginWorld(t)
	p := profile("plain", func(p *config.Profile) { p.GetFederationTokenDuration = 2 * time.Hour })
	src := vault.LoginSource{Profile: p, Kind: vault.KindStored, Creds: longTerm(vaulttest.BobAccessKeyID, vaulttest.BobSecretAccessKey)}
	creds, err := w.login.Credentials(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if r := w.aws.RequestsFor("GetFederationToken"); len(r) != 1 || r[0].DurationSeconds != 7200 {
		t.Errorf("GetFederationToken requests: %+v", r)
	}
	assertStrings(t, "calls", w.actions(), []string{"GetCallerIdentity", "GetUser", "GetFederationToken bob"})
	issued := w.aws.IssuedCredentials()
	if last := issued[len(issued)-1]; creds.AccessKeyID != last.AccessKeyID || last.Kind != vaulttest.KindFederated {
		t.Errorf("got %s, last issued %+v", creds.AccessKeyID, last.Kind)
	}
	target, _ := vault.NewConsoleTarget("us-east-1", "")
	token, err := w.login.SigninToken(context.Background(), p, target, creds)
	if err != nil || token == "" {
		t.Fatalf("SigninToken: %q, %v", token, err)
	}
	r := w.aws.RequestsFor("getSigninToken")
	if len(r) != 1 || r[0].AccessKeyID != creds.AccessKeyID || r[0].Code != "OK" || r[0].Host != "signin.aws.amazon.com" || r[0].Params["SessionDuration"] != "" {
		t.Errorf("getSigninToken requests: %+v", r)
	}
}

func TestLoginTruncatesFederationName(t *testing.T) {
	w := newLoginWorld(t)
	name := "a-user-name-longer-than-thirty-two-characters"
	w.aws.AddUser(vaulttest.FixtureAccount, name)
	key, err := w.aws.AddAccessKey(name)
	if err != nil {
		t.Fatal(err)
	}
	src := vault.LoginSource{Profile: profile("long"), Creds: longTerm(key.AccessKeyID, key.SecretAccessKey)}
	if _, err := w.login.Credentials(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "calls", w.actions(), []string{"GetCallerIdentity", "GetUser", "GetFederationToken " + name[:32]})
}

func TestLoginMFAEnforcingPolicy(t *testing.T) {
	w := newLoginWorld(t)
	p := profile("rotate-mfa", func(p *config.Profile) { p.MFASerial = vaulttest.FrankMFASerial })
	src := vault.LoginSource{Profile: p, Kind: vault.KindStored, Creds: longTerm(vaulttest.FrankAccessKeyID, vaulttest.FrankSecretAccessKey)}
	_, err := w.login.Credentials(context.Background(), src)
	var denied *vault.FederationDeniedError
	if !errors.As(err, &denied) || denied.User != "frank" || !denied.MFA || vault.APIErrorCode(err) != "AccessDenied" {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"frank", "cannot carry an MFA code", "mfa_serial", "source_profile = rotate-mfa"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	// IAM refuses GetUser too: the name comes from the refusal.
	assertStrings(t, "calls", w.actions(), []string{"GetCallerIdentity", "GetUser AccessDenied", "GetFederationToken frank AccessDenied"})
}

func TestLoginRefusesSessionCredentials(t *testing.T) {
	w := newLoginWorld(t)
	env := map[string]string{"AWS_ACCESS_KEY_ID": vaulttest.BobAccessKeyID, "AWS_SECRET_ACCESS_KEY": vaulttest.BobSecretAccessKey}
	stsCreds := w.sessionToken(env)
	src := vault.LoginSource{Profile: profile(""), Creds: stsCreds}
	_, err := w.login.Credentials(context.Background(), src)
	var sessionErr *vault.SessionCredentialsError
	if !errors.As(err, &sessionErr) || !strings.Contains(err.Error(), "arn:aws:iam::111111111111:user/bob") {
		t.Fatalf("err = %v", err)
	}
	assertStrings(t, "calls", w.actions(), []string{"GetCallerIdentity"})
}

// sessionToken gets GetSessionToken credentials for the key in env.
func (w *loginWorld) sessionToken(env map[string]string) aws.Credentials {
	w.t.Helper()
	creds, err := vault.EnvCredentials(func(k string) string { return env[k] })
	if err != nil {
		w.t.Fatal(err)
	}
	cfg, err := w.login.AWS.Load(context.Background(), profile("x"), aws.CredentialsProviderFunc(
		func(context.Context) (aws.Credentials, error) { return creds, nil }))
	if err != nil {
		w.t.Fatal(err)
	}
	out, err := sts.NewFromConfig(cfg).GetSessionToken(context.Background(), nil)
	if err != nil {
		w.t.Fatal(err)
	}
	w.aws.Reset()
	return aws.Credentials{AccessKeyID: *out.Credentials.AccessKeyId, SecretAccessKey: *out.Credentials.SecretAccessKey,
		SessionToken: *out.Credentials.SessionToken}
}
