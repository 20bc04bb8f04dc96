// Package atomicfile replaces files so that readers see the old contents or
// the new ones, never a part: a temporary file in the same directory,
// written with its final mode, synced, then renamed over the target. Config
// files, credentials files, keyring items and the MFA step files are all
// written this way.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write replaces path with data, with the given mode. A symbolic link at
// path is followed, so dotfile managers keep their link.
func Write(path string, data []byte, mode os.FileMode) error {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	return Replace(path, data, mode)
}

// Replace is Write without following a symbolic link at path: the rename
// replaces the link itself, never what it points to.
func Replace(path string, data []byte, mode os.FileMode) error {
	return ReplaceVia(path, "."+filepath.Base(path)+TempMarker+"*", data, mode)
}

// ReplaceVia is Replace with the temporary file named by pattern (as
// os.CreateTemp takes it), for directories whose listing must tell the
// temporary files from everything else.
func ReplaceVia(path, pattern string, data []byte, mode os.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), pattern)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// TempMarker is in the name of every temporary file Write makes
// (".<name>.tmp-<random>"), so that a directory listing can skip them.
const TempMarker = ".tmp-"

// syncDir makes a rename in dir durable; where directories cannot be
// synced (Windows) it does nothing.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
