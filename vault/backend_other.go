//go:build !linux

package vault

import (
	"errors"
	"runtime"
)

// linuxOnly is what the Linux-only backends say elsewhere; they are never
// in AvailableBackends there, so only direct callers of OpenKeyring see it.
func linuxOnly() error { return errors.New("available on Linux only, not on " + runtime.GOOS) }

func probeKeyctl(KeyringConfig) error                  { return linuxOnly() }
func openKeyctl(KeyringConfig) (Keyring, error)        { return nil, linuxOnly() }
func probeSecretService(KeyringConfig) error           { return linuxOnly() }
func openSecretService(KeyringConfig) (Keyring, error) { return nil, linuxOnly() }
func probeKWallet(KeyringConfig) error                 { return linuxOnly() }
