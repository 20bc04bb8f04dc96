package vault_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// rotateOlder runs RotateOlder and summarises each key as
// "profile outcome [iam]".
func (e *rotEnv) rotateOlder(o vault.RotateOlderOptions) ([]string, error) {
	e.t.Helper()
	e.stdout.Reset()
	e.stderr.Reset()
	o.RotateOptions = vault.RotateOptions{
		Keyring: e.kr, AWS: e.loader(), MFA: vault.MFATokenFunc(e.mfa), Now: e.clock.Now,
		Report: printed{stdout: &e.stdout, stderr: &e.stderr}, Timing: vault.RotateTiming{Sleep: e.sleep},
	}
	if o.OlderThan == 0 {
		o.OlderThan = 90 * vault.Day
	}
	o.Resolve = func(name string) (*config.Profile, error) {
		return (&config.Loader{File: e.cfg, Getenv: func(string) string { return "" }, ActiveProfile: name}).Load(name)
	}
	results, err := vault.RotateOlder(context.Background(), o)
	var out []string
	for _, r := range results {
		s := fmt.Sprintf("%s %s", r.Profile, map[vault.KeyOutcome]string{vault.KeyKept: "kept", vault.KeyRotated: "rotated",
			vault.KeyWouldRotate: "would-rotate", vault.KeyFailed: "failed"}[r.Outcome])
		if r.FromIAM {
			s += " iam"
		}
		if (r.Outcome == vault.KeyRotated) != (r.NewKeyID != "") {
			e.t.Errorf("%s: outcome %d with new key %q", r.Profile, r.Outcome, r.NewKeyID)
		}
		out = append(out, s)
	}
	return out, err
}

func (e *rotEnv) dateKey(profile string, at time.Time) {
	e.t.Helper()
	s := &vault.Store{Keyring: e.mem}
	c, _, err := s.StoredKey(profile)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := s.SetCredentialsStoredAt(profile, c, at); err != nil {
		e.t.Fatal(err)
	}
}

func (e *rotEnv) storedAt(profile string) time.Time {
	e.t.Helper()
	_, at, err := (&vault.Store{Keyring: e.mem}).StoredKey(profile)
	if err != nil {
		e.t.Fatal(err)
	}
	return at
}

// TestRotateOlder: of three stored keys, the two older than 90 days are
// rotated (one dated in its item, one, stored by aws-vault v7 without a
// date, dated by IAM's CreateDate), the young one is left alone and no AWS
// call is made for it.
func TestRotateOlder(t *testing.T) {
	e := newRotEnv(t)
	now := e.clock.Now()
	e.dateKey("erin", now.Add(-200*vault.Day))
	e.dateKey("bob", now.Add(-10*vault.Day))
	if err := e.aws.SetAccessKeyCreateDate(vaulttest.FrankAccessKeyID, now.Add(-300*vault.Day)); err != nil {
		t.Fatal(err)
	}
	oldErin, oldFrank, oldBob := e.stored("erin"), e.stored("frank"), e.stored("bob")
	got, err := e.rotateOlder(vault.RotateOlderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "outcomes", got, []string{"bob kept", "erin rotated", "frank rotated iam"})
	for profile, old := range map[string]string{"erin": oldErin.AccessKeyID, "frank": oldFrank.AccessKeyID} {
		c := e.checkSafe(profile, profile)
		if c.AccessKeyID == old || len(e.awsKeys(profile)) != 1 {
			t.Errorf("%s: key %s not replaced (AWS has %v)", profile, last4(old), e.awsKeys(profile))
		}
		if at := e.storedAt(profile); !at.Equal(now.UTC().Truncate(time.Second)) {
			t.Errorf("%s: new key stored at %s, want now (%s)", profile, at, now)
		}
	}
	if e.stored("bob") != oldBob {
		t.Error("bob's young key was changed")
	}
	for _, r := range e.aws.Requests() {
		if strings.HasPrefix(r.AccessKeyID, "AKIABOB") {
			t.Errorf("an AWS call was signed with bob's key: %s", r.Action)
		}
	}
	if e.mfaCalls != 1 {
		t.Errorf("%d MFA prompts, want 1 (frank's)", e.mfaCalls)
	}
	out := e.stdout.String()
	for _, want := range []string{"Asking IAM when the key stored for profile 'frank' (****************0001) was created\n",
		"Rotating credentials stored for profile 'erin'", "Rotating credentials stored for profile 'frank'"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "'bob'") {
		t.Errorf("output mentions bob, whose key is young:\n%s", out)
	}
}

// TestRotateOlderRecordsIAMDate: a young key stored without a date gets
// IAM's CreateDate recorded, once: the next run asks IAM nothing.
func TestRotateOlderRecordsIAMDate(t *testing.T) {
	e := newRotEnv(t)
	created := e.clock.Now().Add(-30 * vault.Day).UTC().Truncate(time.Second)
	if err := e.aws.SetAccessKeyCreateDate(vaulttest.ErinAccessKeyID, created); err != nil {
		t.Fatal(err)
	}
	got, err := e.rotateOlder(vault.RotateOlderOptions{Profiles: []string{"erin"}})
	if err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "first run", got, []string{"erin kept iam"})
	assertStrings(t, "first run's calls", e.actions(), []string{"ListAccessKeys:AKIA"})
	if at := e.storedAt("erin"); !at.Equal(created) {
		t.Errorf("recorded %s, want IAM's CreateDate %s", at, created)
	}
	got, err = e.rotateOlder(vault.RotateOlderOptions{Profiles: []string{"erin"}})
	if err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "second run", got, []string{"erin kept"})
	assertStrings(t, "second run's calls", e.actions(), nil)
}

// TestRotateOlderDryRun: --dry-run says what it would rotate and changes
// nothing, not even the date of an undated key.
func TestRotateOlderDryRun(t *testing.T) {
	e := newRotEnv(t)
	e.dateKey("erin", e.clock.Now().Add(-200*vault.Day))
	if err := e.aws.SetAccessKeyCreateDate(vaulttest.FrankAccessKeyID, e.clock.Now().Add(-300*vault.Day)); err != nil {
		t.Fatal(err)
	}
	e.dateKey("bob", e.clock.Now())
	before := items(t, e.mem)
	got, err := e.rotateOlder(vault.RotateOlderOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "outcomes", got, []string{"bob kept", "erin would-rotate", "frank would-rotate iam"})
	if after := items(t, e.mem); !maps.Equal(before, after) {
		t.Error("the dry run changed the keyring")
	}
	for _, r := range e.aws.Requests() {
		if r.Action != "GetSessionToken" && r.Action != "ListAccessKeys" {
			t.Errorf("the dry run called %s", r.Action)
		}
	}
	for _, u := range []string{"erin", "frank", "bob"} {
		if n := len(e.awsKeys(u)); n != 1 {
			t.Errorf("%s has %d keys at AWS", u, n)
		}
	}
}

// TestRotateOlderOneFails: when the second key's rotation fails, it keeps
// one working key, the third is still rotated, and the error names the
// one that failed.
func TestRotateOlderOneFails(t *testing.T) {
	e := newRotEnv(t)
	for _, p := range []string{"bob", "erin", "frank"} {
		e.dateKey(p, e.clock.Now().Add(-100*vault.Day))
	}
	oldErin := e.stored("erin")
	e.aws.Fault("CreateAccessKey", vaulttest.FaultSpec{Status: 403, Code: "AccessDenied", Times: 1, After: 1})
	got, err := e.rotateOlder(vault.RotateOlderOptions{})
	assertStrings(t, "outcomes", got, []string{"bob rotated", "erin failed", "frank rotated"})
	if err == nil || !strings.Contains(err.Error(), "1 of 3 failed ('erin')") {
		t.Errorf("error %v, want one naming erin", err)
	}
	if c := e.checkSafe("erin", "erin"); c != oldErin {
		t.Error("erin's key changed although its rotation failed")
	}
	e.checkSafe("bob", "bob")
	e.checkSafe("frank", "frank")
}

// items is the keyring's contents, key to payload.
func items(t *testing.T, kr *vaulttest.MemKeyring) map[string]string {
	t.Helper()
	keys, err := kr.Keys()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range keys {
		item, err := kr.Get(k)
		if err != nil {
			t.Fatal(err)
		}
		out[k] = string(item.Data)
	}
	return out
}
