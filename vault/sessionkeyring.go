package vault

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// sessionPayload is a cached session as aws-vault v7 stores it. Fields added
// after v7 are ignored by v7's decoder, so items stay readable both ways.
type sessionPayload struct {
	AccessKeyID     string `json:"AccessKeyId"`
	Expiration      time.Time
	SecretAccessKey string
	SessionToken    string
	// Fingerprint identifies the settings a role session was obtained with
	// (ours, see «warm path»); empty for items aws-vault wrote.
	Fingerprint string `json:",omitempty"`
}

// CachedSession is a session read from the cache.
type CachedSession struct {
	Key         SessionKey
	Credentials aws.Credentials
	Fingerprint string
}

// SessionKeyring caches STS sessions in the keyring under SessionKey names.
type SessionKeyring struct {
	Keyring keyring.Keyring
	// Now is the clock deciding what has expired.
	Now func() time.Time
	// Logf, when set, says why a cached item was not served (--debug).
	Logf func(format string, args ...any)
}

// Lookup finds the cached session matching key (expiry ignored) that is still
// valid for more than window. It lists keys once and decrypts at most the
// matching item. An unreadable item is a miss, reported as (nil, nil).
func (sk *SessionKeyring) Lookup(key SessionKey, window time.Duration) (*CachedSession, error) {
	keys, err := sk.Keyring.Keys()
	if err != nil {
		return nil, err
	}
	sk.Purge(keys)
	return sk.LookupIn(keys, key, window), nil
}

// LookupIn is Lookup over a key listing the caller already has. An item
// that is not a usable session (see usable) is removed and skipped.
func (sk *SessionKeyring) LookupIn(keys []string, key SessionKey, window time.Duration) *CachedSession {
	now := sk.Now()
	for _, k := range keys {
		found, err := ParseSessionKey(k)
		if err != nil || !strings.HasPrefix(k, key.prefix()) || found.Expiration.Before(now) {
			continue
		}
		if !found.Expiration.After(now.Add(window)) {
			sk.logf("cached session %s expires within %s; getting a new one", k, window)
			continue
		}
		if s := sk.read(k, found, now.Add(window)); s != nil {
			return s
		}
	}
	return nil
}

// Remove deletes the cached session stored under key.
func (sk *SessionKeyring) Remove(key SessionKey) error {
	return sk.Keyring.Remove(key.String())
}

func (sk *SessionKeyring) logf(format string, args ...any) {
	if sk.Logf != nil {
		sk.Logf(format, args...)
	}
}

// read decrypts item k. An item that cannot be read is a miss; one that
// reads but is no usable session is removed, so a fresh session replaces it.
func (sk *SessionKeyring) read(k string, key SessionKey, validUntil time.Time) *CachedSession {
	item, err := sk.Keyring.Get(k)
	if err != nil {
		sk.logf("cached session %s cannot be read (%v); getting a new one", k, err)
		return nil
	}
	var p sessionPayload
	if err := json.Unmarshal(item.Data, &p); err != nil {
		sk.discard(k, "its payload is not session JSON")
		return nil
	}
	if reason := p.unusable(validUntil); reason != "" {
		sk.discard(k, reason)
		return nil
	}
	return &CachedSession{Key: key, Fingerprint: p.Fingerprint, Credentials: aws.Credentials{
		AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey, SessionToken: p.SessionToken,
		CanExpire: true, Expires: p.Expiration, Source: key.Type,
	}}
}

// unusable says why a cached payload is not a session that stays valid
// until validUntil, or "". A long-term key stored under a session name
// (no token, no expiration) is the case that matters: it must never be
// handed out as a session.
func (p *sessionPayload) unusable(validUntil time.Time) string {
	switch {
	case p.AccessKeyID == "" || p.SecretAccessKey == "":
		return "it holds no access key"
	case p.SessionToken == "":
		return "it holds no session token (not a session)"
	case p.Expiration.IsZero():
		return "it has no expiration (not a session)"
	case !p.Expiration.After(validUntil):
		return fmt.Sprintf("its payload expires at %s, sooner than its name says", p.Expiration.UTC().Format(time.RFC3339))
	}
	return ""
}

// discard removes item k, which is not a usable session, saying why.
func (sk *SessionKeyring) discard(k, reason string) {
	if err := sk.Keyring.Remove(k); err != nil {
		sk.logf("cached session %s is not usable: %s; removing it failed: %v", k, reason, err)
		return
	}
	sk.logf("cached session %s is not usable: %s; removed it", k, reason)
}

// Store caches creds under key (whose Expiration is taken from creds),
// replacing an older entry for the same type, profile and serial.
func (sk *SessionKeyring) Store(key SessionKey, creds aws.Credentials, fingerprint string) error {
	key.Expiration = creds.Expires
	data, err := json.Marshal(sessionPayload{
		AccessKeyID: creds.AccessKeyID, Expiration: creds.Expires.UTC(),
		SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken, Fingerprint: fingerprint,
	})
	if err != nil {
		return err
	}
	keys, err := sk.Keyring.Keys()
	if err != nil {
		return err
	}
	sk.Purge(keys)
	for _, k := range keys {
		if strings.HasPrefix(k, key.prefix()) && k != key.String() {
			_ = sk.Keyring.Remove(k)
		}
	}
	return sk.Keyring.Set(keyring.Item{
		Key:         key.String(),
		Data:        data,
		Label:       fmt.Sprintf("aws-vault session for %s (expires %s)", key.ProfileName, creds.Expires.UTC().Format(time.RFC3339)),
		Description: "aws-vault session",
	})
}

// Purge removes the expired sessions and legacy-format keys among keys,
// returning how many it removed.
func (sk *SessionKeyring) Purge(keys []string) int {
	n := 0
	now := sk.Now()
	for _, k := range keys {
		kind := ClassifyKey(k)
		expired := false
		if kind == KeySession {
			key, _ := ParseSessionKey(k)
			expired = key.Expiration.Before(now)
		}
		if kind == KeyLegacySession || expired {
			if sk.Keyring.Remove(k) == nil {
				n++
			}
		}
	}
	return n
}

// Sessions lists the current-format session keys, without reading items.
func (sk *SessionKeyring) Sessions() ([]SessionKey, error) {
	keys, err := sk.Keyring.Keys()
	if err != nil {
		return nil, err
	}
	var out []SessionKey
	for _, k := range keys {
		if key, err := ParseSessionKey(k); err == nil && ClassifyKey(k) == KeySession {
			out = append(out, key)
		}
	}
	return out, nil
}

// RemoveForProfile deletes every cached session of profile.
func (sk *SessionKeyring) RemoveForProfile(profile string) (int, error) {
	return sk.removeWhere(func(kind KeyKind, k SessionKey) bool {
		return kind == KeySession && k.ProfileName == profile
	})
}

// RemoveAll deletes every cached session, legacy ones included.
func (sk *SessionKeyring) RemoveAll() (int, error) {
	return sk.removeWhere(func(kind KeyKind, _ SessionKey) bool {
		return kind == KeySession || kind == KeyLegacySession
	})
}

// removeWhere deletes the sessions match selects, counting those it
// deleted. An item another aws-vault deleted after the listing (a
// concurrent clear) is already where it should be: not an error.
func (sk *SessionKeyring) removeWhere(match func(KeyKind, SessionKey) bool) (int, error) {
	keys, err := sk.Keyring.Keys()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, k := range keys {
		kind := ClassifyKey(k)
		key, _ := ParseSessionKey(k)
		if !match(kind, key) {
			continue
		}
		switch err := sk.Keyring.Remove(k); {
		case err == nil:
			n++
		case !keyring.ItemGone(err):
			return n, fmt.Errorf("removing cached session %s: %w", k, err)
		}
	}
	return n, nil
}
