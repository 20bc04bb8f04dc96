package vault_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

func TestRotatePlainProfile(t *testing.T) {
	e := newRotEnv(t)
	if err := e.rotate(context.Background(), "erin", false); err != nil {
		t.Fatal(err)
	}
	// IAM is called with the stored key (IAM refuses sessions without
	// MFA); the old key is deleted with the new one.
	assertKeys(t, "calls", e.actions(),
		"ListAccessKeys:AKIA", "CreateAccessKey:AKIA", "GetCallerIdentity:AKIA", "DeleteAccessKey:AKIA")
	c := e.checkSafe("erin", "erin")
	if c.AccessKeyID == vaulttest.ErinAccessKeyID || len(e.awsKeys("erin")) != 1 {
		t.Errorf("keys at AWS %v, stored %s: want only a new one", e.awsKeys("erin"), c.AccessKeyID)
	}
	want := "Rotating credentials stored for profile 'erin' using a session from profile 'erin' (takes 10-20 seconds)\n" +
		"Creating a new access key\nCreated new access key " + vault.MaskKeyID(c.AccessKeyID) + "\n" +
		"Deleting old access key ****************0001\nDeleted old access key ****************0001\nFinished rotating access key\n"
	if e.stdout.String() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", e.stdout.String(), want)
	}
	if !strings.Contains(e.stderr.String(), "has no mfa_serial") {
		t.Errorf("stderr does not explain why IAM gets the stored key: %q", e.stderr.String())
	}
	if e.mfaCalls != 0 {
		t.Errorf("%d MFA codes asked for", e.mfaCalls)
	}
}

func TestRotateMFAUsesOneCode(t *testing.T) {
	e := newRotEnv(t)
	if err := e.rotate(context.Background(), "frank", false); err != nil {
		t.Fatalf("%v\nstderr: %s", err, e.stderr.String())
	}
	if e.mfaCalls != 1 {
		t.Errorf("%d MFA codes asked for, want 1", e.mfaCalls)
	}
	reqs := e.aws.Requests()
	if n := e.aws.Count("GetSessionToken"); n != 1 {
		t.Errorf("%d GetSessionToken calls, want 1", n)
	}
	session := reqs[1].AccessKeyID // the first IAM call's
	for _, r := range reqs {
		if r.Service == "iam" && (r.AccessKeyID != session || !strings.HasPrefix(session, "ASIA")) {
			t.Errorf("%s signed with %s, want the one MFA session", r.Action, r.AccessKeyID)
		}
		if r.Code != "OK" {
			t.Errorf("%s -> %s", r.Action, r.Code)
		}
	}
	if e.stderr.Len() != 0 {
		t.Errorf("stderr: %q", e.stderr.String())
	}
	e.checkSafe("frank", "frank")
}

func TestRotateRoleProfile(t *testing.T) {
	e := newRotEnv(t)
	sk := &vault.Store{Keyring: e.mem, Now: e.clock.Now}
	for _, p := range []string{"role", "bob", "erin"} {
		key := vault.SessionKey{Type: vault.KindAssumeRole, ProfileName: p}
		creds := aws.Credentials{AccessKeyID: "ASIAFAKE", SecretAccessKey: "x", SessionToken: "y", Expires: e.clock.Now().Add(time.Hour)}
		if err := sk.StoreSession(key, creds, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.rotate(context.Background(), "role", false); err != nil {
		t.Fatal(err)
	}
	e.checkSafe("bob", "bob")
	out := e.stdout.String()
	for _, line := range []string{
		"Rotating credentials stored for profile 'bob' using a session from profile 'role' (takes 10-20 seconds)\n",
		"Deleted 1 sessions for role\nDeleted 1 sessions for bob\n",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("stdout lacks %q:\n%s", line, out)
		}
	}
	left, _ := sk.SessionKeys()
	if len(left) != 1 || left[0].ProfileName != "erin" {
		t.Errorf("sessions left %v, want erin's only", left)
	}
	for _, r := range e.aws.Requests() {
		if r.Action != "GetCallerIdentity" && r.Action != "GetUser" && r.Params["UserName"] != "bob" {
			t.Errorf("%s without UserName=bob: %v", r.Action, r.Params)
		}
	}
	if e.aws.Count("GetUser") != 1 {
		t.Errorf("GetUser not called once")
	}
}

// aws-vault v7 used the named profile's own key with --no-session, which a
// role profile does not have (a v7.2.0 bug, listed in the README's
// differences).
func TestRotateNoSessionUsesTheSourceKey(t *testing.T) {
	e := newRotEnv(t)
	if err := e.rotate(context.Background(), "role", true); err != nil {
		t.Fatal(err)
	}
	e.checkSafe("bob", "bob")
	if !strings.HasPrefix(e.stdout.String(), "Rotating credentials stored for profile 'bob' using master credentials (takes 10-20 seconds)\n") {
		t.Errorf("stdout: %s", e.stdout.String())
	}
	if r := e.aws.RequestsFor("CreateAccessKey"); len(r) != 1 || r[0].AccessKeyID != vaulttest.BobAccessKeyID {
		t.Errorf("CreateAccessKey calls %v", r)
	}
}

func TestRotateWaitsForTheNewKey(t *testing.T) {
	e := newRotEnv(t, vaulttest.WithKeyPropagationDelay(10*time.Second))
	if err := e.rotate(context.Background(), "erin", true); err != nil {
		t.Fatal(err)
	}
	e.checkSafe("erin", "erin")
	var waited time.Duration
	for _, d := range e.sleeps {
		waited += d
	}
	if waited < 10*time.Second || waited > 20*time.Second || e.sleeps[0] != 500*time.Millisecond {
		t.Errorf("waits %v", e.sleeps)
	}
	if !strings.Contains(e.stderr.String(), "waiting for AWS to accept the new access key") {
		t.Errorf("stderr: %q", e.stderr.String())
	}
}

func TestRotateRefusesAThirdKey(t *testing.T) {
	e := newRotEnv(t)
	extra, err := e.aws.AddAccessKey("erin")
	if err != nil {
		t.Fatal(err)
	}
	err = e.rotate(context.Background(), "erin", true)
	var hinted *vault.HintedError
	if !errors.As(err, &hinted) || !strings.Contains(err.Error(), "IAM user erin already has two access keys") ||
		!strings.Contains(err.Error(), "****************0001 (stored in profile 'erin')") ||
		!strings.Contains(err.Error(), vault.MaskKeyID(extra.AccessKeyID)+" (not the one") ||
		!strings.Contains(hinted.Hint, "<the id ending in "+last4(extra.AccessKeyID)+">") {
		t.Fatalf("error %v", err)
	}
	if e.aws.Count("CreateAccessKey") != 0 || e.stored("erin").AccessKeyID != vaulttest.ErinAccessKeyID {
		t.Error("something changed")
	}
	if strings.Contains(e.stdout.String(), "Creating") {
		t.Errorf("stdout: %s", e.stdout.String())
	}
}

func TestRotateStoredTemporaryCredentials(t *testing.T) {
	e := newRotEnv(t)
	e.setKey("erin", aws.Credentials{AccessKeyID: "ASIAEXAMPLE000000001", SecretAccessKey: "s", SessionToken: "t"})
	err := e.rotate(context.Background(), "erin", false)
	if err == nil || !strings.Contains(err.Error(), "the credentials stored for profile 'erin' are temporary") {
		t.Fatalf("error %v", err)
	}
	if len(e.aws.Requests()) != 0 {
		t.Error("AWS was called")
	}
}

func TestRotateKeyName(t *testing.T) {
	e := newRotEnv(t)
	for profile, want := range map[string]string{
		"erin":       "erin",
		"role":       "bob",
		"two-levels": "Error determining credential name for 'two-levels': No master credentials found",
		"nokey":      "Error determining credential name for 'nokey': No master credentials found",
		"nowhere":    "profile 'nowhere' not found in /test/config and no stored credentials exist for it",
	} {
		loader := &config.Loader{File: e.cfg, Getenv: func(string) string { return "" }}
		p, err := loader.Load(profile)
		if err != nil {
			t.Fatal(err)
		}
		name, _, err := vault.RotateKeyName(&vault.Store{Keyring: e.mem}, p)
		if err != nil {
			name = err.Error()
		}
		if name != want {
			t.Errorf("%s: got %q, want %q", profile, name, want)
		}
		if want == "nokey" && !errors.Is(err, vault.ErrNoMasterCredentials) {
			t.Errorf("%s: not ErrNoMasterCredentials", profile)
		}
	}
}

func TestMaskKeyID(t *testing.T) {
	for in, want := range map[string]string{"AKIAERINEXAMPLE00001": "****************0001", "ab": "****************ab"} {
		if got := vault.MaskKeyID(in); got != want {
			t.Errorf("MaskKeyID(%q) = %q, want %q", in, got, want)
		}
	}
}

func assertKeys(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}
