//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMakeInstall runs make install into a DESTDIR, as a packager does, and
// checks each file is where the system looks for it under PREFIX, with its
// mode: the binary, the man page man finds, and each shell's completion
// script, the same that the binary prints.
func TestMakeInstall(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("SKIPPED: make is not installed")
	}
	dest, build := t.TempDir(), t.TempDir()
	cmd := exec.Command("make", "--no-print-directory", "install", "DESTDIR="+dest, "PREFIX=/usr", "BIN="+build)
	cmd.Env = withoutMake(os.Environ())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	root := filepath.Join(dest, "usr")
	bin := filepath.Join(root, "bin", "aws-vault")
	for path, mode := range map[string]os.FileMode{
		bin: 0o755,
		filepath.Join(root, "share/man/man1/aws-vault.1"):                     0o644,
		filepath.Join(root, "share/bash-completion/completions/aws-vault"):    0o644,
		filepath.Join(root, "share/zsh/site-functions/_aws-vault"):            0o644,
		filepath.Join(root, "share/fish/vendor_completions.d/aws-vault.fish"): 0o644,
	} {
		info, err := os.Stat(path)
		if err != nil {
			t.Errorf("make install did not install %s: %v", path, err)
			continue
		}
		if info.Mode().Perm() != mode {
			t.Errorf("%s has mode %v, want %v", path, info.Mode().Perm(), mode)
		}
	}
	for shell, path := range map[string]string{
		"bash": "share/bash-completion/completions/aws-vault",
		"zsh":  "share/zsh/site-functions/_aws-vault",
		"fish": "share/fish/vendor_completions.d/aws-vault.fish",
	} {
		want, err := exec.Command(bin, "--completion-script-"+shell).Output()
		got, _ := os.ReadFile(filepath.Join(root, path))
		if err != nil || len(want) == 0 || !bytes.Equal(got, want) {
			t.Errorf("the installed %s completion is not what %s --completion-script-%s prints (%v)", shell, bin, shell, err)
		}
	}
	if _, err := exec.LookPath("man"); err == nil {
		out, err := exec.Command("man", "-M", filepath.Join(root, "share/man"), "aws-vault").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "a vault for securely storing") {
			t.Errorf("man -M %s aws-vault: %v\n%s", filepath.Join(root, "share/man"), err, out)
		}
	}
}

// withoutMake drops the variables of a make running this test (make test),
// so that the make started here is a fresh one.
func withoutMake(environ []string) []string {
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if name != "MAKEFLAGS" && name != "MAKELEVEL" && name != "MFLAGS" {
			out = append(out, kv)
		}
	}
	return out
}
