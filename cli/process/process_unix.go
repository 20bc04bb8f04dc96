//go:build !windows

package process

import (
	"os"
	"syscall"

	"github.com/awsvault/aws-vault/internal/foreground"
)

// forwardedSignals are passed on to a child: the ones a user or a
// supervisor sends to stop, reload or resize a program. Runtime-internal
// signals (SIGURG, SIGCHLD, SIGPIPE) are deliberately absent.
var forwardedSignals = []os.Signal{
	syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT,
	syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGWINCH,
}

// Exec replaces the process image with execve(2), with the core dump
// limits aws-vault was started with.
func (s System) Exec(c Command) error {
	return s.Limits.ForChild(func() error { return syscall.Exec(c.Path, c.Args, c.Env) })
}

func statusOf(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// reachedChild reports whether sig is one the terminal sends to its whole
// foreground process group (Ctrl-C, Ctrl-\) while that group is ours: the
// child, started in our group, got it too, and a second one would count
// as a second keypress (terraform stops at once on a second Ctrl-C). A
// child that took the foreground for a group of its own (an interactive
// shell) did not, so signals are forwarded then. The cost: a SIGINT sent
// to aws-vault alone (kill -INT) while it has the terminal's foreground
// is not passed on.
func reachedChild(sig os.Signal) bool {
	if sig != syscall.SIGINT && sig != syscall.SIGQUIT {
		return false
	}
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	defer tty.Close()
	ours, err := foreground.Ours(tty.Fd())
	return err == nil && ours
}
