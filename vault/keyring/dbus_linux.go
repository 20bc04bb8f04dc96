//go:build linux

package keyring

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	lib "github.com/99designs/keyring"
	"github.com/godbus/dbus"
)

// busCallTimeout bounds every D-Bus call we make ourselves, so that a hung
// daemon is an error rather than a hang.
const busCallTimeout = 10 * time.Second

// sessionBus returns the session bus connection the keyring library opened
// at start-up for backend. It never connects anew: with no bus at start-up
// godbus would run dbus-launch, and the library did not register the
// backend, so it is an error naming the reason instead.
func sessionBus(cfg Config, backend lib.BackendType) (*dbus.Conn, error) {
	if !slices.Contains(lib.AvailableBackends(), backend) {
		return nil, noBusError(cfg)
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		return nil, fmt.Errorf("cannot connect to the D-Bus session bus: %w", err)
	}
	return conn, nil
}

func noBusError(cfg Config) error {
	if addr := cfg.Getenv("DBUS_SESSION_BUS_ADDRESS"); addr != "" && addr != "autolaunch:" {
		return fmt.Errorf("the D-Bus session bus at %s did not answer", addr)
	}
	return errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
}

// busCall makes a D-Bus method call that gives up after timeout.
func busCall(obj dbus.BusObject, timeout time.Duration, method string, args ...any) *dbus.Call {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	call := obj.CallWithContext(ctx, method, 0, args...)
	if errors.Is(call.Err, context.DeadlineExceeded) {
		call.Err = fmt.Errorf("%s: no answer within %s", obj.Destination(), timeout)
	}
	return call
}

// nameOnBus reports whether a service name is owned on the bus or can be
// started by it.
func nameOnBus(conn *dbus.Conn, name string) (bool, error) {
	var owned bool
	if err := busCall(conn.BusObject(), busCallTimeout, "org.freedesktop.DBus.NameHasOwner", name).Store(&owned); err != nil {
		return false, fmt.Errorf("asking the D-Bus session bus for %s: %w", name, err)
	}
	if owned {
		return true, nil
	}
	var names []string
	if err := busCall(conn.BusObject(), busCallTimeout, "org.freedesktop.DBus.ListActivatableNames").Store(&names); err != nil {
		return false, fmt.Errorf("asking the D-Bus session bus for %s: %w", name, err)
	}
	return slices.Contains(names, name), nil
}
