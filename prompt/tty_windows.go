//go:build windows

package prompt

import (
	"fmt"
	"os"
)

// OpenDevTTY opens the console: CONIN$ to read, CONOUT$ to write. With no
// console it returns an error wrapping ErrNoTerminal.
func OpenDevTTY() (TTY, error) {
	in, err := os.OpenFile("CONIN$", os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoTerminal, err)
	}
	out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		in.Close()
		return nil, fmt.Errorf("%w (%v)", ErrNoTerminal, err)
	}
	return &console{in: in, out: out}, nil
}

// console is the Windows console as one TTY; Fd is the input handle, which
// is what reading without echo needs.
type console struct {
	in, out *os.File
}

func (c *console) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *console) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *console) Fd() uintptr                 { return c.in.Fd() }

func (c *console) Close() error {
	c.out.Close()
	return c.in.Close()
}
