package vault

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The kinds of credentials aws-vault gets: what a provider of the chain is
// (Chain.Kind), what credentials say they come from (aws.Credentials'
// Source), and, for the ones that are cached, the first field of their
// session key, in aws-vault v7's spelling.
const (
	KindStored            = "stored credentials" // a long-term key from the keyring; never cached
	KindSessionToken      = "sts.GetSessionToken"
	KindAssumeRole        = "sts.AssumeRole"
	KindWebIdentity       = "sts.AssumeRoleWithWebIdentity"
	KindCredentialProcess = "credential_process"
	KindSSO               = "sso.GetRoleCredentials"
)

// The rest of the session key vocabulary.
const (
	legacySessionType              = "session"
	oidcTokenPrefix                = "oidc:"
	sessionKeyFieldSeparator       = ","
	sessionKeyExpectedFieldsNumber = 4
)

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

// SessionKey names a cached session in the keyring:
// <type>,<b64url(profile)>,<b64url(mfa serial or SSO start URL)>,<unix expiry>.
type SessionKey struct {
	// Type is the kind of credentials cached, e.g. KindSessionToken.
	Type        string
	ProfileName string
	// MFASerial is the MFA serial, the SSO start URL, or empty.
	MFASerial  string
	Expiration time.Time
}

var b64 = base64.RawURLEncoding.Strict()

// String formats the key as aws-vault does.
func (k SessionKey) String() string {
	return k.prefix() + strconv.FormatInt(k.Expiration.Unix(), 10)
}

// prefix is the part of the key that identifies the session regardless of
// its expiry; lookups match on it.
func (k SessionKey) prefix() string {
	return strings.Join([]string{k.Type, b64.EncodeToString([]byte(k.ProfileName)), b64.EncodeToString([]byte(k.MFASerial)), ""}, sessionKeyFieldSeparator)
}

// ParseSessionKey parses a current-format session key.
func ParseSessionKey(s string) (SessionKey, error) {
	f, ok := currentKeyShape(s)
	if !ok {
		return SessionKey{}, fmt.Errorf("%q is not a session key", s)
	}
	profile, err1 := b64.DecodeString(f[1])
	serial, err2 := b64.DecodeString(f[2])
	expiry, err3 := strconv.ParseInt(f[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || !canonical(f, profile, serial, expiry) {
		return SessionKey{}, fmt.Errorf("%q is not a session key", s)
	}
	return SessionKey{Type: f[0], ProfileName: string(profile), MFASerial: string(serial), Expiration: time.Unix(expiry, 0)}, nil
}

// canonical reports whether the fields are exactly how String would write
// the decoded values (base64 decoding skips newlines, for one).
func canonical(f []string, profile, serial []byte, expiry int64) bool {
	return b64.EncodeToString(profile) == f[1] && b64.EncodeToString(serial) == f[2] && strconv.FormatInt(expiry, 10) == f[3]
}

func isSessionKey(s string) bool {
	_, err := ParseSessionKey(s)
	return err == nil
}

// isLegacySessionKey recognises older aws-vault versions' session keys, so
// they are never mistaken for credentials, and purged.
func isLegacySessionKey(s string) bool {
	return legacyV5KeyShape(s) || legacyColonKeyShape(s) || legacyParenKeyShape(s)
}

// IsOIDCTokenKey reports whether key names a cached SSO OIDC token.
func IsOIDCTokenKey(key string) bool { return strings.HasPrefix(key, oidcTokenPrefix) }
