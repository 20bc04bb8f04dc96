package vault_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

const rotateConfig = `[default]
region = us-east-1

[profile erin]

[profile frank]
mfa_serial = arn:aws:iam::111111111111:mfa/frank

[profile bob]

[profile role]
source_profile = bob
role_arn = arn:aws:iam::222222222222:role/ReadOnly

[profile two-levels]
source_profile = role
role_arn = arn:aws:iam::333333333333:role/Deploy

[profile nokey]
`

// rotEnv is an emulated AWS on a settable clock, a keyring that can be made
// to fail, and the outputs of one rotation.
type rotEnv struct {
	t      *testing.T
	aws    *vaulttest.AWS
	clock  *vaulttest.Clock
	mem    *vaulttest.MemKeyring
	kr     *flakyKeyring
	cfg    *config.File
	url    string
	stdout bytes.Buffer
	stderr bytes.Buffer

	mu       sync.Mutex
	mfaCalls int
	sleeps   []time.Duration
	// onSleep runs at each retry wait, before the clock advances.
	onSleep func(ctx context.Context) error
}

// newRotEnv stores the fixture keys of erin, frank and bob under their
// names. opts configure the emulator.
func newRotEnv(t *testing.T, opts ...vaulttest.Option) *rotEnv {
	t.Helper()
	clock := vaulttest.NewClock(time.Now())
	a := vaulttest.Fixture(append([]vaulttest.Option{vaulttest.WithClock(clock.Now)}, opts...)...)
	cfg, err := config.Parse("/test/config", []byte(rotateConfig))
	if err != nil {
		t.Fatal(err)
	}
	mem := vaulttest.NewMemKeyring()
	e := &rotEnv{t: t, aws: a, clock: clock, mem: mem, kr: &flakyKeyring{MemKeyring: mem}, cfg: cfg, url: vaulttest.NewTestServer(t, a)}
	for _, u := range vaulttest.FixtureUsers() {
		if u.Name == "erin" || u.Name == "frank" || u.Name == "bob" {
			e.setKey(u.Name, aws.Credentials{AccessKeyID: u.AccessKeyID, SecretAccessKey: u.SecretAccessKey})
		}
	}
	return e
}

func (e *rotEnv) setKey(profile string, c aws.Credentials) {
	if err := (&vault.Store{Keyring: e.mem}).SetCredentials(profile, c); err != nil {
		e.t.Fatal(err)
	}
}

// stored returns the key stored for profile.
func (e *rotEnv) stored(profile string) aws.Credentials {
	e.t.Helper()
	c, err := (&vault.Store{Keyring: e.mem}).Credentials(profile)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *rotEnv) loader() *vault.AWSConfigLoader {
	return &vault.AWSConfigLoader{
		Getenv:  func(string) string { return "" },
		Options: []func(*sdkconfig.LoadOptions) error{sdkconfig.WithBaseEndpoint(e.url), sdkconfig.WithRetryMaxAttempts(1)},
	}
}

// printed renders a rotation's reports as aws-vault prints them.
type printed struct{ stdout, stderr *bytes.Buffer }

func (p printed) Progress(msg string) { fmt.Fprintln(p.stdout, msg) }
func (p printed) Note(msg string)     { fmt.Fprintf(p.stderr, "aws-vault: note: %s\n", msg) }
func (p printed) Warning(msg string)  { fmt.Fprintf(p.stderr, "aws-vault: warning: %s\n", msg) }

// rotate runs Rotate for profile.
func (e *rotEnv) rotate(ctx context.Context, profile string, noSession bool) error {
	e.t.Helper()
	loader := &config.Loader{File: e.cfg, Getenv: func(string) string { return "" }, ActiveProfile: profile}
	p, err := loader.Load(profile)
	if err != nil {
		e.t.Fatal(err)
	}
	e.stdout.Reset()
	e.stderr.Reset()
	return vault.Rotate(ctx, vault.RotateOptions{
		Keyring: e.kr, AWS: e.loader(), MFA: vault.MFATokenFunc(e.mfa), Now: e.clock.Now,
		NoSession: noSession, Report: printed{stdout: &e.stdout, stderr: &e.stderr},
		Timing: vault.RotateTiming{Sleep: e.sleep},
	}, p)
}

// mfa returns frank's current code on the emulator's clock.
func (e *rotEnv) mfa(_ context.Context, req vault.MFARequest) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.mfaCalls++
	if req.Serial != vaulttest.FrankMFASerial {
		return "", errors.New("unexpected MFA device " + req.Serial)
	}
	return vaulttest.TOTP(vaulttest.FrankTOTPSecret, e.clock.Now()), nil
}

// sleep advances the emulator's clock instead of waiting.
func (e *rotEnv) sleep(ctx context.Context, d time.Duration) error {
	if e.onSleep != nil {
		if err := e.onSleep(ctx); err != nil {
			return err
		}
	}
	e.mu.Lock()
	e.sleeps = append(e.sleeps, d)
	e.mu.Unlock()
	e.clock.Advance(d)
	return nil
}

// works reports whether AWS accepts c.
func (e *rotEnv) works(c aws.Credentials) error {
	client := sts.NewFromConfig(aws.Config{
		Region: "us-east-1", BaseEndpoint: aws.String(e.url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, ""),
	})
	_, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	return err
}

// awsKeys returns the ids of user's keys at the emulated IAM.
func (e *rotEnv) awsKeys(user string) []string {
	var ids []string
	for _, k := range e.aws.AccessKeys(user) {
		ids = append(ids, k.AccessKeyID)
	}
	return ids
}

// checkSafe asserts the invariant every rotation keeps: AWS holds at most
// two keys for user, the keyring holds one of them, and AWS accepts it.
func (e *rotEnv) checkSafe(profile, user string) aws.Credentials {
	e.t.Helper()
	ids := e.awsKeys(user)
	if len(ids) > 2 {
		e.t.Errorf("AWS holds %d keys for %s", len(ids), user)
	}
	c := e.stored(profile)
	if !strings.Contains(strings.Join(ids, " "), c.AccessKeyID) {
		e.t.Errorf("stored key %s is not one of AWS's keys %v", c.AccessKeyID, ids)
	}
	if err := e.works(c); err != nil {
		e.t.Errorf("AWS does not accept the stored key: %v", err)
	}
	return c
}

// actions lists the recorded actions, with the signing key's prefix
// ("Create:AKIA"), and resets the recording.
func (e *rotEnv) actions() []string {
	var out []string
	for _, r := range e.aws.Requests() {
		s := r.Action + ":" + r.AccessKeyID[:4]
		if r.Code != "OK" {
			s += ":" + r.Code
		}
		out = append(out, s)
	}
	e.aws.Reset()
	return out
}

// flakyKeyring is a MemKeyring whose Set and Remove fail for chosen keys.
type flakyKeyring struct {
	*vaulttest.MemKeyring
	failSet    func(key string) bool
	failRemove func(key string) bool
}

var errKeyringBroken = errors.New("keyring broken")

func (f *flakyKeyring) Set(item keyring.Item) error {
	if f.failSet != nil && f.failSet(item.Key) {
		return errKeyringBroken
	}
	return f.MemKeyring.Set(item)
}

func (f *flakyKeyring) Remove(key string) error {
	if f.failRemove != nil && f.failRemove(key) {
		return errKeyringBroken
	}
	return f.MemKeyring.Remove(key)
}

// last4 is the last four characters of a key id.
func last4(id string) string { return id[len(id)-4:] }

// credsOf returns an IAM key as credentials.
func credsOf(k vaulttest.AccessKey) aws.Credentials {
	return aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey}
}
