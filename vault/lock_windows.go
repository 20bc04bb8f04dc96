//go:build windows

package vault

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

var errLocked = errors.New("locked by another process")

// checkPrivateDir accepts the directory: it lives in the user's profile,
// which Windows ACLs keep private.
func checkPrivateDir(string, os.FileInfo) error { return nil }

// lockOffset is the byte LockFileEx locks: past the pid the holder
// writes, so waiters can still read it (Windows locks are mandatory).
const lockOffset = 1 << 20

// tryLockFile takes an exclusive LockFileEx lock without waiting.
func tryLockFile(f *os.File) error {
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &windows.Overlapped{Offset: lockOffset})
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return errLocked
	}
	return err
}

func unlockFile(f *os.File) {
	_ = windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &windows.Overlapped{Offset: lockOffset})
}
