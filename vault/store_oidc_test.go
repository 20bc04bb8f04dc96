package vault_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/smithy-go/middleware"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/keyring"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// v7OIDCTokenData is how aws-vault v7.2.0 decodes an oidc: item (its
// vault/oidctokenkeyring.go OIDCTokenData, holding the aws-sdk-go-v2
// ssooidc v1.14 CreateTokenOutput of its go.mod).
type v7OIDCTokenData struct {
	Token struct {
		AccessToken    *string
		ExpiresIn      int32
		IdToken        *string //nolint:revive // the SDK's spelling
		RefreshToken   *string
		TokenType      *string
		ResultMetadata middleware.Metadata
	}
	Expiration time.Time
}

// The payload, label and description are aws-vault v7.2.0's, byte for
// byte, for a token with nothing to refresh.
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

// Our refresh token and registration live in a member aws-vault v7.2.0's
// decoder ignores: it reads the access token and expiry as we stored them.
func TestOIDCTokenRefreshReadByV7(t *testing.T) {
	kr := vaulttest.NewMemKeyring()
	s := &vault.Store{Keyring: kr, Now: time.Now}
	exp := time.Now().Add(time.Hour).Round(time.Second)
	client := &vault.OIDCClient{ID: "cid", Secret: "csecret", Expiration: exp.Add(90 * 24 * time.Hour), Flow: "authorization_code",
		Scopes: []string{"sso:account:access"}}
	tok := &vault.OIDCToken{AccessToken: "aoa-token", ExpiresIn: 3600, Expiration: exp, RefreshToken: "aor-refresh", Client: client}
	if err := s.SetOIDCToken("https://x.awsapps.com/start", tok); err != nil {
		t.Fatal(err)
	}
	item, _ := kr.Get("oidc:https://x.awsapps.com/start")
	var v7 v7OIDCTokenData
	if err := json.Unmarshal(item.Data, &v7); err != nil {
		t.Fatal(err)
	}
	if *v7.Token.AccessToken != "aoa-token" || v7.Token.RefreshToken != nil || !v7.Expiration.Equal(exp) || v7.Token.ExpiresIn != 3600 {
		t.Errorf("v7.2.0 reads %+v", v7)
	}
	key, got, err := s.OIDCToken("https://x.awsapps.com/start")
	if err != nil || key != "oidc:https://x.awsapps.com/start" || got.RefreshToken != "aor-refresh" || got.Client.ID != "cid" ||
		got.Client.Secret != "csecret" || !got.Client.Expiration.Equal(client.Expiration) || !got.Expiration.Equal(exp) {
		t.Errorf("we read %q %+v %v", key, got, err)
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
	if err != nil || tok == nil || tok.AccessToken != "aoa-v7" || tok.RefreshToken != "" || tok.Client != nil ||
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

// An expired token that can be refreshed stays, for the refresh.
func TestOIDCTokenExpiredRefreshableKept(t *testing.T) {
	kr := vaulttest.NewMemKeyring()
	now := time.Now()
	s := &vault.Store{Keyring: kr, Now: func() time.Time { return now }}
	client := &vault.OIDCClient{ID: "cid", Secret: "s", Expiration: now.Add(24 * time.Hour)}
	_ = s.SetOIDCToken("https://x/start", &vault.OIDCToken{AccessToken: "a", Expiration: now.Add(-time.Minute), RefreshToken: "r", Client: client})
	_, tok, _ := s.OIDCToken("https://x/start")
	if tok == nil || !tok.Expired(now) || !tok.CanRefresh(now) {
		t.Errorf("read %+v", tok)
	}
	now = now.Add(48 * time.Hour) // the registration has expired too
	if _, tok, _ := s.OIDCToken("https://x/start"); tok != nil {
		t.Errorf("read with an expired registration: %+v", tok)
	}
}
