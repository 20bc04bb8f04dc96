//go:build unix

package keyring

import (
	"io/fs"
	"syscall"
)

// inode returns the device and inode numbers of st.
func inode(st fs.FileInfo) (dev, ino uint64) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Dev), uint64(s.Ino)
	}
	return 0, 0
}
