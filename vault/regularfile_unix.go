//go:build !windows

package vault

import (
	"os"

	"golang.org/x/sys/unix"
)

// openNonBlocking opens path read-only with O_NONBLOCK, which makes the
// open of a FIFO return at once (reads of regular files ignore the flag).
func openNonBlocking(path string, noFollow bool) (*os.File, error) {
	flags := os.O_RDONLY | unix.O_NONBLOCK
	if noFollow {
		flags |= unix.O_NOFOLLOW
	}
	return os.OpenFile(path, flags, 0)
}
