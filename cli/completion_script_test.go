//go:build unix

package cli_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestCompletionScripts runs testdata/completion: the --completion-bash
// protocol, and the bash, zsh and fish scripts in the real shells, driven
// by testdata/completion-drivers ($DRIVERS). A shell that is not installed
// skips the suite, or fails it under AWSVAULT_REQUIRE_REAL (make test,
// which installs them).
func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	for _, shell := range []string{"bash", "zsh", "fish"} {
		if _, err := exec.LookPath(shell); err != nil {
			if keyringtest.RequireReal() {
				t.Fatalf("%s is not installed, so its completion cannot be tested (make deps installs it)", shell)
			}
			t.Skipf("SKIPPED: %s is not installed; the completion tests need bash, zsh and fish", shell)
		}
	}
	drivers, err := filepath.Abs("testdata/completion-drivers")
	if err != nil {
		t.Fatal(err)
	}
	p := scriptParams(t, "testdata/completion")
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		env.Setenv("DRIVERS", drivers)
		return setup(env)
	}
	testscript.Run(t, p)
}
