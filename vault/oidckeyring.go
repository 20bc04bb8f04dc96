package vault

import (
	"slices"
	"strings"

	"github.com/awsvault/aws-vault/vault/keyring"
)

// OIDCTokenKeyring holds cached SSO OIDC tokens under "oidc:<start url>".
// Fetching tokens arrives with SSO support; listing and removal are here so
// list and clear treat these items as aws-vault does.
type OIDCTokenKeyring struct {
	Keyring keyring.Keyring
}

// StartURLs lists the start URLs that have a cached token.
func (ok *OIDCTokenKeyring) StartURLs() ([]string, error) {
	keys, err := ok.Keyring.Keys()
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

// Remove deletes the token cached for startURL, reporting whether it
// deleted one (one another process deleted first is not an error).
func (ok *OIDCTokenKeyring) Remove(startURL string) (bool, error) {
	urls, err := ok.StartURLs()
	if err != nil || !slices.Contains(urls, startURL) {
		return false, err
	}
	err = ok.Keyring.Remove(oidcTokenPrefix + startURL)
	if keyring.ItemGone(err) {
		return false, nil
	}
	return err == nil, err
}
