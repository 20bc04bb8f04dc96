package vault_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// plan plans profile with the options get runs it with.
func (e *chainEnv) plan(profile string, g getOpts) ([]vault.PlanStep, error) {
	e.t.Helper()
	loader := &config.Loader{File: e.cfg, Base: g.base, Getenv: func(k string) string { return e.env[k] }, ActiveProfile: profile}
	p, err := loader.Load(profile)
	if err != nil {
		return nil, err
	}
	steps, err := vault.PlanChain(vault.ChainOptions{
		Keyring: e.kr, Now: e.clock, Logf: e.logf, ExpiryWindow: g.window,
		NoSession: g.noSession, NoSessionForTarget: g.login, DisableCache: g.noCache, CacheRoles: g.cacheRole,
	}, p)
	if err != nil {
		return nil, err
	}
	aws := &vault.AWSConfigLoader{Getenv: func(k string) string { return e.env[k] }, Options: e.opts}
	return steps, aws.ResolvePlanEndpoints(context.Background(), steps)
}

// plannedCalls are the AWS calls a plan says will be made, as
// "host Action RoleArn duration mfa".
func plannedCalls(t *testing.T, steps []vault.PlanStep) []string {
	var out []string
	for _, s := range steps {
		if !s.Runs() || s.Action == "" {
			continue
		}
		u, err := url.Parse(s.Endpoint)
		if err != nil || s.Endpoint == "" {
			t.Fatalf("step %+v: endpoint %q", s, s.Endpoint)
		}
		out = append(out, fmt.Sprintf("%s %s %s %d mfa=%v", u.Host, s.Action, s.RoleARN, s.DurationSeconds, s.MFASerial != ""))
	}
	return out
}

// recordedCalls are the calls the emulator saw since the last reset, in
// the same form.
func (e *chainEnv) recordedCalls() []string {
	var out []string
	for _, r := range e.aws.Requests() {
		out = append(out, fmt.Sprintf("%s %s %s %d mfa=%v", r.Host, r.Action, r.Params["RoleArn"], r.DurationSeconds, r.MFA))
	}
	e.aws.Reset()
	return out
}

// The plan is what the chain does: for every row of the README's table of
// outcomes and the chain tests' profiles, the AWS calls made are exactly the
// calls planned, in order (action, role, duration, MFA, endpoint); warm, the
// plan says each step is cached (or not needed) and no call is made.
func TestPlanIsWhatRuns(t *testing.T) {
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	if err := os.WriteFile(token, []byte(vaulttest.FixtureWebIdentityToken), 0o600); err != nil {
		t.Fatal(err)
	}
	mfa := "mfa_serial = arn:aws:iam::111111111111:mfa/alice\n"
	rules := "[default]\nregion = us-east-1\n[profile base]\n" + mfa +
		"[profile r1]\nsource_profile = base\nrole_arn = arn:aws:iam::222222222222:role/Admin\n" + mfa +
		"[profile hop]\nsource_profile = r1\n" + mfa +
		"[profile r2]\nsource_profile = hop\nrole_arn = arn:aws:iam::333333333333:role/Deploy\nduration_seconds = 43200\n" + mfa +
		"[profile long]\nsource_profile = base\nrole_arn = " + admin12h + "\nduration_seconds = 43200\n" + mfa +
		"[profile pass]\nsource_profile = base\n" + mfa +
		"[profile wi]\nrole_arn = " + vaulttest.ReadOnlyRoleARN + "\nweb_identity_token_file = " + token + "\n" +
		"[profile wip]\nrole_arn = " + vaulttest.ReadOnlyRoleARN + "\nweb_identity_token_process = printf %s " + vaulttest.FixtureWebIdentityToken + "\n" +
		"[profile tagged]\nsource_profile = base\nrole_arn = " + vaulttest.ReadOnlyRoleARN + "\nsession_tags = team=a,env=b\n" +
		"[profile legacy]\nsource_profile = base\nrole_arn = " + vaulttest.ReadOnlyRoleARN + "\nsts_regional_endpoints = legacy\n"
	readme := map[string]string{"jonsmith": "alice"}
	// exec caches roles obtained without MFA too (AWS_VAULT_CACHE_ROLES
	// unset): warm, nothing is called. "v7" rows do not, as aws-vault v7.
	for _, tc := range []struct {
		name, config, profile string
		keys                  map[string]string
		opts                  getOpts
		calls                 int
	}{
		{name: "jonsmith --no-session", config: readmeConfig, keys: readme, profile: "jonsmith", opts: getOpts{cacheRole: true, noSession: true}},
		{name: "jonsmith", config: readmeConfig, keys: readme, profile: "jonsmith", opts: getOpts{cacheRole: true}, calls: 1},
		{name: "foo-readonly", config: readmeConfig, keys: readme, profile: "foo-readonly", opts: getOpts{cacheRole: true}, calls: 1},
		{name: "foo-readonly (v7: roles without MFA not cached)", config: readmeConfig, keys: readme, profile: "foo-readonly", calls: 1},
		{name: "foo-admin", config: readmeConfig, keys: readme, profile: "foo-admin", opts: getOpts{cacheRole: true}, calls: 2},
		{name: "foo-admin --duration=2h", config: readmeConfig, keys: readme, profile: "foo-admin", opts: getOpts{cacheRole: true, base: durationBase(2 * time.Hour)}, calls: 1},
		{name: "bar-role2", config: readmeConfig, keys: readme, profile: "bar-role2", opts: getOpts{cacheRole: true}, calls: 3},
		{name: "bar-role2 (v7: chained roles not cached)", config: readmeConfig, keys: readme, profile: "bar-role2", calls: 3},
		{name: "bar-role2 --no-session", config: readmeConfig, keys: readme, profile: "bar-role2", opts: getOpts{cacheRole: true, noSession: true}, calls: 2},
		{name: "bar-role2 --duration=12h (capped)", config: readmeConfig, keys: readme, profile: "bar-role2", opts: getOpts{cacheRole: true, base: durationBase(12 * time.Hour)}, calls: 3},
		{name: "chained roles without MFA", config: sourcesConfig, keys: map[string]string{"plain": "bob"}, profile: "chained", opts: getOpts{cacheRole: true}, calls: 2},
		{name: "include_profile region", config: sourcesConfig, keys: map[string]string{"inc": "bob"}, profile: "inc", opts: getOpts{cacheRole: true}, calls: 1},
		{name: "role chaining through a pass-through hop", config: rules, keys: map[string]string{"base": "alice"}, profile: "r2", opts: getOpts{cacheRole: true}, calls: 3},
		{name: "single 12h role: no session", config: rules, keys: map[string]string{"base": "alice"}, profile: "long", opts: getOpts{cacheRole: true}, calls: 1},
		{name: "pass-through gets a session", config: rules, keys: map[string]string{"base": "alice"}, profile: "pass", opts: getOpts{cacheRole: true}, calls: 1},
		{name: "web identity token file", config: rules, profile: "wi", opts: getOpts{cacheRole: true}, calls: 1},
		{name: "web identity token process", config: rules, profile: "wip", opts: getOpts{cacheRole: true}, calls: 1},
		{name: "session tags", config: rules, keys: map[string]string{"base": "alice"}, profile: "tagged", opts: getOpts{cacheRole: true}, calls: 1},
		{name: "sts_regional_endpoints legacy", config: rules, keys: map[string]string{"base": "alice"}, profile: "legacy", opts: getOpts{cacheRole: true}, calls: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newChainEnv(t, tc.config, tc.keys)
			e.recordedCalls()
			cold, err := e.plan(tc.profile, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			want := plannedCalls(t, cold)
			if len(want) != tc.calls {
				t.Errorf("plan has %d calls, want %d: %q", len(want), tc.calls, want)
			}
			if _, err := e.get(tc.profile, tc.opts); err != nil {
				t.Fatal(err)
			}
			assertStrings(t, "cold: AWS calls made vs planned", e.recordedCalls(), want)

			warm, err := e.plan(tc.profile, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range warm {
				if s.Runs() && s.Kind != vault.KindStored && tc.opts.cacheRole {
					t.Errorf("warm plan: step %s of %s is not served by the cache (cache %s)", s.Kind, s.Profile, s.Cache)
				}
			}
			want = plannedCalls(t, warm)
			if _, err := e.get(tc.profile, tc.opts); err != nil {
				t.Fatal(err)
			}
			assertStrings(t, "warm: AWS calls made vs planned", e.recordedCalls(), want)
		})
	}
}

// A credential_process source is planned as a process run, cached; the role
// over it is the only call, and warm nothing runs.
func TestPlanCredentialProcess(t *testing.T) {
	e := newChainEnv(t, sourcesConfig, map[string]string{"plain": "bob"})
	session, err := e.get("plain", getOpts{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	e.cfg = parse(t, sourcesConfig+"\n[profile cp]\ncredential_process = "+processScript(t, dir, processOutput(session, ""))+
		"\n[profile cp-role]\nsource_profile = cp\nrole_arn = "+vaulttest.ReadOnlyRoleARN+"\n")
	e.recordedCalls()
	steps, err := e.plan("cp-role", getOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if processRuns(t, dir) != 0 {
		t.Fatal("planning ran credential_process")
	}
	if len(steps) != 2 || steps[0].Kind != vault.KindCredentialProcess || steps[0].Cache != vault.CacheMiss || !steps[0].Runs() {
		t.Fatalf("plan: %+v", steps)
	}
	want := plannedCalls(t, steps)
	if _, err := e.get("cp-role", getOpts{}); err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "AWS calls", e.recordedCalls(), want)
	steps, err = e.plan("cp-role", getOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if steps[0].Cache != vault.CacheHit {
		t.Errorf("warm: credential_process step cache %s, want hit", steps[0].Cache)
	}
}

// Planning reads item names only: one Keys, no Get, Set or Remove, even
// with an expired session in the keyring; and a hit's expiry is the name's.
func TestPlanReadsNamesOnly(t *testing.T) {
	e := newChainEnv(t, readmeConfig, map[string]string{"jonsmith": "alice"})
	if _, err := e.get("foo-admin", getOpts{}); err != nil {
		t.Fatal(err)
	}
	expired := vault.SessionKey{Type: vault.KindSessionToken, ProfileName: "old", Expiration: time.Now().Add(-time.Hour)}
	st := &vault.Store{Keyring: e.kr, Now: time.Now}
	if err := st.StoreSession(expired, aws.Credentials{AccessKeyID: "ASIAOLD", SecretAccessKey: "x", SessionToken: "y",
		CanExpire: true, Expires: expired.Expiration}, ""); err != nil {
		t.Fatal(err)
	}
	e.kr.ResetCalls()
	steps, err := e.plan("foo-admin", getOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if k, g, s, r := e.kr.Calls("Keys"), e.kr.Calls("Get"), e.kr.Calls("Set"), e.kr.Calls("Remove"); k != 1 || g != 0 || s != 0 || r != 0 {
		t.Errorf("planning: %d Keys, %d Get, %d Set, %d Remove; want 1, 0, 0, 0", k, g, s, r)
	}
	keys, _ := e.kr.Keys()
	var until string
	for _, k := range keys {
		if sk, err := vault.ParseSessionKey(k); err == nil && sk.ProfileName == "jonsmith" {
			until = sk.Expiration.UTC().Format(time.RFC3339)
		}
	}
	if steps[0].Needed || steps[1].Cache != vault.CacheHit || steps[1].CachedUntil.Format(time.RFC3339) != until || !steps[2].Runs() {
		t.Errorf("plan: %+v", steps)
	}
	if !strings.Contains(fmt.Sprint(steps[1].MFASerial), "alice") {
		t.Errorf("session step MFA serial %q", steps[1].MFASerial)
	}
}

// A step's missing region is noted and returned, not guessed.
func TestPlanNoRegion(t *testing.T) {
	e := newChainEnv(t, "[profile p]\n", map[string]string{"p": "bob"})
	steps, err := e.plan("p", getOpts{})
	if err == nil || !strings.Contains(err.Error(), "no AWS region") || len(steps) != 2 || len(steps[1].Notes) == 0 {
		t.Fatalf("plan %+v, err %v", steps, err)
	}
}

// An SSO profile's plan is one GetRoleCredentials in sso_region; the
// sign-in that may precede it is a note (no OIDC call is planned as a
// step). exec's portal calls are the plan's; a role over it is capped at
// 1h (SSO role credentials are temporary); warm, all is cached.
func TestPlanSSO(t *testing.T) {
	e, _, opts := ssoEnv(t)
	opts.cacheRole = true
	e.cfg = parse(t, ssoConfig+"\n[profile sso-role]\nregion = eu-west-1\nsource_profile = sess\nrole_arn = "+vaulttest.ReadOnlyRoleARN+"\nduration_seconds = 7200\n")
	steps, err := e.plan("sso-role", opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 2 || steps[0].Kind != vault.KindSSO || steps[0].Region != "eu-central-1" || steps[0].SSORole != "Developer" ||
		steps[1].DurationSeconds != 3600 || steps[1].RequestedSeconds != 7200 {
		t.Fatalf("plan: %+v", steps)
	}
	if !strings.Contains(strings.Join(steps[0].Notes, " "), "sign-in") {
		t.Errorf("SSO step notes %q say nothing of the sign-in", steps[0].Notes)
	}
	want := plannedCalls(t, steps)
	e.recordedCalls()
	if _, err := e.get("sso-role", opts); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range e.recordedCalls() {
		if strings.Contains(c, " GetRoleCredentials ") || strings.Contains(c, " AssumeRole ") {
			got = append(got, c)
		}
	}
	assertStrings(t, "AWS calls made vs planned", got, want)

	// Another profile behind the same start URL: the token is in the
	// keyring now; the only call is the planned one.
	steps, err = e.plan("legacy", opts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(steps[0].Notes, " "), "keyring item oidc:") {
		t.Errorf("notes %q", steps[0].Notes)
	}
	want = plannedCalls(t, steps)
	if _, err := e.get("legacy", opts); err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "legacy: AWS calls made vs planned", e.recordedCalls(), want)

	steps, err = e.plan("sso-role", opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(plannedCalls(t, steps)) != 0 || steps[0].Needed {
		t.Errorf("warm plan: %+v", steps)
	}
	if _, err := e.get("sso-role", opts); err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "warm: AWS calls", e.recordedCalls(), nil)
}

// The plan says where an MFA code comes from without getting one: a
// role's mfa_process serves its source's session with the same device.
// Planning runs no mfa_process; exec then runs it once.
func TestPlanMFAProcess(t *testing.T) {
	dir := t.TempDir()
	cfg := readmeConfig + "\n[profile proc-admin]\nsource_profile = jonsmith\nrole_arn = " + admin12h +
		"\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\nmfa_process = echo ran >> " + filepath.Join(dir, "runs") + "; echo 123456\n"
	e := newChainEnv(t, cfg, map[string]string{"jonsmith": "alice"})
	steps, err := e.plan("proc-admin", getOpts{cacheRole: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 3 || steps[1].MFASerial != vaulttest.AliceMFASerial || !steps[1].MFAProcess || steps[2].MFAChained != vaulttest.AliceMFASerial {
		t.Fatalf("plan: %+v", steps)
	}
	if _, err := os.Stat(filepath.Join(dir, "runs")); !os.IsNotExist(err) {
		t.Fatal("planning ran mfa_process")
	}
}

// Endpoints are what the SDK's rules give exec's clients: regional STS, the
// global one for sts_regional_endpoints = legacy, endpoint_url,
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_STS (which beat endpoint_url), and
// the SSO portal in sso_region.
func TestPlanEndpoints(t *testing.T) {
	cfg := "[default]\nregion = eu-west-1\n[profile plain]\n[profile leg]\nregion = us-east-1\nsts_regional_endpoints = legacy\n" +
		"[profile custom]\nendpoint_url = https://custom.example.test\n" + ssoConfig
	for _, tc := range []struct {
		profile string
		env     map[string]string
		want    string
	}{
		{profile: "plain", want: "https://sts.eu-west-1.amazonaws.com"},
		{profile: "leg", want: "https://sts.amazonaws.com"},
		{profile: "custom", want: "https://custom.example.test"},
		{profile: "custom", env: map[string]string{"AWS_ENDPOINT_URL": "https://all.example.test"}, want: "https://all.example.test"},
		{profile: "plain", env: map[string]string{"AWS_ENDPOINT_URL_STS": "https://sts.example.test"}, want: "https://sts.example.test"},
		{profile: "custom", env: map[string]string{"AWS_ENDPOINT_URL_STS": "https://sts.example.test"}, want: "https://sts.example.test"},
		{profile: "custom", env: map[string]string{"AWS_ENDPOINT_URL_IAM": "https://iam.example.test"}, want: "https://custom.example.test"},
		{profile: "leg", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"}, want: "https://sts-fips.us-east-1.amazonaws.com"},
		{profile: "sess", want: "https://portal.sso.eu-central-1.amazonaws.com"},
	} {
		t.Run(fmt.Sprint(tc.profile, tc.env), func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			e := newChainEnv(t, cfg, map[string]string{"plain": "bob", "leg": "bob", "custom": "bob"})
			e.env = tc.env
			e.opts = nil
			steps, err := e.plan(tc.profile, getOpts{})
			if err != nil {
				t.Fatal(err)
			}
			last := steps[len(steps)-1]
			if last.Endpoint != tc.want {
				t.Errorf("%s endpoint %q, want %q", last.Action, last.Endpoint, tc.want)
			}
			assertStrings(t, "AWS calls", e.recordedCalls(), nil)
		})
	}
}
