// Package keyring is where aws-vault keeps its items: the keyring backends
// (file, pass, keyctl, secret-service, kwallet, keychain, wincred) behind
// one interface, [Keyring], one file per backend, and the choice of a
// backend with the reason each one that cannot open gives ([Open],
// [AvailableBackends]).
//
// The backends other than file are those of github.com/99designs/keyring,
// with aws-vault v7's settings, so the items stay readable by both; this is
// the only package that imports that library (callers use [Item] and
// [ErrKeyNotFound] from here). What the items hold (credentials, sessions,
// SSO tokens) is package vault's business; this package stores bytes under
// keys. It imports nothing of aws-vault's but internal/.
//
// The file backend can be served by an [Agent] (aws-vault unlock): a
// process of the user's that holds the passphrase and answers, over a Unix
// socket whose peer must have its uid, the [AgentClient] a [File] asks
// first.
package keyring

import (
	"errors"
	"io/fs"

	lib "github.com/99designs/keyring"

	// Keeps the keyring library's start-up D-Bus probe from launching a
	// dbus-daemon in any program that links this package.
	_ "github.com/awsvault/aws-vault/internal/dbusguard"
)

// Keyring is the part of a keyring backend aws-vault uses. Every backend of
// github.com/99designs/keyring satisfies it, as does File.
type Keyring interface {
	Get(key string) (Item, error)
	Set(item Item) error
	Remove(key string) error
	Keys() ([]string, error)
}

// Item is one keyring item: a key, its data and the labels some backends
// show.
type Item = lib.Item

// ErrKeyNotFound is returned by Get for a missing item.
var ErrKeyNotFound = lib.ErrKeyNotFound

// ItemGone reports whether a Remove failed only because the item was
// already gone: the keyring library's not-found error, or the file
// backend's missing file.
func ItemGone(err error) bool {
	return errors.Is(err, ErrKeyNotFound) || errors.Is(err, fs.ErrNotExist)
}
