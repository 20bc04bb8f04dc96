//go:build windows

package process

import (
	"os"
)

// forwardedSignals are passed on to a child; Windows delivers only Ctrl-C.
var forwardedSignals = []os.Signal{os.Interrupt}

// Exec is not possible on Windows; callers fall back to Run.
func (System) Exec(Command) error { return ErrExecUnsupported }

func statusOf(ps *os.ProcessState) int { return ps.ExitCode() }

// reachedChild is false: Windows delivers Ctrl-C to every process of the
// console, and Run cannot forward it anyway.
func reachedChild(os.Signal) bool { return false }
