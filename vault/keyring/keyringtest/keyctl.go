//go:build linux

package keyringtest

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// inSessionEnv marks the child test process InFreshSessionKeyring starts.
const inSessionEnv = "AWSVAULT_TEST_IN_KEYCTL_SESSION"

// InFreshSessionKeyring runs the calling test again, alone, in a child test
// process that `keyctl session -` started in a new anonymous session
// keyring, and reports the child's result as its own: it returns false,
// and the caller returns. In the child it returns true and the test goes
// on, its processes sharing that session keyring and nothing else.
func InFreshSessionKeyring(t *testing.T) bool {
	t.Helper()
	if os.Getenv(inSessionEnv) == t.Name() {
		if _, err := unix.KeyctlGetKeyringID(unix.KEY_SPEC_SESSION_KEYRING, false); err != nil {
			Unavailable(t, "keyctl", "the kernel refuses the session keyring: "+err.Error())
		}
		return true
	}
	NeedPrograms(t, "keyctl", "keyctl")
	args := []string{"session", "-", os.Args[0], "-test.run=" + runPattern(t.Name()), "-test.count=1", "-test.v"}
	if d, ok := t.Deadline(); ok {
		args = append(args, "-test.timeout="+time.Until(d).Round(time.Second).String())
	}
	cmd := exec.Command("keyctl", args...)
	cmd.Env = append(os.Environ(), inSessionEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	switch {
	case err != nil && !bytes.Contains(out, []byte("=== RUN")):
		Unavailable(t, "keyctl", "keyctl session: "+strings.TrimSpace(string(out)))
	case err != nil:
		t.Fatalf("in a fresh session keyring:\n%s", out)
	case bytes.Contains(out, []byte("--- SKIP")):
		t.Skipf("in a fresh session keyring:\n%s", out)
	}
	t.Logf("passed in a fresh session keyring (keyctl session -)")
	return false
}

// runPattern is a -test.run pattern matching exactly the test name.
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}
