package procinfo

import (
	"path/filepath"

	"golang.org/x/sys/windows"
)

// describe asks for the executable's path (QueryFullProcessImageName); the
// parent's parent needs a snapshot of every process and is left out.
func describe(pid int) (Process, int) {
	p := Process{PID: pid}
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return p, 0
	}
	defer windows.CloseHandle(h)
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n := uint32(len(buf))
	if windows.QueryFullProcessImageName(h, 0, &buf[0], &n) == nil {
		p.Exe = windows.UTF16ToString(buf[:n])
		p.Name = filepath.Base(p.Exe)
	}
	return p, 0
}
