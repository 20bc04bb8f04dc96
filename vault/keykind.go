package vault

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
