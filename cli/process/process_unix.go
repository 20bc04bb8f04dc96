//go:build !windows

package process

import (
	"os"
	"syscall"
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
