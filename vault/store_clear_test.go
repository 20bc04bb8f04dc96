package vault_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// racingKeyring lists its keys, then lets "another process" delete the
// listed cached items before the caller gets to them.
type racingKeyring struct{ keyring.Keyring }

func (r racingKeyring) Keys() ([]string, error) {
	keys, err := r.Keyring.Keys()
	for _, k := range keys {
		if vault.ClassifyKey(k) != vault.KeyCredentials {
			_ = r.Keyring.Remove(k)
		}
	}
	return keys, err
}

// Items another clear deleted after our listing are where they should be:
// clear succeeds (counting only what it deleted), for every backend's way
// of saying "not found", and the long-term keys stay.
func TestClearItemsAlreadyGone(t *testing.T) {
	kr := fixtureKeyring(t)
	if err := os.WriteFile(filepath.Join(kr.Dir, "oidc:https:%2F%2Fexample.awsapps.com%2Fstart"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	n, err := (&vault.Store{Keyring: racingKeyring{kr}, Now: time.Now}).ClearAll()
	if err != nil || n != 0 {
		t.Errorf("ClearAll: %d, %v; want 0, nil", n, err)
	}
	n, err = (&vault.Store{Keyring: racingKeyring{fixtureKeyring(t)}, Now: time.Now}).ClearProfile(&config.Profile{ProfileName: "plain"})
	if err != nil || n != 0 {
		t.Errorf("ClearProfile: %d, %v; want 0, nil", n, err)
	}
	if creds, _ := (&vault.Store{Keyring: kr}).CredentialProfiles(); len(creds) != 2 {
		t.Errorf("long-term keys after clear: %q", creds)
	}

	mem := vaulttest.NewMemKeyring()
	for _, k := range []string{"sts.GetSessionToken,cGxhaW4,,1795427130", "oidc:https://example.awsapps.com/start"} {
		mem.Set(keyring.Item{Key: k})
	}
	gone := &goneKeyring{MemKeyring: mem}
	n, err = (&vault.Store{Keyring: gone, Now: time.Now}).ClearAll()
	if err != nil || n != 0 {
		t.Errorf("ClearAll, ErrKeyNotFound: %d, %v", n, err)
	}
}

// goneKeyring lists its keys but answers every Remove with the library's
// not-found error, as pass, keyctl and the Secret Service do.
type goneKeyring struct{ *vaulttest.MemKeyring }

func (g *goneKeyring) Remove(string) error { return keyring.ErrKeyNotFound }

// A real failure to delete stays an error naming the item.
func TestClearRealErrorStays(t *testing.T) {
	mem := vaulttest.NewMemKeyring()
	mem.Set(keyring.Item{Key: "sts.GetSessionToken,cGxhaW4,,1795427130"})
	broken := &flakyKeyring{MemKeyring: mem, failRemove: func(string) bool { return true }}
	_, err := (&vault.Store{Keyring: broken, Now: time.Now}).ClearAll()
	if !errors.Is(err, errKeyringBroken) || !strings.Contains(err.Error(), "removing cached session sts.GetSessionToken,cGxhaW4,,1795427130") {
		t.Errorf("ClearAll: %v", err)
	}
	_, err = (&vault.Store{Keyring: broken, Now: time.Now}).RemoveSessions("plain")
	if !errors.Is(err, errKeyringBroken) {
		t.Errorf("RemoveForProfile: %v", err)
	}
}
