//go:build !windows

package prompt

import (
	"fmt"
	"os"
)

// OpenDevTTY opens /dev/tty. With no controlling terminal it returns an error
// wrapping ErrNoTerminal.
func OpenDevTTY() (TTY, error) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoTerminal, err)
	}
	return f, nil
}
