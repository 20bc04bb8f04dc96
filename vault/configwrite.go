package vault

import (
	"bytes"
	"fmt"
	"os"
)

// AppendProfile adds a [profile NAME] section (or [default]) with the given
// key/value pairs at the end of the config file. The rest of the file is kept
// byte for byte; the file is replaced atomically and keeps its mode.
func (c *ConfigFile) AppendProfile(name string, keys [][2]string) error {
	var buf bytes.Buffer
	buf.Write(c.raw)
	if len(c.raw) > 0 && !bytes.HasSuffix(c.raw, []byte("\n")) {
		buf.WriteByte('\n')
	}
	fmt.Fprintf(&buf, "\n[%s]\n", sectionName(name))
	for _, kv := range keys {
		if kv[1] != "" {
			fmt.Fprintf(&buf, "%s=%s\n", kv[0], kv[1])
		}
	}
	mode := os.FileMode(0o600)
	if st, err := os.Stat(c.Path); err == nil {
		mode = st.Mode().Perm()
	}
	if err := WriteFileAtomic(c.Path, buf.Bytes(), mode); err != nil {
		return fmt.Errorf("updating config file %s: %w", c.Path, err)
	}
	updated, err := ParseConfig(c.Path, buf.Bytes())
	if err != nil {
		return err
	}
	*c = *updated
	return nil
}
