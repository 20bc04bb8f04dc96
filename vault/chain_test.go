package vault_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// admin12h is a role like Admin that allows 12-hour sessions.
const admin12h = "arn:aws:iam::222222222222:role/Admin12h"

// readmeConfig is the example config of aws-vault v7's README
// (https://github.com/99designs/aws-vault/blob/v7.2.0/README.md, "how it
// works"), on the emulator's fixture world: jonsmith is alice.
const readmeConfig = `
[default]
region = us-east-1

[profile jonsmith]
mfa_serial = arn:aws:iam::111111111111:mfa/alice

[profile foo-readonly]
source_profile = jonsmith
role_arn = arn:aws:iam::222222222222:role/ReadOnly

[profile foo-admin]
source_profile = jonsmith
role_arn = arn:aws:iam::222222222222:role/Admin12h
mfa_serial = arn:aws:iam::111111111111:mfa/alice

[profile bar-role1]
source_profile = jonsmith
role_arn = arn:aws:iam::222222222222:role/Admin
mfa_serial = arn:aws:iam::111111111111:mfa/alice

[profile bar-role2]
source_profile = bar-role1
role_arn = arn:aws:iam::333333333333:role/Deploy
mfa_serial = arn:aws:iam::111111111111:mfa/alice
`

// TestExpectedOutcomes runs every row of that README's table of what each
// command does: the STS calls made, which sessions are cached, and the MFA
// prompts.
func TestExpectedOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		profile string
		opts    getOpts
		calls   []string
		cached  []string
		mfa     int
		token   bool
	}{
		{name: "jonsmith --no-session", profile: "jonsmith", opts: getOpts{noSession: true}},
		{name: "jonsmith", profile: "jonsmith", calls: []string{"GetSessionToken 3600 mfa"},
			cached: []string{"sts.GetSessionToken jonsmith alice"}, mfa: 1, token: true},
		{name: "foo-readonly", profile: "foo-readonly", calls: []string{"AssumeRole 3600"}, token: true},
		{name: "foo-admin", profile: "foo-admin", calls: []string{"GetSessionToken 28800 mfa", "AssumeRole 3600"},
			cached: []string{"sts.GetSessionToken jonsmith alice"}, mfa: 1, token: true},
		{name: "foo-admin --duration=2h", profile: "foo-admin", opts: getOpts{base: durationBase(2 * time.Hour)},
			calls: []string{"AssumeRole 7200 mfa"}, cached: []string{"sts.AssumeRole foo-admin alice"}, mfa: 1, token: true},
		{name: "bar-role2", profile: "bar-role2",
			calls:  []string{"GetSessionToken 28800 mfa", "AssumeRole 3600", "AssumeRole 3600"},
			cached: []string{"sts.GetSessionToken jonsmith alice"}, mfa: 1, token: true},
		{name: "bar-role2 --no-session", profile: "bar-role2", opts: getOpts{noSession: true},
			calls:  []string{"AssumeRole 3600 mfa", "AssumeRole 3600 mfa"},
			cached: []string{"sts.AssumeRole bar-role1 alice", "sts.AssumeRole bar-role2 alice"}, mfa: 2, token: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newChainEnv(t, readmeConfig, map[string]string{"jonsmith": "alice"})
			creds, err := e.get(tc.profile, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			assertStrings(t, "STS calls", e.calls(), tc.calls)
			assertStrings(t, "cached", e.cached(), tc.cached)
			if len(e.mfaCalls) != tc.mfa {
				t.Errorf("MFA asked %d times, want %d", len(e.mfaCalls), tc.mfa)
			}
			if (creds.SessionToken != "") != tc.token {
				t.Errorf("session token present = %v, want %v", creds.SessionToken != "", tc.token)
			}
		})
	}
}

// durationBase is what --duration d sets, as the command line applies it:
// not the duration of the session a role is chained from.
func durationBase(d time.Duration) config.Profile {
	return config.Profile{AssumeRoleDuration: d, NonChainedGetSessionTokenDuration: d, GetFederationTokenDuration: d}
}

// Two roles with the same MFA serial share one MFA session: one prompt.
func TestSharedMFASession(t *testing.T) {
	e := newChainEnv(t, readmeConfig, map[string]string{"jonsmith": "alice"})
	for _, p := range []string{"foo-admin", "bar-role1", "bar-role2", "jonsmith"} {
		if _, err := e.get(p, getOpts{}); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if len(e.mfaCalls) != 1 {
		t.Errorf("MFA asked %d times, want 1", len(e.mfaCalls))
	}
	if n := len(e.aws.RequestsFor("GetSessionToken")); n != 1 {
		t.Errorf("%d GetSessionToken calls, want 1", n)
	}
}

// Chained AssumeRoles are capped at one hour; the session they are chained
// from keeps its 8 hours.
func TestRoleChainingCapsDuration(t *testing.T) {
	e := newChainEnv(t, readmeConfig, map[string]string{"jonsmith": "alice"})
	if _, err := e.get("bar-role2", getOpts{base: durationBase(12 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "STS calls", e.calls(), []string{"GetSessionToken 28800 mfa", "AssumeRole 3600", "AssumeRole 3600"})
	found := false
	for _, l := range e.logs {
		found = found || strings.Contains(l, "capping AssumeRole duration from 12h0m0s to AWS maximum 1h0m0s")
	}
	if !found {
		t.Errorf("no capping line in the debug log: %q", e.logs)
	}
}

// A cached session is reused until it is within AWS_MIN_TTL of expiry.
func TestSessionReuseAndRefresh(t *testing.T) {
	e := newChainEnv(t, readmeConfig, map[string]string{"jonsmith": "alice"})
	first, err := e.get("jonsmith", getOpts{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.get("jonsmith", getOpts{})
	if err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "STS calls", e.calls(), []string{"GetSessionToken 3600 mfa"})
	if second.AccessKeyID != first.AccessKeyID {
		t.Error("second call did not reuse the cached session")
	}
	e.now = first.Expires.Add(-config.DefaultExpiryWindow + time.Second)
	if _, err := e.get("jonsmith", getOpts{}); err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "STS calls after the refresh point", e.calls(), []string{"GetSessionToken 3600 mfa"})
	assertStrings(t, "cached", e.cached(), []string{"sts.GetSessionToken jonsmith alice"})
}

// Roles without MFA are cached with a fingerprint of their settings; a
// changed role_arn is not served from the cache.
func TestRoleCacheFingerprint(t *testing.T) {
	e := newChainEnv(t, readmeConfig, map[string]string{"jonsmith": "alice"})
	for i := 0; i < 2; i++ {
		if _, err := e.get("foo-readonly", getOpts{cacheRole: true}); err != nil {
			t.Fatal(err)
		}
	}
	assertStrings(t, "STS calls", e.calls(), []string{"AssumeRole 3600"})
	assertStrings(t, "cached", e.cached(), []string{"sts.AssumeRole foo-readonly"})
	changed := strings.Replace(readmeConfig, "role/ReadOnly", "role/Admin", 1)
	cfg, err := config.Parse("/test/config", []byte(changed))
	if err != nil {
		t.Fatal(err)
	}
	e.cfg = cfg
	_, err = e.get("foo-readonly", getOpts{cacheRole: true})
	if vault.APIErrorCode(err) != "AccessDenied" {
		t.Fatalf("changed role_arn: got %v, want AWS's AccessDenied for Admin without MFA", err)
	}
	assertStrings(t, "STS calls", e.calls(), []string{"AssumeRole 3600 AccessDenied"})
}

// A role whose single downstream role wants more than an hour is assumed
// straight from the key with MFA (no session), and cached.
func TestSingleLongRoleSkipsSession(t *testing.T) {
	cfg := readmeConfig + "\n[profile long]\nsource_profile = jonsmith\nrole_arn = " + admin12h +
		"\nmfa_serial = " + vaulttest.AliceMFASerial + "\nduration_seconds = 7200\n"
	e := newChainEnv(t, cfg, map[string]string{"jonsmith": "alice"})
	if _, err := e.get("long", getOpts{}); err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "STS calls", e.calls(), []string{"AssumeRole 7200 mfa"})
}

// --duration sets the length of the sessions we create; it does not make a
// valid cached one unusable (aws-vault v7 reuses any cached session with
// more than AWS_MIN_TTL left). Six minutes after an MFA session made with
// --duration=15m, a call without any MFA source is served from the cache;
// and the session a role is chained from keeps its 8 hours.
func TestDurationKeepsCachedSessions(t *testing.T) {
	noMFA := vault.MFATokenFunc(func(context.Context, vault.MFARequest) (string, error) {
		return "", errors.New("no terminal")
	})
	for _, tc := range []struct {
		profile string
		calls   []string
	}{
		{"jonsmith", []string{"GetSessionToken 900 mfa"}},
		{"foo-readonly", []string{"AssumeRole 900"}},
		{"bar-role2", []string{"GetSessionToken 28800 mfa", "AssumeRole 900", "AssumeRole 900"}},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			e := newChainEnv(t, readmeConfig, map[string]string{"jonsmith": "alice"})
			opts := getOpts{base: durationBase(15 * time.Minute), cacheRole: true}
			first, err := e.get(tc.profile, opts)
			if err != nil {
				t.Fatal(err)
			}
			assertStrings(t, "STS calls", e.calls(), tc.calls)
			e.now = e.now.Add(6 * time.Minute)
			opts.mfa = noMFA
			again, err := e.get(tc.profile, opts)
			if err != nil {
				t.Fatalf("six minutes later: %v", err)
			}
			assertStrings(t, "STS calls six minutes later", e.calls(), nil)
			if again.AccessKeyID != first.AccessKeyID {
				t.Error("not served from the cache")
			}
		})
	}
}
