package vault

import (
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// ClearAll deletes every cached session (legacy formats included) and every
// cached OIDC token, returning how many items it deleted.
func (s *Store) ClearAll() (int, error) {
	n, err := s.RemoveAllSessions()
	if err != nil {
		return n, err
	}
	urls, err := s.OIDCStartURLs()
	if err != nil {
		return n, err
	}
	for _, u := range urls {
		switch err := s.Keyring.Remove(oidcTokenPrefix + u); {
		case err == nil:
			n++
		case !keyring.ItemGone(err): // gone: another clear was first
			return n, err
		}
	}
	return n, nil
}

// ClearProfile deletes the cached sessions of one profile and the OIDC token
// of its SSO start URL.
func (s *Store) ClearProfile(pc *config.Profile) (int, error) {
	n, err := s.RemoveSessions(pc.ProfileName)
	if err != nil || pc.SSOStartURL == "" {
		return n, err
	}
	removed, err := s.RemoveOIDCToken(pc.SSOStartURL)
	if removed {
		n++
	}
	return n, err
}
