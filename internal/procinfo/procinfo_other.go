//go:build !linux && !darwin && !windows

package procinfo

// describe knows only the pid where no cheap source is wired.
func describe(pid int) (Process, int) { return Process{PID: pid}, 0 }
