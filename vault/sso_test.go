package vault_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// ssoConfig has SSO profiles on the fixture instance: a legacy one, an
// sso-session one, and one whose start URL ends in "#/" as the AWS
// console shows it.
const ssoConfig = `
[profile legacy]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-central-1
sso_account_id = 111111111111
sso_role_name = Developer
region = eu-west-1

[profile hash]
sso_start_url = https://d-1234567890.awsapps.com/start#/
sso_region = eu-central-1
sso_account_id = 111111111111
sso_role_name = ViewOnly
region = eu-west-1

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-central-1

[profile sess]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = eu-west-1
`

// fakeSSOUser signs in as the test's user: it approves device codes on the
// emulator, and plays the browser on authorize URLs.
type fakeSSOUser struct {
	aws *vaulttest.AWS
	mu  sync.Mutex
	got []vault.SSOSignIn
}

func (u *fakeSSOUser) SignIn(ctx context.Context, s vault.SSOSignIn) error {
	u.mu.Lock()
	u.got = append(u.got, s)
	u.mu.Unlock()
	if s.UserCode != "" {
		return u.aws.SSOApprove(s.UserCode)
	}
	_, err := u.aws.Browser().Open(ctx, s.URL)
	return err
}

func (u *fakeSSOUser) signIns() []vault.SSOSignIn {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]vault.SSOSignIn(nil), u.got...)
}

// ssoEnv is a chainEnv with SSO profiles and a fake user.
func ssoEnv(t *testing.T) (*chainEnv, *fakeSSOUser, getOpts) {
	e := newChainEnv(t, ssoConfig, nil)
	e.aws.SetSSOSettings(vaulttest.SSOSettings{IgnorePollInterval: true})
	u := &fakeSSOUser{aws: e.aws}
	return e, u, getOpts{sso: vault.SSOOptions{User: u}}
}

// A warm call for an SSO profile reads one key listing and one item, and
// makes no AWS call.
func TestSSOWarmPathReadsOneItem(t *testing.T) {
	e, _, opts := ssoEnv(t)
	if _, err := e.get("sess", opts); err != nil {
		t.Fatal(err)
	}
	e.calls()
	e.kr.ResetCalls()
	if _, err := e.get("sess", opts); err != nil {
		t.Fatal(err)
	}
	if k, g, s, r := e.kr.Calls("Keys"), e.kr.Calls("Get"), e.kr.Calls("Set"), e.kr.Calls("Remove"); k != 1 || g != 1 || s != 0 || r != 0 {
		t.Errorf("warm call: %d Keys, %d Get, %d Set, %d Remove; want 1, 1, 0, 0", k, g, s, r)
	}
	assertStrings(t, "AWS calls", e.calls(), nil)
}

// The token is stored under the start URL as aws-vault v7 reads it from
// the config file (cut at '#'), and found under the maintained fork's
// key, the start URL whole, too.
func TestSSOTokenKeyForms(t *testing.T) {
	e, u, opts := ssoEnv(t)
	if _, err := e.get("hash", opts); err != nil {
		t.Fatal(err)
	}
	keys, _ := e.kr.Keys()
	if !contains(keys, "oidc:https://d-1234567890.awsapps.com/start") || contains(keys, "oidc:https://d-1234567890.awsapps.com/start#/") {
		t.Errorf("keys %q", keys)
	}
	// legacy has the same start URL without the "#/": no new sign-in.
	if _, err := e.get("legacy", opts); err != nil {
		t.Fatal(err)
	}
	if n := len(u.signIns()); n != 1 {
		t.Errorf("%d sign-ins, want 1", n)
	}

	// A token under the whole start URL (the fork's key) is used.
	item, err := e.kr.Get("oidc:https://d-1234567890.awsapps.com/start")
	if err != nil {
		t.Fatal(err)
	}
	item.Key = "oidc:https://d-1234567890.awsapps.com/start#/"
	if err := e.kr.Set(item); err != nil {
		t.Fatal(err)
	}
	if err := e.kr.Remove("oidc:https://d-1234567890.awsapps.com/start"); err != nil {
		t.Fatal(err)
	}
	if _, err := (&vault.Store{Keyring: e.kr}).RemoveSessions("hash"); err != nil {
		t.Fatal(err)
	}
	e.calls()
	if _, err := e.get("hash", opts); err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "calls with the fork's key", e.calls(), []string{"GetRoleCredentials 0"})
}

// The flows: PKCE for sso-session profiles (the browser gets the authorize
// URL), the device code for legacy ones, and for sso-session ones with
// --stdout (printed) or DeviceCode.
func TestSSOFlowChoice(t *testing.T) {
	for _, tc := range []struct {
		name, profile string
		sso           vault.SSOOptions
		device        bool
		browser       bool
	}{
		{"sso-session", "sess", vault.SSOOptions{}, false, true},
		{"legacy", "legacy", vault.SSOOptions{}, true, true},
		{"stdout", "sess", vault.SSOOptions{Print: true}, true, false},
		{"device code", "sess", vault.SSOOptions{DeviceCode: true}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, u, opts := ssoEnv(t)
			tc.sso.User = u
			opts.sso = tc.sso
			if _, err := e.get(tc.profile, opts); err != nil {
				t.Fatal(err)
			}
			got := u.signIns()
			if len(got) != 1 || (got[0].UserCode != "") != tc.device || got[0].Browser != tc.browser ||
				strings.Contains(got[0].URL, "/authorize?") == tc.device {
				t.Errorf("sign-ins %+v", got)
			}
		})
	}
}

// A sign-in with no one to sign in is an error naming the start URL.
func TestSSONoUser(t *testing.T) {
	e, _, _ := ssoEnv(t)
	_, err := e.get("legacy", getOpts{})
	if err == nil || err.Error() != "profile legacy: signing in to https://d-1234567890.awsapps.com/start needs a person at a browser" {
		t.Errorf("err = %v", err)
	}
}

// The chain reports the SSO step, fetched and then served from the cache,
// as it reports the others (for the issuance log).
func TestSSOStepReported(t *testing.T) {
	e, _, opts := ssoEnv(t)
	var steps []vault.Step
	opts.steps = &steps
	for _, cached := range []bool{false, true} {
		if _, err := e.get("sess", opts); err != nil {
			t.Fatal(err)
		}
		if len(steps) != 1 || steps[0].Kind != vault.KindSSO || steps[0].Profile != "sess" || steps[0].Cached != cached {
			t.Errorf("cached=%v: steps %+v", cached, steps)
		}
	}
}

// The SSO role credentials are role sessions: a role chained on them is
// capped at an hour.
func TestSSOChainedRoleCapped(t *testing.T) {
	e, _, opts := ssoEnv(t)
	e.cfg = parse(t, ssoConfig+"\n[profile on-top]\nsource_profile = legacy\nrole_arn = arn:aws:iam::222222222222:role/ReadOnly\nduration_seconds = 7200\nregion = eu-west-1\n")
	if _, err := e.get("on-top", opts); err != nil {
		t.Fatal(err)
	}
	calls := e.calls()
	if len(calls) == 0 || calls[len(calls)-1] != "AssumeRole 3600" {
		t.Errorf("calls %q", calls)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
