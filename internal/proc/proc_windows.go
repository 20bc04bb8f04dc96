//go:build windows

package proc

import "os/exec"

// ownGroup keeps exec's default on Windows: the process is killed when its
// context ends.
func ownGroup(*exec.Cmd) func() bool { return func() bool { return false } }

// Shell returns the program and arguments that run line through the
// shell: cmd.exe /C, as the maintained aws-vault fork does (v7.2.0 used
// /bin/sh even on Windows).
func Shell(line string) (string, []string) {
	return "cmd.exe", []string{"/C", line}
}
