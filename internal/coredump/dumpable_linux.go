package coredump

import "golang.org/x/sys/unix"

// undumpable marks the process non-dumpable, which also keeps same-user
// debuggers and /proc/<pid>/mem out.
func undumpable() { _ = unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0) }
