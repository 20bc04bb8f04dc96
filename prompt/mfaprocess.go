package prompt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/awsvault/aws-vault/internal/proc"
)

// MFAProcess runs a profile's mfa_process through the shell (/bin/sh -c;
// cmd.exe /C on Windows) and returns the code it prints. The terminal, when
// there is one, is its stdin and stderr, so it can prompt; without one it
// gets no stdin, its stderr is Stderr, and on timeout its whole process
// group is killed. Errors name mfa_process and give its exit status, never
// its output or its command line (which may hold a TOTP secret).
type MFAProcess struct {
	OpenTTY TTYOpener
	Runner  proc.Runner
	// Stderr receives the process's stderr when there is no terminal.
	Stderr io.Writer
	// Timeout bounds the process; zero means DefaultTimeout.
	Timeout time.Duration
}

// Run runs command and returns its stdout, trimmed, which must be a
// six-digit code.
func (m MFAProcess) Run(ctx context.Context, command string) (string, error) {
	path, args := proc.Shell(command)
	c := proc.Command{Path: path, Args: args, Stderr: m.Stderr}
	if tty, err := m.OpenTTY(); err == nil {
		defer tty.Close()
		c.Stdin, c.Stderr, c.Terminal = tty, tty, true
	}
	if c.Stderr == nil {
		c.Stderr = io.Discard
	}
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	out, err := runBounded(ctx, m.Runner, c, timeout, "mfa_process")
	if err != nil {
		return "", err
	}
	code, err := CheckCode(string(out))
	if errors.Is(err, ErrNotACode) && len(out) == 0 {
		return "", errors.New("mfa_process printed nothing")
	}
	if err != nil {
		return "", fmt.Errorf("what mfa_process printed %w", err)
	}
	return code, nil
}
