//go:build !linux

package keyring

import (
	"errors"
	"runtime"
)

// linuxOnly is what the Linux-only backends say elsewhere; they are never
// in AvailableBackends there, so only direct callers of Open see it.
func linuxOnly() error { return errors.New("available on Linux only, not on " + runtime.GOOS) }

func probeKeyctl(Config) error                  { return linuxOnly() }
func openKeyctl(Config) (Keyring, error)        { return nil, linuxOnly() }
func probeSecretService(Config) error           { return linuxOnly() }
func openSecretService(Config) (Keyring, error) { return nil, linuxOnly() }
func probeKWallet(Config) error                 { return linuxOnly() }
func openKWallet(Config) (Keyring, error)       { return nil, linuxOnly() }
