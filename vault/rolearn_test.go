package vault_test

import (
	"context"
	"errors"
	"os"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// The ECS server's /role-arn/<ARN>: AssumeRole of that role with the
// given source's credentials, a Unix-nanosecond session name, no MFA, no
// external ID, the profile's AssumeRole duration capped at an hour for a
// temporary source, and nothing written to the keyring.
func TestAssumeRoleARN(t *testing.T) {
	e := newChainEnv(t, "[default]\nregion = us-east-1\n\n[profile plain]\nexternal_id = not-sent\n", map[string]string{"plain": "bob"})
	p := e.load("plain", durationBase(2*time.Hour))
	chain, err := vault.NewChain(vault.ChainOptions{
		Keyring: e.kr, AWS: &vault.AWSConfigLoader{Getenv: func(k string) string { return e.env[k] }, Options: e.opts},
		Now: time.Now, Logf: e.logf, ProcessTimeout: 2 * time.Second, Environ: os.Environ, Stderr: os.Stderr,
	}, p)
	if err != nil {
		t.Fatal(err)
	}
	src, err := chain.Retrieve(context.Background()) // GetSessionToken: temporary
	if err != nil {
		t.Fatal(err)
	}
	keysBefore, _ := e.kr.Keys()
	e.aws.Reset()
	creds, err := chain.AssumeRoleARN(context.Background(), aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return src, nil
	}), vaulttest.ReadOnlyRoleARN)
	if err != nil {
		t.Fatal(err)
	}
	if !creds.CanExpire || creds.SessionToken == "" || creds.AccessKeyID == src.AccessKeyID {
		t.Errorf("credentials %+v are not the role's", creds.AccessKeyID)
	}
	calls := e.aws.Requests()
	if len(calls) != 1 || calls[0].Action != "AssumeRole" {
		t.Fatalf("calls %+v, want one AssumeRole", calls)
	}
	c := calls[0]
	if c.AccessKeyID != src.AccessKeyID || c.MFA || c.DurationSeconds != 3600 || c.Params["RoleArn"] != vaulttest.ReadOnlyRoleARN ||
		c.Params["ExternalId"] != "" || !regexp.MustCompile(`^[0-9]{19}$`).MatchString(c.Params["RoleSessionName"]) {
		t.Errorf("AssumeRole %+v", c)
	}
	if keysAfter, _ := e.kr.Keys(); !slices.Equal(keysBefore, keysAfter) {
		t.Errorf("keyring changed: %q -> %q", keysBefore, keysAfter)
	}

}

// An AssumeRole answer already expired by this computer's clock (here
// three hours ahead) is refused with the chain's error and clock hint,
// naming the role.
func TestAssumeRoleARNExpired(t *testing.T) {
	e := newChainEnv(t, "[default]\nregion = us-east-1\n\n[profile plain]\n", map[string]string{"plain": "bob"})
	p := e.load("plain", durationBase(time.Hour))
	opts := vault.ChainOptions{
		Keyring: e.kr, AWS: &vault.AWSConfigLoader{Getenv: func(k string) string { return e.env[k] }, Options: e.opts},
		Now: time.Now, Logf: e.logf, ProcessTimeout: 2 * time.Second, Environ: os.Environ, Stderr: os.Stderr,
	}
	chain, err := vault.NewChain(opts, p)
	if err != nil {
		t.Fatal(err)
	}
	src, err := chain.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	opts.Now = func() time.Time { return time.Now().Add(3 * time.Hour) }
	ahead, err := vault.NewChain(opts, p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ahead.AssumeRoleARN(context.Background(), aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return src, nil
	}), vaulttest.ReadOnlyRoleARN)
	var hinted *vault.HintedError
	if err == nil || !errors.As(err, &hinted) ||
		!regexp.MustCompile(`^role `+regexp.QuoteMeta(vaulttest.ReadOnlyRoleARN)+`: AssumeRole answered with credentials that expired at \S+Z, before this computer's time \S+Z; not using them$`).MatchString(hinted.Err.Error()) ||
		!regexp.MustCompile(`clock is .* ahead of AWS's`).MatchString(hinted.Hint) {
		t.Fatalf("AssumeRoleARN with the clock 3h ahead: %v (%#v)", err, hinted)
	}
}
