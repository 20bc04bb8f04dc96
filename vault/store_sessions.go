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
	// (ours: see the README on caching roles without MFA); empty for items
	// aws-vault wrote.
	Fingerprint string `json:",omitempty"`
}

// CachedSession is a session read from the cache.
type CachedSession struct {
	Key         SessionKey
	Credentials aws.Credentials
	Fingerprint string
}

// lookupSessionIn finds the cached session matching key (expiry ignored)
// that is still valid for more than window, in a key listing the caller
// already has, decrypting at most the matching item. An item that is not
// a usable session (see unusable) is removed and skipped.
func (s *Store) lookupSessionIn(keys []string, key SessionKey, window time.Duration) *CachedSession {
	now := s.Now()
	for _, k := range keys {
		found, err := ParseSessionKey(k)
		if err != nil || !strings.HasPrefix(k, key.prefix()) || found.Expiration.Before(now) {
			continue
		}
		if !found.Expiration.After(now.Add(window)) {
			s.logf("cached session %s expires within %s; getting a new one", k, window)
			continue
		}
		if cs := s.read(k, found, now.Add(window)); cs != nil {
			return cs
		}
	}
	return nil
}

// RemoveSession deletes the cached session stored under key.
func (s *Store) RemoveSession(key SessionKey) error {
	return s.Keyring.Remove(key.String())
}

// read decrypts item k. An item that cannot be read is a miss; one that
// reads but is no usable session is removed, so a fresh session replaces it.
func (s *Store) read(k string, key SessionKey, validUntil time.Time) *CachedSession {
	item, err := s.Keyring.Get(k)
	if err != nil {
		s.logf("cached session %s cannot be read (%v); getting a new one", k, err)
		return nil
	}
	var p sessionPayload
	if err := json.Unmarshal(item.Data, &p); err != nil {
		s.discard(k, "its payload is not session JSON")
		return nil
	}
	if reason := p.unusable(validUntil); reason != "" {
		s.discard(k, reason)
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
func (s *Store) discard(k, reason string) {
	if err := s.Keyring.Remove(k); err != nil {
		s.logf("cached session %s is not usable: %s; removing it failed: %v", k, reason, err)
		return
	}
	s.logf("cached session %s is not usable: %s; removed it", k, reason)
}

// StoreSession caches creds under key (whose Expiration is taken from creds),
// replacing an older entry for the same type, profile and serial.
func (s *Store) StoreSession(key SessionKey, creds aws.Credentials, fingerprint string) error {
	key.Expiration = creds.Expires
	data, err := json.Marshal(sessionPayload{
		AccessKeyID: creds.AccessKeyID, Expiration: creds.Expires.UTC(),
		SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken, Fingerprint: fingerprint,
	})
	if err != nil {
		return err
	}
	keys, err := s.Keyring.Keys()
	if err != nil {
		return err
	}
	s.PurgeSessions(keys)
	for _, k := range keys {
		if strings.HasPrefix(k, key.prefix()) && k != key.String() {
			_ = s.Keyring.Remove(k)
		}
	}
	return s.Keyring.Set(keyring.Item{
		Key:         key.String(),
		Data:        data,
		Label:       fmt.Sprintf("aws-vault session for %s (expires %s)", key.ProfileName, creds.Expires.UTC().Format(time.RFC3339)),
		Description: "aws-vault session",
	})
}

// PurgeSessions removes the expired sessions and legacy-format keys among keys,
// returning how many it removed.
func (s *Store) PurgeSessions(keys []string) int {
	n := 0
	now := s.Now()
	for _, k := range keys {
		kind := ClassifyKey(k)
		expired := false
		if kind == KeySession {
			key, _ := ParseSessionKey(k)
			expired = key.Expiration.Before(now)
		}
		if kind == KeyLegacySession || expired {
			if s.Keyring.Remove(k) == nil {
				n++
			}
		}
	}
	return n
}

// SessionKeys lists the current-format session keys, without reading
// items.
func (s *Store) SessionKeys() ([]SessionKey, error) {
	keys, err := s.Keyring.Keys()
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

// RemoveSessions deletes every cached session of profile.
func (s *Store) RemoveSessions(profile string) (int, error) {
	return s.removeWhere(func(kind KeyKind, k SessionKey) bool {
		return kind == KeySession && k.ProfileName == profile
	})
}

// RemoveAllSessions deletes every cached session, legacy ones included.
func (s *Store) RemoveAllSessions() (int, error) {
	return s.removeWhere(func(kind KeyKind, _ SessionKey) bool {
		return kind == KeySession || kind == KeyLegacySession
	})
}

// removeWhere deletes the sessions match selects, counting those it
// deleted. An item another aws-vault deleted after the listing (a
// concurrent clear) is already where it should be: not an error.
func (s *Store) removeWhere(match func(KeyKind, SessionKey) bool) (int, error) {
	keys, err := s.Keyring.Keys()
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
		switch err := s.Keyring.Remove(k); {
		case err == nil:
			n++
		case !keyring.ItemGone(err):
			return n, fmt.Errorf("removing cached session %s: %w", k, err)
		}
	}
	return n, nil
}
