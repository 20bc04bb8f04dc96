//go:build linux

package keyringtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// PassStore is a password store initialised for a passphrase-less GnuPG
// key made for the test.
type PassStore struct {
	// Dir is the store (for PASSWORD_STORE_DIR or --pass-dir).
	Dir string
	// GnuPGHome holds the key; pass needs GNUPGHOME pointing there.
	GnuPGHome string
}

// NewPassStore makes a GnuPG key and a password store for it; the GnuPG
// agent it starts is stopped at cleanup.
func NewPassStore(t testing.TB) *PassStore {
	t.Helper()
	NeedPrograms(t, "pass", "pass", "gpg", "gpgconf")
	dir := ShortTempDir(t, "avpass")
	s := &PassStore{Dir: filepath.Join(dir, "store"), GnuPGHome: filepath.Join(dir, "gnupg")}
	if err := os.Mkdir(s.GnuPGHome, 0o700); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "GNUPGHOME="+s.GnuPGHome, "PASSWORD_STORE_DIR="+s.Dir)
	t.Cleanup(func() {
		kill := exec.Command("gpgconf", "--kill", "all")
		kill.Env = env
		if out, err := kill.CombinedOutput(); err != nil {
			t.Errorf("stopping the test's gpg-agent: %v\n%s", err, out)
		}
	})
	run(t, env, "", "gpg", "--batch", "--passphrase", "", "--quick-gen-key",
		"aws-vault test <aws-vault-test@example.invalid>", "future-default", "default", "never")
	run(t, env, "", "pass", "init", fingerprint(t, env))
	return s
}

func fingerprint(t testing.TB, env []string) string {
	t.Helper()
	for _, line := range strings.Split(run(t, env, "", "gpg", "--batch", "--list-keys", "--with-colons"), "\n") {
		if f := strings.Split(line, ":"); f[0] == "fpr" && len(f) > 9 {
			return f[9]
		}
	}
	t.Fatal("gpg made no key")
	return ""
}
