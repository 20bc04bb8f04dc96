//go:build windows

package regularfile

import "os"

// NoFollow is zero: Windows has no O_NOFOLLOW, and creating symbolic links
// there needs a privilege ordinary users lack.
const NoFollow = 0

// IsSymlinkError is always false on Windows (see NoFollow).
func IsSymlinkError(error) bool { return false }

// openNonBlocking checks the file type before opening, as Windows has no
// O_NONBLOCK for files.
func openNonBlocking(path string, noFollow bool) (*os.File, error) {
	stat := os.Stat
	if noFollow {
		stat = os.Lstat
	}
	st, err := stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &NotRegularError{path, kind(st.Mode())}
	}
	return os.Open(path)
}
