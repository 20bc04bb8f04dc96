package vaulttest

// This package links the keyring library (for keyring.Item), whose package
// init probes the D-Bus session bus and, with none, makes godbus run
// dbus-launch: every test binary importing vaulttest would leave a
// dbus-daemon behind. The guard's init runs first and prevents that.
import _ "github.com/awsvault/aws-vault/internal/dbusguard"
