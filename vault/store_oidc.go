package vault

import (
	"slices"
	"strings"

	"github.com/awsvault/aws-vault/vault/keyring"
)

// The SSO OIDC tokens aws-vault v7 caches under "oidc:<start url>".
// Fetching tokens arrives with SSO support; listing and removal are here so
// that list and clear treat these items as aws-vault does.

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

// RemoveOIDCToken deletes the token cached for startURL, reporting whether
// it deleted one (one another process deleted first is not an error).
func (s *Store) RemoveOIDCToken(startURL string) (bool, error) {
	urls, err := s.OIDCStartURLs()
	if err != nil || !slices.Contains(urls, startURL) {
		return false, err
	}
	err = s.Keyring.Remove(oidcTokenPrefix + startURL)
	if keyring.ItemGone(err) {
		return false, nil
	}
	return err == nil, err
}
