//go:build linux

package cli_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestBackendScripts runs one suite (testdata/backends/suite-*.txtar: add,
// list, exec, remove, clear, and the items as each backend's own tools show
// them) against every Linux backend, for real, plus each backend's own
// scripts (testdata/backends/<backend>-*.txtar). A backend this machine
// cannot run skips with the reason, or fails under AWSVAULT_REQUIRE_REAL
// (make test).
func TestBackendScripts(t *testing.T) {
	t.Parallel()
	const suite = "suite-*"
	t.Run("file", func(t *testing.T) {
		t.Parallel()
		runBackendScripts(t, "file", suite+",file-*", nil)
	})
	t.Run("pass", func(t *testing.T) {
		t.Parallel()
		store := keyringtest.NewPassStore(t)
		runBackendScripts(t, "pass", suite+",pass-*", map[string]string{
			"GNUPGHOME":                         store.GnuPGHome,
			"AWS_VAULT_PASS_PASSWORD_STORE_DIR": store.Dir,
			"AWS_VAULT_PASS_PREFIX":             "aws-vault-test",
			// aws-vault must use --pass-dir's store, not this one.
			"PASSWORD_STORE_DIR": "/nonexistent/password-store",
		})
	})
	t.Run("secret-service", func(t *testing.T) {
		t.Parallel()
		keyringtest.NeedPrograms(t, "secret-service", "secret-tool", "dbus-send")
		ss := keyringtest.StartSecretService(t, keyringtest.SecretServiceOptions{Collections: []string{"awsvault"}})
		env := envMap(ss.Env)
		env["EMPTY_BUS"] = keyringtest.StartBus(t)
		marker := filepath.Join(keyringtest.ShortTempDir(t, "avmark"), "activated")
		env["ACTIVATING_BUS"] = keyringtest.StartActivatingBus(t, marker)
		env["ACTIVATION_MARKER"] = marker
		runBackendScripts(t, "secret-service", suite+",secret-service-*", env)
	})
	t.Run("keyctl", func(t *testing.T) {
		t.Parallel()
		if keyringtest.InFreshSessionKeyring(t) {
			runBackendScripts(t, "keyctl", suite, map[string]string{"AWS_VAULT_KEYCTL_SCOPE": "session"})
		}
	})
	// The scopes get a session keyring of their own: creating the user
	// scope's keyring passes through the session keyring, where it would
	// displace the suite's.
	t.Run("keyctl-scopes", func(t *testing.T) {
		t.Parallel()
		if keyringtest.InFreshSessionKeyring(t) {
			runBackendScripts(t, "keyctl", "keyctl-*", nil)
		}
	})
}

// runBackendScripts runs the scripts testdata/backends/<pattern>.txtar
// (patterns comma-separated) with AWS_VAULT_BACKEND=backend plus env, and
// [backend:NAME] conditions.
func runBackendScripts(t *testing.T, backend, patterns string, env map[string]string) {
	p := scriptParams(t, "")
	for _, pattern := range strings.Split(patterns, ",") {
		files, err := filepath.Glob("testdata/backends/" + pattern + ".txtar")
		if err != nil || len(files) == 0 {
			t.Fatalf("no scripts testdata/backends/%s.txtar (%v)", pattern, err)
		}
		p.Files = append(p.Files, files...)
	}
	for name, cmd := range backendCommands() {
		p.Cmds[name] = cmd
	}
	setup := p.Setup
	p.Setup = func(e *testscript.Env) error {
		if err := setup(e); err != nil {
			return err
		}
		e.Values["fakebus"] = new(fakeBus)
		e.Setenv("AWS_VAULT_BACKEND", backend)
		for k, v := range env {
			e.Setenv(k, v)
		}
		return nil
	}
	p.Condition = func(cond string) (bool, error) {
		if cond == "real" {
			return keyringtest.RequireReal(), nil
		}
		name, ok := strings.CutPrefix(cond, "backend:")
		if !ok {
			return false, fmt.Errorf("unknown condition %q", cond)
		}
		return name == backend, nil
	}
	testscript.Run(t, p)
}

func envMap(kvs []string) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}
