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

// ClearProfile deletes the cached sessions of one profile. The SSO token
// of its start URL stays, as in aws-vault v7: profiles of the same start
// URL share it, and clear without a profile removes it.
func (s *Store) ClearProfile(pc *config.Profile) (int, error) {
	return s.RemoveSessions(pc.ProfileName)
}
