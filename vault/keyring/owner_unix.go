//go:build unix

package keyring

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// ownedByUs checks that st (of path) belongs to this user.
func ownedByUs(path string, st fs.FileInfo) error {
	s, ok := st.Sys().(*syscall.Stat_t)
	if ok && int(s.Uid) != os.Getuid() {
		return fmt.Errorf("%s belongs to uid %d, not to this user", path, s.Uid)
	}
	return nil
}
