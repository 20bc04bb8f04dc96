// Package keyringtest runs real keyring backends for tests: a private D-Bus
// session bus with gnome-keyring-daemon serving the Secret Service, a
// throwaway GnuPG key with a pass password store, and a fresh kernel
// session keyring for keyctl. Whatever it starts it stops in t.Cleanup, and
// it leaves no process behind.
//
// A machine that cannot run a backend (a program missing, the kernel
// refusing keyctl) skips the test with a visible message, or fails it when
// AWSVAULT_REQUIRE_REAL=1, as `make test` sets it: CI must test every
// backend for real.
//
// This package is test support only: nothing in it is meant for production.
package keyringtest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// RequireRealEnv is the variable that turns "cannot test this backend
// here" from a skip into a failure.
const RequireRealEnv = "AWSVAULT_REQUIRE_REAL"

// RequireReal reports whether AWSVAULT_REQUIRE_REAL=1, as `make test`
// sets it: a test that cannot run here must then fail, not skip. Every
// test checks the variable through this function.
func RequireReal() bool {
	return os.Getenv(RequireRealEnv) == "1"
}

// Unavailable stops the test because the machine cannot run backend: a
// failure under AWSVAULT_REQUIRE_REAL=1, a skip saying why otherwise.
func Unavailable(t testing.TB, backend, why string) {
	t.Helper()
	if RequireReal() {
		t.Fatalf("the %s keyring backend cannot be tested on this machine: %s (%s=1, so this is a failure)",
			backend, why, RequireRealEnv)
	}
	t.Skipf("SKIP: the %s keyring backend cannot be tested on this machine: %s (set %s=1 to fail instead)",
		backend, why, RequireRealEnv)
}

// NeedPrograms calls Unavailable unless every program is on PATH.
func NeedPrograms(t testing.TB, backend string, programs ...string) {
	t.Helper()
	var missing []string
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		Unavailable(t, backend, "not on PATH: "+strings.Join(missing, ", ")+" (make test installs them)")
	}
}

// ShortTempDir is a temporary directory with a short path, for Unix
// sockets (108 bytes at most), removed at cleanup.
func ShortTempDir(t testing.TB, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
