// Package regularfile opens files that must be regular files: config and
// credentials files, MFA step files and lock files. A named pipe, device,
// socket or directory is refused without waiting on it (opening a FIFO for
// reading blocks until something writes to it), and where asked a symbolic
// link is refused instead of followed.
package regularfile

import (
	"io/fs"
	"os"
)

// NotRegularError is a path that is not a regular file.
type NotRegularError struct{ Path, Kind string }

func (e *NotRegularError) Error() string { return e.Path + " is " + e.Kind + ", not a regular file" }

// Open opens path for reading if it is a regular file (or, unless noFollow,
// a symbolic link to one); anything else is a *NotRegularError.
func Open(path string, noFollow bool) (*os.File, error) {
	f, _, err := OpenStat(path, noFollow)
	return f, err
}

// OpenStat is Open that also returns the opened file's FileInfo, from the
// fstat Open makes anyway.
func OpenStat(path string, noFollow bool) (*os.File, fs.FileInfo, error) {
	f, err := openNonBlocking(path, noFollow)
	if err != nil {
		if noFollow && IsSymlinkError(err) {
			return nil, nil, &NotRegularError{path, "a symbolic link"}
		}
		return nil, nil, err
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = &NotRegularError{path, kind(st.Mode())}
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, st, nil
}

// kind names what a non-regular file is, for errors.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a regular file"
}
