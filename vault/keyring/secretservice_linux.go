//go:build linux

package keyring

import (
	"errors"
	"fmt"

	lib "github.com/99designs/keyring"
	"github.com/godbus/dbus"
)

// secretsName is the Secret Service's D-Bus name.
const secretsName = "org.freedesktop.secrets"

// secretService is the library's secret-service backend (which does the
// storage, so items stay exactly as aws-vault v7 writes them: labelled by
// key in the collection) behind our own checks. The library waits forever for a desktop
// prompt and takes a dismissed one for success; before each operation we
// create the collection when writing, and unlock it when locked, ourselves,
// with a bounded wait, so the library never needs a prompt.
type secretService struct {
	inner lib.Keyring
	ss    *secretsClient
}

func probeSecretService(cfg Config) error {
	conn, err := sessionBus(cfg, lib.SecretServiceBackend)
	if err != nil {
		return err
	}
	ok, err := nameOnBus(conn, secretsName)
	if err == nil && !ok {
		err = fmt.Errorf("nothing provides the Secret Service (%s) on the D-Bus session bus", secretsName)
	}
	return err
}

func openSecretService(cfg Config) (Keyring, error) {
	if err := probeSecretService(cfg); err != nil {
		return nil, err
	}
	conn, err := sessionBus(cfg, lib.SecretServiceBackend)
	if err != nil {
		return nil, err
	}
	if cfg.ReadOnly {
		var owned bool
		if err := busCall(conn.BusObject(), busCallTimeout, "org.freedesktop.DBus.NameHasOwner", secretsName).Store(&owned); err != nil {
			return nil, fmt.Errorf("asking the D-Bus session bus for %s: %w", secretsName, err)
		}
		if !owned {
			return nil, fmt.Errorf("the Secret Service (%s) is %w: D-Bus starts it for the first aws-vault command that uses it", secretsName, ErrNotStarted)
		}
	}
	ss := newSecretsClient(conn, cfg.SecretServiceCollection, busCallTimeout, cfg.PromptTimeout)
	ss.noPrompt = cfg.NoPrompt
	// The library's opener calls the service without a time limit: make
	// sure it answers first.
	if _, _, err := ss.find(); err != nil {
		return nil, err
	}
	inner, err := openLibrary(cfg, SecretServiceBackend, lib.Config{})
	if err != nil {
		return nil, err
	}
	return &secretService{inner: inner, ss: ss}, nil
}

// Get reads an item; a missing collection has no items.
func (k *secretService) Get(key string) (Item, error) {
	if err := k.ss.readable(); err != nil {
		return Item{}, k.fail(err)
	}
	item, err := k.inner.Get(key)
	return item, k.fail(err)
}

// Set stores an item, creating the collection first when missing.
func (k *secretService) Set(item Item) error {
	if err := k.ss.writable(); err != nil {
		return k.fail(err)
	}
	return k.fail(k.inner.Set(item))
}

// Remove deletes an item.
func (k *secretService) Remove(key string) error {
	if err := k.ss.readable(); err != nil {
		return k.fail(err)
	}
	return k.fail(k.inner.Remove(key))
}

// Keys lists the collection's item labels (aws-vault's keys).
func (k *secretService) Keys() ([]string, error) {
	if err := k.ss.readable(); err != nil {
		return nil, k.fail(err)
	}
	keys, err := k.inner.Keys()
	return keys, k.fail(err)
}

func (k *secretService) fail(err error) error {
	if err == nil || errors.Is(err, ErrKeyNotFound) {
		return err
	}
	return fmt.Errorf("secret-service: %w", dbusError(err))
}

// dbusError names a D-Bus error reply, whose text alone can be terse.
func dbusError(err error) error {
	var e dbus.Error
	if !errors.As(err, &e) {
		return err
	}
	if msg := e.Error(); msg != e.Name {
		return fmt.Errorf("%s (%s)", msg, e.Name)
	}
	return errors.New(e.Name)
}
