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
// passphrase asked at most once per process. When Agent is set and its
// agent answers, items are read and written through it and the passphrase
// is not asked at all.
type File struct {
	// Dir is the directory holding the items (created 0700 when missing).
	Dir string
	// Passphrase returns the passphrase; it is called at most once.
	Passphrase func() (string, error)
	// Now stamps the "created" header of new items.
	Now func() time.Time
	// Agent, when set, is asked first; an agent that cannot be reached is
	// dropped for the rest of the process and the passphrase used instead.
	Agent *AgentClient
	// Logf, when set, receives debug lines (the agent's absence).
	Logf func(format string, args ...any)

	once     sync.Once
	password string
	pwErr    error
	// verified: the passphrase opened an item, so writes may use it.
	verified bool
}

// maxItemSize bounds what is read of an item file: items are a few
// kilobytes; anything near this is not one.
const maxItemSize = 1 << 20

// tempPrefix starts the name of every temporary file Set writes. No item
// can have such a name: the file name of an item escapes "%" (as %25), so
// a "%" there is never followed by anything but two hex digits. Listing
// skips exactly these, and shows every item, whatever its name.
const tempPrefix = ".%aws-vault-tmp-"

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

func (k *File) logf(format string, args ...any) {
	if k.Logf != nil {
		k.Logf(format, args...)
	}
}

// Keys lists item names from the directory alone; nothing is decrypted, so
// no passphrase (and no agent) is needed.
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
		if strings.HasPrefix(name, tempPrefix) {
			continue
		}
		keys = append(keys, percent.Decode(name))
	}
	return keys, nil
}

// Get reads and decrypts one item: through the agent when one answers,
// else with the passphrase.
func (k *File) Get(key string) (Item, error) {
	if k.Agent != nil {
		item, err := k.Agent.Get(key)
		if !k.agentGone(err) {
			return item, err
		}
	}
	token, _, err := k.readToken(key)
	if err != nil {
		return Item{}, err
	}
	pw, err := k.passphrase()
	if err != nil {
		return Item{}, err
	}
	item, err := k.decode(key, token, pw)
	if err == nil {
		k.verified = true
	}
	return item, err
}

// agentGone reports whether err says the agent could not be reached, and
// then drops the agent: the rest of the process uses the passphrase.
func (k *File) agentGone(err error) bool {
	if !errors.Is(err, ErrAgentUnreachable) {
		return false
	}
	k.logf("file keyring %s: %v; using the passphrase", k.Dir, err)
	k.Agent = nil
	return true
}

// openItem opens an item's file, which must be a regular file (a symbolic
// link to one is followed): a named pipe planted as an item is refused at
// once instead of blocking the read. It returns the file's identity, which
// changes whenever the file is replaced or rewritten.
func (k *File) openItem(key string) (*os.File, fileID, error) {
	f, st, err := regularfile.OpenStat(k.filename(key), false)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fileID{}, ErrKeyNotFound
	}
	if err != nil {
		return nil, fileID{}, fmt.Errorf("file keyring: %w", err)
	}
	return f, identify(st), nil
}

// readToken reads an item's file (see openItem), at most maxItemSize bytes.
func (k *File) readToken(key string) ([]byte, fileID, error) {
	f, id, err := k.openItem(key)
	if err != nil {
		return nil, id, err
	}
	defer f.Close()
	token, err := k.readOpen(key, f)
	return token, id, err
}

// readOpen reads an item's opened file, at most maxItemSize bytes.
func (k *File) readOpen(key string, f *os.File) ([]byte, error) {
	token, err := io.ReadAll(io.LimitReader(f, maxItemSize+1))
	if err != nil {
		return nil, fmt.Errorf("file keyring: %w", err)
	}
	if len(token) > maxItemSize {
		return nil, fmt.Errorf("file keyring item %q in %s is larger than %d bytes: not a keyring item", key, k.Dir, maxItemSize)
	}
	return token, nil
}

// decode decrypts an item's file contents with pw.
func (k *File) decode(key string, token []byte, pw string) (Item, error) {
	payload, _, err := jose.Decode(string(token), pw)
	if err != nil {
		return Item{}, fmt.Errorf("file keyring item %q in %s cannot be decrypted: wrong passphrase or damaged file", key, k.Dir)
	}
	var item Item
	if err := json.Unmarshal([]byte(payload), &item); err != nil {
		return Item{}, fmt.Errorf("file keyring item %q in %s is not a keyring item", key, k.Dir)
	}
	return item, nil
}

// CheckPassphrase makes sure the passphrase opens the items already there
// (one of them, other than writing): a mistyped one would store an item no
// other call can read. It decrypts at most one item, once per process; a
// keyring with no items accepts any passphrase.
func (k *File) CheckPassphrase(writing string) error {
	if k.verified {
		return nil
	}
	keys, err := k.Keys()
	if err != nil {
		return err
	}
	pw, err := k.passphrase()
	if err != nil {
		return err
	}
	for _, key := range keys {
		if key == writing {
			continue
		}
		token, _, err := k.readToken(key)
		if errors.Is(err, ErrKeyNotFound) {
			continue // removed meanwhile
		}
		if err == nil {
			_, err = k.decode(key, token, pw)
		}
		if err != nil {
			return fmt.Errorf("the passphrase does not open the items already in %s", k.Dir)
		}
		break
	}
	k.verified = true
	return nil
}

// Set encrypts and writes one item atomically, mode 0600: through the
// agent when one answers, else with the passphrase.
func (k *File) Set(item Item) error {
	if k.Agent != nil {
		if err := k.Agent.Set(item); !k.agentGone(err) {
			return err
		}
	}
	plain, err := json.Marshal(item)
	if err != nil {
		return err
	}
	pw, err := k.passphrase()
	if err != nil {
		return err
	}
	if err := k.CheckPassphrase(item.Key); err != nil {
		return fmt.Errorf("%w; nothing was stored", err)
	}
	token, err := jose.Encrypt(string(plain), jose.PBES2_HS256_A128KW, jose.A256GCM, pw,
		jose.Headers(map[string]interface{}{"created": k.Now().String()}))
	if err != nil {
		return fmt.Errorf("file keyring: encrypting %q: %w", item.Key, err)
	}
	if err := os.MkdirAll(k.Dir, 0o700); err != nil {
		return fmt.Errorf("file keyring: %w", err)
	}
	// The temporary file is made in Dir and renamed over the item's name:
	// a symbolic link planted there is replaced, never written through.
	if err := atomicfile.ReplaceVia(k.filename(item.Key), tempPrefix+"*", []byte(token), 0o600); err != nil {
		return fmt.Errorf("file keyring: %w", err)
	}
	return nil
}

// Remove deletes one item; a missing item is the os error naming its path,
// as aws-vault reports it. A symbolic link is removed, not its target.
func (k *File) Remove(key string) error {
	return os.Remove(k.filename(key))
}

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
	token, err := k.readOpen(key, f)
	if err != nil {
		return time.Time{}, err
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
