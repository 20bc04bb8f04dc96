package vault_test

import (
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/keyring"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// The payload, label and description are aws-vault v7.2.0's, byte for
// byte.
func TestOIDCTokenItemAsV7(t *testing.T) {
	kr := vaulttest.NewMemKeyring()
	s := &vault.Store{Keyring: kr, Now: time.Now}
	exp := time.Date(2030, 1, 2, 3, 4, 5, 600, time.UTC)
	if err := s.SetOIDCToken("https://x.awsapps.com/start", &vault.OIDCToken{AccessToken: "aoa-token", ExpiresIn: 28800, Expiration: exp}); err != nil {
		t.Fatal(err)
	}
	item, err := kr.Get("oidc:https://x.awsapps.com/start")
	if err != nil {
		t.Fatal(err)
	}
	local := exp.Local()
	want := `{"Token":{"AccessToken":"aoa-token","ExpiresIn":28800,"IdToken":null,"RefreshToken":null,"TokenType":"Bearer","ResultMetadata":{}},"Expiration":"` +
		local.Format(time.RFC3339Nano) + `"}`
	if string(item.Data) != want {
		t.Errorf("payload\n got  %s\n want %s", item.Data, want)
	}
	if item.Label != "aws-vault oidc token for https://x.awsapps.com/start (expires "+local.Format(time.RFC3339)+")" ||
		item.Description != "aws-vault oidc token" || item.KeychainNotTrustApplication {
		t.Errorf("item metadata %+v", item)
	}
}

// An item aws-vault v7.2.0 wrote is read; once expired it is deleted, as
// v7 deletes it; a damaged one is passed over and left.
func TestOIDCTokenFromV7(t *testing.T) {
	kr := vaulttest.NewMemKeyring()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &vault.Store{Keyring: kr, Now: func() time.Time { return now }}
	v7 := `{"Token":{"AccessToken":"aoa-v7","ExpiresIn":28800,"IdToken":null,"RefreshToken":null,"TokenType":"Bearer","ResultMetadata":{}},"Expiration":"2030-01-01T08:00:00.123456789+01:00"}`
	_ = kr.Set(keyring.Item{Key: "oidc:https://v7.awsapps.com/start", Data: []byte(v7)})
	_ = kr.Set(keyring.Item{Key: "oidc:https://damaged.awsapps.com/start", Data: []byte(`{"Token":`)})
	_, tok, err := s.OIDCToken("https://v7.awsapps.com/start")
	if err != nil || tok == nil || tok.AccessToken != "aoa-v7" ||
		!tok.Expiration.Equal(time.Date(2030, 1, 1, 7, 0, 0, 123456789, time.UTC)) {
		t.Fatalf("read %+v, %v", tok, err)
	}
	if _, tok, _ := s.OIDCToken("https://damaged.awsapps.com/start"); tok != nil {
		t.Errorf("damaged item read as %+v", tok)
	}
	now = now.Add(8 * time.Hour)
	if _, tok, _ := s.OIDCToken("https://v7.awsapps.com/start"); tok != nil {
		t.Errorf("expired token read as %+v", tok)
	}
	keys, _ := kr.Keys()
	if len(keys) != 1 || keys[0] != "oidc:https://damaged.awsapps.com/start" {
		t.Errorf("keys after: %q", keys)
	}
}
