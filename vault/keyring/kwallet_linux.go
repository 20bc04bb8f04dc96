//go:build linux

package keyring

import (
	"errors"
	"fmt"

	lib "github.com/99designs/keyring"
)

// probeKWallet checks that KWallet is enabled and its daemon is on the bus.
// The backend is built and selectable but not tested here (no KDE).
func probeKWallet(cfg Config) error {
	if cfg.Getenv("DISABLE_KWALLET") == "1" {
		return errors.New("DISABLE_KWALLET=1 turns it off")
	}
	conn, err := sessionBus(cfg, lib.KWalletBackend)
	if err != nil {
		return err
	}
	const name = "org.kde.kwalletd5"
	ok, err := nameOnBus(conn, name)
	if err == nil && !ok {
		err = fmt.Errorf("no KWallet daemon (%s) on the D-Bus session bus", name)
	}
	return err
}

// openKWallet opens the library's kwallet backend once the daemon is
// known to be there.
func openKWallet(cfg Config) (Keyring, error) {
	if err := probeKWallet(cfg); err != nil {
		return nil, err
	}
	return openLibrary(cfg, KWalletBackend, lib.Config{})
}
