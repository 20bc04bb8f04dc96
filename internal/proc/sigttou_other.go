//go:build unix && !linux

package proc

import (
	"os/signal"
	"syscall"
)

// withoutTTOU runs f with SIGTTOU ignored, so that a background group's
// tcsetpgrp is allowed instead of stopping the process. Go can block a
// signal on one thread only on Linux, so here it is ignored process-wide
// for the duration of f, then given back its disposition from start-up
// (signal.Reset restores it), so a command exec starts later does not
// inherit an ignored SIGTTOU.
func withoutTTOU(f func()) {
	signal.Ignore(syscall.SIGTTOU)
	defer signal.Reset(syscall.SIGTTOU)
	f()
}
