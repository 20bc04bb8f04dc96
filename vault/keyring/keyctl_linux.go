//go:build linux

package keyring

import (
	"errors"
	"fmt"

	lib "github.com/99designs/keyring"
	"golang.org/x/sys/unix"
)

// keyctlScopeID maps --keyctl-scope to the kernel's special keyring ID.
// aws-vault v7 never sets a scope (its cli/global.go leaves the keyring
// library's KeyCtlScope empty), so its keyctl backend cannot open; we
// default to the user keyring.
func keyctlScopeID(scope string) (int, error) {
	switch scope {
	case "user":
		return unix.KEY_SPEC_USER_KEYRING, nil
	case "session":
		return unix.KEY_SPEC_SESSION_KEYRING, nil
	case "process":
		return unix.KEY_SPEC_PROCESS_KEYRING, nil
	case "thread":
		return unix.KEY_SPEC_THREAD_KEYRING, nil
	}
	return 0, fmt.Errorf("unknown --keyctl-scope %q (use user, session, process or thread)", scope)
}

// keyctlPerm is the permission mask of the keys and of the aws-vault
// keyring. The kernel's default gives the user only "view" and everything
// to the possessor, and the user keyring is possessed only from sessions
// that link it (pam_keyinit does, a fresh "keyctl session" does not): in
// the user scope we grant the user everything too, so that every session
// of the user can read the keys, as the scope's name promises. In the other
// scopes the keyring is always possessed; 0 keeps the kernel's default
// (and the library can only relink into scopes other than the session).
func keyctlPerm(scope string) uint32 {
	if scope != "user" {
		return 0
	}
	return lib.GetPermissions(lib.KEYCTL_PERM_ALL, lib.KEYCTL_PERM_ALL, 0, 0)
}

// probeKeyctl checks, without creating anything, that the kernel lets this
// process use the scope's keyring and, if it exists already, the aws-vault
// keyring inside it.
func probeKeyctl(cfg Config) error {
	id, err := keyctlScopeID(cfg.KeyctlScope)
	if err != nil {
		return err
	}
	if _, err := unix.KeyctlGetKeyringID(id, false); err != nil && !errors.Is(err, unix.ENOKEY) {
		return fmt.Errorf("the kernel refused the %s keyring: %w", cfg.KeyctlScope, err)
	}
	_, err = unix.KeyctlSearch(id, "keyring", ServiceName, 0)
	if err != nil && !errors.Is(err, unix.ENOKEY) {
		return fmt.Errorf("the %s keyring in the %s keyring is not accessible: %w", ServiceName, cfg.KeyctlScope, err)
	}
	return nil
}

// keyctlKeyring is the library's keyctl backend with its errors named.
type keyctlKeyring struct {
	inner lib.Keyring
	scope string
}

func openKeyctl(cfg Config) (Keyring, error) {
	if err := probeKeyctl(cfg); err != nil {
		return nil, err
	}
	if cfg.ReadOnly {
		id, _ := keyctlScopeID(cfg.KeyctlScope)
		if _, err := unix.KeyctlSearch(id, "keyring", ServiceName, 0); errors.Is(err, unix.ENOKEY) {
			return noKeyctlKeyring{scope: cfg.KeyctlScope}, nil
		}
	}
	inner, err := openLibrary(cfg, KeyctlBackend, lib.Config{
		KeyCtlScope: cfg.KeyctlScope,
		KeyCtlPerm:  keyctlPerm(cfg.KeyctlScope),
	})
	if err != nil {
		return nil, err
	}
	return &keyctlKeyring{inner: inner, scope: cfg.KeyctlScope}, nil
}

// Get reads a key of the aws-vault keyring.
func (k *keyctlKeyring) Get(key string) (Item, error) {
	item, err := k.inner.Get(key)
	return item, k.fail(err)
}

// Set adds or replaces a key.
func (k *keyctlKeyring) Set(item Item) error { return k.fail(k.inner.Set(item)) }

// Remove unlinks a key.
func (k *keyctlKeyring) Remove(key string) error { return k.fail(k.inner.Remove(key)) }

// Keys lists the aws-vault keyring's keys.
func (k *keyctlKeyring) Keys() ([]string, error) {
	keys, err := k.inner.Keys()
	return keys, k.fail(err)
}

func (k *keyctlKeyring) fail(err error) error {
	if err == nil || errors.Is(err, ErrKeyNotFound) {
		return err
	}
	return fmt.Errorf("keyctl (%s keyring): %w", k.scope, err)
}

// noKeyctlKeyring is a missing aws-vault keyring opened read only: it has
// no keys, and is not created to store one.
type noKeyctlKeyring struct{ scope string }

func (noKeyctlKeyring) Get(string) (Item, error) { return Item{}, ErrKeyNotFound }
func (noKeyctlKeyring) Keys() ([]string, error)  { return nil, nil }
func (k noKeyctlKeyring) Set(Item) error {
	return fmt.Errorf("keyctl (%s keyring): opened read only", k.scope)
}
func (k noKeyctlKeyring) Remove(string) error {
	return fmt.Errorf("keyctl (%s keyring): opened read only", k.scope)
}
