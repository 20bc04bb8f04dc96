package vault_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/keyring"
	jose "github.com/dvsekhvalnov/jose2go"
)

const fixtureDir = "../cli/testdata/fixtures/aws-vault-v7-file-keyring/keys"

// fixtureKeyring returns a writable copy of the keyring aws-vault v7.2.0
// wrote (its README decodes every item).
func fixtureKeyring(t *testing.T) *keyring.File {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(fixtureDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return &keyring.File{Dir: dir, Passphrase: func() (string, error) { return "fixture-passphrase", nil }, Now: time.Now}
}

var fixtureCreated = time.Date(2026, 11, 23, 8, 45, 45, 0, time.UTC)

// TestReadsAWSVaultV7Keyring reads both stored keys and both cached
// sessions back with exactly the fields the fixture's README lists.
func TestReadsAWSVaultV7Keyring(t *testing.T) {
	kr := fixtureKeyring(t)
	ck := &vault.Store{Keyring: kr}
	creds, err := ck.CredentialProfiles()
	if err != nil || !reflect.DeepEqual(creds, []string{"alice", "plain"}) {
		t.Fatalf("credentials %q, %v", creds, err)
	}
	for profile, want := range map[string][2]string{
		"plain": {"AKIABOBEXAMPLE000001", "bobSecretKey0000000000000000000000000001"},
		"alice": {"AKIAALICEEXAMPLE0001", "aliceSecretKey00000000000000000000000001"},
	} {
		c, err := ck.Credentials(profile)
		if err != nil || c.AccessKeyID != want[0] || c.SecretAccessKey != want[1] || c.SessionToken != "" || c.CanExpire {
			t.Errorf("%s: %+v, %v", profile, c, err)
		}
	}
	sk := &vault.Store{Keyring: kr, Now: func() time.Time { return fixtureCreated }}
	expiry := time.Unix(1795427130, 0)
	for _, tc := range []struct {
		key  vault.SessionKey
		akid string
	}{
		{vault.SessionKey{Type: vault.KindSessionToken, ProfileName: "plain"}, "ASIALHPNY7FYVYRTQK4G"},
		{vault.SessionKey{Type: vault.KindAssumeRole, ProfileName: "role-mfa", MFASerial: "arn:aws:iam::111111111111:mfa/alice"}, "ASIAHNMP4EZGFRM2GXB2"},
	} {
		s, err := sk.LookupSession(tc.key, 5*time.Minute)
		if err != nil || s == nil {
			t.Fatalf("%v: %v %v", tc.key, s, err)
		}
		c := s.Credentials
		if c.AccessKeyID != tc.akid || !c.Expires.Equal(expiry) || c.SecretAccessKey == "" || c.SessionToken == "" || s.Fingerprint != "" {
			t.Errorf("%v: %+v", tc.key, c)
		}
	}
}

// TestWritesLikeAWSVaultV7 stores the same content with our code and
// compares key names, labels and JSON field sets with v7's items.
func TestWritesLikeAWSVaultV7(t *testing.T) {
	old := fixtureKeyring(t)
	ours := &keyring.File{Dir: t.TempDir(), Passphrase: func() (string, error) { return "fixture-passphrase", nil }, Now: time.Now}
	plain, err := (&vault.Store{Keyring: old}).Credentials("plain")
	if err != nil {
		t.Fatal(err)
	}
	if err := (&vault.Store{Keyring: ours}).SetCredentials("plain", plain); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return fixtureCreated }
	key := vault.SessionKey{Type: vault.KindSessionToken, ProfileName: "plain"}
	s, _ := (&vault.Store{Keyring: old, Now: now}).LookupSession(key, 0)
	if err := (&vault.Store{Keyring: ours, Now: now}).StoreSession(key, s.Credentials, ""); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"plain", "sts.GetSessionToken,cGxhaW4,,1795427130"} {
		a, b := decryptItem(t, filepath.Join(old.Dir, name)), decryptItem(t, filepath.Join(ours.Dir, name))
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s:\n v7:  %v\n ours: %v", name, a, b)
		}
		if st, _ := os.Stat(filepath.Join(ours.Dir, name)); st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %o", name, st.Mode().Perm())
		}
	}
}

// decryptItem returns an item's shape: its metadata and its payload's
// field names (values of secrets dropped).
func decryptItem(t *testing.T, path string) map[string]any {
	t.Helper()
	token, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	payload, headers, err := jose.Decode(string(token), "fixture-passphrase")
	if err != nil {
		t.Fatal(err)
	}
	var item keyring.Item
	if err := json.Unmarshal([]byte(payload), &item); err != nil {
		t.Fatal(err)
	}
	var data map[string]any
	if err := json.Unmarshal(item.Data, &data); err != nil {
		t.Fatal(err)
	}
	var fields []string
	for k := range data {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	return map[string]any{"key": item.Key, "label": item.Label, "description": item.Description,
		"notTrust": item.KeychainNotTrustApplication, "notSync": item.KeychainNotSynchronizable,
		"fields": fields, "alg": headers["alg"], "enc": headers["enc"], "p2c": headers["p2c"], "created": headers["created"] != nil}
}

func TestSessionKeyRoundTrip(t *testing.T) {
	k := vault.SessionKey{Type: vault.KindSessionToken, ProfileName: "base", MFASerial: "arn:aws:iam::111111111111:mfa/alice", Expiration: time.Unix(1795385532, 0)}
	const want = "sts.GetSessionToken,YmFzZQ,YXJuOmF3czppYW06OjExMTExMTExMTExMTptZmEvYWxpY2U,1795385532"
	if k.String() != want {
		t.Errorf("String() = %s", k)
	}
	got, err := vault.ParseSessionKey(want)
	if err != nil || got.String() != want || got.MFASerial != k.MFASerial {
		t.Errorf("parse: %+v %v", got, err)
	}
}

func TestClassifyKey(t *testing.T) {
	for key, want := range map[string]vault.KeyKind{
		"blah": vault.KeyCredentials,
		"sts.GetSessionToken,cGxhaW4,,1795427130": vault.KeySession,
		"session,cGxhaW4,,1795427130":             vault.KeyLegacySession,
		"session:plain:arn:aws:iam::1:mfa/x:17":   vault.KeyLegacySession,
		"plain session (1795427130)":              vault.KeyLegacySession,
		"oidc:https://x.awsapps.com/start":        vault.KeyOIDCToken,
		"a,b,c,d":                                 vault.KeyCredentials,
	} {
		if got := vault.ClassifyKey(key); got != want {
			t.Errorf("ClassifyKey(%q) = %v, want %v", key, got, want)
		}
	}
}

// FuzzSessionKey: a parsed key formats back to the same string.
func FuzzSessionKey(f *testing.F) {
	f.Add("sts.GetSessionToken,YmFzZQ,YXJuOmF3czppYW06OjExMTExMTExMTExMTptZmEvYWxpY2U,1795385532")
	f.Add("sts.AssumeRole,cm9sZS1tZmE,,1795427130")
	f.Add("session,YQ,,12")
	f.Add("a,YR,,0")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := vault.ParseSessionKey(s)
		if err != nil {
			return
		}
		if k.String() != s {
			t.Errorf("%q parsed to %+v, formats as %q", s, k, k.String())
		}
	})
}

func TestSessionCacheReplacesAndPurges(t *testing.T) {
	kr := fixtureKeyring(t)
	now := time.Unix(1795427130, 0).Add(time.Hour) // both fixture sessions expired
	sk := &vault.Store{Keyring: kr, Now: func() time.Time { return now }}
	key := vault.SessionKey{Type: vault.KindSessionToken, ProfileName: "plain"}
	creds := aws.Credentials{AccessKeyID: "ASIANEW", SecretAccessKey: "s", SessionToken: "t", CanExpire: true, Expires: now.Add(time.Hour)}
	if err := sk.StoreSession(key, creds, ""); err != nil {
		t.Fatal(err)
	}
	keys, _ := kr.Keys()
	sort.Strings(keys)
	want := []string{"alice", "plain", "sts.GetSessionToken,cGxhaW4,,1795434330"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("keys after store: %q, want %q", keys, want)
	}
}
