//go:build unix

package process

import (
	"os"
	"runtime"
	"strconv"
	"syscall"
)

// CloseOnExecInherited marks every descriptor of this process above
// standard error close-on-exec, so that a long-lived child (the keyring
// agent) holds only its three standard streams and what it opens itself:
// not a terminal or pipe this process inherited open (a shell's, a test
// harness's), which would keep that terminal or pipe from closing for as
// long as the child lives.
func CloseOnExecInherited() {
	dir := "/dev/fd"
	if runtime.GOOS == "linux" {
		dir = "/proc/self/fd"
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
			syscall.CloseOnExec(fd)
		}
	}
}
