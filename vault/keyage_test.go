package vault_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/keyring"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

func TestParseAge(t *testing.T) {
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "1d": 24 * time.Hour, "2160h": 2160 * time.Hour, "1h30m": 90 * time.Minute} {
		if got, err := vault.ParseAge(in); err != nil || got != want {
			t.Errorf("ParseAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "0d", "-3d", "1.5d", "90", "0s", "-1h", "3w", "99999999d"} {
		if _, err := vault.ParseAge(in); err == nil || !strings.Contains(err.Error(), "such as 90d or 2160h") {
			t.Errorf("ParseAge(%q): error %v, want one showing good values", in, err)
		}
	}
}

func TestKeyMaxAge(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if d, err := vault.KeyMaxAge(getenv); err != nil || d != 90*vault.Day {
		t.Errorf("default: %v, %v", d, err)
	}
	env[vault.KeyMaxAgeVar] = "30d"
	if d, err := vault.KeyMaxAge(getenv); err != nil || d != 30*vault.Day {
		t.Errorf("30d: %v, %v", d, err)
	}
	env[vault.KeyMaxAgeVar] = "soon"
	if _, err := vault.KeyMaxAge(getenv); err == nil || !strings.HasPrefix(err.Error(), "AWS_VAULT_KEY_MAX_AGE: ") {
		t.Errorf("bad value: %v, want an error naming the variable", err)
	}
}

// TestOldKeyWarnings is doctor's key-age check: a line for a key past the
// limit, for one of unknown age, for an unreadable item; none for a young
// key.
func TestOldKeyWarnings(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	kr := vaulttest.NewMemKeyring()
	store := &vault.Store{Keyring: kr}
	key := aws.Credentials{AccessKeyID: vaulttest.BobAccessKeyID, SecretAccessKey: vaulttest.BobSecretAccessKey}
	for name, at := range map[string]time.Time{"old": now.Add(-120 * vault.Day), "young": now.Add(-10 * vault.Day), "v7": {}} {
		if err := store.SetCredentialsStoredAt(name, key, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := kr.Set(keyring.Item{Key: "broken", Data: []byte("{")}); err != nil {
		t.Fatal(err)
	}
	ages, err := vault.KeyAges(store)
	if err != nil {
		t.Fatal(err)
	}
	got := vault.OldKeyWarnings(ages, now, 90*vault.Day)
	want := []string{
		"profile 'broken': cannot tell the age of its key: credentials of profile broken in the keyring are not valid JSON",
		"profile 'old': access key ****************0001 is 120 days old, older than 90 days (AWS_VAULT_KEY_MAX_AGE): rotate it with aws-vault rotate old",
		"profile 'v7': the age of access key ****************0001 is not recorded (its item has no date, e.g. aws-vault v7 wrote it); aws-vault rotate --older-than 90d asks IAM and records it",
	}
	assertStrings(t, "warnings", got, want)
}

// TestStoredAt: SetCredentials records when (the store's clock, to the
// second, UTC); the payload keeps aws-vault v7's fields first, in order.
func TestStoredAt(t *testing.T) {
	kr := vaulttest.NewMemKeyring()
	at := time.Date(2026, 1, 2, 3, 4, 5, 600, time.FixedZone("x", 3600))
	store := &vault.Store{Keyring: kr, Now: func() time.Time { return at }}
	if err := store.SetCredentials("p", aws.Credentials{AccessKeyID: "AKIA1", SecretAccessKey: "s"}); err != nil {
		t.Fatal(err)
	}
	item, _ := kr.Get("p")
	want := `{"AccessKeyID":"AKIA1","SecretAccessKey":"s","SessionToken":"","Source":"","CanExpire":false,"Expires":"0001-01-01T00:00:00Z","StoredAt":"2026-01-02T02:04:05Z"}`
	if string(item.Data) != want {
		t.Errorf("payload\n got  %s\n want %s", item.Data, want)
	}
	if err := (&vault.Store{Keyring: kr}).SetCredentials("q", aws.Credentials{AccessKeyID: "AKIA1", SecretAccessKey: "s"}); err != nil {
		t.Fatal(err)
	}
	item, _ = kr.Get("q")
	if strings.Contains(string(item.Data), "StoredAt") {
		t.Errorf("a store without a clock recorded a time: %s", item.Data)
	}
}
