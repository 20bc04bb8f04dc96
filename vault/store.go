package vault

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// Store is aws-vault's one view of its items in a keyring, in aws-vault
// v7's format so that both read what either writes: long-term credentials
// under the bare profile name, cached sessions under SessionKey names
// (sts.GetSessionToken,<profile>,<serial>,<expiry>) and cached SSO OIDC
// tokens under "oidc:<start URL>". Every command and the credential chain
// reach the items through it.
type Store struct {
	Keyring keyring.Keyring
	// Now is the clock deciding what has expired.
	Now func() time.Time
	// Logf, when set, says why a cached item was not served (--debug).
	Logf func(format string, args ...any)
}

// storedCredentials is the payload of a long-term credential item, with
// aws-vault v7's field set and order, then fields of ours that v7 ignores
// (it decodes with encoding/json, which skips unknown fields).
type storedCredentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Source          string
	CanExpire       bool
	Expires         time.Time
	// StoredAt is when the key was stored (add, import, rotate), or, for
	// a key stored without it, its IAM CreateDate as rotate --older-than
	// learnt it: what the key's age is counted from. Absent when unknown.
	StoredAt time.Time `json:",omitzero"`
}

// CredentialProfiles lists the profiles that have stored credentials.
func (s *Store) CredentialProfiles() ([]string, error) {
	all, err := s.Keyring.Keys()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range all {
		if ClassifyKey(k) == KeyCredentials {
			out = append(out, k)
		}
	}
	return out, nil
}

// HasCredentials reports whether credentials are stored for profile. It
// reads only the key listing, never an item.
func (s *Store) HasCredentials(profile string) (bool, error) {
	keys, err := s.CredentialProfiles()
	return slices.Contains(keys, profile), err
}

// Credentials returns the credentials stored for profile.
func (s *Store) Credentials(profile string) (aws.Credentials, error) {
	creds, _, err := s.StoredKey(profile)
	return creds, err
}

// StoredKey returns the credentials stored for profile and when they were
// stored (zero when the item does not say: aws-vault v7 wrote it).
func (s *Store) StoredKey(profile string) (aws.Credentials, time.Time, error) {
	item, err := s.Keyring.Get(profile)
	if err != nil {
		return aws.Credentials{}, time.Time{}, fmt.Errorf("reading credentials of profile %s from the keyring: %w", profile, err)
	}
	var c storedCredentials
	if err := json.Unmarshal(item.Data, &c); err != nil {
		return aws.Credentials{}, time.Time{}, fmt.Errorf("credentials of profile %s in the keyring are not valid JSON", profile)
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return aws.Credentials{}, time.Time{}, fmt.Errorf("credentials of profile %s in the keyring have no access key", profile)
	}
	return aws.Credentials{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Source: c.Source, CanExpire: c.CanExpire, Expires: c.Expires,
	}, c.StoredAt, nil
}

// SetCredentials stores credentials for profile, replacing any stored
// before, and records that they were stored now (when the Store has a
// clock).
func (s *Store) SetCredentials(profile string, c aws.Credentials) error {
	var now time.Time
	if s.Now != nil {
		now = s.Now()
	}
	return s.SetCredentialsStoredAt(profile, c, now)
}

// SetCredentialsStoredAt is SetCredentials recording storedAt as the time
// the key was stored (none when zero).
func (s *Store) SetCredentialsStoredAt(profile string, c aws.Credentials, storedAt time.Time) error {
	if !storedAt.IsZero() {
		storedAt = storedAt.UTC().Truncate(time.Second)
	}
	data, err := json.Marshal(storedCredentials{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Source: c.Source, CanExpire: c.CanExpire, Expires: c.Expires, StoredAt: storedAt,
	})
	if err != nil {
		return err
	}
	return s.Keyring.Set(keyring.Item{
		Key:   profile,
		Label: fmt.Sprintf("aws-vault (%s)", profile),
		Data:  data,
		// Long-term keys ask the user before another app reads them (macOS).
		KeychainNotTrustApplication: true,
	})
}

// RemoveCredentials deletes the credentials of profile.
func (s *Store) RemoveCredentials(profile string) error {
	return s.Keyring.Remove(profile)
}

func (s *Store) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
	}
}
