package keyring

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/awsvault/aws-vault/internal/atomicfile"
	"github.com/awsvault/aws-vault/internal/regularfile"
	jose "github.com/dvsekhvalnov/jose2go"
	"github.com/mtibben/percent"
)

// File is the "file" backend: one JWE file per item in Dir, in the
// format of github.com/99designs/keyring's file backend (so aws-vault v7
// reads what it writes and vice versa), with atomic 0600 writes and the
// passphrase asked at most once per process.
type File struct {
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

// FileIsEmpty reports whether dir holds no keyring items yet.
func FileIsEmpty(dir string) bool {
	keys, err := (&File{Dir: dir}).Keys()
	return err == nil && len(keys) == 0
}

func (k *File) filename(key string) string {
	return filepath.Join(k.Dir, percent.Encode(key, "/"))
}

func (k *File) passphrase() (string, error) {
	k.once.Do(func() { k.password, k.pwErr = k.Passphrase() })
	return k.password, k.pwErr
}

// Keys lists item names from the directory alone; nothing is decrypted, so
// no passphrase is needed.
func (k *File) Keys() ([]string, error) {
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
		if strings.HasPrefix(name, ".") && strings.Contains(name, atomicfile.TempMarker) {
			continue
		}
		keys = append(keys, percent.Decode(name))
	}
	return keys, nil
}

// Get reads and decrypts one item.
func (k *File) Get(key string) (Item, error) {
	token, err := os.ReadFile(k.filename(key))
	if errors.Is(err, os.ErrNotExist) {
		return Item{}, ErrKeyNotFound
	}
	if err != nil {
		return Item{}, fmt.Errorf("file keyring: %w", err)
	}
	pw, err := k.passphrase()
	if err != nil {
		return Item{}, err
	}
	payload, _, err := jose.Decode(string(token), pw)
	if err != nil {
		return Item{}, fmt.Errorf("file keyring item %q in %s cannot be decrypted: wrong passphrase or damaged file", key, k.Dir)
	}
	var item Item
	if err := json.Unmarshal([]byte(payload), &item); err != nil {
		return Item{}, fmt.Errorf("file keyring item %q in %s is not a keyring item", key, k.Dir)
	}
	k.verified = true
	return item, nil
}

// checkPassphrase makes sure the passphrase opens the items already there
// before a write: a mistyped one would store an item no other call can
// read. It decrypts at most one item, once per process.
func (k *File) checkPassphrase(writing string) error {
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
		if _, err := k.Get(key); err != nil && !errors.Is(err, ErrKeyNotFound) {
			return fmt.Errorf("the passphrase does not open the items already in %s; nothing was stored", k.Dir)
		}
		break
	}
	k.verified = true
	return nil
}

// Set encrypts and writes one item atomically, mode 0600.
func (k *File) Set(item Item) error {
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
	return atomicfile.Write(k.filename(item.Key), []byte(token), 0o600)
}

// Remove deletes one item; a missing item is the os error naming its path,
// as aws-vault reports it.
func (k *File) Remove(key string) error {
	return os.Remove(k.filename(key))
}

// maxItemSize caps how much of an item file Created reads.
const maxItemSize = 1 << 20

// Created returns when an item was last written, from its unencrypted
// "created" header (aws-vault v7's file backend writes it too): nothing is
// decrypted, so no passphrase is needed. Only regular files are read.
func (k *File) Created(key string) (time.Time, error) {
	f, err := regularfile.Open(k.filename(key), true)
	if errors.Is(err, os.ErrNotExist) {
		return time.Time{}, ErrKeyNotFound
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("file keyring: %w", err)
	}
	defer f.Close()
	token, err := io.ReadAll(io.LimitReader(f, maxItemSize))
	if err != nil {
		return time.Time{}, fmt.Errorf("file keyring: %w", err)
	}
	head, _, _ := strings.Cut(string(token), ".")
	raw, err := base64.RawURLEncoding.DecodeString(head)
	var h struct {
		Created string `json:"created"`
	}
	if err == nil {
		err = json.Unmarshal(raw, &h)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("file keyring item %q in %s has no readable header", key, k.Dir)
	}
	// time.Time's String, without its monotonic clock reading.
	created, _, _ := strings.Cut(h.Created, " m=")
	t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", created)
	if err != nil {
		return time.Time{}, fmt.Errorf("file keyring item %q in %s has no creation time", key, k.Dir)
	}
	return t, nil
}
