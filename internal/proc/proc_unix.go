//go:build !windows

package proc

import (
	"os/exec"
	"syscall"
)

// killGroupOnCancel runs cmd in a process group of its own and kills the
// whole group when its context ends, so a hung program's children go too.
func killGroupOnCancel(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// Shell returns the program and arguments that run line through the
// shell: /bin/sh -c.
func Shell(line string) (string, []string) {
	return "/bin/sh", []string{"-c", line}
}
