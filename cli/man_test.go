//go:build unix

package cli_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/cli"
	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
)

// TestManPage renders aws-vault --help-man with Debian's man-db and groff:
// no warning from either, a NAME line whatis and apropos can read
// (lexgrog), every visible command of the tree with its examples, and
// every AWS_VAULT_ variable of the surface golden list described.
func TestManPage(t *testing.T) {
	t.Parallel()
	for _, program := range []string{"man", "groff", "lexgrog"} {
		if _, err := exec.LookPath(program); err != nil {
			if keyringtest.RequireReal() {
				t.Fatalf("%s is not installed, so the man page cannot be checked (make deps installs man-db and groff)", program)
			}
			t.Skipf("SKIPPED: %s is not installed (apt-get install man-db groff-base)", program)
		}
	}
	var page, stderr bytes.Buffer
	if code := cli.Main(context.Background(), []string{"--help-man"}, &cli.Deps{Stdout: &page, Stderr: &stderr, Version: "v7.99.0-test"}); code != 0 || stderr.Len() > 0 {
		t.Fatalf("--help-man: exit status %d, stderr %q", code, stderr.String())
	}
	file := filepath.Join(t.TempDir(), "aws-vault.1")
	if err := os.WriteFile(file, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("groff", "-ww", "-z", "-man", file).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("groff -ww -z -man: %v\n%s", err, out)
	}
	cmd := exec.Command("man", "--warnings", "-l", file)
	cmd.Env = append(os.Environ(), "MANWIDTH=80", "MAN_KEEP_FORMATTING=", "LC_ALL=C.UTF-8")
	var rendered, warnings bytes.Buffer
	cmd.Stdout, cmd.Stderr = &rendered, &warnings
	if err := cmd.Run(); err != nil || warnings.Len() > 0 {
		t.Errorf("man --warnings -l: %v\n%s", err, warnings.String())
	}
	out, err := exec.Command("lexgrog", file).CombinedOutput()
	if want := `"aws-vault - a vault for securely storing and accessing AWS credentials in development environments"`; err != nil || !strings.Contains(string(out), want) {
		t.Errorf("lexgrog (whatis) reads %q (%v), want %s", out, err, want)
	}
	checkManContents(t, rendered.String())
}

// checkManContents checks the rendered page has each visible command with
// its examples, and each AWS_VAULT_ variable.
func checkManContents(t *testing.T, text string) {
	t.Helper()
	for _, c := range cli.NewApp(&cli.Deps{}).Model().Commands {
		if c.Hidden {
			continue
		}
		if !strings.Contains(text, "\n   "+c.FullCommand+" ") && !strings.Contains(text, "\n   "+c.FullCommand+"\n") {
			t.Errorf("the man page has no section for %s", c.FullCommand)
		}
		_, examples, _ := strings.Cut(c.HelpLong, "Examples:\n")
		for _, e := range strings.Split(strings.TrimSpace(examples), "\n") {
			if e = strings.TrimSpace(e); !strings.Contains(text, e) {
				t.Errorf("the man page lacks %s's example %q", c.FullCommand, e)
			}
		}
	}
	golden, err := os.ReadFile(surfaceGolden)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(golden), "\n") {
		entry, ok := strings.CutPrefix(line, "env ")
		if name, _, _ := strings.Cut(entry, " "); ok && strings.HasPrefix(name, "AWS_VAULT") {
			if !strings.Contains(text, name) {
				t.Errorf("the man page does not describe %s (a flag's variable, or a line in cli/man.go's manEnvironment)", name)
			}
		}
	}
}
