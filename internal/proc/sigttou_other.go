//go:build unix && !linux

package proc

import (
	"os/signal"
	"syscall"
)

// withoutTTOU runs f with SIGTTOU ignored, so that a background group's
// tcsetpgrp is allowed instead of stopping the process. Go can block a
// signal on one thread only on Linux; here SIGTTOU stays ignored (it
// would only stop aws-vault when it writes to the terminal from the
// background, which it does not need to be stopped for).
func withoutTTOU(f func()) {
	signal.Ignore(syscall.SIGTTOU)
	f()
}
