package prompt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/awsvault/aws-vault/internal/proc"
)

// maxOutput caps what is read from a dialog, ykman or mfa_process: an MFA
// code is six digits, so anything near this is not one.
const maxOutput = 4096

// ErrOutputTooLarge means a program printed more than maxOutput bytes; it
// was killed.
var ErrOutputTooLarge error = &proc.OutputTooLargeError{Max: maxOutput}

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
type ExitError = proc.ExitError

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
	out, err := proc.Run(ctx, proc.Command{Path: c.Path, Args: c.Args, Env: r.Env,
		Stdin: c.Stdin, Stderr: c.Stderr, Terminal: c.Terminal, MaxOutput: maxOutput})
	var tooLarge *proc.OutputTooLargeError
	if errors.As(err, &tooLarge) {
		return nil, ErrOutputTooLarge
	}
	return out, err
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
