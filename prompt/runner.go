package prompt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"time"
)

// maxOutput caps what is read from a dialog, ykman or mfa_process: an MFA
// code is six digits, so anything near this is not one.
const maxOutput = 4096

// ErrOutputTooLarge means a program printed more than maxOutput bytes; it
// was killed.
var ErrOutputTooLarge = fmt.Errorf("printed more than %d bytes", maxOutput)

// Command is a program a driver runs to get an MFA code.
type Command struct {
	// Path is the program, looked up on PATH when it has no separator.
	Path string
	Args []string
	// Stdin and Stderr connect the program; nil means none (stdin reads
	// nothing, stderr is discarded).
	Stdin  io.Reader
	Stderr io.Writer
	// Terminal says Stdin is the user's terminal: the program then stays in
	// our process group so it may read there. Otherwise it runs in a group
	// of its own, killed whole when the context ends.
	Terminal bool
}

// ExitError is a program's non-zero exit status.
type ExitError struct{ Status int }

func (e *ExitError) Error() string { return fmt.Sprintf("exited with status %d", e.Status) }

// Runner runs a command to completion and returns its stdout. A non-zero
// exit is an *ExitError; more than maxOutput bytes is ErrOutputTooLarge.
// The command is killed when ctx ends.
type Runner interface {
	Run(ctx context.Context, c Command) ([]byte, error)
}

// ExecRunner runs commands as processes with the environment Env.
type ExecRunner struct {
	Env []string
}

// Run runs c. Output beyond maxOutput kills the program at once.
func (r ExecRunner) Run(ctx context.Context, c Command) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	cmd.Env = r.Env
	cmd.Stdin, cmd.Stderr = c.Stdin, c.Stderr
	// Grandchildren that keep stdout open must not keep us waiting.
	cmd.WaitDelay = time.Second
	if !c.Terminal {
		killGroupOnCancel(cmd)
	}
	out := &cappedBuffer{onOverflow: cancel}
	cmd.Stdout = out
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case out.overflow:
		return nil, ErrOutputTooLarge
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.As(err, &exitErr):
		return nil, &ExitError{Status: exitErr.ExitCode()}
	case err != nil:
		return nil, err
	}
	return out.buf.Bytes(), nil
}

// cappedBuffer keeps at most maxOutput bytes and calls onOverflow once
// when more arrive. It does not embed bytes.Buffer: io.Copy would use the
// embedded ReadFrom and bypass the cap.
type cappedBuffer struct {
	buf        bytes.Buffer
	overflow   bool
	onOverflow func()
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.overflow {
		return len(p), nil
	}
	if b.buf.Len()+len(p) > maxOutput {
		b.overflow = true
		b.onOverflow()
		return len(p), nil
	}
	return b.buf.Write(p)
}

// runBounded runs c through r with timeout, and turns the ways it can fail
// into one-line errors naming what (e.g. "mfa_process") gave no code. The
// program's output never appears in an error.
func runBounded(ctx context.Context, r Runner, c Command, timeout time.Duration, what string) ([]byte, error) {
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := r.Run(tctx, c)
	var exitErr *ExitError
	switch {
	case err == nil:
		return out, nil
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, context.DeadlineExceeded) || tctx.Err() != nil:
		return nil, fmt.Errorf("%s gave no answer within %s and was stopped", what, timeout)
	case errors.Is(err, ErrOutputTooLarge), errors.As(err, &exitErr):
		return nil, fmt.Errorf("%s %w", what, err)
	}
	return nil, fmt.Errorf("%s: %w", what, err)
}
