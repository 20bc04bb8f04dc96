package cli

import (
	"context"
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/prompt"
	"github.com/awsvault/aws-vault/vault"
)

// noDriversSession is a world with no terminal and no dialog program.
func noDriversSession(t *testing.T) *session {
	home := t.TempDir()
	return &session{
		flags: &globalFlags{},
		Deps: &Deps{
			Stderr:   io.Discard,
			Getenv:   func(string) string { return "" },
			Environ:  func() []string { return nil },
			OpenTTY:  func() (prompt.TTY, error) { return nil, prompt.ErrNoTerminal },
			LookPath: func(string) (string, error) { return "", errors.New("not found") },
			HomeDir:  func() (string, error) { return home, nil },
			Now:      time.Now,
		},
		log: log.New(io.Discard, "", 0),
	}
}

const aliceSerial = "arn:aws:iam::111111111111:mfa/alice"

// --mfa-token answers the first MFA call only: AWS refuses a replayed code,
// so a second call must get a fresh one.
func TestMFASourceTokenUsedOnce(t *testing.T) {
	src := newMFASource(noDriversSession(t), "123456")
	code, err := src.MFAToken(context.Background(), vault.MFARequest{ProfileName: "alice", Serial: aliceSerial})
	if err != nil || code != "123456" {
		t.Fatalf("first call: %q, %v", code, err)
	}
	_, err = src.MFAToken(context.Background(), vault.MFARequest{ProfileName: "alice", Serial: aliceSerial})
	var noPrompt noMFAPromptError
	if !errors.As(err, &noPrompt) {
		t.Fatalf("second call: %v, want the no-terminal error", err)
	}
}

// With no terminal and no driver, the error is immediate, names the
// profile, the serial and the ways to give a code, and is classifiable.
func TestMFASourceNoTerminal(t *testing.T) {
	_, err := newMFASource(noDriversSession(t), "").MFAToken(context.Background(), vault.MFARequest{ProfileName: "alice", Serial: aliceSerial})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"profile alice", aliceSerial, "--mfa-token", "mfa_process", "--prompt"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if !errors.Is(err, vault.ErrNoMFASource) || !errors.Is(err, prompt.ErrNoTerminal) {
		t.Errorf("error %v is not ErrNoMFASource and ErrNoTerminal", err)
	}
}

// A failing mfa_process is reported with the profile; an interrupt passes
// through unwrapped so it maps to "interrupted".
func TestMFASourceWrapsErrors(t *testing.T) {
	req := vault.MFARequest{ProfileName: "alice", Serial: aliceSerial, Process: "exit 3"}
	_, err := newMFASource(noDriversSession(t), "").MFAToken(context.Background(), req)
	if want := "profile alice: mfa_process exited with status 3"; errString(err) != want {
		t.Errorf("error %v, want %s", err, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req.Process = "sleep 10"
	if _, err := newMFASource(noDriversSession(t), "").MFAToken(ctx, req); !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "profile") {
		t.Errorf("interrupted: %v", err)
	}
}

// Without a usable lock directory the one-code-per-step guard cannot work:
// an MFA call is then an error naming the directory, never made unguarded
// (with --mfa-token too).
func TestMFASourceNeedsLockDir(t *testing.T) {
	req := vault.MFARequest{ProfileName: "alice", Serial: aliceSerial, Process: "echo 123456"}
	noHome := noDriversSession(t)
	noHome.HomeDir = func() (string, error) { return "", errors.New("$HOME is not defined") }
	if _, err := newMFASource(noHome, "").MFAToken(context.Background(), req); errString(err) != "profile alice: MFA: finding the lock directory: $HOME is not defined" {
		t.Errorf("no home: %v", err)
	}
	g := noDriversSession(t)
	home, _ := g.HomeDir()
	locks := filepath.Join(home, ".awsvault", "locks")
	if err := os.MkdirAll(locks, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(locks, 0o777); err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{"", "654321"} {
		_, err := newMFASource(g, token).MFAToken(context.Background(), req)
		if !strings.Contains(errString(err), "lock directory "+locks+" is writable by others") {
			t.Errorf("token %q, unsafe lock directory: %v", token, err)
		}
	}
}

func TestValidatePrompt(t *testing.T) {
	drivers := strings.Join(prompt.Available(noDriversSession(t).LookPath), ",") // terminal (wincredui on Windows)
	tests := map[string]string{
		"":         "",
		"terminal": "",
		"pass":     passPromptRemoved,
		"zenity":   "--prompt value must be one of " + drivers + ", got 'zenity'",
		"nonsense": "--prompt value must be one of " + drivers + ", got 'nonsense'",
	}
	for value, want := range tests {
		if got := errString(validatePrompt(value, noDriversSession(t).LookPath)); got != want {
			t.Errorf("--prompt %q: %q, want %q", value, got, want)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
