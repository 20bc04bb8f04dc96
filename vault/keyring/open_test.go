package keyring_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/vault/keyring"
	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
)

// keyringConfig is a config with injected environment: no variables, a
// home in a temporary directory, and only the programs named on PATH.
func keyringConfig(t *testing.T, programs ...string) (keyring.Config, *[]string) {
	home := t.TempDir()
	var logs []string
	return keyring.Config{
		FileDir:                 filepath.Join(home, "keys"),
		FilePassphrase:          func() (string, error) { return "test", nil },
		SecretServiceCollection: keyring.DefaultSecretServiceCollection,
		Getenv:                  func(string) string { return "" },
		HomeDir:                 func() (string, error) { return home, nil },
		LookPath: func(name string) (string, error) {
			if slices.Contains(programs, name) {
				return "/usr/bin/" + name, nil
			}
			return "", errors.New("not found")
		},
		Logf: func(format string, args ...any) { logs = append(logs, fmt.Sprintf(format, args...)) },
	}, &logs
}

func TestOpenKeyringNamedUnavailable(t *testing.T) {
	cfg, _ := keyringConfig(t)
	for _, tc := range []struct {
		backend, why string
	}{
		{"nosuch", "this build has no nosuch backend on " + runtime.GOOS},
		{"pass", `the pass program "pass" is not on PATH`},
	} {
		if tc.backend == "pass" && !slices.Contains(keyring.AvailableBackends(), "pass") {
			continue // no pass backend on Windows
		}
		cfg.Backend = tc.backend
		_, _, err := keyring.Open(cfg)
		prefix := "keyring backend " + tc.backend + " is not available: " + tc.why + " (this machine offers: "
		if err == nil || !strings.HasPrefix(err.Error(), prefix) || !strings.HasSuffix(err.Error(), "file)") {
			t.Errorf("--backend %s: %v, want %q...file)", tc.backend, err, prefix)
		}
		if err != nil && strings.Contains(strings.TrimPrefix(err.Error(), prefix), tc.backend+",") {
			t.Errorf("--backend %s: the failing backend is offered: %v", tc.backend, err)
		}
	}
}

func TestOpenKeyringSecretServiceWithoutBus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	// This test binary starts with no session bus (or the guard hides it
	// when DBUS_SESSION_BUS_ADDRESS is unset), so the D-Bus backends are
	// not offered, and naming one says why.
	if slices.Contains(keyring.AvailableBackends(), keyring.SecretServiceBackend) {
		keyringtest.Unavailable(t, "secret-service", "this test needs a process without a D-Bus session bus, and it has one")
	}
	cfg, _ := keyringConfig(t)
	cfg.Backend = keyring.SecretServiceBackend
	_, _, err := keyring.Open(cfg)
	want := "keyring backend secret-service is not available: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %q...", err, want)
	}
	cfg.Backend = keyring.KWalletBackend
	cfg.Getenv = func(k string) string { return map[string]string{"DISABLE_KWALLET": "1"}[k] }
	_, _, err = keyring.Open(cfg)
	want = "keyring backend kwallet is not available: DISABLE_KWALLET=1 turns it off"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %q...", err, want)
	}
}

func TestAutoSelectionSkipsUninitialisedPass(t *testing.T) {
	keyringtest.NeedPrograms(t, "pass", "pass")
	if slices.Contains(keyring.AvailableBackends(), keyring.SecretServiceBackend) {
		keyringtest.Unavailable(t, "pass", "automatic selection is tested without a D-Bus session bus, and this process has one")
	}
	cfg, logs := keyringConfig(t, "pass")
	_, name, err := keyring.Open(cfg)
	if err != nil || name != keyring.FileBackend {
		t.Fatalf("OpenKeyring = %s, %v; want file", name, err)
	}
	home, _ := cfg.HomeDir()
	want := "keyring backend pass skipped: the password store " + filepath.Join(home, ".password-store") +
		" is not initialised (run: pass init <gpg-key-id>)"
	if !slices.Contains(*logs, want) {
		t.Errorf("debug lines %q lack %q", *logs, want)
	}
	for _, l := range *logs {
		if strings.Contains(l, "keyctl") {
			t.Errorf("automatic selection considered keyctl: %q", l)
		}
	}

	// Initialised (here a .gpg-id above the prefix folder), pass is chosen.
	if err := os.MkdirAll(filepath.Join(home, ".password-store"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".password-store", ".gpg-id"), []byte("ABCD\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.PassPrefix = "aws/vault"
	if _, name, err := keyring.Open(cfg); err != nil || name != keyring.PassBackend {
		t.Errorf("OpenKeyring = %s, %v; want pass", name, err)
	}
}

func TestPassDirResolution(t *testing.T) {
	keyringtest.NeedPrograms(t, "pass", "pass")
	cfg, _ := keyringConfig(t, "pass")
	home, _ := cfg.HomeDir()
	cfg.Backend = keyring.PassBackend
	cfg.Getenv = func(k string) string { return map[string]string{"PASSWORD_STORE_DIR": "~/from-env"}[k] }
	kr, _, err := keyring.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Storing names the store it would use: --pass-dir, else the variable.
	err = kr.Set(keyring.Item{Key: "bob", Data: []byte("{}")})
	want := "pass: the password store " + filepath.Join(home, "from-env") + " is not initialised"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Set = %v, want %q...", err, want)
	}
	cfg.PassDir = filepath.Join(home, "flag")
	kr, _, _ = keyring.Open(cfg)
	if err := kr.Set(keyring.Item{Key: "bob", Data: []byte("{}")}); err == nil || !strings.Contains(err.Error(), cfg.PassDir+" is not") {
		t.Errorf("Set = %v, want the --pass-dir store named", err)
	}
}

func TestKeyctlLifetime(t *testing.T) {
	for scope, want := range map[string]string{
		"user":    "which is emptied at reboot",
		"session": "which is emptied at logout and at reboot",
		"process": "which is emptied when aws-vault exits: the key is not kept",
		"thread":  "which is emptied when aws-vault exits: the key is not kept",
	} {
		if got := keyring.KeyctlLifetime(scope); got != want {
			t.Errorf("KeyctlLifetime(%s) = %q, want %q", scope, got, want)
		}
	}
}
