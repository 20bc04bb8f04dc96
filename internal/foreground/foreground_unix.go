//go:build !windows

// Package foreground tells whether this process's group is the foreground
// process group of a terminal: the group the terminal's keys signal
// (Ctrl-C, Ctrl-\) and the only one that may read it without being
// stopped (SIGTTIN).
package foreground

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// Ours reports whether the terminal open on fd has this process's group
// in its foreground; err is the terminal's refusal to say (fd is not a
// terminal, say).
func Ours(fd uintptr) (bool, error) {
	fg, err := unix.IoctlGetInt(int(fd), unix.TIOCGPGRP)
	if err != nil {
		return false, err
	}
	return fg == syscall.Getpgrp(), nil
}
