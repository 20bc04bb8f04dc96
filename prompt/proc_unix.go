//go:build !windows

package prompt

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

// shellCommand runs line through /bin/sh -c.
func shellCommand(line string) (string, []string) {
	return "/bin/sh", []string{"-c", line}
}
