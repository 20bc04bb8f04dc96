package vault

import (
	"github.com/99designs/keyring"
)

// Keyring is the part of a keyring backend aws-vault uses. Every backend of
// github.com/99designs/keyring satisfies it, as does FileKeyring.
type Keyring interface {
	Get(key string) (keyring.Item, error)
	Set(item keyring.Item) error
	Remove(key string) error
	Keys() ([]string, error)
}

// ErrKeyNotFound is returned by Get for a missing item.
var ErrKeyNotFound = keyring.ErrKeyNotFound

// KeyKind classifies a keyring key.
type KeyKind int

// The kinds of items aws-vault keeps in one keyring.
const (
	KeyCredentials KeyKind = iota
	KeySession
	KeyLegacySession
	KeyOIDCToken
)

// ClassifyKey tells long-term credentials, cached sessions (current and
// legacy formats) and OIDC tokens apart by the key alone.
func ClassifyKey(key string) KeyKind {
	switch {
	case IsOIDCTokenKey(key):
		return KeyOIDCToken
	case isLegacySessionKey(key):
		return KeyLegacySession
	case isSessionKey(key):
		return KeySession
	}
	return KeyCredentials
}
