package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/awsvault/aws-vault/internal/atomicfile"
)

// LockFunc takes a lock shared by every aws-vault process, called name and
// described by what in messages (Locker.Lock is one).
type LockFunc func(ctx context.Context, name, what string) (unlock func(), err error)

// AppendProfile adds a [profile NAME] section (or [default]) with the given
// key/value pairs at the end of the config file, unless the file has one
// by then; it reports whether it added it. Writers are serialised with
// lock and the file is read again under it: each write is atomic, but
// without that, concurrent aws-vault processes (parallel add) would each
// write their own read of the file and drop the others' sections. The
// rest of the file is kept byte for byte (a name that could break or
// inject into it is refused first); the file is replaced atomically
// and keeps its mode. c is updated to what the file now holds.
func (c *File) AppendProfile(ctx context.Context, lock LockFunc, name string, keys [][2]string) (bool, error) {
	if err := ValidateProfileName(name); err != nil {
		return false, err
	}
	unlock, err := lock(ctx, "config-file,"+canonicalPath(c.Path), "config file "+c.Path)
	if err != nil {
		return false, err
	}
	defer unlock()
	raw, err := readConfig(c.Path)
	if errors.Is(err, os.ErrNotExist) {
		raw, err = nil, nil
	}
	if err != nil {
		return false, err
	}
	current, err := Parse(c.Path, raw)
	if err != nil {
		return false, err
	}
	*c = *current
	if c.HasProfileSection(name) {
		return false, nil
	}
	return true, c.write(appendSection(raw, name, keys))
}

// appendSection returns raw with the section added at the end.
func appendSection(raw []byte, name string, keys [][2]string) []byte {
	var buf bytes.Buffer
	buf.Write(raw)
	if len(raw) > 0 && !bytes.HasSuffix(raw, []byte("\n")) {
		buf.WriteByte('\n')
	}
	fmt.Fprintf(&buf, "\n[%s]\n", sectionName(name))
	for _, kv := range keys {
		if kv[1] != "" {
			fmt.Fprintf(&buf, "%s=%s\n", kv[0], kv[1])
		}
	}
	return buf.Bytes()
}

// write replaces the file with data, keeping its mode, and parses it.
func (c *File) write(data []byte) error {
	updated, err := Parse(c.Path, data)
	if err != nil {
		return err
	}
	mode := os.FileMode(0o600)
	if st, err := os.Stat(c.Path); err == nil {
		mode = st.Mode().Perm()
	}
	if err := atomicfile.Write(c.Path, data, mode); err != nil {
		return fmt.Errorf("updating config file %s: %w", c.Path, err)
	}
	*c = *updated
	return nil
}

// canonicalPath is path made absolute with symbolic links resolved where
// possible, so that two spellings of one file share one lock.
func canonicalPath(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}
