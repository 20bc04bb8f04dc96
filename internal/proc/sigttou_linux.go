package proc

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// withoutTTOU runs f with SIGTTOU blocked on its thread, so that a
// background group's tcsetpgrp is allowed instead of stopping the process;
// nothing else changes, not even for programs started later.
func withoutTTOU(f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var set, old unix.Sigset_t
	set.Val[0] = 1 << (uint(unix.SIGTTOU) - 1)
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, &set, &old); err != nil {
		return
	}
	defer func() { _ = unix.PthreadSigmask(unix.SIG_SETMASK, &old, nil) }()
	f()
}
