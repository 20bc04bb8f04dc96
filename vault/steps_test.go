package vault_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// steps runs the chain for profile and returns the steps it reports, each
// as "kind profile [role] [mfa] [cached]", checking that StepsOf agrees.
func (e *chainEnv) steps(profile string, cacheRoles bool, noSession ...bool) []string {
	e.t.Helper()
	loader := &config.Loader{File: e.cfg, Getenv: func(k string) string { return e.env[k] }, ActiveProfile: profile}
	p, err := loader.Load(profile)
	if err != nil {
		e.t.Fatal(err)
	}
	chain, err := vault.NewChain(vault.ChainOptions{
		Keyring: e.kr, AWS: &vault.AWSConfigLoader{Getenv: func(k string) string { return e.env[k] }, Options: e.opts},
		MFA: vault.MFATokenFunc(e.mfa), Now: e.clock, Logf: e.logf, CacheRoles: cacheRoles, NoSession: len(noSession) > 0,
		ProcessTimeout: 2 * time.Second, Environ: os.Environ, Stderr: os.Stderr,
	}, p)
	if err != nil {
		e.t.Fatal(err)
	}
	creds, steps, err := chain.RetrieveSteps(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	if got := chain.StepsOf(creds); len(got) != len(steps) {
		e.t.Errorf("StepsOf(the credentials returned) = %v, want %v", got, steps)
	}
	if got := chain.StepsOf(aws.Credentials{AccessKeyID: vaulttest.BobAccessKeyID}); got != nil {
		e.t.Errorf("StepsOf(other credentials) = %v, want nil", got)
	}
	var out []string
	for _, s := range steps {
		line := s.Kind + " " + s.Profile
		if s.RoleARN != "" {
			line += " " + s.RoleARN[len("arn:aws:iam::222222222222:role/"):]
		}
		if s.SessionName != "" {
			line += " name=" + s.SessionName
		}
		if s.MFA != (s.MFASerial != "") {
			e.t.Errorf("step %+v: MFA and MFASerial disagree", s)
		}
		if s.MFA {
			line += " mfa=" + s.MFASerial[len("arn:aws:iam::111111111111:mfa/"):]
		}
		if s.Cached {
			line += " cached"
		}
		out = append(out, line)
	}
	return out
}

// TestChainSteps: the chain reports each step it took, in chain order,
// with the role, the MFA device used and whether the cache served it; a
// warm run reports the cache hits.
func TestChainSteps(t *testing.T) {
	e := newChainEnv(t, readmeConfig+`
[profile named]
source_profile = jonsmith
role_arn = arn:aws:iam::222222222222:role/ReadOnly
role_session_name = ro-session
`, map[string]string{"jonsmith": "alice"})
	assertStrings(t, "cold bar-role2", e.steps("bar-role2", false), []string{
		"stored credentials jonsmith",
		"sts.GetSessionToken jonsmith mfa=alice",
		"sts.AssumeRole bar-role1 Admin name=" + onlySessionName(t, e, "bar-role1"),
		"sts.AssumeRole bar-role2 Deploy name=" + onlySessionName(t, e, "bar-role2"),
	})
	// A single role is assumed with the stored key itself.
	assertStrings(t, "named, roles not cached", e.steps("named", false), []string{
		"stored credentials jonsmith",
		"sts.AssumeRole named ReadOnly name=ro-session",
	})
	assertStrings(t, "named again, roles not cached", e.steps("named", false), []string{
		"stored credentials jonsmith",
		"sts.AssumeRole named ReadOnly name=ro-session",
	})
	e.steps("named", true)
	assertStrings(t, "warm named, roles cached", e.steps("named", true), []string{
		"sts.AssumeRole named ReadOnly name=ro-session cached",
	})
	// The MFA session bar-role2 opened serves foo-admin: the role is
	// assumed without a second code (chained MFA).
	assertStrings(t, "foo-admin", e.steps("foo-admin", false), []string{
		"sts.GetSessionToken jonsmith mfa=alice cached",
		"sts.AssumeRole foo-admin Admin12h name=" + onlySessionName(t, e, "foo-admin"),
	})
	if n := len(e.mfaCalls); n != 1 {
		t.Errorf("%d MFA prompts, want 1", n)
	}
	// Without a session, the role gets the code; its session is cached
	// under the device and served from there.
	assertStrings(t, "bar-role1 --no-session", e.steps("bar-role1", false, true), []string{
		"stored credentials jonsmith",
		"sts.AssumeRole bar-role1 Admin name=" + onlySessionName(t, e, "bar-role1") + " mfa=alice",
	})
	assertStrings(t, "bar-role1 --no-session again", e.steps("bar-role1", false, true), []string{
		"sts.AssumeRole bar-role1 Admin mfa=alice cached",
	})
}

// onlySessionName is the session name of the last AssumeRole the emulator
// saw for the profile's role: aws-vault names unnamed sessions by the time.
func onlySessionName(t *testing.T, e *chainEnv, profile string) string {
	t.Helper()
	p := e.load(profile)
	name := ""
	for _, r := range e.aws.Requests() {
		if r.Action == "AssumeRole" && r.Params["RoleArn"] == p.RoleARN {
			name = r.Params["RoleSessionName"]
		}
	}
	if name == "" {
		t.Fatalf("no AssumeRole of %s recorded", p.RoleARN)
	}
	return name
}
