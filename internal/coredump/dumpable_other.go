//go:build unix && !linux

package coredump

// undumpable does nothing here: only Linux has PR_SET_DUMPABLE.
func undumpable() {}
