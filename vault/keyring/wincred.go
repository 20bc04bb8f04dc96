package keyring

import lib "github.com/99designs/keyring"

// openWinCred opens the Windows Credential Manager through the keyring
// library (items prefixed "aws-vault:", as aws-vault v7 stores them); it
// is available on Windows only, and Open says so elsewhere before getting
// here.
func openWinCred(cfg Config) (Keyring, error) {
	return openLibrary(cfg, WinCredBackend, lib.Config{})
}
