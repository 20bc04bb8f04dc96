package keyring

import lib "github.com/99designs/keyring"

// openKeychain opens the macOS keychain (--keychain names it) through the
// keyring library, which builds it on macOS with cgo only: elsewhere the
// backend is never available, and Open says so before getting here.
func openKeychain(cfg Config) (Keyring, error) {
	return openLibrary(cfg, KeychainBackend, lib.Config{})
}
