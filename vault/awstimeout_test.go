package vault_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	sdkconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// testLimit is the AWS_VAULT_AWS_TIMEOUT of these tests.
const testLimit = 2 * time.Second

// boundedCall is one AWS call made through a loader with testLimit, the
// emulator reached as its endpoint server.
type boundedCall struct {
	name   string
	action string // the emulator action that stalls or drips
	call   func(ctx context.Context, l *vault.AWSConfigLoader, endpoint string) error
}

func boundedCalls() []boundedCall {
	bob := longTerm(vaulttest.BobAccessKeyID, vaulttest.BobSecretAccessKey)
	return []boundedCall{
		{"STS", "GetCallerIdentity", func(ctx context.Context, l *vault.AWSConfigLoader, _ string) error {
			_, err := vault.VerifyAccessKey(ctx, l, profile("bob"), bob)
			return err
		}},
		{"IAM", "GetUser", func(ctx context.Context, l *vault.AWSConfigLoader, _ string) error {
			_, err := (&vault.ConsoleLogin{AWS: l}).Credentials(ctx, vault.LoginSource{Profile: profile("bob"), Creds: bob})
			return err
		}},
		{"sign-in", "getSigninToken", func(ctx context.Context, l *vault.AWSConfigLoader, endpoint string) error {
			target := vault.ConsoleTarget{Prefix: endpoint + "/federation"}
			_, err := (&vault.ConsoleLogin{AWS: l}).SigninToken(ctx, profile("bob"), target,
				longTerm("ASIAEXAMPLE", "secret"))
			return err
		}},
	}
}

// TestAWSCallsAreBounded: an endpoint that stalls or drips one byte a
// second ends every kind of AWS call (STS, IAM, the sign-in federation
// GET) at the configured bound, retries included, with an error naming
// the endpoint and the limit. (The SDK's defaults wait for ever: an
// endpoint that never answers held aws-vault indefinitely.)
func TestAWSCallsAreBounded(t *testing.T) {
	for _, bc := range boundedCalls() {
		for _, mode := range []string{"stall", "drip"} {
			t.Run(bc.name+" "+mode, func(t *testing.T) {
				t.Parallel()
				a := vaulttest.Fixture()
				a.Fault(bc.action, vaulttest.FaultSpec{Stall: mode == "stall", Drip: mode == "drip"})
				endpoint := vaulttest.NewTestServer(t, a)
				l := &vault.AWSConfigLoader{Getenv: func(string) string { return "" }, Timeout: testLimit,
					Options: []func(*sdkconfig.LoadOptions) error{sdkconfig.WithBaseEndpoint(endpoint)}}
				start := time.Now()
				err := bc.call(context.Background(), l, endpoint)
				elapsed := time.Since(start)
				checkTimeout(t, err, endpoint)
				// The bound, not an early failure, and not a retry after it.
				if elapsed < testLimit-100*time.Millisecond || elapsed > testLimit+3*time.Second {
					t.Errorf("ended after %v; want about %v", elapsed, testLimit)
				}
			})
		}
	}
}

func checkTimeout(t *testing.T, err error, endpoint string) {
	t.Helper()
	u, _ := url.Parse(endpoint)
	var te *vault.AWSTimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T); want an AWSTimeoutError", err, err)
	}
	msg := err.Error()
	if te.Limit != testLimit || te.Host != u.Host || !strings.Contains(msg, u.Host) ||
		!strings.Contains(msg, "within 2s") || !strings.Contains(msg, "AWS_VAULT_AWS_TIMEOUT") || strings.Contains(msg, "\n") {
		t.Errorf("error %q (host %q, limit %v)", msg, te.Host, te.Limit)
	}
}

// TestAWSTimeoutLeavesRetries: within the bound, a call that fails fast
// is still retried by the SDK and succeeds.
func TestAWSTimeoutLeavesRetries(t *testing.T) {
	a := vaulttest.Fixture()
	a.Fault("GetCallerIdentity", vaulttest.FaultSpec{Status: 503, Times: 1})
	l := &vault.AWSConfigLoader{Getenv: func(string) string { return "" }, Timeout: 20 * time.Second,
		Options: []func(*sdkconfig.LoadOptions) error{sdkconfig.WithBaseEndpoint(vaulttest.NewTestServer(t, a))}}
	arn, err := vault.VerifyAccessKey(context.Background(), l, profile("bob"),
		longTerm(vaulttest.BobAccessKeyID, vaulttest.BobSecretAccessKey))
	if err != nil || !strings.HasSuffix(arn, ":user/bob") || a.Count("GetCallerIdentity") != 2 {
		t.Errorf("arn %q, err %v, %d calls", arn, err, a.Count("GetCallerIdentity"))
	}
}

// TestAWSTimeoutCallerCancel: the caller giving up is reported as that,
// not as the AWS bound.
func TestAWSTimeoutCallerCancel(t *testing.T) {
	a := vaulttest.Fixture()
	a.Fault("GetCallerIdentity", vaulttest.FaultSpec{Stall: true})
	l := &vault.AWSConfigLoader{Getenv: func(string) string { return "" }, Timeout: time.Minute,
		Options: []func(*sdkconfig.LoadOptions) error{sdkconfig.WithBaseEndpoint(vaulttest.NewTestServer(t, a))}}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := vault.VerifyAccessKey(ctx, l, profile("bob"), longTerm(vaulttest.BobAccessKeyID, vaulttest.BobSecretAccessKey))
	var te *vault.AWSTimeoutError
	if err == nil || errors.As(err, &te) {
		t.Errorf("error %v; want the caller's deadline, not the AWS bound", err)
	}
}

func TestParseAWSTimeout(t *testing.T) {
	for in, want := range map[string]time.Duration{"": vault.DefaultAWSTimeout, "5s": 5 * time.Second, "1m30s": 90 * time.Second} {
		if got, err := vault.ParseAWSTimeout(in); err != nil || got != want {
			t.Errorf("%q: %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"banana", "30", "0s", "-5s"} {
		_, err := vault.ParseAWSTimeout(in)
		if err == nil || err.Error() != `AWS_VAULT_AWS_TIMEOUT: "`+in+`" is not a positive duration such as 30s` {
			t.Errorf("%q: %v", in, err)
		}
	}
	if vault.DefaultAWSTimeout >= time.Minute {
		t.Errorf("default %v: want well under a minute", vault.DefaultAWSTimeout)
	}
}
