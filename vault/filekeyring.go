package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/99designs/keyring"
	jose "github.com/dvsekhvalnov/jose2go"
	"github.com/mtibben/percent"
)

// tmpMarker marks the temporary files of atomic writes; Keys skips them.
const tmpMarker = ".tmp-"

// FileKeyring is the "file" backend: one JWE file per item in Dir, in the
// format of github.com/99designs/keyring's file backend (so aws-vault v7
// reads what it writes and vice versa), with atomic 0600 writes and the
// passphrase asked at most once per process.
type FileKeyring struct {
	// Dir is the directory holding the items (created 0700 when missing).
	Dir string
	// Passphrase returns the passphrase; it is called at most once.
	Passphrase func() (string, error)
	// Now stamps the "created" header of new items.
	Now func() time.Time

	once     sync.Once
	password string
	pwErr    error
	// verified: the passphrase opened an item, so writes may use it.
	verified bool
}

// FileKeyringIsEmpty reports whether dir holds no keyring items yet.
func FileKeyringIsEmpty(dir string) bool {
	keys, err := (&FileKeyring{Dir: dir}).Keys()
	return err == nil && len(keys) == 0
}

func (k *FileKeyring) filename(key string) string {
	return filepath.Join(k.Dir, percent.Encode(key, "/"))
}

func (k *FileKeyring) passphrase() (string, error) {
	k.once.Do(func() { k.password, k.pwErr = k.Passphrase() })
	return k.password, k.pwErr
}

// Keys lists item names from the directory alone; nothing is decrypted, so
// no passphrase is needed.
func (k *FileKeyring) Keys() ([]string, error) {
	entries, err := os.ReadDir(k.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("file keyring: %w", err)
	}
	keys := make([]string, 0, len(entries))
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && strings.Contains(name, tmpMarker) {
			continue
		}
		keys = append(keys, percent.Decode(name))
	}
	return keys, nil
}

// Get reads and decrypts one item.
func (k *FileKeyring) Get(key string) (keyring.Item, error) {
	token, err := os.ReadFile(k.filename(key))
	if errors.Is(err, os.ErrNotExist) {
		return keyring.Item{}, keyring.ErrKeyNotFound
	}
	if err != nil {
		return keyring.Item{}, fmt.Errorf("file keyring: %w", err)
	}
	pw, err := k.passphrase()
	if err != nil {
		return keyring.Item{}, err
	}
	payload, _, err := jose.Decode(string(token), pw)
	if err != nil {
		return keyring.Item{}, fmt.Errorf("file keyring item %q in %s cannot be decrypted: wrong passphrase or damaged file", key, k.Dir)
	}
	var item keyring.Item
	if err := json.Unmarshal([]byte(payload), &item); err != nil {
		return keyring.Item{}, fmt.Errorf("file keyring item %q in %s is not a keyring item", key, k.Dir)
	}
	k.verified = true
	return item, nil
}

// checkPassphrase makes sure the passphrase opens the items already there
// before a write: a mistyped one would store an item no other call can
// read. It decrypts at most one item, once per process.
func (k *FileKeyring) checkPassphrase(writing string) error {
	if k.verified {
		return nil
	}
	keys, err := k.Keys()
	if err != nil {
		return err
	}
	for _, key := range keys {
		if key == writing {
			continue
		}
		if _, err := k.Get(key); err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
			return fmt.Errorf("the passphrase does not open the items already in %s; nothing was stored", k.Dir)
		}
		break
	}
	k.verified = true
	return nil
}

// Set encrypts and writes one item atomically, mode 0600.
func (k *FileKeyring) Set(item keyring.Item) error {
	plain, err := json.Marshal(item)
	if err != nil {
		return err
	}
	pw, err := k.passphrase()
	if err != nil {
		return err
	}
	if err := k.checkPassphrase(item.Key); err != nil {
		return err
	}
	token, err := jose.Encrypt(string(plain), jose.PBES2_HS256_A128KW, jose.A256GCM, pw,
		jose.Headers(map[string]interface{}{"created": k.Now().String()}))
	if err != nil {
		return fmt.Errorf("file keyring: encrypting %q: %w", item.Key, err)
	}
	if err := os.MkdirAll(k.Dir, 0o700); err != nil {
		return fmt.Errorf("file keyring: %w", err)
	}
	return WriteFileAtomic(k.filename(item.Key), []byte(token), 0o600)
}

// Remove deletes one item; a missing item is the os error naming its path,
// as aws-vault reports it.
func (k *FileKeyring) Remove(key string) error {
	return os.Remove(k.filename(key))
}
