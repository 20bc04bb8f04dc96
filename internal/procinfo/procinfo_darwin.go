package procinfo

import (
	"strings"

	"golang.org/x/sys/unix"
)

// describe asks the kernel (sysctl kern.proc.pid) for the command name and
// the parent's pid. The executable's path needs libproc (cgo) and is left
// out.
func describe(pid int) (Process, int) {
	p := Process{PID: pid}
	k, err := unix.SysctlKinfoProc("kern.proc.pid", pid)
	if err != nil {
		return p, 0
	}
	p.Name = strings.TrimRight(string(k.Proc.P_comm[:]), "\x00")
	return p, int(k.Eproc.Ppid)
}
