//go:build !windows

package regularfile

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// NoFollow is the open flag that makes opening a symbolic link fail
// (ELOOP) instead of opening what it points to.
const NoFollow = unix.O_NOFOLLOW

// IsSymlinkError reports whether err is an open refused by NoFollow.
func IsSymlinkError(err error) bool { return errors.Is(err, unix.ELOOP) }

// openNonBlocking opens path read-only with O_NONBLOCK, which makes the
// open of a FIFO return at once (reads of regular files ignore the flag).
func openNonBlocking(path string, noFollow bool) (*os.File, error) {
	flags := os.O_RDONLY | unix.O_NONBLOCK
	if noFollow {
		flags |= NoFollow
	}
	return os.OpenFile(path, flags, 0)
}
