// Package dbusguard stops the keyring library from starting a D-Bus daemon.
//
// github.com/99designs/keyring probes the D-Bus session bus in its package
// init (to offer the secret-service and kwallet backends). With no
// DBUS_SESSION_BUS_ADDRESS, godbus then runs dbus-launch, which leaves one
// dbus-daemon behind per aws-vault call on headless machines, and a probe
// happens even with --backend file. Package initialisation runs in import
// path order among ready packages (Go spec, "Package initialization"), and
// this package's path sorts before github.com/godbus/dbus, which the keyring
// package needs, so this init runs first and can point the probe at an
// address that fails at once without connecting or launching anything.
// Restore then puts the variable back as the user had it, so children see
// the environment they were started with.
//
// Package vault/keyring, the only importer of the keyring library, imports
// it, so every program that links the library is covered (the test
// binaries too), and its one init captures the user's value before
// anything changes it; aws-vault's cli.System calls Restore.
package dbusguard

import (
	"fmt"
	"os"
	"strings"
)

const (
	envName = "DBUS_SESSION_BUS_ADDRESS"
	// disabled is a bus address godbus rejects before dialling.
	disabled = "disabled:"
)

// original is the user's value, captured before anything changes it.
var original, hadOriginal = os.LookupEnv(envName)

func init() {
	if wantsBus(os.Args[1:], os.Getenv("AWS_VAULT_BACKEND")) && busReachable(original) {
		return
	}
	_ = os.Setenv(envName, disabled)
}

// Restore resets DBUS_SESSION_BUS_ADDRESS to the value the process started
// with; call it once the keyring package is initialised.
func Restore() {
	if hadOriginal {
		os.Setenv(envName, original)
	} else {
		os.Unsetenv(envName)
	}
}

// wantsBus reports whether the selected backend may need D-Bus: automatic
// selection, secret-service or kwallet. The flag is looked for before "--".
func wantsBus(args []string, env string) bool {
	backend := env
	for i := 0; i < len(args) && args[i] != "--"; i++ {
		if v, ok := strings.CutPrefix(args[i], "--backend="); ok {
			backend = v
		} else if args[i] == "--backend" && i+1 < len(args) {
			backend = args[i+1]
		}
	}
	switch backend {
	case "", "secret-service", "kwallet":
		return true
	}
	return false
}

// busReachable reports whether a session bus can be found without
// launching one: an address in the environment, or the per-user socket
// godbus discovers under /run/user/<uid>.
func busReachable(addr string) bool {
	if addr != "" && addr != "autolaunch:" {
		return true
	}
	dir := fmt.Sprintf("/run/user/%d/", os.Getuid())
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(dir + name); err == nil {
			return true
		}
	}
	return false
}
