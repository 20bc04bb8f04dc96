// Package proc is the one runner of the helper programs aws-vault asks for
// credentials and codes (credential_process, web_identity_token_process,
// mfa_process, dialogs, ykman), for package vault and package prompt alike:
// bounded output, bounded time (RunWithin), killed with their children when
// their context ends unless they share the user's terminal, given the
// terminal's foreground while they run when we have it (so that one may
// prompt on /dev/tty), and errors that never carry what they printed. (The user's own command, which exec
// starts, is cli/process's.)
package proc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"time"
)

// Command is a helper program to run.
type Command struct {
	// Path is the program, looked up on PATH when it has no separator.
	Path string
	Args []string
	Env  []string
	// Stdin and Stderr connect the program; nil means none.
	Stdin  io.Reader
	Stderr io.Writer
	// Terminal says Stdin is the user's terminal: the program then stays in
	// our process group so it may read there. Otherwise it runs in a group
	// of its own, killed whole when the context ends, so nothing is left;
	// when we have the terminal's foreground, that group has it while the
	// program runs, so that it may still read /dev/tty (Unix).
	Terminal bool
	// MaxOutput caps stdout; more kills the program at once.
	MaxOutput int
}

// Runner runs helper programs; System is the real one, tests use fakes
// that record the commands.
type Runner interface {
	// Run runs c to completion and returns its stdout, as the function Run
	// does.
	Run(ctx context.Context, c Command) ([]byte, error)
}

// System runs commands as processes of this machine. Env is the
// environment of the commands that have none of their own (nil: this
// process's).
type System struct {
	Env []string
}

// Run runs c with Run.
func (s System) Run(ctx context.Context, c Command) ([]byte, error) {
	if c.Env == nil {
		c.Env = s.Env
	}
	return Run(ctx, c)
}

// TimeoutError is a program that gave no answer within its limit; it was
// stopped.
type TimeoutError struct{ Limit time.Duration }

func (e *TimeoutError) Error() string { return fmt.Sprintf("no answer within %s", e.Limit) }

// RunWithin runs c through r, stopping it after limit: the error is then a
// *TimeoutError. When ctx itself ends first, the error is ctx's, so that
// an interrupt is not reported as a timeout.
func RunWithin(ctx context.Context, r Runner, c Command, limit time.Duration) ([]byte, error) {
	tctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	out, err := r.Run(tctx, c)
	switch {
	case err == nil:
		return out, nil
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, context.DeadlineExceeded) || tctx.Err() != nil:
		return nil, &TimeoutError{Limit: limit}
	}
	return nil, err
}

// ExitError is a program's non-zero exit status.
type ExitError struct{ Status int }

func (e *ExitError) Error() string { return fmt.Sprintf("exited with status %d", e.Status) }

// InterruptedError is a program ended by an interrupt (Ctrl-C) at the
// terminal while its process group had the terminal's foreground: the
// user's interrupt, which reached it instead of us. It matches
// context.Canceled, as an interrupt of aws-vault itself does.
type InterruptedError struct{}

func (*InterruptedError) Error() string { return "interrupted" }

// Is reports whether target is context.Canceled.
func (*InterruptedError) Is(target error) bool { return target == context.Canceled }

// OutputTooLargeError means the program printed more than Max bytes.
type OutputTooLargeError struct{ Max int }

func (e *OutputTooLargeError) Error() string { return fmt.Sprintf("printed more than %d bytes", e.Max) }

// Run runs c to completion and returns its stdout. A non-zero exit is an
// *ExitError, too much output an *OutputTooLargeError, an interrupt at the
// terminal an *InterruptedError; when ctx ends the program is killed and
// ctx's error returned.
func Run(ctx context.Context, c Command) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	cmd.Env, cmd.Stdin, cmd.Stderr = c.Env, c.Stdin, c.Stderr
	// Grandchildren that keep stdout open must not keep us waiting.
	cmd.WaitDelay = time.Second
	done := func() (interrupted bool) { return false }
	if !c.Terminal {
		done = ownGroup(cmd)
	}
	out := &cappedBuffer{max: c.MaxOutput, onOverflow: cancel}
	cmd.Stdout = out
	err := cmd.Run()
	interrupted := done()
	var exitErr *exec.ExitError
	switch {
	case out.overflow:
		return nil, &OutputTooLargeError{Max: c.MaxOutput}
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case interrupted:
		return nil, &InterruptedError{}
	case errors.As(err, &exitErr):
		return nil, &ExitError{Status: exitErr.ExitCode()}
	case err != nil:
		return nil, err
	}
	return out.buf.Bytes(), nil
}

// cappedBuffer keeps at most max bytes and calls onOverflow once when more
// arrive. It does not embed bytes.Buffer: io.Copy would use the embedded
// ReadFrom and bypass the cap.
type cappedBuffer struct {
	buf        bytes.Buffer
	max        int
	overflow   bool
	onOverflow func()
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.overflow {
		return len(p), nil
	}
	if b.buf.Len()+len(p) > b.max {
		b.overflow = true
		b.onOverflow()
		return len(p), nil
	}
	return b.buf.Write(p)
}
