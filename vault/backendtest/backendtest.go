// Package backendtest runs real keyring backends for tests: a private D-Bus
// session bus with gnome-keyring-daemon serving the Secret Service, a
// throwaway GnuPG key with a pass password store, and a fresh kernel
// session keyring for keyctl. Whatever it starts it stops in t.Cleanup, and
// it leaves no process behind.
//
// A machine that cannot run a backend (a program missing, the kernel
// refusing keyctl) skips the test with a visible message, or fails it when
// AWSVAULT_REQUIRE_REAL is set, as `make test` does: CI must test every
// backend for real.
package backendtest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// RequireRealEnv is the variable that turns "cannot test this backend
// here" from a skip into a failure.
const RequireRealEnv = "AWSVAULT_REQUIRE_REAL"

// Unavailable stops the test because the machine cannot run backend: a
// failure when AWSVAULT_REQUIRE_REAL is set, a skip saying why otherwise.
func Unavailable(t testing.TB, backend, why string) {
	t.Helper()
	if os.Getenv(RequireRealEnv) != "" {
		t.Fatalf("the %s keyring backend cannot be tested on this machine: %s (%s is set, so this is a failure)",
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
