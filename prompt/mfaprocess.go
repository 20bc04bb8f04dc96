package prompt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// maxMFAProcessOutput caps what is read from mfa_process.
const maxMFAProcessOutput = 4096

// MFAProcess runs a profile's mfa_process through the shell and returns its
// trimmed stdout. The terminal, when there is one, is its stdin and stderr,
// so it can prompt; without one it gets no stdin. It is killed after
// Timeout. Errors carry the exit status, never the output.
type MFAProcess struct {
	OpenTTY TTYOpener
	Environ []string
	// Stderr receives the process's stderr when there is no terminal.
	Stderr  io.Writer
	Timeout time.Duration
}

// Run runs command.
func (m MFAProcess) Run(ctx context.Context, command string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, m.Timeout)
	defer cancel()
	cmd := shell(ctx, command)
	cmd.Env = m.Environ
	cmd.WaitDelay = time.Second
	cmd.Stderr = m.Stderr
	if tty, err := m.OpenTTY(); err == nil {
		defer tty.Close()
		cmd.Stdin, cmd.Stderr = tty, tty
	}
	var out capped
	cmd.Stdout = &out
	err := cmd.Run()
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return "", fmt.Errorf("mfa_process %q gave no code within %s", command, m.Timeout)
	case out.overflow:
		return "", fmt.Errorf("mfa_process %q printed more than %d bytes", command, maxMFAProcessOutput)
	case err != nil:
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", fmt.Errorf("mfa_process %q failed with exit status %d", command, exitErr.ExitCode())
		}
		return "", fmt.Errorf("mfa_process %q: %w", command, err)
	}
	code := strings.TrimSpace(out.String())
	if code == "" {
		return "", fmt.Errorf("mfa_process %q printed no code", command)
	}
	return code, nil
}

func shell(ctx context.Context, command string) *exec.Cmd {
	if runtime.GOOS == "windows" {
		return exec.CommandContext(ctx, "cmd.exe", "/C", command)
	}
	return exec.CommandContext(ctx, "/bin/sh", "-c", command)
}

type capped struct {
	bytes.Buffer
	overflow bool
}

func (c *capped) Write(p []byte) (int, error) {
	if c.Len()+len(p) > maxMFAProcessOutput {
		c.overflow = true
		return 0, errors.New("too much output")
	}
	return c.Buffer.Write(p)
}
