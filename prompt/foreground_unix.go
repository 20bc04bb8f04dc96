//go:build !windows

package prompt

import (
	"github.com/awsvault/aws-vault/internal/foreground"
)

// ForegroundOnly is open refusing, with ErrNotForeground, a terminal whose
// foreground process group is not this process's: reading it from the
// background would stop this process (SIGTTIN) until someone brings it
// back, and a credential server stopped that way answers no client. A
// terminal whose foreground cannot be read is returned as it is.
func ForegroundOnly(open TTYOpener) TTYOpener {
	return func() (TTY, error) {
		tty, err := open()
		if err != nil {
			return nil, err
		}
		if ours, err := foreground.Ours(tty.Fd()); err == nil && !ours {
			tty.Close()
			return nil, ErrNotForeground
		}
		return tty, nil
	}
}
