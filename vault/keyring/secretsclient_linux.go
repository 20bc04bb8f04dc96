//go:build linux

package keyring

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/godbus/dbus"
)

const (
	secretsPath       = dbus.ObjectPath("/org/freedesktop/secrets")
	secretsService    = "org.freedesktop.Secret.Service"
	secretsCollection = "org.freedesktop.Secret.Collection"
	secretsPrompt     = "org.freedesktop.Secret.Prompt"
	noPrompt          = dbus.ObjectPath("/")
)

// errDismissed is a prompt that ended without the user's consent: dismissed,
// or never shown because no prompter could appear (no display).
var errDismissed = errors.New("was dismissed or could not be shown")

// secretsClient creates and unlocks one Secret Service collection, waiting
// for the desktop prompt at most promptWait.
type secretsClient struct {
	conn       *dbus.Conn
	name       string
	callWait   time.Duration
	promptWait time.Duration
	// noPrompt: a locked collection is ErrNeedsPrompt, not a prompt.
	noPrompt bool
}

func newSecretsClient(conn *dbus.Conn, name string, callWait, promptWait time.Duration) *secretsClient {
	return &secretsClient{conn: conn, name: name, callWait: callWait, promptWait: promptWait}
}

func (c *secretsClient) call(path dbus.ObjectPath, method string, args ...any) *dbus.Call {
	return busCall(c.conn.Object(secretsName, path), c.callWait, method, args...)
}

// find looks the collection up the way the keyring library does: by the
// object path its name gives (gnome-keyring escapes bytes as _XX).
func (c *secretsClient) find() (dbus.ObjectPath, bool, error) {
	var v dbus.Variant
	if err := c.call(secretsPath, "org.freedesktop.DBus.Properties.Get", secretsService, "Collections").Store(&v); err != nil {
		return "", false, fmt.Errorf("the Secret Service is not reachable: %w", dbusError(err))
	}
	paths, _ := v.Value().([]dbus.ObjectPath)
	want := string(secretsPath) + "/collection/" + c.name
	for _, p := range paths {
		if unescapePath(string(p)) == want {
			return p, true, nil
		}
	}
	return "", false, nil
}

// unescapePath decodes gnome-keyring's _XX escapes; like the library, it
// gives the path back unchanged when an escape is malformed.
func unescapePath(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '_' {
			b.WriteByte(s[i])
			continue
		}
		if i+3 > len(s) {
			return s
		}
		d, err := hex.DecodeString(s[i+1 : i+3])
		if err != nil {
			return s
		}
		b.Write(d)
		i += 2
	}
	return b.String()
}

// readable unlocks the collection if it exists and is locked.
func (c *secretsClient) readable() error {
	path, ok, err := c.find()
	if err != nil || !ok {
		return err
	}
	return c.unlock(path)
}

// writable creates the collection if missing and unlocks it if locked.
func (c *secretsClient) writable() error {
	path, ok, err := c.find()
	if err != nil {
		return err
	}
	if !ok {
		if path, err = c.create(); err != nil {
			return err
		}
	}
	return c.unlock(path)
}

func (c *secretsClient) create() (dbus.ObjectPath, error) {
	props := map[string]dbus.Variant{secretsCollection + ".Label": dbus.MakeVariant(c.name)}
	var path, prompt dbus.ObjectPath
	if err := c.call(secretsPath, secretsService+".CreateCollection", props, "").Store(&path, &prompt); err != nil {
		return "", fmt.Errorf("creating collection %q: %w", c.name, dbusError(err))
	}
	if prompt == noPrompt {
		return path, nil
	}
	v, err := c.prompt(prompt)
	if err != nil {
		return "", fmt.Errorf("collection %q does not exist, and the desktop prompt to create it %w", c.name, err)
	}
	if p, ok := v.Value().(dbus.ObjectPath); ok && p != noPrompt {
		return p, nil
	}
	return "", fmt.Errorf("creating collection %q: the Secret Service returned no collection", c.name)
}

func (c *secretsClient) unlock(path dbus.ObjectPath) error {
	var locked dbus.Variant
	if err := c.call(path, "org.freedesktop.DBus.Properties.Get", secretsCollection, "Locked").Store(&locked); err != nil {
		return fmt.Errorf("collection %q: %w", c.name, dbusError(err))
	}
	if isLocked, _ := locked.Value().(bool); !isLocked {
		return nil
	}
	if c.noPrompt {
		return fmt.Errorf("collection %q is locked: %w", c.name, ErrNeedsPrompt)
	}
	var unlocked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := c.call(secretsPath, secretsService+".Unlock", []dbus.ObjectPath{path}).Store(&unlocked, &prompt); err != nil {
		return fmt.Errorf("unlocking collection %q: %w", c.name, dbusError(err))
	}
	if prompt == noPrompt {
		return nil
	}
	if _, err := c.prompt(prompt); err != nil {
		return fmt.Errorf("collection %q is locked, and the desktop prompt to unlock it %w", c.name, err)
	}
	return nil
}

// prompt shows a Secret Service prompt and waits for its Completed signal,
// at most promptWait.
func (c *secretsClient) prompt(path dbus.ObjectPath) (dbus.Variant, error) {
	signals := make(chan *dbus.Signal, 8)
	c.conn.Signal(signals)
	defer c.conn.RemoveSignal(signals)
	match := []dbus.MatchOption{dbus.WithMatchObjectPath(path), dbus.WithMatchInterface(secretsPrompt), dbus.WithMatchMember("Completed")}
	if err := c.conn.AddMatchSignal(match...); err == nil {
		defer c.conn.RemoveMatchSignal(match...)
	}
	if err := c.call(path, secretsPrompt+".Prompt", "").Err; err != nil {
		return dbus.Variant{}, fmt.Errorf("could not be shown: %w", dbusError(err))
	}
	timeout := time.NewTimer(c.promptWait)
	defer timeout.Stop()
	for {
		select {
		case s, ok := <-signals:
			if !ok {
				return dbus.Variant{}, errors.New("was cut off: the D-Bus connection closed")
			}
			if s.Path != path || s.Name != secretsPrompt+".Completed" || len(s.Body) != 2 {
				continue
			}
			if dismissed, _ := s.Body[0].(bool); dismissed {
				return dbus.Variant{}, errDismissed
			}
			v, _ := s.Body[1].(dbus.Variant)
			return v, nil
		case <-timeout.C:
			// No Prompt.Dismiss: gnome-keyring 42 aborts on dismissing an
			// unlock prompt in progress, taking the user's keyring
			// daemon down. The prompt ends when our connection closes.
			return dbus.Variant{}, fmt.Errorf("got no answer within %s", c.promptWait)
		}
	}
}
