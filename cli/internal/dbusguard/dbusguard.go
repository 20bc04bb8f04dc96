// Package dbusguard is the cli's handle on the D-Bus guard, which lives in
// internal/dbusguard so that the vault package, which links the keyring
// library, imports it too: see there for why and how it works.
package dbusguard

import guard "github.com/awsvault/aws-vault/internal/dbusguard"

// Guarded reports whether the session-bus probe was disabled at start-up.
func Guarded() bool { return guard.Guarded() }

// Restore resets DBUS_SESSION_BUS_ADDRESS to the value the process started
// with; call it once the keyring package is initialised.
func Restore() { guard.Restore() }
