package vault

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring"
)

// The SSO OIDC tokens aws-vault v7 caches under "oidc:<start url>", in its
// format (its vault/oidctokenkeyring.go): {"Token": <the SSO OIDC
// CreateToken answer>, "Expiration": <local time>}. Ours add a "Refresh"
// member that v7's decoder ignores (it knows Token and Expiration only):
// the refresh token and the client registration it belongs to.

// OIDCToken is a cached SSO OIDC access token.
type OIDCToken struct {
	AccessToken string
	Expiration  time.Time
	// ExpiresIn is the token's lifetime in seconds, as CreateToken gave it.
	ExpiresIn int32
	// RefreshToken is "" when the token cannot be refreshed (aws-vault
	// v7's tokens, legacy profiles' device flow).
	RefreshToken string
	// Client is the registration that obtained the token; nil for
	// aws-vault v7's tokens.
	Client *OIDCClient
}

// OIDCClient is an SSO OIDC client registration (RegisterClient).
type OIDCClient struct {
	ID         string    `json:"ClientId"`
	Secret     string    `json:"ClientSecret"`
	Expiration time.Time `json:"ClientSecretExpiresAt"`
	// Flow is what it was registered for: ssoFlowPKCE or ssoFlowDevice.
	Flow   string
	Scopes []string `json:",omitempty"`
}

// oidcPayload is the item's JSON. Token and Expiration are aws-vault v7's
// members, written as v7 writes them.
type oidcPayload struct {
	Token      oidcTokenV7
	Expiration time.Time
	Refresh    *oidcRefresh `json:",omitempty"`
}

// oidcTokenV7 is the SSO OIDC CreateToken answer as aws-vault v7 stored it
// (the aws-sdk-go-v2 CreateTokenOutput of its time, JSON-encoded).
type oidcTokenV7 struct {
	AccessToken    *string
	ExpiresIn      int32
	IdToken        *string //nolint:revive // the SDK's spelling
	RefreshToken   *string
	TokenType      *string
	ResultMetadata struct{}
}

// oidcRefresh is ours: what refreshing the token needs.
type oidcRefresh struct {
	RefreshToken string      `json:",omitempty"`
	Client       *OIDCClient `json:",omitempty"`
}

// oidcKey is the item key of a start URL.
func oidcKey(startURL string) string { return oidcTokenPrefix + startURL }

// OIDCStartURLs lists the start URLs that have a cached token.
func (s *Store) OIDCStartURLs() ([]string, error) {
	keys, err := s.Keyring.Keys()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range keys {
		if IsOIDCTokenKey(k) {
			out = append(out, strings.TrimPrefix(k, oidcTokenPrefix))
		}
	}
	return out, nil
}

// OIDCToken returns the token cached under the first of startURLs that has
// one (its item key, and the token), or "" and nil. As aws-vault v7 does,
// an expired token that cannot be refreshed is deleted and not returned;
// an item that cannot be read or decoded is passed over (the next sign-in
// replaces it).
func (s *Store) OIDCToken(startURLs ...string) (string, *OIDCToken, error) {
	keys, err := s.Keyring.Keys()
	if err != nil {
		return "", nil, err
	}
	for _, u := range startURLs {
		k := oidcKey(u)
		if !slices.Contains(keys, k) {
			continue
		}
		if tok := s.readOIDC(k); tok != nil {
			return k, tok, nil
		}
	}
	return "", nil, nil
}

// readOIDC reads item k, or returns nil.
func (s *Store) readOIDC(k string) *OIDCToken {
	item, err := s.Keyring.Get(k)
	if err != nil {
		s.logf("cached SSO token %s cannot be read (%v); not using it", k, err)
		return nil
	}
	var p oidcPayload
	if err := json.Unmarshal(item.Data, &p); err != nil || p.Token.AccessToken == nil || *p.Token.AccessToken == "" {
		s.logf("cached SSO token %s holds no token; not using it", k)
		return nil
	}
	tok := &OIDCToken{AccessToken: *p.Token.AccessToken, Expiration: p.Expiration, ExpiresIn: p.Token.ExpiresIn}
	if p.Refresh != nil {
		tok.RefreshToken, tok.Client = p.Refresh.RefreshToken, p.Refresh.Client
	}
	if !tok.Expired(s.Now()) || tok.CanRefresh(s.Now()) {
		return tok
	}
	s.logf("cached SSO token %s expired at %s; removing it", k, rfc3339(tok.Expiration))
	if err := s.Keyring.Remove(k); err != nil && !keyring.ItemGone(err) {
		s.logf("removing %s: %v", k, err)
	}
	return nil
}

// Expired reports whether the access token has expired at now.
func (t *OIDCToken) Expired(now time.Time) bool { return !t.Expiration.After(now) }

// CanRefresh reports whether the token has a refresh token and the
// registration it needs is still valid at now.
func (t *OIDCToken) CanRefresh(now time.Time) bool {
	return t.RefreshToken != "" && t.Client != nil && t.Client.valid(now)
}

// valid reports whether the registration has not expired at now.
func (c *OIDCClient) valid(now time.Time) bool { return c != nil && c.Expiration.After(now) }

// SetOIDCToken caches tok for startURL, as aws-vault v7 does: key
// oidc:<start URL>, label with the expiry in local time, trusted by every
// application (macOS).
func (s *Store) SetOIDCToken(startURL string, tok *OIDCToken) error {
	exp := tok.Expiration.Local()
	p := oidcPayload{
		Token:      oidcTokenV7{AccessToken: &tok.AccessToken, ExpiresIn: tok.ExpiresIn, TokenType: strPtr("Bearer")},
		Expiration: exp,
	}
	if tok.RefreshToken != "" || tok.Client != nil {
		p.Refresh = &oidcRefresh{RefreshToken: tok.RefreshToken, Client: tok.Client}
	}
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.Keyring.Set(keyring.Item{
		Key:         oidcKey(startURL),
		Data:        data,
		Label:       fmt.Sprintf("aws-vault oidc token for %s (expires %s)", startURL, exp.Format(time.RFC3339)),
		Description: "aws-vault oidc token",
	})
}

func strPtr(s string) *string { return &s }
