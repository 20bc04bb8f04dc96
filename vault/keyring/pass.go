package keyring

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	lib "github.com/99designs/keyring"
)

// passStore is the pass backend's configuration resolved the way the
// keyring library resolves it (--pass-dir, else PASSWORD_STORE_DIR, else
// ~/.password-store), so that its preconditions can be checked and
// explained before the library runs pass.
type passStore struct {
	cmd      string
	dir      string
	dirErr   error
	prefix   string
	lookPath func(string) (string, error)
}

func newPassStore(cfg Config) passStore {
	s := passStore{cmd: cfg.PassCmd, prefix: cfg.PassPrefix, lookPath: cfg.LookPath}
	if s.cmd == "" {
		s.cmd = "pass"
	}
	s.dir, s.dirErr = passDir(cfg)
	return s
}

func passDir(cfg Config) (string, error) {
	dir := cfg.PassDir
	if dir == "" {
		dir = cfg.Getenv("PASSWORD_STORE_DIR")
	}
	if dir == "" {
		dir = "~" + string(filepath.Separator) + ".password-store"
	}
	rest, ok := strings.CutPrefix(dir, "~"+string(filepath.Separator))
	if !ok {
		return dir, nil
	}
	home, err := cfg.HomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the password store %s: %w", dir, err)
	}
	return filepath.Join(home, rest), nil
}

// usable checks what opening needs: the program and a store location.
func (s passStore) usable() error {
	if _, err := s.lookPath(s.cmd); err != nil {
		return fmt.Errorf("the pass program %q is not on PATH", s.cmd)
	}
	return s.dirErr
}

// ready checks what storing needs besides: an initialised store (a
// .gpg-id file in the prefix folder or above it, as pass looks for it).
func (s passStore) ready() error {
	if err := s.usable(); err != nil {
		return err
	}
	return s.initialised()
}

func (s passStore) initialised() error {
	root := filepath.Clean(s.dir)
	dir := filepath.Join(root, s.prefix)
	for {
		if _, err := os.Stat(filepath.Join(dir, ".gpg-id")); err == nil {
			return nil
		}
		if dir == root || !strings.HasPrefix(dir, root) {
			return fmt.Errorf("the password store %s is not initialised (run: pass init <gpg-key-id>)", s.dir)
		}
		dir = filepath.Dir(dir)
	}
}

// passKeyring is the library's pass backend with clearer errors: storing
// in an uninitialised store says so instead of failing with pass's exit
// status.
type passKeyring struct {
	inner lib.Keyring
	store passStore
}

func openPass(cfg Config) (Keyring, error) {
	s := newPassStore(cfg)
	if err := s.usable(); err != nil {
		return nil, err
	}
	inner, err := openLibrary(cfg, PassBackend, lib.Config{})
	if err != nil {
		return nil, err
	}
	return &passKeyring{inner: inner, store: s}, nil
}

// Get reads an item with pass show.
func (k *passKeyring) Get(key string) (Item, error) {
	item, err := k.inner.Get(key)
	return item, k.fail("pass show", key, err)
}

// Set stores an item with pass insert.
func (k *passKeyring) Set(item Item) error {
	if err := k.store.initialised(); err != nil {
		return fmt.Errorf("pass: %w", err)
	}
	return k.fail("pass insert", item.Key, k.inner.Set(item))
}

// Remove deletes an item with pass rm.
func (k *passKeyring) Remove(key string) error {
	return k.fail("pass rm", key, k.inner.Remove(key))
}

// Keys lists the store's items under the prefix.
func (k *passKeyring) Keys() ([]string, error) {
	keys, err := k.inner.Keys()
	if err != nil {
		return nil, fmt.Errorf("pass: listing %s: %w", filepath.Join(k.store.dir, k.store.prefix), err)
	}
	return keys, nil
}

// fail names the pass command that failed; pass itself has already
// explained why on stderr.
func (k *passKeyring) fail(op, key string, err error) error {
	if err == nil || errors.Is(err, ErrKeyNotFound) {
		return err
	}
	return fmt.Errorf("%s %s: %w", op, filepath.Join(k.store.prefix, key), err)
}
