//go:build !windows

package vault

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

var errLocked = errors.New("locked by another process")

// checkPrivateDir refuses a directory that another user could write to:
// one owned by someone else, or group or world writable.
func checkPrivateDir(dir string, st os.FileInfo) error {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && int(sys.Uid) != os.Geteuid() {
		return fmt.Errorf("lock directory %s belongs to uid %d, not to you (uid %d); remove it or fix its owner", dir, sys.Uid, os.Geteuid())
	}
	if perm := st.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("lock directory %s is writable by others (mode %04o); run: chmod 700 %s", dir, perm, dir)
	}
	return nil
}

// tryLockFile takes an exclusive flock without waiting.
func tryLockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errLocked
	}
	return err
}

func unlockFile(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
