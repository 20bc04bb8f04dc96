//go:build windows

package vault

import "os"

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
		return nil, &notRegularError{path, fileKind(st.Mode())}
	}
	return os.Open(path)
}
