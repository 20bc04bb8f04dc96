//go:build !windows

package proc

import (
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/awsvault/aws-vault/internal/foreground"
)

// ownGroup runs cmd in a process group of its own and kills the whole
// group when its context ends, so a hung program's children go too. When
// this process's group has the foreground of its controlling terminal, the
// new group gets it for as long as it runs: a program there that reads
// the terminal (a password prompt on /dev/tty, another aws-vault asking
// for an MFA code) would otherwise be stopped by SIGTTIN or fail. The
// function returned, called once cmd has ended, takes the foreground back
// and reports whether the program was ended by an interrupt (Ctrl-C) at
// the terminal, which then reached it and not us.
func ownGroup(cmd *exec.Cmd) (done func() (interrupted bool)) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	tty := foregroundTerminal()
	if tty == nil {
		return func() bool { return false }
	}
	cmd.SysProcAttr.Foreground, cmd.SysProcAttr.Ctty = true, int(tty.Fd())
	return func() bool {
		takeForeground(int(tty.Fd()))
		tty.Close()
		ws, ok := processStatus(cmd)
		return ok && ws.Signaled() && ws.Signal() == syscall.SIGINT
	}
}

func processStatus(cmd *exec.Cmd) (syscall.WaitStatus, bool) {
	if cmd.ProcessState == nil {
		return 0, false
	}
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ws, ok
}

// foregroundTerminal opens the controlling terminal if this process's
// group is its foreground group, else returns nil.
func foregroundTerminal() *os.File {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil
	}
	if ours, err := foreground.Ours(tty.Fd()); err != nil || !ours {
		tty.Close()
		return nil
	}
	return tty
}

// takeForeground makes this process's group the foreground group of the
// terminal fd again, unless it still is. From a background group that
// would raise SIGTTOU, which withoutTTOU keeps from stopping us.
func takeForeground(fd int) {
	if ours, err := foreground.Ours(uintptr(fd)); err == nil && ours {
		return
	}
	withoutTTOU(func() { _ = unix.IoctlSetPointerInt(fd, unix.TIOCSPGRP, syscall.Getpgrp()) })
}

// Shell returns the program and arguments that run line through the
// shell: /bin/sh -c.
func Shell(line string) (string, []string) {
	return "/bin/sh", []string{"-c", line}
}
