// Package process starts the user's command for exec: it replaces the
// process image where the OS allows it, or runs a child with an explicit
// list of forwarded signals and passes its exit status through.
package process

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"os/signal"

	"github.com/awsvault/aws-vault/internal/coredump"
)

// ErrExecUnsupported means the process image cannot be replaced here.
var ErrExecUnsupported = errors.New("exec is not supported on this platform")

// Command describes a child process.
type Command struct {
	// Path is the resolved executable, Args the full argv (Args[0] as typed).
	Path   string
	Args   []string
	Env    []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// Runner starts commands.
type Runner interface {
	// Exec replaces the current process with cmd; it returns only on failure.
	Exec(cmd Command) error
	// Run starts cmd as a child, forwards signals to it until it exits, and
	// returns its exit status.
	Run(ctx context.Context, cmd Command) (int, error)
}

// System is the Runner of the real operating system.
type System struct {
	// Limits are the core dump limits aws-vault was started with: the
	// user's command gets them back (aws-vault itself runs without).
	Limits coredump.Limits
}

// Run starts cmd and waits for it, forwarding the signals in
// forwardedSignals, but for those the terminal already sent it (see
// reachedChild). A child killed by a signal reports 128+signal, as a
// shell would.
func (s System) Run(ctx context.Context, c Command) (int, error) {
	cmd := exec.Command(c.Path)
	cmd.Args, cmd.Env = c.Args, c.Env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.Stdin, c.Stdout, c.Stderr
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)
	if err := s.Limits.ForChild(cmd.Start); err != nil {
		return 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case sig := <-sigs:
			if !reachedChild(sig) {
				_ = cmd.Process.Signal(sig)
			}
		case err := <-done:
			return exitStatus(cmd, err)
		}
	}
}

func exitStatus(cmd *exec.Cmd, err error) (int, error) {
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return 0, err
	}
	return statusOf(cmd.ProcessState), nil
}
