package vault_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	sdkconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// chainEnv is one emulated AWS, an in-memory keyring and a config file.
type chainEnv struct {
	t    *testing.T
	aws  *vaulttest.AWS
	kr   *vaulttest.MemKeyring
	cfg  *config.File
	env  map[string]string
	now  time.Time
	opts []func(*sdkconfig.LoadOptions) error

	mu       sync.Mutex
	mfaCalls []vault.MFARequest
	codes    []string
	logs     []string
}

// newChainEnv parses configText and stores fixture keys under the given
// profiles (profile -> fixture user name).
func newChainEnv(t *testing.T, configText string, keys map[string]string) *chainEnv {
	t.Helper()
	e := &chainEnv{t: t, aws: vaulttest.Fixture(), kr: vaulttest.NewMemKeyring(), env: map[string]string{}, now: time.Now()}
	cfg, err := config.Parse("/test/config", []byte(configText))
	if err != nil {
		t.Fatal(err)
	}
	e.cfg = cfg
	e.aws.AddRole(admin12h, vaulttest.RoleTrust("arn:aws:iam::111111111111:user/alice"), vaulttest.RoleRequireMFA(),
		vaulttest.RoleMaxSessionDuration(12*time.Hour))
	url := vaulttest.NewTestServer(t, e.aws)
	e.opts = append(e.opts, sdkconfig.WithBaseEndpoint(url))
	for profile, user := range keys {
		e.store(profile, user)
	}
	return e
}

func (e *chainEnv) store(profile, user string) {
	for _, u := range vaulttest.FixtureUsers() {
		if u.Name == user {
			ck := &vault.Store{Keyring: e.kr}
			if err := ck.SetCredentials(profile, aws.Credentials{AccessKeyID: u.AccessKeyID, SecretAccessKey: u.SecretAccessKey}); err != nil {
				e.t.Fatal(err)
			}
			return
		}
	}
	e.t.Fatalf("no fixture user %s", user)
}

// viaProxy routes AWS calls through the emulator's HTTPS proxy with its CA,
// leaving endpoint selection to the SDK.
func (e *chainEnv) viaProxy() {
	p := vaulttest.NewTestProxy(e.t, e.aws)
	proxyURL, err := url.Parse(p.URL)
	if err != nil {
		e.t.Fatal(err)
	}
	ca, err := os.Open(p.CAFile)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { ca.Close() })
	client := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) { tr.Proxy = http.ProxyURL(proxyURL) })
	e.opts = []func(*sdkconfig.LoadOptions) error{sdkconfig.WithHTTPClient(client), sdkconfig.WithCustomCABundle(ca)}
}

// mfa hands out valid codes for the fixture devices: the current TOTP, the
// next one, then the static code, so one test can make up to three MFA
// calls without replaying a code.
func (e *chainEnv) mfa(_ context.Context, req vault.MFARequest) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.mfaCalls = append(e.mfaCalls, req)
	secret := map[string]string{vaulttest.AliceMFASerial: vaulttest.AliceTOTPSecret, vaulttest.FrankMFASerial: vaulttest.FrankTOTPSecret}[req.Serial]
	if len(e.codes) == 0 {
		now := time.Now()
		e.codes = []string{vaulttest.TOTP(secret, now), vaulttest.TOTP(secret, now.Add(30*time.Second)), vaulttest.FixtureStaticMFACode}
	}
	code := e.codes[0]
	e.codes = e.codes[1:]
	return code, nil
}

type getOpts struct {
	base      config.Profile
	noSession bool
	login     bool
	noCache   bool
	mfa       vault.MFATokenSource
	cacheRole bool
	// window is AWS_MIN_TTL (default 5m).
	window time.Duration
	// sso holds the SSO sign-in settings.
	sso vault.SSOOptions
	// steps, when set, receives the steps the chain reports.
	steps *[]vault.Step
}

// load resolves profile as the command line does, with base applied.
func (e *chainEnv) load(profile string, base ...config.Profile) *config.Profile {
	e.t.Helper()
	loader := &config.Loader{File: e.cfg, Getenv: func(k string) string { return e.env[k] }, ActiveProfile: profile}
	if len(base) > 0 {
		loader.Base = base[0]
	}
	p, err := loader.Load(profile)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *chainEnv) clock() time.Time { return e.now }

// get runs the chain for profile.
func (e *chainEnv) get(profile string, g getOpts) (aws.Credentials, error) {
	e.t.Helper()
	loader := &config.Loader{File: e.cfg, Base: g.base, Getenv: func(k string) string { return e.env[k] }, ActiveProfile: profile}
	p, err := loader.Load(profile)
	if err != nil {
		return aws.Credentials{}, err
	}
	mfa := g.mfa
	if mfa == nil {
		mfa = vault.MFATokenFunc(e.mfa)
	}
	chain, err := vault.NewChain(vault.ChainOptions{
		Keyring: e.kr, AWS: &vault.AWSConfigLoader{Getenv: func(k string) string { return e.env[k] }, Options: e.opts},
		MFA: mfa, Now: e.clock, Logf: e.logf, ExpiryWindow: g.window,
		NoSession: g.noSession, NoSessionForTarget: g.login, DisableCache: g.noCache, CacheRoles: g.cacheRole,
		ProcessTimeout: 2 * time.Second, Environ: os.Environ, Stderr: os.Stderr, SSO: g.sso,
	}, p)
	if err != nil {
		return aws.Credentials{}, err
	}
	creds, steps, err := chain.RetrieveSteps(context.Background())
	if g.steps != nil {
		*g.steps = steps
	}
	return creds, err
}

func (e *chainEnv) logf(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.logs = append(e.logs, fmt.Sprintf(format, args...))
}

// calls summarises the STS calls recorded since the last reset, e.g.
// "GetSessionToken 28800 mfa".
func (e *chainEnv) calls() []string {
	var out []string
	for _, r := range e.aws.Requests() {
		s := fmt.Sprintf("%s %d", r.Action, r.DurationSeconds)
		if r.MFA {
			s += " mfa"
		}
		if r.Code != "OK" {
			s += " " + r.Code
		}
		out = append(out, s)
	}
	e.aws.Reset()
	return out
}

// cached lists the cached sessions as "type profile serial".
func (e *chainEnv) cached() []string {
	sk := &vault.Store{Keyring: e.kr, Now: func() time.Time { return e.now }}
	keys, err := sk.SessionKeys()
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, k := range keys {
		s := k.Type + " " + k.ProfileName
		if k.MFASerial != "" {
			s += " " + k.MFASerial[strings.LastIndex(k.MFASerial, "/")+1:]
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func assertStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

// parse parses a config file's text (as config's tests do).
func parse(t *testing.T, text string) *config.File {
	t.Helper()
	cfg, err := config.Parse("/home/u/.aws/config", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
