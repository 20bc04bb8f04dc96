package vault

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// storedCredentials is the payload of a long-term credential item, with
// aws-vault v7's field set and order.
type storedCredentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Source          string
	CanExpire       bool
	Expires         time.Time
}

// CredentialKeyring stores long-term access keys under the bare profile name.
type CredentialKeyring struct {
	Keyring keyring.Keyring
}

// Keys lists the profiles that have stored credentials.
func (ck *CredentialKeyring) Keys() ([]string, error) {
	all, err := ck.Keyring.Keys()
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

// Has reports whether credentials are stored for profile. It reads only the
// key listing, never an item.
func (ck *CredentialKeyring) Has(profile string) (bool, error) {
	keys, err := ck.Keys()
	return slices.Contains(keys, profile), err
}

// Get returns the credentials stored for profile.
func (ck *CredentialKeyring) Get(profile string) (aws.Credentials, error) {
	item, err := ck.Keyring.Get(profile)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("reading credentials of profile %s from the keyring: %w", profile, err)
	}
	var c storedCredentials
	if err := json.Unmarshal(item.Data, &c); err != nil {
		return aws.Credentials{}, fmt.Errorf("credentials of profile %s in the keyring are not valid JSON", profile)
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return aws.Credentials{}, fmt.Errorf("credentials of profile %s in the keyring have no access key", profile)
	}
	return aws.Credentials{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Source: c.Source, CanExpire: c.CanExpire, Expires: c.Expires,
	}, nil
}

// Set stores credentials for profile, replacing any stored before.
func (ck *CredentialKeyring) Set(profile string, c aws.Credentials) error {
	data, err := json.Marshal(storedCredentials{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Source: c.Source, CanExpire: c.CanExpire, Expires: c.Expires,
	})
	if err != nil {
		return err
	}
	return ck.Keyring.Set(keyring.Item{
		Key:   profile,
		Label: fmt.Sprintf("aws-vault (%s)", profile),
		Data:  data,
		// Long-term keys ask the user before another app reads them (macOS).
		KeychainNotTrustApplication: true,
	})
}

// Remove deletes the credentials of profile.
func (ck *CredentialKeyring) Remove(profile string) error {
	return ck.Keyring.Remove(profile)
}
