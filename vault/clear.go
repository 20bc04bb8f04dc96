package vault

import (
	"time"

	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// ClearAll deletes every cached session (legacy formats included) and every
// cached OIDC token, returning how many items it deleted.
func ClearAll(kr keyring.Keyring, now func() time.Time) (int, error) {
	n, err := (&SessionKeyring{Keyring: kr, Now: now}).RemoveAll()
	if err != nil {
		return n, err
	}
	oidc := &OIDCTokenKeyring{Keyring: kr}
	urls, err := oidc.StartURLs()
	if err != nil {
		return n, err
	}
	for _, u := range urls {
		switch err := kr.Remove(oidcTokenPrefix + u); {
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
func ClearProfile(kr keyring.Keyring, now func() time.Time, pc *config.Profile) (int, error) {
	n, err := (&SessionKeyring{Keyring: kr, Now: now}).RemoveForProfile(pc.ProfileName)
	if err != nil || pc.SSOStartURL == "" {
		return n, err
	}
	removed, err := (&OIDCTokenKeyring{Keyring: kr}).Remove(pc.SSOStartURL)
	if removed {
		n++
	}
	return n, err
}
